// Expert pruning: the calibration cache, the plans of each method and the change applied to
// a layer and to a training session, against answers known by construction.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "base/error.h"
#include "engine/session.h"
#include "engine/surgery_run.h"
#include "model/clone.h"
#include "session_recorder.h"
#include "surgery/calibration.h"
#include "surgery/prune.h"
#include "surgery/quantize.h"
#include "surgery/skip.h"
#include "test_support.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace {

using test::Recorder;

// A layer of 6 FFN experts, top-2, with a learned logit bias the tests set.
MoELayer make_layer(int64_t experts = 6, RouterKind kind = RouterKind::TopK) {
  RouterConfig router;
  router.kind = kind;
  router.bias = true;
  auto layer = MoELayer(MoELayerOptions(16, 24).experts(experts).top_k(2).router(router).router_init_std(0.5));
  layer->eval();
  return layer;
}

// Calibrates one layer on `batches` batches of 256 random inputs.
CalibrationCache calibrate_layer(MoELayer layer, int batches = 4) {
  torch::manual_seed(7);
  int done = 0;
  return calibrate({layer}, 256 * batches, [&]() -> int64_t {
    if (done++ == batches) return 0;
    layer->forward(torch::randn({256, 16}));
    return 256;
  });
}

TEST(Surgery, KeepingExpertsEqualsMaskingTheRemovedOnesLogits) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(1);
  auto layer = make_layer();
  auto masked = clone_model(layer);
  masked->router->logit_bias.index_fill_(0, torch::tensor({1, 4}), -1e9);
  auto pruned = clone_model(layer);
  keep_experts(*pruned, {0, 2, 3, 5});
  EXPECT_EQ(pruned->options.experts(), 4);
  EXPECT_EQ(pruned->router->weight.sizes(), (std::vector<int64_t>{4, 16}));
  EXPECT_EQ(pruned->w_in.size(0), 4);
  EXPECT_TRUE(torch::equal(pruned->w_out[2], layer->w_out[3]));
  const auto x = torch::randn({128, 16});
  // Top-2 over the survivors with renormalised gates is exactly the original layer with the
  // removed experts' logits at minus infinity.
  EXPECT_TRUE(torch::allclose(pruned->forward(x).y, masked->forward(x).y, 1e-5, 1e-6));
  EXPECT_EQ(pruned->shape().experts, 4);
}

TEST(Surgery, TheCacheHoldsWhatTheLayerDid) {
  torch::manual_seed(2);
  auto layer = make_layer();
  const auto cache = calibrate_layer(layer);
  ASSERT_EQ(cache.layers.size(), 1u);
  const auto& c = cache.layers[0];
  EXPECT_EQ(cache.tokens, 1024);
  EXPECT_EQ(c.input.sizes(), (std::vector<int64_t>{1024, 16}));
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::allclose(c.output, layer->forward(c.input).y, 1e-5, 1e-6));
  EXPECT_EQ(c.counts.sum().item<double>(), 2.0 * 1024);  // top-2, dropless
  // Each expert's gate · ‖f(x)‖ and mean output, from every expert on every token.
  const auto all = layer->expert_outputs(c.input);  // [E, N, d]
  EXPECT_TRUE(torch::allclose(c.mean_output, all.mean(1), 1e-4, 1e-5));
  auto expected = torch::zeros({6}, torch::kFloat64);
  for (int64_t a = 0; a < c.token.size(0); ++a) {
    const auto e = c.expert[a].item<int64_t>(), t = c.token[a].item<int64_t>();
    expected[e] += c.gate[a].item<double>() * all[e][t].norm().item<double>();
  }
  EXPECT_TRUE(torch::allclose(c.gated_norm.to(torch::kFloat64), expected, 1e-4, 1e-4));
}

