// The collapse detector on hand-made snapshots (exact firing steps) and on real runs
// (collapse-demo fires, lm-fortunes stays quiet), and the live interventions that fix it.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>

#include "engine/session.h"
#include "inspect/collapse_detector.h"
#include "test_support.h"

namespace moescope {
namespace {

RoutingSnapshot snapshot(int64_t step, std::vector<float> load, float entropy = 1.0f,
                         float dropped = 0.0f, float similarity = 0.1f) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = 1;
  s.experts = int64_t(load.size());
  s.load = std::move(load);
  s.entropy = {entropy};
  s.dropped = {dropped};
  s.mean_k = {1.0f};
  s.similarity = {similarity};
  return s;
}

TEST(CollapseDetector, DeadExpertFiresOnTheFifthSnapshotOnceAndRearmsAfterRecovery) {
  CollapseDetector d(1);
  const std::vector<float> dead{0.34f, 0.33f, 0.33f, 0.0f}, healthy{0.25f, 0.25f, 0.25f, 0.25f};
  for (int i = 1; i <= 4; ++i) EXPECT_TRUE(d.observe(snapshot(i, dead)).empty()) << i;
  auto alerts = d.observe(snapshot(5, dead));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, AlertKind::DeadExpert);
  EXPECT_EQ(alerts[0].experts, std::vector<int64_t>{3});
  EXPECT_EQ(alerts[0].step, 5);
  EXPECT_NE(alerts[0].evidence.find("expert 3"), std::string::npos);
  EXPECT_TRUE(d.observe(snapshot(6, dead)).empty());  // one alert per episode
  d.observe(snapshot(7, healthy));
  for (int i = 8; i <= 11; ++i) EXPECT_TRUE(d.observe(snapshot(i, dead)).empty());
  EXPECT_EQ(d.observe(snapshot(12, dead)).size(), 1u);
}

TEST(CollapseDetector, DominantExpertNeedsThreeSnapshotsAboveHalfwayToEverything) {
  CollapseDetector d(1);
  EXPECT_DOUBLE_EQ(d.dominant_threshold(4), 0.625);  // 0.5 + 0.5 * 1/4
  EXPECT_DOUBLE_EQ(d.dominant_threshold(4, 3.0), 0.875);  // dynamic k: 3 experts per token
  const std::vector<float> load{0.7f, 0.1f, 0.1f, 0.1f};
  EXPECT_TRUE(d.observe(snapshot(1, load)).empty());
  EXPECT_TRUE(d.observe(snapshot(2, load)).empty());
  auto alerts = d.observe(snapshot(3, load));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, AlertKind::DominantExpert);
  EXPECT_EQ(alerts[0].experts, std::vector<int64_t>{0});
  EXPECT_NEAR(alerts[0].value, 0.7, 1e-6);
}

TEST(CollapseDetector, ModalityGroupsAreJudgedWithinTheirOwnExpertsAndNamed) {
  // moma over 4 experts: image 0-1, text 2-3. Over all tokens the load looks healthy
  // (0.3, 0.2, 0.0 + 0.25, 0.25), but the text group has collapsed onto expert 3.
  CollapseDetector d(1);
  ModelShape shape;
  shape.layers = {LayerShape{4, {}, {0, 0, 1, 1}}};
  d.set_modality_groups(shape, {"image", "text"});
  auto grouped = [](int64_t step) {
    auto s = snapshot(step, {0.3f, 0.2f, 0.01f, 0.49f});
    s.modalities = 2;
    s.modality_load = {0.6f, 0.4f, 0.0f, 0.0f,    // image: its two experts, both in use
                       0.0f, 0.0f, 0.02f, 0.98f};  // text: expert 2 starved, 3 takes all
    return s;
  };
  std::vector<CollapseAlert> alerts;
  for (int i = 1; i <= 5; ++i) {
    auto now = d.observe(grouped(i));
    alerts.insert(alerts.end(), now.begin(), now.end());
  }
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].kind, AlertKind::DominantExpert);  // 98% > 0.5 + 0.5 * 1/2, 3 snapshots
  EXPECT_EQ(alerts[0].experts, std::vector<int64_t>{3});
  EXPECT_EQ(alerts[0].step, 3);
  EXPECT_NE(alerts[0].evidence.find("text group"), std::string::npos) << alerts[0].evidence;
  EXPECT_NE(alerts[0].evidence.find("of the text tokens"), std::string::npos) << alerts[0].evidence;
  EXPECT_EQ(alerts[1].kind, AlertKind::DeadExpert);  // 0.02 x 2 = 0.04 < 0.05, 5 snapshots
  EXPECT_EQ(alerts[1].experts, std::vector<int64_t>{2});
  EXPECT_NE(alerts[1].evidence.find("layer 0, text group: expert 2"), std::string::npos) << alerts[1].evidence;

  // Without groups the same loads are judged over all four experts: expert 2 (0.01 x 4 =
  // 0.04) is dead there too, but expert 3's 49% of the tokens is under the 62.5% threshold,
  // and the alert names no group.
  CollapseDetector flat(1);
  alerts.clear();
  for (int i = 1; i <= 5; ++i) {
    auto now = flat.observe(grouped(i));
    alerts.insert(alerts.end(), now.begin(), now.end());
  }
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind, AlertKind::DeadExpert);
  EXPECT_EQ(alerts[0].evidence.find("group"), std::string::npos) << alerts[0].evidence;
}

