// Expert merging: groups, weights, permutation alignment, the merged router and the change
// applied to a layer and to a training session, against answers known by construction.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "base/error.h"
#include "engine/session.h"
#include "engine/surgery_run.h"
#include "model/clone.h"
#include "session_recorder.h"
#include "surgery/assignment.h"
#include "surgery/calibration.h"
#include "surgery/merge.h"
#include "surgery/prune.h"
#include "test_support.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace {

// A layer of 6 FFN experts, top-2, with a learned logit bias the tests set.
MoELayer make_layer(int64_t experts = 6) {
  RouterConfig router;
  router.bias = true;
  auto layer = MoELayer(MoELayerOptions(16, 24).experts(experts).top_k(2).router(router).router_init_std(0.5));
  layer->eval();
  return layer;
}

CalibrationCache calibrate_layer(MoELayer layer, int batches = 4) {
  torch::manual_seed(7);
  int done = 0;
  return calibrate({layer}, 256 * batches, [&]() -> int64_t {
    if (done++ == batches) return 0;
    layer->forward(torch::randn({256, 16}));
    return 256;
  });
}

// Expert `to` becomes a copy of expert `from` (weights only; its router row stays its own).
void copy_expert(MoELayer& layer, int64_t from, int64_t to) {
  torch::NoGradGuard no_grad;
  layer->w_in[to].copy_(layer->w_in[from]);
  layer->w_out[to].copy_(layer->w_out[from]);
}

LayerMergePlan plan_of(std::vector<std::vector<int64_t>> groups, int64_t experts) {
  LayerMergePlan plan;
  plan.groups = std::move(groups);
  plan.weight.assign(size_t(experts), 0.0);
  for (const auto& g : plan.groups)
    for (auto e : g) plan.weight[size_t(e)] = 1.0 / double(g.size());
  return plan;
}

TEST(Merge, MergingIdenticalExpertsChangesNoOutput) {
  torch::manual_seed(1);
  auto layer = make_layer();
  copy_expert(layer, 0, 1);
  copy_expert(layer, 0, 4);
  const auto cache = calibrate_layer(layer);
  MergeOptions options;
  options.method = MergeMethod::hc_smoe;
  options.experts = 4;
  const auto plan = plan_merge(layer, cache.layers[0], options);
  // The three copies have the same mean output: the clustering joins them first.
  EXPECT_EQ(plan.groups, (std::vector<std::vector<int64_t>>{{0, 1, 4}, {2}, {3}, {5}}));
  EXPECT_LT(plan.reconstruction_error, 1e-10);
  for (const auto& p : plan.pair_errors) EXPECT_EQ(p.error, 0.0);
  auto merged = clone_model(layer);
  merge_experts(*merged, plan, options);
  EXPECT_EQ(merged->options.experts(), 4);
  EXPECT_EQ(merged->shape().logit_to_expert, (std::vector<int64_t>{0, 0, 1, 2, 0, 3}));
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({256, 16});
  EXPECT_TRUE(torch::allclose(merged->forward(x).y, layer->forward(x).y, 1e-5, 1e-6));
}

TEST(Merge, FrequencyWeightsAreTheRoutingCounts) {
  torch::manual_seed(2);
  auto layer = make_layer();
  const auto cache = calibrate_layer(layer);
  MergeOptions options;
  options.experts = 3;
  const auto plan = plan_merge(layer, cache.layers[0], options);
  const auto counts = cache.layers[0].counts;
  for (const auto& group : plan.groups) {
    double total = 0.0;
    for (auto e : group) total += counts[e].item<double>();
    for (auto e : group) EXPECT_NEAR(plan.weight[size_t(e)], counts[e].item<double>() / total, 1e-12);
  }
  // The merged expert is that weighted average of its members.
  auto merged = clone_model(layer);
  merge_experts(*merged, plan, options);
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    auto expected = torch::zeros_like(layer->w_out[0]);
    for (auto e : plan.groups[g]) expected += plan.weight[size_t(e)] * layer->w_out[e];
    EXPECT_TRUE(torch::allclose(merged->w_out[int64_t(g)], expected, 1e-5, 1e-6));
  }
}

TEST(Merge, McSmoeJoinsEachExpertToTheLeaderWithTheMostAlikeLogits) {
  torch::manual_seed(3);
  auto layer = make_layer();
  {
    torch::NoGradGuard no_grad;
    // Expert 5 routes like expert 0 but less often; 0 is the busiest.
    layer->router->weight[5].copy_(layer->router->weight[0]);
    layer->router->logit_bias.zero_();
    layer->router->logit_bias[0] = 2.0;
    layer->router->logit_bias[5] = -2.0;
  }
  const auto cache = calibrate_layer(layer);
  MergeOptions options;
  options.method = MergeMethod::mc_smoe;
  options.experts = 5;
  const auto plan = plan_merge(layer, cache.layers[0], options);
  EXPECT_EQ(plan.groups, (std::vector<std::vector<int64_t>>{{0, 5}, {1}, {2}, {3}, {4}}));
  EXPECT_TRUE(plan.dendrogram.empty());
}