TEST(Surgery, FrequencyPruningRemovesExactlyTheUnusedExperts) {
  torch::manual_seed(3);
  auto layer = make_layer();
  {
    torch::NoGradGuard no_grad;
    layer->router->logit_bias.index_fill_(0, torch::tensor({1, 4}), -100.0);  // never chosen
  }
  const auto cache = calibrate_layer(layer);
  EXPECT_EQ(cache.layers[0].counts[1].item<double>(), 0.0);
  const auto plan = plan_prune(layer, cache.layers[0], PruneMethod::frequency, 4);
  EXPECT_EQ(plan.keep, (std::vector<int64_t>{0, 2, 3, 5}));
  EXPECT_EQ(plan.removed, (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(plan.routed_share_removed, 0.0);
  EXPECT_LT(plan.reconstruction_error, 1e-10);  // nothing went to them: nothing changes
  EXPECT_EQ(layer->options.experts(), 6);        // a plan changes nothing
}

TEST(Surgery, ReapRemovesTheBusyExpertThatContributesNothing) {
  torch::manual_seed(4);
  auto layer = make_layer();
  {
    torch::NoGradGuard no_grad;
    layer->router->logit_bias[2] = 3.0;  // the most used expert ...
    layer->w_out[2].zero_();             // ... whose output is zero
  }
  const auto cache = calibrate_layer(layer);
  const auto& c = cache.layers[0];
  EXPECT_EQ(prune_scores(c, PruneMethod::frequency).argmax().item<int64_t>(), 2);
  EXPECT_EQ(prune_scores(c, PruneMethod::reap)[2].item<double>(), 0.0);
  const auto reap = plan_prune(layer, c, PruneMethod::reap, 5);
  EXPECT_EQ(reap.removed, (std::vector<int64_t>{2}));
  EXPECT_EQ(reap.saliency_removed, 0.0);
  EXPECT_GT(reap.routed_share_removed, 0.3);
  const auto frequency = plan_prune(layer, c, PruneMethod::frequency, 5);
  EXPECT_NE(frequency.removed, (std::vector<int64_t>{2}));
}

TEST(Surgery, TheSubsetSearchFindsTheSubsetThatChangesNothing) {
  // Experts no token chooses: keeping exactly the others leaves the layer's output as it was,
  // and every other subset changes it. Exhaustive at 5 choose 3 = 10 subsets, greedy at
  // 12 choose 6 = 924 (above the limit).
  for (const auto& [experts, unused] :
       std::vector<std::pair<int64_t, std::vector<int64_t>>>{{5, {1, 3}}, {12, {0, 2, 5, 7, 8, 11}}}) {
    torch::manual_seed(11);
    auto layer = make_layer(experts);
    {
      torch::NoGradGuard no_grad;
      layer->router->logit_bias.index_fill_(0, torch::tensor(unused), -100.0);
    }
    const auto cache = calibrate_layer(layer, 2);
    const int64_t keep = experts - int64_t(unused.size());
    const auto plan = plan_prune(layer, cache.layers[0], PruneMethod::subset, keep);
    EXPECT_EQ(plan.removed, unused) << experts << " experts";
    EXPECT_LT(plan.reconstruction_error, 1e-10);
  }
  EXPECT_EQ(parse_prune_method("subset"), PruneMethod::subset);
}

TEST(Surgery, AGlobalTargetTakesTheExpertsFromTheLayerThatDoesNotUseThem) {
  torch::manual_seed(12);
  auto busy = make_layer(), idle = make_layer();
  {
    torch::NoGradGuard no_grad;
    idle->router->logit_bias.index_fill_(0, torch::tensor({0, 3, 4}), -100.0);  // 3 of 6 unused
  }
  const auto busy_cache = calibrate_layer(busy), idle_cache = calibrate_layer(idle);
  const std::vector<LayerCalibration> caches = {busy_cache.layers[0], idle_cache.layers[0]};
  EXPECT_EQ(distribute_keep({busy, idle}, caches, PruneMethod::frequency, 9), (std::vector<int64_t>{6, 3}));
  EXPECT_EQ(distribute_keep({busy, idle}, caches, PruneMethod::reap, 12), (std::vector<int64_t>{6, 6}));
  EXPECT_EQ(distribute_keep({busy, idle}, caches, PruneMethod::frequency, 4), (std::vector<int64_t>{2, 2}));
  EXPECT_THROW(distribute_keep({busy, idle}, caches, PruneMethod::frequency, 3), Error);  // top-2 each
  EXPECT_THROW(distribute_keep({busy, idle}, caches, PruneMethod::subset, 9), Error);
}

TEST(Surgery, TheReportedErrorIsAFullForwardOfThePrunedLayer) {
  torch::manual_seed(5);
  auto layer = make_layer();
  const auto cache = calibrate_layer(layer);
  const auto& c = cache.layers[0];
  const auto plan = plan_prune(layer, c, PruneMethod::reap, 3);
  auto pruned = clone_model(layer);
  keep_experts(*pruned, plan.keep);
  torch::NoGradGuard no_grad;
  const auto y = pruned->forward(c.input).y, h = layer->forward(c.input).y;
  const double error = (y - h).pow(2).sum().item<double>() / h.pow(2).sum().item<double>();
  EXPECT_GT(error, 0.0);
  EXPECT_NEAR(plan.reconstruction_error, error, 1e-6 * error + 1e-9);
}

TEST(Surgery, TheOptimizerKeepsTheKeptExpertsMomentsAndStepsOn) {
  torch::manual_seed(6);
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
  const auto moments = [&](const torch::Tensor& p) {
    auto& state = static_cast<torch::optim::AdamWParamState&>(*optimizer.state().at(p.unsafeGetTensorImpl()));
    return std::make_pair(state.exp_avg().clone(), state.exp_avg_sq().clone());
  };
  const auto [w_avg, w_sq] = moments(layer->w_out);
  const auto [r_avg, r_sq] = moments(layer->router->weight);
  const auto* w_out = layer->w_out.unsafeGetTensorImpl();
  keep_experts(*layer, {1, 2, 5}, &optimizer);
  EXPECT_EQ(layer->w_out.unsafeGetTensorImpl(), w_out);  // the optimizer's parameter, smaller
  const auto kept = torch::tensor({1, 2, 5});
  EXPECT_TRUE(torch::equal(moments(layer->w_out).first, w_avg.index_select(0, kept)));
  EXPECT_TRUE(torch::equal(moments(layer->w_out).second, w_sq.index_select(0, kept)));
  EXPECT_TRUE(torch::equal(moments(layer->router->weight).first, r_avg.index_select(0, kept)));
  EXPECT_TRUE(torch::equal(moments(layer->router->weight).second, r_sq.index_select(0, kept)));
  step();  // trains on with three experts
  EXPECT_EQ(moments(layer->w_in).first.size(0), 3);
  EXPECT_TRUE(torch::isfinite(layer->w_in).all().item<bool>());
}

TEST(Surgery, ImpossiblePlansAreRefusedWithAReason) {
  auto layer = make_layer();
  EXPECT_NE(prune_refusal(*layer, 7).find("cannot keep 7 experts of a layer that has 6"), std::string::npos);
  EXPECT_NE(prune_refusal(*layer, 1).find("top-2 routing needs at least 2"), std::string::npos);
  EXPECT_EQ(prune_refusal(*layer, 2), "");
  auto hashed = make_layer(6, RouterKind::Hash);
  EXPECT_NE(prune_refusal(*hashed, 4).find("hash routing"), std::string::npos);
  EXPECT_THROW(keep_experts(*layer, {0}), Error);
  EXPECT_EQ(layer->options.experts(), 6);
}

TEST(Quantize, EveryWeightMovesByAtMostHalfItsChannelsStep) {
  torch::manual_seed(8);
  const auto w = torch::randn({32, 12}) * torch::linspace(0.1, 3.0, 12);  // channels: columns
  for (int64_t bits : {8, 4, 2}) {
    const auto q = fake_quantize(w, bits, 0);
    const auto step = w.abs().amax({0}, true) / double((1 << (bits - 1)) - 1);
    EXPECT_TRUE(((q - w).abs() <= step / 2 + 1e-6).all().item<bool>()) << bits << " bits";
    // On the grid: each value an integer multiple of its channel's step, within 2^(bits-1) - 1.
    const auto k = q / step;
    EXPECT_TRUE(torch::allclose(k, torch::round(k), 0.0, 1e-4)) << bits << " bits";
    EXPECT_LE(k.abs().max().item<double>(), double((1 << (bits - 1)) - 1) + 1e-4);
    EXPECT_LE(std::get<0>(torch::_unique(q.select(1, 0))).size(0), (1 << bits) - 1);
  }
  // Values already on an int8 grid do not move.
  const auto grid = torch::arange(-127, 128, torch::kFloat32).view({255, 1}) * 0.5;
  EXPECT_TRUE(torch::equal(fake_quantize(grid, 8, 0), grid));
}

TEST(Quantize, BitsFollowUsageUnderTheBudget) {
  const auto usage = torch::tensor({10.0, 1.0, 5.0, 0.0});
  EXPECT_EQ(allocate_bits(usage, 8.0), (std::vector<int64_t>{8, 8, 8, 8}));
  EXPECT_EQ(allocate_bits(usage, 6.0), (std::vector<int64_t>{8, 4, 8, 4}));  // the two rarest
  EXPECT_EQ(allocate_bits(usage, 4.0), (std::vector<int64_t>{4, 4, 4, 4}));
  EXPECT_EQ(allocate_bits(usage, 3.5), (std::vector<int64_t>{4, 4, 4, 2}));
  EXPECT_EQ(allocate_bits(usage, 2.0), (std::vector<int64_t>{2, 2, 2, 2}));
  EXPECT_THROW(allocate_bits(usage, 1.0), Error);
}

TEST(Quantize, Int8ExpertsBarelyMoveTheLayerAndTheSharedExpertsStayAt8Bits) {
  torch::manual_seed(9);
  RouterConfig router;
  auto layer = MoELayer(MoELayerOptions(16, 24).experts(4).top_k(2).shared_experts(1).router(router));
  layer->eval();
  const auto cache = calibrate_layer(layer);
  const auto int8 = plan_quantize(layer, cache.layers[0], {8, 8, 8, 8});
  const auto int4 = plan_quantize(layer, cache.layers[0], {4, 4, 4, 4});
  EXPECT_LT(int8.reconstruction_error, 1e-3);
  EXPECT_GT(int4.reconstruction_error, int8.reconstruction_error);
  EXPECT_GT(int4.weight_error, int8.weight_error);
  EXPECT_DOUBLE_EQ(int4.mean_bits, 4.0);
  const auto shared = layer->shared_in.detach().clone();
  const auto expert = layer->w_in[1].detach().clone();
  quantize_experts(*layer, {8, 2, 8, 8});
  EXPECT_TRUE(torch::equal(layer->shared_in[0], fake_quantize(shared[0], 8, 0)));
  EXPECT_TRUE(torch::equal(layer->w_in[1], fake_quantize(expert, 2, 0)));
}

TEST(Skip, BetaZeroSkipsNothingAndBetaOneKeepsOnlyTheTopExpert) {
  torch::manual_seed(10);
  RouterConfig router;
  auto layer = MoELayer(MoELayerOptions(16, 24).experts(6).top_k(3).router(router).router_init_std(0.5));
  layer->eval();
  const auto cache = calibrate_layer(layer);
  const auto& c = cache.layers[0];
  const auto none = plan_skip(layer, c, 0.0);
  EXPECT_EQ(none.skipped_share, 0.0);
  EXPECT_LT(none.reconstruction_error, 1e-12);
  const auto all = plan_skip(layer, c, 1.0);
  EXPECT_NEAR(all.skipped_share, 2.0 / 3.0, 1e-3);  // of three experts per token, two go
  // With beta = 1 each token runs its top expert alone, at its own gate.
  set_skip(*layer, 1.0);
  torch::NoGradGuard no_grad;
  const auto routing = layer->router->forward(c.input);
  EXPECT_EQ(routing.token.numel(), c.input.size(0));
  EXPECT_TRUE(torch::equal(std::get<0>(torch::_unique(routing.token)), torch::arange(c.input.size(0))));
  EXPECT_NEAR(routing.skipped.item<double>(), 2.0 / 3.0, 1e-3);
  // Training ignores it.
  layer->train();
  EXPECT_EQ(layer->router->forward(c.input).token.numel(), 3 * c.input.size(0));
  const auto half = plan_skip(layer, c, 0.5);
  EXPECT_GT(half.skipped_share, 0.0);
  EXPECT_LT(half.skipped_share, all.skipped_share);
  EXPECT_THROW(set_skip(*layer, 1.5), Error);
}

class SurgerySessionTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config() const { return test::tiny_surgery_config((dir_.path() / "fortunes").string(), 12); }
  test::TempDir dir_;
};

TEST_F(SurgerySessionTest, APrunedModelsCheckpointCarriesItsShapeAndResumes) {
  auto c = config();
  Session session(c);
  Recorder r;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 4) session.post(StopCommand{});
  };
  session.add_observer(&r);
  session.run();
  auto layer = session.task().moe_layers()[0];
  const auto w_in = layer->w_in.detach().clone();
  session.prune_experts({{0, 2, 3}, {}});
  EXPECT_EQ(layer->options.experts(), 3);
  EXPECT_TRUE(torch::equal(layer->w_in.detach(), w_in.index_select(0, torch::tensor({0, 2, 3}))));
  EXPECT_EQ(session.config().model.layer_experts, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(session.run_info().layer_experts, (std::vector<int64_t>{3, 4}));
  EXPECT_LT(session.run_info().parameters, Session(c).run_info().parameters);
  const auto path = dir_.file("pruned.pt");
  session.save_checkpoint(path);

  // The checkpoint says what it holds: resumed from its own config, it trains on.
  const auto stored = checkpoint_config(path);
  EXPECT_EQ(stored.model.layer_experts, (std::vector<int64_t>{3, 4}));
  Session resumed(stored);
  resumed.load_checkpoint(path);
  EXPECT_EQ(resumed.step(), 4);
  EXPECT_TRUE(torch::equal(resumed.task().moe_layers()[0]->w_in, layer->w_in));
  Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 8u);
  for (const auto& m : rest.steps) EXPECT_TRUE(std::isfinite(m.loss));
  for (const auto& snap : rest.snapshots) EXPECT_EQ(snap.layer_experts, (std::vector<int64_t>{3, 4}));
  // The original config no longer fits it, and says so.
  Session original(c);
  EXPECT_THROW(original.load_checkpoint(path), Error);
}

