// The window's surgery workflow on a session: preview (the model put back exactly), apply,
// undo (weights, optimizer state and shape bit for bit), and training going on after each.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "base/error.h"
#include "engine/model_state.h"
#include "engine/session.h"
#include "engine/surgery_sweep.h"
#include "session_recorder.h"
#include "test_support.h"
#include "train/task.h"

namespace moescope {
namespace {

class SurgeryPreviewTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config() const { return test::tiny_surgery_config((dir_.path() / "fortunes").string(), 10); }
  static SurgeryRequest request(const std::string& kind, const std::string& method, int64_t experts) {
    SurgeryRequest r;
    r.kind = kind;
    r.method = method;
    r.experts = experts;
    r.calibration_tokens = 200;
    return r;
  }
  test::TempDir dir_;
};

std::vector<torch::Tensor> weights_of(Session& s) {
  std::vector<torch::Tensor> w;
  for (const auto& p : s.task().module()->parameters()) w.push_back(p.detach().clone());
  for (const auto& b : s.task().module()->buffers()) w.push_back(b.detach().clone());
  return w;
}

void expect_same(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].sizes(), b[i].sizes()) << "tensor " << i;
    EXPECT_TRUE(torch::equal(a[i], b[i])) << "tensor " << i;
  }
}

TEST_F(SurgeryPreviewTest, APreviewMeasuresTheChangedModelAndPutsItBackExactly) {
  Session session(config());
  test::Recorder r;
  session.add_observer(&r);
  const auto before = weights_of(session);
  const auto preview = session.preview_surgery(request("merge", "hc-smoe", 2));
  expect_same(weights_of(session), before);
  EXPECT_EQ(session.task().moe_layers()[0]->options.experts(), 4);
  EXPECT_TRUE(session.config().model.layer_logit_map.empty());
  EXPECT_TRUE(r.shape_changes.empty());  // a preview is not a change
  ASSERT_EQ(preview.layers.size(), 2u);
  EXPECT_EQ(preview.layers[0].experts_after, 2);
  EXPECT_EQ(preview.layers[0].similarity.size(), 16u);
  EXPECT_EQ(preview.layers[0].dendrogram.size(), 3u);
  EXPECT_EQ(preview.layers[0].usage.size(), 4u);
  EXPECT_LT(preview.parameters_after, preview.parameters_before);
  EXPECT_LE(preview.expert_flops_kept, 1.0);
  EXPECT_FALSE(preview.calibration_reused);
  EXPECT_DOUBLE_EQ(preview.before.loss, session.evaluate().loss);
  // A second preview at the same step reads the same cache.
  const auto again = session.preview_surgery(request("prune", "reap", 3));
  EXPECT_TRUE(again.calibration_reused);
  EXPECT_EQ(again.id, preview.id + 1);
  // Applying it gives the model the preview measured.
  EXPECT_THROW(session.apply_surgery(preview.id), Error);  // not the last preview
  const auto applied = session.apply_surgery(again.id);
  EXPECT_EQ(session.task().moe_layers()[1]->options.experts(), 3);
  EXPECT_DOUBLE_EQ(session.evaluate().loss, again.after.loss);
  EXPECT_EQ(applied.after.loss, again.after.loss);
  ASSERT_EQ(r.shape_changes.size(), 1u);
  ASSERT_FALSE(r.interventions.empty());
  EXPECT_EQ(r.interventions.back().kind, "surgery");
}

TEST_F(SurgeryPreviewTest, UndoPutsBackWeightsOptimizerAndShapeSoTrainingGoesOnAsIfNothingHappened) {
  // The reference: ten steps, no surgery.
  Session plain(config());
  test::Recorder reference;
  plain.add_observer(&reference);
  plain.run();

  Session session(config());
  test::Recorder r;
  std::vector<torch::Tensor> at_four;
  RunConfig config_at_four;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step != 4) return;
    at_four = weights_of(session);
    config_at_four = session.config();
    for (const auto* kind : {"prune", "merge"}) {
      const auto p = session.preview_surgery(request(kind, kind == std::string("prune") ? "subset" : "mc-smoe", 2));
      session.apply_surgery(p.id);
      EXPECT_EQ(session.task().moe_layers()[0]->options.experts(), 2);
      EXPECT_TRUE(session.can_undo_surgery());
      session.undo_surgery();
      expect_same(weights_of(session), at_four);
      EXPECT_EQ(to_json_string(session.config()), to_json_string(config_at_four));
      EXPECT_EQ(session.run_info().shape, plain.run_info().shape);
    }
    EXPECT_THROW(session.undo_surgery(), Error);  // nothing left to undo
  };
  session.add_observer(&r);
  session.run();
  ASSERT_EQ(r.steps.size(), reference.steps.size());
  for (size_t i = 0; i < r.steps.size(); ++i) {
    EXPECT_EQ(r.steps[i].loss, reference.steps[i].loss) << "step " << r.steps[i].step;  // bit for bit
  }
}