TEST(Merge, AMergedRouterSendsEachMembersTokensToTheMergedExpert) {
  torch::manual_seed(4);
  auto layer = make_layer();
  auto merged = clone_model(layer);
  const std::vector<int64_t> group_of{0, 1, 0, 2, 1, 3};
  MergeOptions options;
  merge_experts(*merged, plan_of({{0, 2}, {1, 4}, {3}, {5}}, 6), options);
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({200, 16});
  const auto before = layer->route(x), after = merged->route(x);
  std::vector<std::set<int64_t>> want(200), got(200);
  for (int64_t a = 0; a < before.token.numel(); ++a)
    want[size_t(before.token[a].item<int64_t>())].insert(group_of[size_t(before.expert[a].item<int64_t>())]);
  for (int64_t a = 0; a < after.token.numel(); ++a)
    got[size_t(after.token[a].item<int64_t>())].insert(after.expert[a].item<int64_t>());
  EXPECT_EQ(got, want);
  // A token whose two picks point at one expert visits it once, with the gates summed.
  EXPECT_LT(after.token.numel(), before.token.numel());
  const auto per_token = torch::zeros({200}).index_add(0, after.token, after.weight.to(torch::kFloat32));
  EXPECT_TRUE(torch::allclose(per_token, torch::ones({200}), 1e-5, 1e-6));
  EXPECT_EQ(after.counts.numel(), 4);
}

TEST(Merge, SummedRowsGiveOneRouterRowPerMergedExpert) {
  torch::manual_seed(5);
  auto layer = make_layer();
  auto merged = clone_model(layer);
  MergeOptions options;
  options.router = MergeRouter::sum_rows;
  merge_experts(*merged, plan_of({{0, 2}, {1, 4}, {3}, {5}}, 6), options);
  EXPECT_EQ(merged->router->weight.sizes(), (std::vector<int64_t>{4, 16}));
  EXPECT_TRUE(merged->shape().logit_to_expert.empty());
  EXPECT_TRUE(torch::allclose(merged->router->weight[1], layer->router->weight[1] + layer->router->weight[4]));
  EXPECT_TRUE(torch::allclose(merged->router->logit_bias[0], layer->router->logit_bias[0] + layer->router->logit_bias[2]));
  EXPECT_NE(merge_refusal(*layer, 1, MergeRouter::sum_rows).find("top-2 routing needs at least 2"), std::string::npos);
  EXPECT_EQ(merge_refusal(*layer, 1, MergeRouter::keep_logits), "");
  EXPECT_NE(merge_refusal(*layer, 7, MergeRouter::keep_logits).find("into 7"), std::string::npos);
}

TEST(Merge, LinearAssignmentIsTheBestPermutation) {
  torch::manual_seed(6);
  for (int trial = 0; trial < 20; ++trial) {
    const auto cost = torch::randn({6, 6}, torch::kFloat64);
    const auto* c = cost.data_ptr<double>();
    std::vector<int64_t> perm(6);
    std::iota(perm.begin(), perm.end(), 0);
    double best = 1e300;
    do {
      double total = 0.0;
      for (int64_t i = 0; i < 6; ++i) total += c[i * 6 + perm[size_t(i)]];
      best = std::min(best, total);
    } while (std::next_permutation(perm.begin(), perm.end()));
    const auto found = linear_assignment(cost);
    std::set<int64_t> columns(found.begin(), found.end());
    EXPECT_EQ(columns.size(), 6u);
    double total = 0.0;
    for (int64_t i = 0; i < 6; ++i) total += c[i * 6 + found[size_t(i)]];
    EXPECT_NEAR(total, best, 1e-12);
  }
}

