// Expert surgery on fusion models with modality groups (moma, moiie): the calibration pass
// records each token's modality, pruning and merging stay within the groups, the changed
// layers keep routing each modality inside its own experts, and a pruned fusion model's
// checkpoint says which group each surviving expert serves.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <string>
#include <vector>

#include "base/error.h"
#include "engine/session.h"
#include "engine/surgery_run.h"
#include "model/clone.h"
#include "model/fusion_transformer.h"
#include "session_recorder.h"
#include "surgery/calibration.h"
#include "surgery/merge.h"
#include "surgery/prune.h"
#include "test_support.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace {

constexpr int64_t kCaption = 12;
constexpr int64_t kSequence = kImagePatches + kCaption - 1;

FusionTransformer small_model(const std::string& layout) {
  ModelConfig m;
  m.task = "fusion";
  m.layout = layout;
  m.experts = 8;
  m.top_k = 2;
  m.expert_hidden = 16;
  RouterConfig r;
  r.init_std = 0.5;  // a router with preferences, so that usage differs between experts
  return FusionTransformer(FusionTransformerOptions().caption(kCaption).d_model(32).heads(2).layers(2).moe(m).router(r));
}

torch::Tensor random_input(int64_t B) {
  return torch::cat({torch::randn({B, kImagePixels}), torch::randint(32, 127, {B, kCaption - 1}).to(torch::kFloat32)}, 1);
}

// Calibrates every MoE layer of `model` on `batches` batches of 8 examples.
CalibrationCache calibrate_model(FusionTransformer& model, int batches = 4) {
  torch::manual_seed(11);
  model->eval();
  int done = 0;
  return calibrate(model->moe_layers(), 8 * kSequence * batches, [&]() -> int64_t {
    if (done++ == batches) return 0;
    model->forward(random_input(8));
    return 8 * kSequence;
  });
}

// [2, E] dispatched assignments per (modality, expert) of `layer` on the cached inputs.
torch::Tensor counts_by_modality(MoELayerImpl& layer, const LayerCalibration& cache) {
  torch::NoGradGuard no_grad;
  const auto r = layer.route(cache.input, {}, cache.sequence_length, cache.modality);
  const int64_t E = layer.options.routed_experts();
  const auto modality = cache.modality.index_select(0, r.token);
  return torch::zeros({2 * E}, torch::kFloat64).index_add_(0, modality * E + r.expert, torch::ones_like(r.weight, torch::kFloat64)).view({2, E});
}

std::vector<int64_t> modality_of(const std::vector<int64_t>& experts, const std::vector<int64_t>& modality) {
  std::vector<int64_t> out;
  for (auto e : experts) out.push_back(modality[size_t(e)]);
  return out;
}

TEST(FusionSurgery, CalibrationRecordsEachTokensModality) {
  auto model = small_model("moma");
  const auto cache = calibrate_model(model);
  for (const auto& layer : cache.layers) {
    ASSERT_TRUE(layer.modality.defined());
    const auto per_sequence = layer.modality.view({-1, kSequence});
    EXPECT_TRUE(per_sequence.narrow(1, 0, kImagePatches).eq(kImageModality).all().item<bool>());
    EXPECT_TRUE(per_sequence.narrow(1, kImagePatches, kCaption - 1).eq(kTextModality).all().item<bool>());
  }
  // The cached output is the layer's own, routed within the groups: an unchanged copy
  // reproduces it exactly.
  auto copy = clone_model(model->moe_layers()[0]);
  EXPECT_EQ(reconstruction_error(*copy, cache.layers[0]), 0.0);
}