TEST_F(SurgeryPreviewTest, UndoIsRefusedOnceTrainingWentOnAndBadRequestsChangeNothing) {
  Session session(config());
  test::Recorder r;
  session.add_observer(&r);
  int64_t applied_at = -1;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 3) {
      const auto p = session.preview_surgery(request("quantize", "", 4));
      session.apply_surgery(p.id);
      applied_at = m.step;
    }
    if (m.step == 4) {
      EXPECT_FALSE(session.can_undo_surgery());
      EXPECT_THROW(session.undo_surgery(), Error);
    }
  };
  session.run();
  EXPECT_EQ(applied_at, 3);
  auto bad = request("prune", "reap", 9);
  const auto before = weights_of(session);
  EXPECT_THROW(session.preview_surgery(bad), Error);
  bad = request("prune", "magic", 2);
  EXPECT_THROW(session.preview_surgery(bad), Error);
  bad = request("fold", "", 2);
  EXPECT_THROW(session.preview_surgery(bad), Error);
  expect_same(weights_of(session), before);
}

TEST_F(SurgeryPreviewTest, AModelStateWithoutAnOptimizerRestoresTheWeightsAndTheRecordedRouting) {
  Session session(config());
  test::Recorder r;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step != 2) return;
    auto layers = session.task().moe_layers();
    auto* module = session.task().module().get();
    // No optimizer access from here: a state without one restores the weights alone.
    const auto state = save_model_state(*module, layers, nullptr);
    const auto w = weights_of(session);
    torch::NoGradGuard no_grad;
    layers[0]->w_in.add_(1.0);
    restore_model_state(state, layers, nullptr);
    expect_same(weights_of(session), w);
  };
  session.add_observer(&r);
  session.run();
}

// A sweep is the previews of every budget: each point is what a preview of that budget alone
// measures, the calibration and the "before" are taken once, and the model is left as it was.
TEST_F(SurgeryPreviewTest, ASweepPreviewsEveryBudgetOnOneCalibration) {
  Session session(config());
  session.run();
  const auto before = weights_of(session);
  const auto sweep = sweep_surgery(session, request("prune", "reap", 0));
  ASSERT_EQ(sweep.points.size(), 2u);  // 4 experts, top-2: 3 and 2 kept
  EXPECT_EQ(sweep.points[0].layers[0].experts_after, 3);
  EXPECT_EQ(sweep.points[1].layers[0].experts_after, 2);
  EXPECT_FALSE(sweep.points[0].calibration_reused);
  EXPECT_TRUE(sweep.points[1].calibration_reused);
  EXPECT_EQ(sweep.points[1].before.loss, sweep.points[0].before.loss);
  EXPECT_GE(sweep.points[1].layers[0].routed_share, sweep.points[0].layers[0].routed_share);
  expect_same(weights_of(session), before);
  const auto alone = session.preview_surgery(request("prune", "reap", 2));
  EXPECT_EQ(alone.layers[0].kept, sweep.points[1].layers[0].kept);
  EXPECT_DOUBLE_EQ(alone.after.loss, sweep.points[1].after.loss);
  EXPECT_DOUBLE_EQ(alone.before.loss, session.evaluate().loss);

  const auto json = to_json(sweep, "lm");
  EXPECT_EQ(json["x"], "experts");
  ASSERT_EQ(json["points"].size(), 2u);
  EXPECT_EQ(json["points"][1]["x"], 2.0);
  EXPECT_DOUBLE_EQ(json["points"][1]["measured"]["validation_loss"].get<double>(), alone.after.loss);

  // Skipping from β = 0 (nothing skipped, the model as it is) to 1 (only the top expert).
  const auto skip = sweep_surgery(session, request("skip", "", 0));
  ASSERT_EQ(skip.points.size(), 11u);
  EXPECT_EQ(skip.points.front().layers[0].routed_share, 0.0);
  EXPECT_DOUBLE_EQ(skip.points.front().after.loss, skip.points.front().before.loss);
  EXPECT_GT(skip.points.back().layers[0].routed_share, 0.0);
}

TEST(SurgerySweep, RequestsGoFromTheMildestToTheStrongestChange) {
  SurgeryRequest base;
  base.kind = "merge";
  base.layer_experts = {5, 5};
  const auto merge = sweep_requests(base, 8, 2);
  ASSERT_EQ(merge.size(), 6u);
  EXPECT_EQ(merge.front().experts, 7);
  EXPECT_EQ(merge.back().experts, 2);
  EXPECT_TRUE(merge.front().layer_experts.empty());  // one budget for every layer
  base.kind = "quantize";
  const auto quantize = sweep_requests(base, 8, 2);
  ASSERT_EQ(quantize.size(), 7u);
  EXPECT_EQ(surgery_budget(quantize.front()), 8.0);
  EXPECT_EQ(surgery_budget(quantize.back()), 2.0);
  base.kind = "prune";
  EXPECT_THROW(sweep_requests(base, 2, 2), Error);  // nothing to prune at top-2 of 2
  base.kind = "shrink";
  EXPECT_THROW(sweep_requests(base, 8, 2), Error);
}

}  // namespace
}  // namespace moescope
