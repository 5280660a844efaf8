// The decoder of the Hugging Face MoE families (model.architecture other than moescope):
// RMSNorm, rotary positions, grouped-query attention, sliding windows, Qwen2-MoE's gated
// shared expert, dense blocks; and a moescope decoder left exactly as it was.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "base/error.h"
#include "engine/recipe_config.h"
#include "engine/session.h"
#include "hf/hf_export.h"
#include "train/checkpoint.h"
#include "model/rotary_attention.h"
#include "model/transformer_lm.h"
#include "session_recorder.h"
#include "test_support.h"

namespace moescope {
namespace {

ModelConfig family(const std::string& architecture) {
  ModelConfig m;
  m.architecture = architecture;
  m.d_model = 32;
  m.heads = 4;
  m.kv_heads = 2;
  m.layers = 2;
  m.context = 16;
  m.vocab = 50;
  m.experts = 4;
  m.top_k = 2;
  m.expert_hidden = 16;
  return m;
}

TransformerLM build(const ModelConfig& m) {
  return TransformerLM(TransformerLMOptions().d_model(m.d_model).heads(m.heads).layers(m.layers).context(m.context).moe(m));
}

TEST(Decoder, RmsNormAndRotaryAnglesHaveTheirKnownValues) {
  // x = (3, 4): mean square 12.5, so x / sqrt(12.5 + eps) scaled by the weight (1, 2).
  const auto y = rms_norm(torch::tensor({{3.0f, 4.0f}}), torch::tensor({1.0f, 2.0f}), 0.0);
  EXPECT_NEAR(y[0][0].item<double>(), 3.0 / std::sqrt(12.5), 1e-6);
  EXPECT_NEAR(y[0][1].item<double>(), 8.0 / std::sqrt(12.5), 1e-6);
  // head_dim 4, theta 100: frequencies 1 and 1/10, each for two halves; position 2.
  const auto a = rotary_angles(3, 4, 100.0, torch::kCPU);
  ASSERT_EQ(a.sizes(), (std::vector<int64_t>{2, 3, 4}));
  const double want[4] = {2.0, 0.2, 2.0, 0.2};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(a[0][2][i].item<double>(), std::cos(want[i]), 1e-6);
    EXPECT_NEAR(a[1][2][i].item<double>(), std::sin(want[i]), 1e-6);
  }
  EXPECT_NEAR(a[0][0].sum().item<double>(), 4.0, 1e-6);  // position 0 is not rotated
}

TEST(Decoder, TheMoescopeDecoderKeepsItsParameterNames) {
  ModelConfig m;
  m.d_model = 16;
  m.heads = 2;
  m.experts = 2;
  m.top_k = 1;
  m.expert_hidden = 8;
  m.layers = 1;
  const auto params = TransformerLM(TransformerLMOptions().d_model(16).heads(2).layers(1).context(8).moe(m))->named_parameters();
  for (const char* name : {"token_embedding.weight", "position_embedding.weight", "blocks.0.norm1.weight",
                           "blocks.0.norm1.bias", "blocks.0.attention.qkv.weight", "blocks.0.attention.proj.weight",
                           "blocks.0.moe.w_in", "final_norm.weight", "final_norm.bias"}) {
    EXPECT_TRUE(params.contains(name)) << name;
  }
  EXPECT_FALSE(params.contains("lm_head"));
}

TEST(Decoder, FamiliesHaveRotaryAttentionRmsNormAndTheirOwnHead) {
  auto m = family("mixtral");
  auto model = build(m);
  const auto params = model->named_parameters();
  EXPECT_FALSE(params.contains("position_embedding.weight"));
  EXPECT_FALSE(params.contains("blocks.0.norm1.bias"));
  EXPECT_EQ(params["lm_head"].sizes(), (std::vector<int64_t>{50, 32}));
  EXPECT_EQ(params["blocks.0.attention.k.weight"].sizes(), (std::vector<int64_t>{16, 32}));  // 2 kv heads of 8
  const auto out = model->forward(torch::randint(0, 50, {2, 16}));
  EXPECT_EQ(out.logits.sizes(), (std::vector<int64_t>{2, 16, 50}));
  m.tie_embeddings = true;
  EXPECT_FALSE(build(m)->named_parameters().contains("lm_head"));
}

TEST(Decoder, OneKeyValueHeadEqualsFullAttentionWithThatHeadRepeated) {
  torch::manual_seed(3);
  auto gqa = family("mixtral");
  gqa.kv_heads = 1;
  auto mha = gqa;
  mha.kv_heads = 4;
  RotaryAttention a(gqa, 1.0), b(mha, 1.0);
  {
    torch::NoGradGuard no_grad;
    b->q->weight.copy_(a->q->weight);
    b->o->weight.copy_(a->o->weight);
    b->k->weight.copy_(a->k->weight.repeat({4, 1}));  // every head the one kv head
    b->v->weight.copy_(a->v->weight.repeat({4, 1}));
  }
  const auto x = torch::randn({2, 6, 32});
  const auto angles = rotary_angles(6, 8, 10000.0, torch::kCPU);
  EXPECT_TRUE(torch::allclose(a->forward(x, angles), b->forward(x, angles), 1e-5, 1e-6));
}

TEST(Decoder, ASlidingWindowOfOneAttendsToTheTokenItself) {
  torch::manual_seed(4);
  auto m = family("mixtral");
  m.sliding_window = 1;
  RotaryAttention a(m, 1.0);
  const auto x = torch::randn({1, 5, 32});
  const auto angles = rotary_angles(5, 8, 10000.0, torch::kCPU);
  // Each token's only key is itself: the output is o(v(x)) per token, v repeated per head pair.
  const auto v = a->v->forward(x).view({1, 5, 2, 8}).repeat_interleave(2, 2).reshape({1, 5, 32});
  EXPECT_TRUE(torch::allclose(a->forward(x, angles), a->o->forward(v), 1e-5, 1e-6));
  m.sliding_window = 0;
  RotaryAttention full(m, 1.0);
  EXPECT_FALSE(torch::allclose(full->forward(x, angles), full->o->forward(full->v->forward(x).view({1, 5, 2, 8})
                                                                             .repeat_interleave(2, 2).reshape({1, 5, 32})),
                               1e-3, 1e-3));
}

TEST(Decoder, QwenSharedExpertIsScaledBySigmoidOfItsGateAndDenseBlocksHaveNoRouter) {
  auto m = family("qwen2_moe");
  m.shared_experts = 1;
  m.shared_expert_hidden = 24;
  m.shared_expert_gate = true;
  m.dense_layers = {1};
  m.dense_hidden = 40;
  auto model = build(m);
  ASSERT_EQ(model->moe_layers().size(), 1u);
  EXPECT_EQ((*model->blocks)[1]->as<MoEBlock>()->ffn->hidden, 40);
  auto& layer = *model->moe_layers()[0];
  EXPECT_EQ(layer.shared_out.size(1), 24);
  // The shared expert's output is scaled by sigmoid(x . w): with w = e_0, sigmoid(x[:, 0]).
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({5, 32});
  const auto shared = [&](const torch::Tensor& x_) {
    const auto h = torch::matmul(x_, layer.shared_in[0]);
    return torch::matmul(torch::silu(h.narrow(1, 0, 24)) * h.narrow(1, 24, 24), layer.shared_out[0]);
  };
  layer.shared_gate.zero_();
  layer.shared_gate[0] = 1.0;
  const auto gated = layer.forward(x).y;
  const auto saved = layer.shared_in.clone();
  layer.shared_in.zero_();  // SwiGLU of zero weights: no shared expert at all
  const auto routed = layer.forward(x).y;
  layer.shared_in.copy_(saved);
  const auto want = routed + torch::sigmoid(x.select(1, 0)).unsqueeze(1) * shared(x);
  EXPECT_TRUE(torch::allclose(gated, want, 1e-5, 1e-6));
  EXPECT_FALSE(torch::allclose(gated, routed + shared(x), 1e-3, 1e-3));
}

TEST(Decoder, ConfigsRefuseFamilyFieldsOnTheMoescopeDecoderAndTrainAMixtralPreset) {
  test::TempDir dir;
  test::write_fortunes_tree(dir.path() / "fortunes", 60);
  auto c = test::tiny_lm_config((dir.path() / "fortunes").string());
  c.model.kv_heads = 2;
  try {
    validate(c);
    FAIL() << "kv_heads on the moescope decoder was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not moescope"), std::string::npos) << e.what();
  }
  c.model.architecture = "mixtral";
  c.train.steps = 12;
  c.train.eval_every = 6;
  validate(c);
  test::Recorder r;
  Session session(c);
  session.add_observer(&r);
  session.run();
  ASSERT_EQ(r.evals.size(), 2u);
  EXPECT_LT(r.evals.back().loss, r.evals.front().loss);
  EXPECT_FALSE(r.snapshots.empty());  // the router views see it like any MoE
  c.model.architecture = "llama";
  EXPECT_THROW(validate(c), Error);
}