TEST_F(SurgerySessionTest, APruneRunMeasuresBeforeAndAfterAndLeavesTheSamplerAsItWas) {
  auto c = config();
  Session session(c);
  const auto sampler = session.task().sampler_state();
  PruneRequest request;
  request.method = PruneMethod::reap;
  request.keep = 3;
  request.calibration_tokens = 200;
  std::vector<double> shares;
  const auto report = prune_session(session, request, [&](double s) {
    shares.push_back(s);
    return true;
  });
  EXPECT_EQ(session.task().sampler_state(), sampler);
  EXPECT_GE(report.calibration_tokens, 200);
  ASSERT_EQ(report.layers.size(), 2u);
  for (const auto& p : report.layers) EXPECT_EQ(p.keep.size(), 3u);
  EXPECT_GT(report.after.samples, 0);
  EXPECT_LT(report.parameters_after, report.parameters_before);
  // Top-2 of fewer experts: the same active experts, less the removed router rows (d = 32).
  EXPECT_EQ(report.active_before - report.active_after, 2 * 1 * 32);
  EXPECT_DOUBLE_EQ(shares.back(), 1.0);
  EXPECT_TRUE(std::is_sorted(shares.begin(), shares.end()));
  // A target the layers cannot take changes nothing.
  request.keep = 1;
  EXPECT_THROW(prune_session(session, request), Error);
  EXPECT_EQ(session.task().moe_layers()[0]->options.experts(), 3);
  // Cancelling the calibration leaves the model as it was.
  request.keep = 2;
  EXPECT_THROW(prune_session(session, request, [](double) { return false; }), Error);
  EXPECT_EQ(session.task().moe_layers()[0]->options.experts(), 3);
}

TEST_F(SurgerySessionTest, SkippingIsARouterSettingThatCheckpointsKeep) {
  auto c = config();
  Session session(c);
  SkipRequest request;
  request.beta = 0.5;
  request.calibration_tokens = 200;
  const auto report = skip_session(session, request);
  ASSERT_EQ(report.layers.size(), 2u);
  for (const auto& layer : session.task().moe_layers()) EXPECT_EQ(layer->router->runtime().skip_beta, 0.5);
  session.save_checkpoint(dir_.file("skip.pt"));
  Session resumed(c);
  resumed.load_checkpoint(dir_.file("skip.pt"));
  for (const auto& layer : resumed.task().moe_layers()) EXPECT_EQ(layer->router->runtime().skip_beta, 0.5);
  // The measured loss with skipping is that of the model evaluated with it on.
  EXPECT_DOUBLE_EQ(resumed.evaluate().loss, report.after.loss);
}

}  // namespace
}  // namespace moescope