TEST(CollapseDetector, EntropySimilarityAndRisingDrops) {
  CollapseThresholds t;
  t.dead_utilisation = 0.0;  // isolate the other rules
  CollapseDetector d(1, t);
  const std::vector<float> even{0.25f, 0.25f, 0.25f, 0.25f};
  std::vector<CollapseAlert> all;
  const float drops[] = {0.0f, 0.0f, 0.05f, 0.08f, 0.12f, 0.15f, 0.2f};
  for (int i = 0; i < 7; ++i) {
    auto a = d.observe(snapshot(i + 1, even, 0.1f * std::log(4.0f), drops[i], 0.95f));
    all.insert(all.end(), a.begin(), a.end());
  }
  std::map<AlertKind, int64_t> step_of;
  for (const auto& a : all) step_of[a.kind] = a.step;
  EXPECT_EQ(all.size(), 3u);
  EXPECT_EQ(step_of.at(AlertKind::EntropyCollapse), 3);
  EXPECT_EQ(step_of.at(AlertKind::RepresentationCollapse), 3);
  EXPECT_EQ(step_of.at(AlertKind::RisingDrops), 6);  // first over 10% with 5 snapshots of history
}

TEST(CollapseDetector, SnapshotsInTheGracePeriodAreNotJudged) {
  CollapseThresholds t;
  t.grace_steps = 50;
  CollapseDetector d(1, t);
  const std::vector<float> dead{0.5f, 0.5f, 0.0f, 0.0f};
  for (int step = 5; step <= 50; step += 5) EXPECT_TRUE(d.observe(snapshot(step, dead)).empty());
  int fired_at = 0;
  for (int step = 55; step <= 100 && !fired_at; step += 5) {
    if (!d.observe(snapshot(step, dead)).empty()) fired_at = step;
  }
  EXPECT_EQ(fired_at, 75);  // dead: fifth judged snapshot
}

// Real runs on Debian's fortunes (the presets' data).
class RealRun : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/share/games/fortunes/fortunes")) {
      GTEST_SKIP() << "fortunes package not installed";
    }
  }
};

struct Collector : SessionObserver {
  std::vector<CollapseAlert> alerts;
  std::vector<RoutingSnapshot> snapshots;
  std::vector<InterventionEvent> interventions;
  std::vector<TrajectorySnapshot> trajectories;
  std::function<void(const StepMetrics&)> step_hook;
  void on_alert(const CollapseAlert& a) override { alerts.push_back(a); }
  void on_routing(const RoutingSnapshot& s) override { snapshots.push_back(s); }
  void on_trajectory(const TrajectorySnapshot& t) override { trajectories.push_back(t); }
  void on_intervention(const InterventionEvent& e) override { interventions.push_back(e); }
  void on_step(const StepMetrics& m) override {
    if (step_hook) step_hook(m);
  }
};

RunConfig quick(const std::string& preset, int64_t steps) {
  auto c = preset_config(preset);
  c.train.steps = steps;
  c.train.eval_every = 0;
  c.train.eval_batches = 1;
  return c;
}