// An opened Hugging Face model fine-tunes like a preset: with train.trainable = "experts"
// only the experts and routers move, and its checkpoint resumes to the same weights.
TEST(Decoder, AnOpenedModelFineTunesItsExpertsOnlyAndItsCheckpointResumes) {
  test::TempDir dir;
  auto m = family("mixtral");
  m.vocab = 256;
  m.context = 64;
  torch::manual_seed(5);
  auto model = build(m);
  const auto folder = dir.file("mixtral-hf");
  save_hf_model(*model, RouterConfig(), "", folder);  // a MixtralForCausalLM folder, byte tokenizer
  std::string text;
  for (int i = 0; i < 80; ++i) text += "the cat sat on the mat " + std::to_string(i % 7) + ".\n";
  test::write_file(dir.path() / "cats.txt", text);
  auto c = hf_run_config(folder, {dir.file("cats.txt")});
  c.train.steps = 8;
  c.train.batch_size = 4;
  c.train.lr = 3e-3;
  c.train.eval_every = 4;
  c.train.eval_batches = 2;
  c.train.snapshot_every = 2;
  c.train.trainable = "experts";
  c.data.sequence_tokens = 32;
  c.device = "cpu";
  c.threads = 1;
  validate(c);
  Session session(c);
  test::Recorder r;
  session.add_observer(&r);
  auto& lm = language_model(session, "test");
  const auto attention = lm.named_parameters()["blocks.0.attention.q.weight"].clone();
  const auto head = lm.lm_head.clone();
  const auto experts = lm.moe_layers()[0]->w_in.clone();
  const auto router = lm.moe_layers()[0]->router->weight.clone();
  session.run();
  ASSERT_EQ(r.evals.size(), 2u);
  EXPECT_LT(r.evals.back().loss, r.evals.front().loss);
  EXPECT_TRUE(torch::equal(lm.named_parameters()["blocks.0.attention.q.weight"], attention));
  EXPECT_TRUE(torch::equal(lm.lm_head, head));
  EXPECT_FALSE(torch::equal(lm.moe_layers()[0]->w_in, experts));
  EXPECT_FALSE(torch::equal(lm.moe_layers()[0]->router->weight, router));
  const auto checkpoint = dir.file("tuned.pt");
  session.save_checkpoint(checkpoint);
  Session resumed(checkpoint_config(checkpoint));
  resumed.load_checkpoint(checkpoint);
  EXPECT_EQ(resumed.step(), 8);
  EXPECT_TRUE(torch::equal(language_model(resumed, "test").moe_layers()[0]->w_in, lm.moe_layers()[0]->w_in));
  c.train.trainable = "attention";
  EXPECT_THROW(validate(c), Error);
}

}  // namespace
}  // namespace moescope