TEST(Merge, AlignmentRecoversAShuffledPermutationAndKeepsTheExpertsFunction) {
  torch::manual_seed(7);
  auto layer = make_layer();
  const int64_t h = 24;
  const auto shuffle = torch::randperm(h);  // unit u of expert 1 is unit shuffle[u] of expert 0
  {
    torch::NoGradGuard no_grad;
    layer->w_in[1].copy_(layer->w_in[0].index_select(1, torch::cat({shuffle, shuffle + h})));
    layer->w_out[1].copy_(layer->w_out[0].index_select(0, shuffle));
  }
  const auto perm = align_hidden_units(*layer, 0, 1);
  const auto inverse = torch::argsort(shuffle);
  EXPECT_EQ(perm, std::vector<int64_t>(inverse.data_ptr<int64_t>(), inverse.data_ptr<int64_t>() + h));
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({64, 16});
  const auto out_before = layer->expert_outputs(x)[1].clone();
  permute_hidden_units(*layer, 1, perm);
  EXPECT_TRUE(torch::equal(layer->w_in[1], layer->w_in[0]));
  EXPECT_TRUE(torch::equal(layer->w_out[1], layer->w_out[0]));
  EXPECT_TRUE(torch::allclose(layer->expert_outputs(x)[1], out_before, 1e-5, 1e-6));
}

TEST(Merge, AlignedMergingOfShuffledCopiesChangesNoOutput) {
  torch::manual_seed(8);
  auto layer = make_layer();
  const auto shuffle = torch::randperm(24);
  {
    torch::NoGradGuard no_grad;
    layer->w_in[3].copy_(layer->w_in[2].index_select(1, torch::cat({shuffle, shuffle + 24})));
    layer->w_out[3].copy_(layer->w_out[2].index_select(0, shuffle));
  }
  MergeOptions options;
  options.align = true;
  auto aligned = clone_model(layer);
  merge_experts(*aligned, plan_of({{0}, {1}, {2, 3}, {4}, {5}}, 6), options);
  options.align = false;
  auto plain = clone_model(layer);
  merge_experts(*plain, plan_of({{0}, {1}, {2, 3}, {4}, {5}}, 6), options);
  torch::NoGradGuard no_grad;
  const auto x = torch::randn({256, 16});
  const auto y = layer->forward(x).y;
  EXPECT_TRUE(torch::allclose(aligned->forward(x).y, y, 1e-5, 1e-6));
  EXPECT_GT((plain->forward(x).y - y).abs().max().item<double>(), 1e-3);  // unaligned averaging hurts
}

TEST(Merge, AverageLinkageOnKnownPoints) {
  // Points 0, 1, 5, 6 and 20 on a line.
  const auto p = torch::tensor({0.0, 1.0, 5.0, 6.0, 20.0}, torch::kFloat64).unsqueeze(1);
  const auto steps = average_linkage(torch::cdist(p, p));
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(std::make_pair(steps[0].a, steps[0].b), std::make_pair(int64_t{0}, int64_t{1}));
  EXPECT_EQ(std::make_pair(steps[1].a, steps[1].b), std::make_pair(int64_t{2}, int64_t{3}));
  EXPECT_DOUBLE_EQ(steps[2].distance, 5.0);  // mean of 5, 6, 4, 5
  EXPECT_EQ(std::make_pair(steps[2].a, steps[2].b), std::make_pair(int64_t{5}, int64_t{6}));
  EXPECT_EQ(steps[2].size, 4);
  EXPECT_DOUBLE_EQ(steps[3].distance, (20.0 + 19.0 + 15.0 + 14.0) / 4.0);
  EXPECT_EQ(cut_linkage(steps, 5, 2), (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4}}));
  EXPECT_EQ(cut_linkage(steps, 5, 3), (std::vector<std::vector<int64_t>>{{0, 1}, {2, 3}, {4}}));
}

TEST(Merge, TheMergeErrorIsLargeWhereTheGateMixVaries) {
  torch::manual_seed(9);
  auto layer = make_layer();
  copy_expert(layer, 0, 1);
  const auto cache = calibrate_layer(layer);
  EXPECT_EQ(merge_error(*layer, cache.layers[0], 0, 1), 0.0);  // identical experts
  EXPECT_GT(merge_error(*layer, cache.layers[0], 2, 3), 0.0);
  // By hand for 2 and 3: Var(r) · E[(g2+g3)² ‖f2 − f3‖²] / E‖h‖² over their tokens.
  const auto& c = cache.layers[0];
  const auto tokens = std::get<0>(torch::_unique2(c.token.masked_select((c.expert == 2).logical_or(c.expert == 3))));
  const auto g = torch::softmax(c.logits, 1).index_select(0, tokens).to(torch::kFloat64);
  const auto f = layer->expert_outputs(c.input.index_select(0, tokens)).to(torch::kFloat64);
  const auto r = g.select(1, 2) / (g.select(1, 2) + g.select(1, 3));
  const double expected = r.var(false).item<double>() *
                          ((g.select(1, 2) + g.select(1, 3)).pow(2) * (f[2] - f[3]).pow(2).sum(1)).mean().item<double>() /
                          c.output.index_select(0, tokens).to(torch::kFloat64).pow(2).sum(1).mean().item<double>();
  EXPECT_NEAR(merge_error(*layer, c, 2, 3), expected, 1e-6 * expected);
}

