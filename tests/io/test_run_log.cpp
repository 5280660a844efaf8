#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <chrono>
#include <filesystem>
#include <thread>

#include "base/error.h"
#include "run_log_reader.h"
#include "run_log_writer.h"
#include "run_log_fixtures.h"
#include "test_support.h"

namespace moescope {
namespace {

std::vector<int64_t> counts(const ShapeChange& change) {
  std::vector<int64_t> n;
  for (const auto& layer : change.shape.layers) n.push_back(layer.experts);
  return n;
}

void expect_same(const StepMetrics& a, const StepMetrics& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.loss, b.loss);
  EXPECT_EQ(a.aux_loss, b.aux_loss);
  EXPECT_EQ(a.z_loss, b.z_loss);
  EXPECT_EQ(a.lr, b.lr);
  EXPECT_EQ(a.grad_norm, b.grad_norm);
  EXPECT_EQ(a.ms, b.ms);
  EXPECT_EQ(a.tokens_per_s, b.tokens_per_s);
}

// Float vectors equal element by element, NaN matching NaN.
void expect_same(const std::vector<float>& a, const std::vector<float>& b, const char* what) {
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(b[i])) EXPECT_TRUE(std::isnan(a[i])) << what << "[" << i << "]";
    else EXPECT_EQ(a[i], b[i]) << what << "[" << i << "]";
  }
}

void expect_same(const RoutingSnapshot& a, const RoutingSnapshot& b) {
  EXPECT_EQ(a.step, b.step);
  EXPECT_EQ(a.layers, b.layers);
  EXPECT_EQ(a.experts, b.experts);
  EXPECT_EQ(a.layer_experts, b.layer_experts);
  expect_same(a.load, b.load, "load");
  expect_same(a.importance, b.importance, "importance");
  expect_same(a.entropy, b.entropy, "entropy");
  expect_same(a.dropped, b.dropped, "dropped");
  expect_same(a.mean_k, b.mean_k, "mean_k");
  expect_same(a.margin, b.margin, "margin");
  expect_same(a.top20_share, b.top20_share, "top20_share");
  expect_same(a.bottom20_share, b.bottom20_share, "bottom20_share");
  expect_same(a.bias, b.bias, "bias");
  expect_same(a.similarity, b.similarity, "similarity");
  expect_same(a.stability, b.stability, "stability");
  expect_same(a.gate_hist, b.gate_hist, "gate_hist");
  expect_same(a.top1_hist, b.top1_hist, "top1_hist");
  expect_same(a.k_hist, b.k_hist, "k_hist");
  EXPECT_EQ(a.modalities, b.modalities);
  EXPECT_EQ(a.domains, b.domains);
  expect_same(a.modality_load, b.modality_load, "modality_load");
  expect_same(a.domain_load, b.domain_load, "domain_load");
  expect_same(a.modality_specialisation, b.modality_specialisation, "modality_specialisation");
  expect_same(a.domain_specialisation, b.domain_specialisation, "domain_specialisation");
}

// A snapshot with every series set, distinct in every field.
RoutingSnapshot full_snapshot(int64_t step, std::vector<int64_t> layer_experts, int64_t experts) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = int64_t(layer_experts.size());
  s.experts = experts;
  s.layer_experts = layer_experts;
  const auto L = size_t(s.layers), E = size_t(experts);
  const float nan = std::nanf("");
  const auto series = [&](size_t n, float base) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = base + 0.001f * float(i) + 0.0001f * float(step);
    return v;
  };
  s.load = series(L * E, 0.1f);
  s.importance = series(L * E, 0.2f);
  s.bias = series(L * E, -0.3f);
  for (size_t l = 0; l < L; ++l) {
    for (size_t e = size_t(layer_experts[l]); e < E; ++e) {
      s.load[l * E + e] = s.importance[l * E + e] = s.bias[l * E + e] = nan;  // not in use
    }
  }
  s.entropy = series(L, 1.0f);
  s.dropped = series(L, 0.01f);
  s.mean_k = series(L, 2.0f);
  s.margin = series(L, 0.3f);
  s.top20_share = series(L, 0.4f);
  s.bottom20_share = series(L, 0.05f);
  s.similarity = series(L, 0.6f);
  s.stability = series(L, 0.7f);
  s.gate_hist = series(L * RoutingSnapshot::kGateBins, 0.02f);
  s.top1_hist = series(L * RoutingSnapshot::kGateBins, 0.03f);
  s.k_hist = series(L * RoutingSnapshot::kKBins, 0.04f);
  return s;
}

