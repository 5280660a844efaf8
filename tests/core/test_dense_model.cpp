// The dense reference: a transformer whose blocks have one SwiGLU FFN and no router.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "engine/session.h"
#include "model/dense_ffn.h"
#include "model/transformer_lm.h"
#include "session_recorder.h"
#include "test_support.h"

namespace moescope {
namespace {

using test::Recorder;

TEST(DenseFFN, ComputesDownOfSiluGateTimesUp) {
  DenseFFN ffn(2, 1, 1.0);
  {
    torch::NoGradGuard no_grad;
    ffn->gate.copy_(torch::tensor({{1.0f, 0.0f}}));
    ffn->up.copy_(torch::tensor({{0.0f, 1.0f}}));
    ffn->down.copy_(torch::tensor({{1.0f}, {2.0f}}));
  }
  // x = (3, 4): gate 3, up 4, hidden silu(3) * 4 = 12 / (1 + e^-3); out = (1, 2) * hidden.
  const auto y = ffn->forward(torch::tensor({{3.0f, 4.0f}}));
  const double hidden = 12.0 / (1.0 + std::exp(-3.0));
  ASSERT_EQ(y.sizes(), (std::vector<int64_t>{1, 2}));
  EXPECT_NEAR(y[0][0].item<double>(), hidden, 1e-5);
  EXPECT_NEAR(y[0][1].item<double>(), 2.0 * hidden, 1e-5);
}

TEST(DenseLM, HasNoRouterAndTheActiveParametersOfItsMoECounterpart) {
  ModelConfig moe;
  moe.experts = 4;
  moe.top_k = 2;
  moe.expert_hidden = 16;
  ModelConfig dense = moe;
  dense.ffn = "dense";
  dense.expert_hidden = 32;  // top-2 of hidden 16: the same active FFN parameters
  const auto options = [](const ModelConfig& m) {
    return TransformerLMOptions().d_model(24).heads(2).layers(3).context(8).moe(m);
  };
  TransformerLM dense_model(options(dense)), moe_model(options(moe));
  EXPECT_TRUE(dense_model->moe_layers().empty());
  int64_t dense_params = 0;
  for (const auto& p : dense_model->named_parameters()) {
    EXPECT_EQ(p.key().find("router"), std::string::npos) << p.key();
    dense_params += p.value().numel();
  }
  EXPECT_TRUE(dense_model->named_parameters().contains("blocks.2.ffn.gate"));
  EXPECT_EQ(dense_model->named_parameters()["blocks.2.ffn.down"].sizes(),
            (std::vector<int64_t>{24, 32}));
  // The MoE model's active parameters are the dense model's plus its routers' [E, d] weights.
  int64_t moe_active = 0;
  for (const auto& p : moe_model->parameters()) moe_active += p.numel();
  for (const auto& layer : moe_model->moe_layers()) {
    const int64_t experts = layer->w_in.numel() + layer->w_out.numel();
    moe_active -= experts / 2;  // top-2 of 4
  }
  EXPECT_EQ(moe_active, dense_params + 3 * 4 * 24);
  const auto out = dense_model->forward(torch::randint(0, 256, {2, 8}));
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{2, 8, 256}));
  EXPECT_EQ(out.aux_loss.item<double>(), 0.0);
  EXPECT_EQ(out.z_loss.item<double>(), 0.0);
}

class DenseSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config() const {
    auto c = test::tiny_lm_config((dir_.path() / "fortunes").string());
    c.model.ffn = "dense";
    c.model.expert_hidden = 64;
    return c;
  }
  test::TempDir dir_;
};

TEST_F(DenseSessionTest, TrainsWithoutRoutingAndResumesToTheSameLoss) {
  auto c = config();
  c.train.steps = 30;
  c.train.eval_every = 10;
  Recorder whole;
  {
    Session session(c);
    EXPECT_EQ(session.run_info().layers, 0);
    EXPECT_EQ(session.run_info().experts, 0);
    EXPECT_EQ(session.run_info().router, "none");
    EXPECT_EQ(session.run_info().active_parameters, session.run_info().parameters);
    session.add_observer(&whole);
    session.run();
  }
  ASSERT_EQ(whole.steps.size(), 30u);
  EXPECT_TRUE(whole.snapshots.empty());  // snapshot_every = 2, but nothing is routed
  EXPECT_LT(whole.evals.back().loss, whole.evals.front().loss);
  EXPECT_EQ(whole.steps.back().aux_loss, 0.0);
  EXPECT_EQ(whole.states.back().state, RunState::Finished);

  const std::string checkpoint = dir_.file("dense.pt");
  {
    Session first(c);
    Recorder r;
    r.after_step = [&](const StepMetrics& m) {
      if (m.step == 12) first.post(StopCommand{});
    };
    first.add_observer(&r);
    first.run();
    first.save_checkpoint(checkpoint);
  }
  Session resumed(c);
  resumed.load_checkpoint(checkpoint);
  Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 18u);
  for (size_t i = 0; i < rest.steps.size(); ++i) {
    EXPECT_DOUBLE_EQ(rest.steps[i].loss, whole.steps[12 + i].loss) << "step " << rest.steps[i].step;
  }
}

}  // namespace
}  // namespace moescope
