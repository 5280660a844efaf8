#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "run_log_reader.h"
#include "run_log_writer.h"
#include "test_support.h"

namespace moescope {
namespace {

RunInfo info_2x3() {
  RunInfo info;
  info.preset = "lm-fortunes";
  info.task = "lm";
  info.config_json = R"({"preset": "lm-fortunes"})";
  info.model_summary = "tiny";
  info.device = "cpu";
  info.start_time = "2026-01-01T00:00:00Z";
  info.layers = 2;
  info.experts = 3;
  info.top_k = 1;
  info.total_steps = 100;
  info.parameters = 1000;
  info.active_parameters = 500;
  return info;
}

RoutingSnapshot snapshot(int64_t step) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = 2;
  s.experts = 3;
  s.load = {0.5f, 0.25f, 0.25f, 0.1f, 0.2f, 0.7f};
  s.importance = {0.4f, 0.3f, 0.3f, 0.2f, 0.2f, 0.6f};
  s.entropy = {1.0f, float(step)};
  s.dropped = {0.0f, 0.0f};
  return s;
}

void write_run(const std::string& path, int steps) {
  RunLogWriter log(path, info_2x3());
  for (int i = 1; i <= steps; ++i) {
    log.on_step({i, i * 64, 5.0 / i, 1.01, 0.2, 1e-3, 0.5, 12.0, 5000.0});
    if (i % 5 == 0) log.on_routing(snapshot(i));
    if (i % 10 == 0) log.on_eval({i, 4.0 / i, 0.1 * i / 10, 32});
  }
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
  EXPECT_EQ(log.steps[6].step, 7);
  EXPECT_EQ(log.steps[6].tokens, 7 * 64);
  EXPECT_DOUBLE_EQ(log.steps[6].loss, 5.0 / 7);
  ASSERT_EQ(log.routing.size(), 4u);
  EXPECT_EQ(log.routing[3].step, 20);
  EXPECT_EQ(log.routing[3].load, snapshot(20).load);
  EXPECT_EQ(log.routing[3].entropy, snapshot(20).entropy);
  ASSERT_EQ(log.evals.size(), 2u);
  EXPECT_DOUBLE_EQ(log.evals[1].loss, 0.2);
  EXPECT_EQ(log.evals[1].samples, 32);
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

TEST(RunLog, BadFilesAreClearErrorsNamingTheFile) {
  test::TempDir dir;
  const auto expect_error = [](const std::string& path, const std::string& words) {
    try {
      read_run_log(path);
      FAIL() << "no error for " << path;
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(path), std::string::npos) << what;
      EXPECT_NE(what.find(words), std::string::npos) << what;
    }
  };
  expect_error(dir.file("absent.h5"), "not found");
  test::write_file(dir.path() / "text.h5", "hello, not hdf5");
  expect_error(dir.file("text.h5"), "not an HDF5 file");

  const auto good = dir.file("good.h5");
  write_run(good, 200);
  std::string bytes;
  {
    std::ifstream in(good, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  test::write_file(dir.path() / "cut.h5", bytes.substr(0, bytes.size() / 2));
  EXPECT_THROW(read_run_log(dir.file("cut.h5")), Error);
}

TEST(RunLog, UnwritablePathIsAClearError) {
  EXPECT_THROW(RunLogWriter("/nonexistent/dir/run.h5", info_2x3()), Error);
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
  const auto& r = back.routing[0];
  EXPECT_EQ(r.mean_k, s.mean_k);
  EXPECT_EQ(r.top20_share, s.top20_share);
  EXPECT_EQ(r.similarity, s.similarity);
  EXPECT_EQ(r.bias, s.bias);
  EXPECT_EQ(r.gate_hist, s.gate_hist);
  EXPECT_EQ(r.k_hist, s.k_hist);
  EXPECT_TRUE(std::isnan(r.margin[1]));
  ASSERT_EQ(back.trajectories.size(), 1u);
  EXPECT_EQ(back.trajectories[0].experts, t.experts);
  EXPECT_EQ(back.trajectories[0].weights, t.weights);
  ASSERT_EQ(back.alerts.size(), 2u);
  EXPECT_EQ(back.alerts[0].kind, AlertKind::DeadExpert);
  EXPECT_EQ(back.alerts[0].experts, (std::vector<int64_t>{0, 2}));
  EXPECT_EQ(back.alerts[0].evidence, a.evidence);
  EXPECT_EQ(back.alerts[1].experts, std::vector<int64_t>{});
  EXPECT_EQ(back.alerts[1].evidence.size(), kEvidenceBytes);  // cut to the field width
  ASSERT_EQ(back.interventions.size(), 1u);
  EXPECT_EQ(back.interventions[0].kind, "capacity_factor");
  EXPECT_EQ(back.interventions[0].value, 1.25);
  EXPECT_EQ(back.interventions[0].step, 11);
}

}  // namespace
}  // namespace moescope