TEST(RunLog, WriteReadRoundTripGivesBackTheSameEvents) {
  test::TempDir dir;
  const auto path = dir.file("run.h5");
  write_run(path, 20);
  const auto log = read_run_log(path);
  EXPECT_EQ(log.info.config_json, info_2x3().config_json);
  EXPECT_EQ(log.info.layers, 2);
  EXPECT_EQ(log.info.experts, 3);
  EXPECT_EQ(log.info.active_parameters, 500);
  ASSERT_EQ(log.steps.size(), 20u);
  for (int i = 0; i < 20; ++i) expect_same(log.steps[size_t(i)], metrics(i + 1));
  ASSERT_EQ(log.routing.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    // A hand-made snapshot without the optional series reads back with them NaN / zero.
    auto expected = snapshot(5 * (i + 1));
    expected.mean_k = expected.margin = expected.top20_share = expected.bottom20_share =
        expected.similarity = expected.stability = std::vector<float>(2, std::nanf(""));
    expected.bias.assign(6, 0.0f);
    expected.gate_hist.assign(2 * RoutingSnapshot::kGateBins, 0.0f);
    expected.top1_hist.assign(2 * RoutingSnapshot::kGateBins, 0.0f);
    expected.k_hist.assign(2 * RoutingSnapshot::kKBins, 0.0f);
    expect_same(log.routing[size_t(i)], expected);
  }
  ASSERT_EQ(log.evals.size(), 2u);
  EXPECT_EQ(log.evals[1].step, 20);
  EXPECT_DOUBLE_EQ(log.evals[1].loss, 0.2);
  EXPECT_DOUBLE_EQ(log.evals[1].accuracy, 0.2);
  EXPECT_EQ(log.evals[1].samples, 52);
  ASSERT_EQ(log.shape_changes.size(), 1u);  // the shape at the start
  EXPECT_EQ(log.shape_changes[0].step, 0);
  EXPECT_EQ(counts(log.shape_changes[0]), (std::vector<int64_t>{3, 3}));
}

TEST(RunLog, ADenseModelsLogHoldsItsLossAndNoRoutingTables) {
  test::TempDir dir;
  const auto path = dir.file("dense.h5");
  auto info = info_2x3();
  info.layers = info.experts = info.top_k = 0;  // model.ffn = "dense": no MoE layer
  info.router = "none";
  info.probe_text = "probe";
  info.probe_tokens = 5;
  {
    RunLogWriter log(path, info);
    for (int i = 1; i <= 12; ++i) log.on_step(metrics(i));
    log.on_eval({10, 0.4, 0.3, 42, {}});
  }
  const auto log = read_run_log(path);
  EXPECT_EQ(log.info.layers, 0);
  EXPECT_EQ(log.info.experts, 0);
  EXPECT_EQ(log.info.router, "none");
  ASSERT_EQ(log.steps.size(), 12u);
  expect_same(log.steps[11], metrics(12));
  ASSERT_EQ(log.evals.size(), 1u);
  EXPECT_DOUBLE_EQ(log.evals[0].loss, 0.4);
  EXPECT_TRUE(log.routing.empty());
  EXPECT_TRUE(log.trajectories.empty());
  EXPECT_TRUE(log.shape_changes.empty());
  // A log that claims no layers but some experts is not a dense log.
  info.experts = 3;
  { RunLogWriter bad(path, info); }
  EXPECT_THROW(read_run_log(path), Error);
}