TEST(Merge, TheOptimizerMomentsAreCombinedLikeTheWeights) {
  torch::manual_seed(10);
  auto layer = make_layer();
  layer->train();
  torch::optim::AdamW optimizer(layer->parameters(), torch::optim::AdamWOptions(1e-2));
  const auto step = [&] {
    optimizer.zero_grad();
    auto out = layer->forward(torch::randn({64, 16}));
    (out.y.pow(2).mean() + out.aux_loss).backward();
    optimizer.step();
  };
  step();
  const auto moment = [&](const torch::Tensor& p) {
    return static_cast<torch::optim::AdamWParamState&>(*optimizer.state().at(p.unsafeGetTensorImpl())).exp_avg().clone();
  };
  const auto before = moment(layer->w_in);
  auto plan = plan_of({{0, 3}, {1}, {2}, {4, 5}}, 6);
  plan.weight[0] = 0.25;
  plan.weight[3] = 0.75;
  merge_experts(*layer, plan, MergeOptions{}, &optimizer);
  const auto after = moment(layer->w_in);
  ASSERT_EQ(after.size(0), 4);
  EXPECT_TRUE(torch::allclose(after[0], 0.25 * before[0] + 0.75 * before[3]));
  EXPECT_TRUE(torch::equal(after[1], before[1]));
  step();  // trains on
  EXPECT_TRUE(torch::isfinite(layer->w_in).all().item<bool>());
}

TEST(Merge, PruningAMergedLayerKeepsTheLogitsOfTheKeptExperts) {
  torch::manual_seed(11);
  auto layer = make_layer();
  merge_experts(*layer, plan_of({{0, 2}, {1, 4}, {3}, {5}}, 6), MergeOptions{});
  ASSERT_EQ(layer->shape().logit_to_expert, (std::vector<int64_t>{0, 1, 0, 2, 1, 3}));
  keep_experts(*layer, {0, 2, 3});
  EXPECT_EQ(layer->shape().logit_to_expert, (std::vector<int64_t>{0, 0, 1, 2}));
  EXPECT_EQ(layer->router->weight.size(0), 4);
  torch::NoGradGuard no_grad;
  EXPECT_EQ(layer->route(torch::randn({32, 16})).counts.numel(), 3);
}

class MergeSessionTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config() const { return test::tiny_surgery_config((dir_.path() / "fortunes").string(), 12); }
  test::TempDir dir_;
};

TEST_F(MergeSessionTest, AMergedCheckpointCarriesItsLogitMapResumesAndReloads) {
  auto c = config();
  Session session(c);
  test::Recorder r;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 4) session.post(StopCommand{});
  };
  session.add_observer(&r);
  session.run();
  MergeRequest request;
  request.options.method = MergeMethod::mc_smoe;
  request.options.experts = 2;
  request.options.align = true;
  request.calibration_tokens = 200;
  const auto report = merge_session(session, request);
  ASSERT_EQ(report.layers.size(), 2u);
  EXPECT_LT(report.parameters_after, report.parameters_before);
  EXPECT_EQ(report.importance_gini.size(), 2u);
  EXPECT_EQ(session.config().model.layer_experts, (std::vector<int64_t>{2, 2}));
  ASSERT_EQ(session.config().model.layer_logit_map.size(), 2u);
  EXPECT_EQ(session.config().model.layer_logit_map[0].size(), 4u);
  EXPECT_EQ(session.run_info().shape.layers[0].logit_to_expert.size(), 4u);
  ASSERT_FALSE(r.shape_changes.empty());
  EXPECT_EQ(r.shape_changes.back().shape.layers[1].experts, 2);
  const auto json = to_json(report);
  EXPECT_EQ(json["layers"][0]["groups"].size(), 2u);
  const auto path = dir_.file("merged.pt");
  session.save_checkpoint(path);

  const auto stored = checkpoint_config(path);
  EXPECT_EQ(stored.model.layer_logit_map, session.config().model.layer_logit_map);
  Session resumed(stored);
  resumed.load_checkpoint(path);
  EXPECT_DOUBLE_EQ(resumed.evaluate().loss, report.after.loss);
  test::Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 8u);
  for (const auto& m : rest.steps) EXPECT_TRUE(std::isfinite(m.loss));
  ASSERT_FALSE(rest.snapshots.empty());
  for (const auto& snap : rest.snapshots) EXPECT_EQ(snap.experts, 2);
  Session original(c);
  EXPECT_THROW(original.load_checkpoint(path), Error);
}

}  // namespace
}  // namespace moescope