TEST(FusionSurgery, PruningKeepsWhatEachModalityNeedsAndRoutesWithinTheGroupsAfter) {
  auto model = small_model("moma");  // image experts 0-3, text 4-7, top-2
  const auto cache = calibrate_model(model);
  auto layer = model->moe_layers()[0];
  EXPECT_EQ(fewest_kept_experts(*layer), 4);  // two per group
  EXPECT_NE(prune_refusal(*layer, 3).find("modality groups"), std::string::npos);
  // Keeping one text expert leaves text tokens one choice where top-2 needs two.
  EXPECT_THROW(keep_experts(*clone_model(layer), {0, 1, 2, 3, 4}), Error);

  for (auto method : {PruneMethod::frequency, PruneMethod::reap, PruneMethod::subset}) {
    const auto plan = plan_prune(layer, cache.layers[0], method, 4);
    EXPECT_EQ(modality_of(plan.keep, layer->options.expert_modality()), (std::vector<int64_t>{0, 0, 1, 1}))
        << prune_method_name(method);
  }
  // Frequency keeps each group's most used experts, whatever the other group's counts.
  const auto plan = plan_prune(layer, cache.layers[0], PruneMethod::frequency, 5);
  const auto counts = cache.layers[0].counts;
  for (int64_t g = 0; g < 2; ++g) {
    double kept_min = 1e30, removed_max = -1.0;
    for (int64_t e = 4 * g; e < 4 * g + 4; ++e) {
      const bool kept = std::binary_search(plan.keep.begin(), plan.keep.end(), e);
      (kept ? kept_min : removed_max) = kept ? std::min(kept_min, counts[e].item<double>())
                                             : std::max(removed_max, counts[e].item<double>());
    }
    EXPECT_GE(kept_min, removed_max) << "group " << g;
  }

  auto pruned = clone_model(layer);
  keep_experts(*pruned, plan.keep);
  EXPECT_EQ(pruned->options.expert_modality(), modality_of(plan.keep, layer->options.expert_modality()));
  const auto routed = counts_by_modality(*pruned, cache.layers[0]);
  const auto& groups = pruned->options.expert_modality();
  for (int64_t e = 0; e < 5; ++e) {
    // No token of the other modality on an expert; each token still gets its two experts.
    EXPECT_EQ(routed[1 - groups[size_t(e)]][e].item<double>(), 0.0) << routed;
  }
  EXPECT_EQ(routed.sum().item<double>(), 2.0 * double(cache.layers[0].input.size(0)));
}

TEST(FusionSurgery, MoiiePruningMayThinTheCrossModalGroupButKeepsOneOfEach) {
  auto model = small_model("moiie");  // image 0-2, text 3-5, cross-modal 6-7
  const auto cache = calibrate_model(model);
  auto layer = model->moe_layers()[1];
  // One cross-modal expert plus one of each modality's own gives every token two choices.
  EXPECT_EQ(fewest_kept_experts(*layer), 3);
  const auto plan = plan_prune(layer, cache.layers[1], PruneMethod::subset, 3);
  EXPECT_EQ(modality_of(plan.keep, layer->options.expert_modality()), (std::vector<int64_t>{0, 1, -1}));
  EXPECT_THROW(keep_experts(*clone_model(layer), {0, 1, 2, 3, 4, 5}), Error);  // the cross-modal group gone
}

TEST(FusionSurgery, MergingClustersOnlyInsideAGroup) {
  auto model = small_model("moma");
  const auto cache = calibrate_model(model);
  auto layer = model->moe_layers()[0];
  MergeOptions options;
  for (auto method : {MergeMethod::hc_smoe, MergeMethod::mc_smoe}) {
    options.method = method;
    options.experts = 2;  // one merged expert per group: the answer is known
    const auto plan = plan_merge(layer, cache.layers[0], options);
    EXPECT_EQ(plan.groups, (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}})) << merge_method_name(method);
    options.experts = 5;
    for (const auto& group : plan_merge(layer, cache.layers[0], options).groups) {
      const auto m = modality_of(group, layer->options.expert_modality());
      EXPECT_TRUE(std::all_of(m.begin(), m.end(), [&](int64_t g) { return g == m.front(); })) << merge_method_name(method);
    }
  }
  options.experts = 1;
  EXPECT_NE(merge_refusal(*layer, 1, MergeRouter::keep_logits).find("modality groups"), std::string::npos);
  // With one summed router row per merged expert, top-2 needs two per group.
  options.experts = 3;
  options.router = MergeRouter::sum_rows;
  options.method = MergeMethod::hc_smoe;
  EXPECT_THROW(plan_merge(layer, cache.layers[0], options), Error);

  // The merged router keeps one logit per original expert and still routes within groups.
  options.router = MergeRouter::keep_logits;
  options.experts = 4;
  const auto plan = plan_merge(layer, cache.layers[0], options);
  auto merged = clone_model(layer);
  merge_experts(*merged, plan, options);
  ASSERT_EQ(merged->options.expert_modality().size(), 4u);
  const auto routed = counts_by_modality(*merged, cache.layers[0]);
  for (int64_t e = 0; e < 4; ++e) {
    EXPECT_EQ(routed[1 - merged->options.expert_modality()[size_t(e)]][e].item<double>(), 0.0) << routed;
  }
}