TEST(RunLog, ReadableWhileTheWriterStillHasItOpen) {
  test::TempDir dir;
  const auto path = dir.file("live.h5");
  RunLogWriter log(path, info_2x3());
  for (int i = 1; i <= 10; ++i) log.on_step({i, i, 1.0, 1.0, 0.0, 1e-3, 0.1, 1.0, 1.0});
  log.on_routing(snapshot(10));
  log.flush();
  auto first = read_run_log(path);
  EXPECT_EQ(first.steps.size(), 10u);
  EXPECT_EQ(first.routing.size(), 1u);
  log.on_step({11, 11, 1.0, 1.0, 0.0, 1e-3, 0.1, 1.0, 1.0});
  log.flush();
  EXPECT_EQ(read_run_log(path).steps.size(), 11u);
}

TEST(RunLog, FlushesWithinASecondWithoutBeingAsked) {
  test::TempDir dir;
  const auto path = dir.file("timed.h5");
  RunLogWriter log(path, info_2x3());
  log.on_step({1, 1, 1.0, 1.0, 0.0, 1e-3, 0.1, 1.0, 1.0});
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(read_run_log(path).steps.size(), 1u);
}

}  // namespace
}  // namespace moescope

namespace moescope {
namespace {

TEST(RunLog, RouterSeriesTrajectoriesAlertsAndInterventionsRoundTrip) {
  test::TempDir dir;
  const auto path = dir.file("zoo.h5");
  auto info = info_2x3();
  info.router = "top_p";
  info.expert_types = {"ffn", "ffn", "zero"};
  info.shared_experts = 1;
  info.probe_text = std::string("a\nb\xc3\xa9", 5);  // bytes, not necessarily whole characters
  info.probe_tokens = 5;
  info.probe_slots = 2;
  auto s = snapshot(10);
  s.mean_k = {1.5f, 2.0f};
  s.margin = {0.25f, std::nanf("")};
  s.top20_share = {0.5f, 0.7f};
  s.bottom20_share = {0.25f, 0.1f};
  s.similarity = {0.3f, 0.95f};
  s.stability = {0.0f, 0.2f};
  s.bias = {0.1f, -0.1f, 0.0f, 0.0f, 0.2f, -0.2f};
  s.gate_hist.assign(2 * RoutingSnapshot::kGateBins, 0.0f);
  s.gate_hist[19] = 1.0f;
  s.top1_hist.assign(2 * RoutingSnapshot::kGateBins, 0.05f);
  s.k_hist.assign(2 * RoutingSnapshot::kKBins, 0.0f);
  s.k_hist[2] = 1.0f;
  TrajectorySnapshot t;
  t.step = 10;
  t.layers = 2;
  t.tokens = 5;
  t.slots = 2;
  for (int i = 0; i < 20; ++i) {
    t.experts.push_back(i % 4 == 3 ? -1 : i % 3);
    t.weights.push_back(i % 4 == 3 ? 0.0f : 0.5f);
  }
  CollapseAlert a{12, AlertKind::DeadExpert, 1, {0, 2}, 0.01, 0.05, "layer 1: experts 0, 2 ... \xe2\x80\x94 dead"};
  InterventionEvent e{11, "capacity_factor", 1.25, "capacity factor"};
  {
    RunLogWriter log(path, info);
    log.on_routing(s);
    log.on_trajectory(t);
    log.on_alert(a);
    log.on_alert({15, AlertKind::RisingDrops, 0, {}, 0.2, 0.1, std::string(600, 'x')});
    log.on_intervention(e);
  }
  const auto back = read_run_log(path);
  EXPECT_EQ(back.info.router, "top_p");
  EXPECT_EQ(back.info.expert_types, info.expert_types);
  EXPECT_EQ(back.info.shared_experts, 1);
  EXPECT_EQ(back.info.probe_text, info.probe_text);
  ASSERT_EQ(back.routing.size(), 1u);
  expect_same(back.routing[0], s);
  ASSERT_EQ(back.trajectories.size(), 1u);
  EXPECT_EQ(back.trajectories[0].step, 10);
  EXPECT_EQ(back.trajectories[0].layers, 2);
  EXPECT_EQ(back.trajectories[0].tokens, 5);
  EXPECT_EQ(back.trajectories[0].slots, 2);
  EXPECT_EQ(back.trajectories[0].experts, t.experts);
  EXPECT_EQ(back.trajectories[0].weights, t.weights);
  ASSERT_EQ(back.alerts.size(), 2u);
  EXPECT_EQ(back.alerts[0].step, 12);
  EXPECT_EQ(back.alerts[0].kind, AlertKind::DeadExpert);
  EXPECT_EQ(back.alerts[0].layer, 1);
  EXPECT_EQ(back.alerts[0].experts, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(back.alerts[0].value, 0.01);
  EXPECT_EQ(back.alerts[0].threshold, 0.05);
  EXPECT_EQ(back.alerts[0].evidence, a.evidence);
  EXPECT_EQ(back.alerts[1].kind, AlertKind::RisingDrops);
  EXPECT_EQ(back.alerts[1].experts, std::vector<int64_t>{});
  EXPECT_EQ(back.alerts[1].evidence.size(), 512u);  // cut to the field width
  ASSERT_EQ(back.interventions.size(), 1u);
  EXPECT_EQ(back.interventions[0].kind, "capacity_factor");
  EXPECT_EQ(back.interventions[0].value, 1.25);
  EXPECT_EQ(back.interventions[0].step, 11);
  EXPECT_EQ(back.interventions[0].detail, "capacity factor");
}

TEST(RunLog, ModalityAndDomainTablesAndTheProbeImageRoundTrip) {
  test::TempDir dir;
  const auto path = dir.file("fusion.h5");
  auto info = info_2x3();
  info.preset = "fusion-fmnist";
  info.domains = {{"image", "text"}, {"en", "de", "Bag"}, {1, 1, 0}};
  for (int i = 0; i < 28 * 28; ++i) info.probe_image.push_back(uint8_t(i * 7));
  info.probe_tokens = 49;
  info.probe_slots = 1;
  // Step 5: every layer with 3 experts; step 10: layer 1 pruned to 2 (its third column NaN).
  auto first = full_snapshot(5, {3, 3}, 3), second = full_snapshot(10, {3, 2}, 3);
  first.layer_experts.clear();  // every layer as wide as the run
  for (auto* s : {&first, &second}) {
    s->modalities = 2;
    s->domains = 3;
    for (int i = 0; i < 2 * 3 * 3; ++i) s->domain_load.push_back(0.01f * float(i + s->step));
    for (int i = 0; i < 2 * 2 * 3; ++i) s->modality_load.push_back(0.02f * float(i + s->step));
    s->domain_specialisation = {0.25f, std::nanf("")};
    s->modality_specialisation = {1.0f, 0.5f};
  }
  for (int r = 0; r < 3; ++r) second.domain_load[size_t((3 + r) * 3 + 2)] = std::nanf("");
  for (int r = 0; r < 2; ++r) second.modality_load[size_t((2 + r) * 3 + 2)] = std::nanf("");
  EvalResult eval{10, 1.5, 0.25, 100, {1.25, 1.75, std::nan("")}};  // Bag: no caption loss
  {
    RunLogWriter log(path, info);
    log.on_routing(first);
    log.on_routing(second);
    log.on_eval(eval);
  }
  const auto back = read_run_log(path);
  ASSERT_EQ(back.evals.size(), 1u);
  ASSERT_EQ(back.evals[0].domain_loss.size(), 3u);
  EXPECT_EQ(back.evals[0].domain_loss[0], 1.25);
  EXPECT_EQ(back.evals[0].domain_loss[1], 1.75);
  EXPECT_TRUE(std::isnan(back.evals[0].domain_loss[2]));
  EXPECT_EQ(back.info.domains.modalities, info.domains.modalities);
  EXPECT_EQ(back.info.domains.domains, info.domains.domains);
  EXPECT_EQ(back.info.domains.modality_of, info.domains.modality_of);
  EXPECT_EQ(back.info.probe_image, info.probe_image);
  ASSERT_EQ(back.routing.size(), 2u);
  expect_same(back.routing[0], first);
  expect_same(back.routing[1], second);

  // A log of a run without domains reads back without per-domain tables.
  const auto plain = dir.file("plain.h5");
  {
    RunLogWriter log(plain, info_2x3());
    log.on_routing(snapshot(5));
    log.on_eval(eval);
  }
  const auto old = read_run_log(plain);
  EXPECT_EQ(old.info.domains.size(), 0);
  ASSERT_EQ(old.evals.size(), 1u);
  EXPECT_TRUE(old.evals[0].domain_loss.empty());
  ASSERT_EQ(old.routing.size(), 1u);
  EXPECT_TRUE(old.routing[0].domain_load.empty());
  EXPECT_EQ(old.routing[0].domains, 0);
}

TEST(RunLog, AlertsNamingAnyNumberOfExpertsRoundTrip) {
  // Format 1 cut the list at 256 bytes: experts 2-127 lost their tail, 1-127 its last id.
  for (const int64_t E : {128, 256}) {
    test::TempDir dir;
    const auto path = dir.file("many.h5");
    auto info = info_2x3();
    info.experts = E;
    CollapseAlert all{50, AlertKind::DeadExpert, 1, {}, 0.0, 0.05, "dead"};
    for (int64_t e = 2; e < E; ++e) all.experts.push_back(e);
    CollapseAlert one_to_last{51, AlertKind::DeadExpert, 0, {}, 0.0, 0.05, "dead"};
    for (int64_t e = 1; e < E; ++e) one_to_last.experts.push_back(e);
    {
      RunLogWriter log(path, info);
      log.on_alert(all);
      log.on_alert({52, AlertKind::EntropyCollapse, 0, {}, 0.1, 0.2, "layer-wide"});
      log.on_alert(one_to_last);
    }
    const auto back = read_run_log(path);
    ASSERT_EQ(back.alerts.size(), 3u) << E;
    EXPECT_EQ(back.alerts[0].experts, all.experts) << E;
    EXPECT_TRUE(back.alerts[1].experts.empty()) << E;
    EXPECT_EQ(back.alerts[2].experts, one_to_last.experts) << E;
    EXPECT_EQ(back.alerts[2].experts.back(), E - 1);
  }
}

TEST(RunLog, AModelWhoseExpertCountChangesMidRunKeepsEveryRow) {
  // Layer 0 of 8 experts and layer 1 of 6 (a pruned layer), then layer 0 drops to 6 at
  // step 30: the datasets stay [T, 2, 8] with the unused experts NaN, /routing/experts and
  // /shape say how many are in use, and the reader rebuilds the snapshots as they were.
  test::TempDir dir;
  const auto path = dir.file("shrinking.h5");
  auto info = info_2x3();
  info.experts = 8;
  info.layer_experts = {8, 6};
  std::vector<RoutingSnapshot> written;
  for (int64_t step = 10; step <= 50; step += 10) {
    if (step < 30) written.push_back(full_snapshot(step, {8, 6}, 8));
    else written.push_back(full_snapshot(step, {6, 6}, 6));  // every layer 6: a stride of 6
  }
  {
    RunLogWriter log(path, info);
    for (const auto& s : written) log.on_routing(s);
  }
  const auto back = read_run_log(path);
  EXPECT_EQ(back.info.experts, 8);
  EXPECT_EQ(back.info.layer_experts, (std::vector<int64_t>{8, 6}));
  ASSERT_EQ(back.routing.size(), written.size());
  for (size_t i = 0; i < written.size(); ++i) expect_same(back.routing[i], written[i]);
  // MOESCOPE_KEEP_SHAPE_LOG=FILE keeps this log, to replay it in the window.
  if (const char* keep = std::getenv("MOESCOPE_KEEP_SHAPE_LOG")) {
    std::filesystem::copy_file(path, keep, std::filesystem::copy_options::overwrite_existing);
  }
  ASSERT_EQ(back.shape_changes.size(), 2u);
  EXPECT_EQ(back.shape_changes[0].step, 0);
  EXPECT_EQ(counts(back.shape_changes[0]), (std::vector<int64_t>{8, 6}));
  EXPECT_EQ(back.shape_changes[1].step, 30);
  EXPECT_EQ(counts(back.shape_changes[1]), (std::vector<int64_t>{6, 6}));
  // A snapshot wider than the file's datasets cannot go in; nothing else is lost.
  {
    RunLogWriter log(dir.file("narrow.h5"), info);
    log.on_routing(full_snapshot(10, {8, 9}, 9));
    log.on_routing(full_snapshot(20, {8, 6}, 8));
  }
  const auto narrow = read_run_log(dir.file("narrow.h5"));
  ASSERT_EQ(narrow.routing.size(), 1u);
  EXPECT_EQ(narrow.routing[0].step, 20);
}

TEST(RunLog, TheLogitToExpertMapAndExpertGroupsRoundTrip) {
  // Layer 0 starts with 8 experts in two groups (a modality's four each), layer 1 with the
  // identity; at step 40 a merge points logits 6 and 7 of layer 0 at experts 2 and 5 and
  // leaves 6 experts; a snapshot then shows the counts. A shape that cannot be stored (a map
  // pointing past the layer's experts, a layer too wide) is not recorded.
  test::TempDir dir;
  const auto path = dir.file("merged.h5");
  auto info = info_2x3();
  info.experts = 8;
  info.shape.layers = {{8, {}, {0, 0, 0, 0, 1, 1, 1, 1}}, {8, {}, {}}};
  ShapeChange merged;
  merged.step = 40;
  merged.shape.layers = {{6, {0, 1, 2, 3, 4, 5, 2, 5}, {0, 0, 0, 1, 1, 1}}, {8, {}, {}}};
  ShapeChange bad_map = merged;
  bad_map.step = 45;
  bad_map.shape.layers[0].logit_to_expert[3] = 6;  // layer 0 has 6 experts
  ShapeChange too_wide = merged;
  too_wide.step = 46;
  too_wide.shape.layers[1].experts = 9;
  {
    RunLogWriter log(path, info);
    log.on_routing(full_snapshot(20, {8, 8}, 8));
    log.on_shape_change(merged);
    log.on_shape_change(merged);  // the same again: no new row
    log.on_shape_change(bad_map);
    log.on_shape_change(too_wide);
    log.on_routing(full_snapshot(50, {6, 8}, 8));  // counts as the event said: no new row
  }
  const auto back = read_run_log(path);
  ASSERT_EQ(back.shape_changes.size(), 2u);
  EXPECT_EQ(back.shape_changes[0].step, 0);
  EXPECT_EQ(back.shape_changes[0].shape, info.shape);
  EXPECT_EQ(back.info.shape, info.shape);
  EXPECT_EQ(back.shape_changes[1].step, 40);
  EXPECT_EQ(back.shape_changes[1].shape, merged.shape);
  ASSERT_EQ(back.routing.size(), 2u);
  EXPECT_EQ(back.routing[1].experts_at(0), 6);

  // An explicit identity map reads back as none; counts changed by a snapshot alone give
  // those layers the identity and no groups.
  auto identity = info_2x3();
  identity.shape.layers = {{3, {0, 1, 2}, {}}, {3, {}, {0, 1, 1}}};
  {
    RunLogWriter log(dir.file("identity.h5"), identity);
    log.on_routing(full_snapshot(10, {2, 3}, 3));
  }
  const auto plain = read_run_log(dir.file("identity.h5"));
  ASSERT_EQ(plain.shape_changes.size(), 2u);
  EXPECT_TRUE(plain.shape_changes[0].shape.layers[0].logit_to_expert.empty());
  EXPECT_EQ(plain.shape_changes[0].shape.layers[1].expert_group, (std::vector<int64_t>{0, 1, 1}));
  EXPECT_EQ(plain.shape_changes[1].shape.layers[0], (LayerShape{2, {}, {}}));
  EXPECT_EQ(plain.shape_changes[1].shape.layers[1], identity.shape.layers[1]);
}

}  // namespace
}  // namespace moescope