TEST_F(RealRun, CollapseDemoRaisesDominantAndDeadExpertAlertsWithin75Steps) {
  Session session(quick("collapse-demo", 75));
  Collector c;
  session.add_observer(&c);
  session.run();
  for (int64_t layer = 0; layer < 4; ++layer) {
    bool dominant = false, dead = false;
    for (const auto& a : c.alerts) {
      if (a.layer != layer) continue;
      dominant |= a.kind == AlertKind::DominantExpert && a.experts[0] < 2 && a.step <= 65;
      dead |= a.kind == AlertKind::DeadExpert && a.experts == std::vector<int64_t>{2, 3, 4, 5, 6, 7} &&
              a.step <= 75;
    }
    EXPECT_TRUE(dominant) << "layer " << layer;
    EXPECT_TRUE(dead) << "layer " << layer;
  }
  // The probe's trajectories agree: every probe token's two experts are 0 and 1.
  const auto& t = c.trajectories.back();
  for (int64_t i = 0; i < t.tokens; ++i) EXPECT_LT(t.expert_at(0, i, 0), 2);
}

TEST_F(RealRun, LmFortunesStaysQuiet) {
  Session session(quick("lm-fortunes", 150));
  Collector c;
  session.add_observer(&c);
  session.run();
  for (const auto& a : c.alerts) ADD_FAILURE() << "step " << a.step << ": " << a.evidence;
  EXPECT_EQ(c.snapshots.size(), 30u);
}

TEST_F(RealRun, ReinitialisingDeadExpertsGivesThemTokensAgain) {
  Session session(quick("collapse-demo", 40));
  Collector c;
  c.step_hook = [&](const StepMetrics& m) {
    if (m.step == 30) session.post(ReinitDeadExperts{});
  };
  session.add_observer(&c);
  session.run();
  ASSERT_EQ(c.interventions.size(), 1u);
  EXPECT_EQ(c.interventions[0].kind, "reinit_experts");
  EXPECT_EQ(c.interventions[0].step, 30);
  EXPECT_NE(c.interventions[0].detail.find("layer 0: experts 2, 3, 4, 5, 6, 7 from expert"),
            std::string::npos)
      << c.interventions[0].detail;
  const auto& before = c.snapshots[5];  // step 30
  const auto& after = c.snapshots.back();  // step 40
  ASSERT_EQ(before.step, 30);
  for (int64_t e = 2; e < 8; ++e) {
    EXPECT_EQ(before.load_at(0, e), 0.0f);
    EXPECT_GT(after.load_at(0, e), 0.0f) << "expert " << e;
  }
}

TEST_F(RealRun, SwitchingToBiasBalancingLiveRevivesTheDeadExperts) {
  // Rate 0.01 closes the 0.4 probability gap of the skew in ~40 updates. (0.05 overshoots:
  // the sign updates then hand all tokens to a new pair of experts every snapshot.)
  Session session(quick("collapse-demo", 80));
  Collector c;
  c.step_hook = [&](const StepMetrics& m) {
    if (m.step == 10) session.post(SetBiasBalancing{true, 0.01});
  };
  session.add_observer(&c);
  session.run();
  ASSERT_EQ(c.interventions.size(), 1u);
  EXPECT_EQ(c.interventions[0].kind, "bias_balancing");
  ASSERT_EQ(c.snapshots.size(), 16u);
  const auto& last = c.snapshots.back();
  for (int64_t l = 0; l < last.layers; ++l) {
    for (int64_t e = 0; e < last.experts; ++e) {
      float utilisation = 0.0f;  // mean over the last four snapshots (steps 65-80)
      for (size_t i = 12; i < 16; ++i) utilisation += c.snapshots[i].load_at(l, e) * float(last.experts) / 4.0f;
      EXPECT_GT(utilisation, 0.2f) << "layer " << l << " expert " << e;
      EXPECT_EQ(c.snapshots[1].load_at(l, e) > 0.0f, e < 2);  // step 10: collapsed
    }
    EXPECT_LT(last.bias[size_t(l * last.experts)], last.bias[size_t(l * last.experts + 2)]);
  }
}

class RouterKinds : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 40); }
  test::TempDir dir_;
};