TEST(FusionSurgery, MergingTwoIdenticalExpertsOfAGroupChangesNothing) {
  auto model = small_model("moma");
  auto layer = model->moe_layers()[0];
  {
    torch::NoGradGuard no_grad;
    layer->w_in[1].copy_(layer->w_in[0]);
    layer->w_out[1].copy_(layer->w_out[0]);
  }
  const auto cache = calibrate_model(model);
  MergeOptions options;
  options.method = MergeMethod::hc_smoe;
  options.experts = 7;
  const auto plan = plan_merge(layer, cache.layers[0], options);
  EXPECT_EQ(plan.groups.front(), (std::vector<int64_t>{0, 1}));
  EXPECT_LT(plan.reconstruction_error, 1e-10);
}

TEST(FusionSurgery, APrunedFusionModelsCheckpointNamesEachExpertsGroup) {
  test::TempDir dir;
  test::write_fashion_mnist(dir.path() / "fmnist", 128, 32);
  auto c = preset_config("fusion-fmnist");
  c.data.fashion_mnist_dir = (dir.path() / "fmnist").string();
  c.model.layout = "moma";
  c.model.d_model = 32;
  c.model.heads = 2;
  c.model.layers = 2;
  c.model.expert_hidden = 16;
  c.train.batch_size = 8;
  c.train.steps = 6;
  c.train.warmup_steps = 1;
  c.train.eval_every = 100;
  c.train.eval_batches = 1;
  c.train.snapshot_every = 1;
  c.device = "cpu";
  c.threads = 1;
  Session session(c);
  test::Recorder first;
  first.after_step = [&](const StepMetrics& m) {
    if (m.step == 3) session.post(StopCommand{});
  };
  session.add_observer(&first);
  session.run();
  PruneRequest request;
  request.keep = 6;
  request.calibration_tokens = 2048;
  const auto report = prune_session(session, request);
  for (const auto& plan : report.layers) {
    EXPECT_EQ(plan.keep.size(), 6u);
    const auto m = modality_of(plan.keep, {0, 0, 0, 0, 1, 1, 1, 1});
    EXPECT_GE(std::count(m.begin(), m.end(), 0), 2);
    EXPECT_GE(std::count(m.begin(), m.end(), 1), 2);
  }
  const auto& rows = session.config().model.layer_expert_modality;
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], modality_of(report.layers[0].keep, {0, 0, 0, 0, 1, 1, 1, 1}));
  const auto path = dir.file("pruned.pt");
  session.save_checkpoint(path);

  const auto stored = checkpoint_config(path);
  EXPECT_EQ(stored.model.layer_expert_modality, rows);
  Session resumed(stored);
  resumed.load_checkpoint(path);
  EXPECT_EQ(resumed.task().moe_layers()[1]->options.expert_modality(), rows[1]);
  test::Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 3u);
  ASSERT_FALSE(rest.snapshots.empty());
  // The live statistics still show complete separation: no image token on a text expert.
  const auto& snap = rest.snapshots.back();
  ASSERT_EQ(snap.modalities, 2);
  for (int64_t l = 0; l < 2; ++l) {
    for (int64_t e = 0; e < 6; ++e) {
      const int64_t other = 1 - rows[size_t(l)][size_t(e)];
      EXPECT_EQ(snap.modality_load[size_t((l * 2 + other) * snap.experts + e)], 0.0f) << "layer " << l << " expert " << e;
    }
  }
}

}  // namespace
}  // namespace moescope