TEST_P(RouterKinds, TrainAndPublishConsistentSnapshots) {
  auto c = test::tiny_lm_config((dir_.path() / "fortunes").string());
  const std::string kind = GetParam();
  c.router.kind = *parse_choice<RouterKind>(kind);
  c.router.capacity_factor = kind == "switch" ? 1.0 : 0.0;
  c.model.zero_experts = 1;
  c.model.shared_experts = 1;
  c.train.snapshot_every = 1;
  c.train.steps = 4;
  Session session(c);
  // 4 FFN experts + 1 zero expert, top_k 2, 64 tokens per layer forward.
  const int64_t E = 5, k = 2;
  const int64_t T = c.train.batch_size * c.model.context;
  EXPECT_EQ(session.run_info().experts, E);
  EXPECT_EQ(session.run_info().expert_types.back(), "zero");
  Collector r;
  session.add_observer(&r);
  session.run();
  ASSERT_EQ(r.snapshots.size(), 4u);
  ASSERT_EQ(r.trajectories.size(), 4u);
  constexpr int64_t K = RoutingSnapshot::kKBins;
  for (const auto& s : r.snapshots) {
    ASSERT_EQ(s.experts, E);
    for (int64_t l = 0; l < s.layers; ++l) {
      const auto at = [&](int64_t bin) { return s.k_hist[size_t(l * K + bin)]; };
      const float mean_k = s.mean_k[size_t(l)];
      const std::string where =
          kind + " step " + std::to_string(s.step) + " layer " + std::to_string(l);
      float load = 0, k_share = 0, k_mean = 0;
      for (int64_t e = 0; e < s.experts; ++e) load += s.load_at(l, e);
      for (int64_t i = 0; i < K; ++i) {
        k_share += at(i);
        k_mean += float(i) * at(i);
      }
      EXPECT_NEAR(load, 1.0f, 1e-5) << where;
      EXPECT_NEAR(k_share, 1.0f, 1e-5) << where;
      // No token can get more than E = 5 < 16 experts, so the histogram's mean is mean_k.
      EXPECT_NEAR(k_mean, mean_k, 1e-5) << where;
      EXPECT_GE(s.dropped[size_t(l)], 0.0f) << where;
      if (kind == "expert_choice") {
        // Every expert takes the same C = ceil(T k / E) tokens: load 1/E each.
        for (int64_t e = 0; e < E; ++e) EXPECT_NEAR(s.load_at(l, e), 1.0f / E, 1e-6) << where;
      } else if (kind == "top_k" || kind == "hash") {
        // Dropless with a fixed k: every token gets exactly k experts.
        EXPECT_FLOAT_EQ(at(k), 1.0f) << where;
        EXPECT_FLOAT_EQ(mean_k, float(k)) << where;
      } else if (kind == "switch") {
        // Capacity ceil(1.0 * T k / E) = 26 per expert; what was not dispatched was dropped.
        const float dispatched = mean_k * float(T);
        EXPECT_NEAR(s.dropped[size_t(l)], 1.0f - mean_k / float(k), 1e-5) << where;
        for (int64_t e = 0; e < E; ++e) {
          EXPECT_LE(s.load_at(l, e) * dispatched, 26.0f + 1e-3) << where << " expert " << e;
        }
      } else if (kind == "top_p") {
        // At least the best expert, at most max_k (4), per token.
        EXPECT_GE(mean_k, 1.0f) << where;
        EXPECT_LE(mean_k, float(c.router.max_k)) << where;
        EXPECT_EQ(at(0), 0.0f) << where;
        for (int64_t i = c.router.max_k + 1; i < K; ++i) EXPECT_EQ(at(i), 0.0f) << where;
      }
    }
  }
  if (kind == "dense_to_sparse") {
    // The anneal spans a quarter of the 4 steps: the first step's forward is dense (all E
    // experts per token), from the second on it is top-k.
    const auto& first = r.snapshots.front();
    const auto& last = r.snapshots.back();
    for (int64_t l = 0; l < first.layers; ++l) {
      EXPECT_GT(first.mean_k[size_t(l)], last.mean_k[size_t(l)]) << "layer " << l;
      EXPECT_FLOAT_EQ(first.mean_k[size_t(l)], float(E)) << "layer " << l;
      EXPECT_FLOAT_EQ(last.mean_k[size_t(l)], float(k)) << "layer " << l;
    }
  }
  const auto& t = r.trajectories.back();
  EXPECT_EQ(t.tokens, 16);
  EXPECT_EQ(t.slots, session.run_info().probe_slots);
  EXPECT_EQ(t.experts.size(), size_t(t.layers * t.tokens * t.slots));
}

INSTANTIATE_TEST_SUITE_P(All, RouterKinds,
                         ::testing::Values("top_k", "switch", "expert_choice", "hash",
                                           "dense_to_sparse", "top_p"));

}  // namespace
}  // namespace moescope
