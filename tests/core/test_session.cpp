#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "engine/session.h"
#include "error.h"
#include "test_support.h"
#include "train/schedule.h"

namespace moescope {
namespace {

struct Recorder : SessionObserver {
  std::vector<StepMetrics> steps;
  std::vector<RoutingSnapshot> snapshots;
  std::vector<EvalResult> evals;
  std::vector<SessionState> states;
  std::function<void(const StepMetrics&)> after_step;
  void on_step(const StepMetrics& m) override {
    steps.push_back(m);
    if (after_step) after_step(m);
  }
  void on_routing(const RoutingSnapshot& s) override { snapshots.push_back(s); }
  void on_eval(const EvalResult& e) override { evals.push_back(e); }
  void on_state(const SessionState& s) override { states.push_back(s); }
};

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config() const { return test::tiny_lm_config((dir_.path() / "fortunes").string()); }
  test::TempDir dir_;
};

TEST_F(SessionTest, TrainsPublishesEveryEventAndLowersTheLoss) {
  auto c = config();
  c.train.steps = 30;
  c.train.eval_every = 10;
  Session session(c);
  Recorder r;
  session.add_observer(&r);
  session.run();
  ASSERT_EQ(r.steps.size(), 30u);
  EXPECT_EQ(r.steps.back().step, 30);
  EXPECT_EQ(r.steps.back().tokens, 30 * 4 * 16);
  EXPECT_LT(r.evals.back().loss, r.evals.front().loss);
  ASSERT_EQ(r.snapshots.size(), 15u);
  for (const auto& s : r.snapshots) {
    ASSERT_EQ(s.load.size(), 2u * 4u);
    for (int l = 0; l < 2; ++l) {
      float sum = 0;
      for (int e = 0; e < 4; ++e) sum += s.load_at(l, e);
      EXPECT_NEAR(sum, 1.0f, 1e-5);
    }
  }
  EXPECT_EQ(r.states.back().state, RunState::Finished);
}

TEST_F(SessionTest, ResumeContinuesAtTheSavedStepWithTheSameLoss) {
  const auto c = config();
  Recorder whole;
  {
    Session session(c);
    session.add_observer(&whole);
    session.run();
  }
  const std::string checkpoint = dir_.file("ckpt.pt");
  {
    Session first(c);
    Recorder r;
    r.after_step = [&](const StepMetrics& m) {
      if (m.step == 4) first.post(StopCommand{});
    };
    first.add_observer(&r);
    first.run();
    ASSERT_EQ(first.step(), 4);
    first.save_checkpoint(checkpoint);
  }
  Session resumed(c);
  resumed.load_checkpoint(checkpoint);
  EXPECT_EQ(resumed.step(), 4);
  Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(rest.steps[i].step, whole.steps[4 + i].step);
    EXPECT_DOUBLE_EQ(rest.steps[i].loss, whole.steps[4 + i].loss) << "step " << rest.steps[i].step;
  }
  EXPECT_FALSE(std::filesystem::exists(checkpoint + ".tmp"));
}

TEST_F(SessionTest, CorruptOrForeignCheckpointIsAClearError) {
  Session session(config());
  test::write_file(dir_.path() / "bad.pt", "this is not a checkpoint");
  EXPECT_THROW(session.load_checkpoint(dir_.file("bad.pt")), Error);
  EXPECT_THROW(session.load_checkpoint(dir_.file("absent.pt")), Error);
  auto other = config();
  other.model.experts = 8;
  Session bigger(other);
  bigger.save_checkpoint(dir_.file("bigger.pt"));
  EXPECT_THROW(session.load_checkpoint(dir_.file("bigger.pt")), Error);
}

TEST_F(SessionTest, LiveLearningRateAndBalanceCommandsTakeEffectOnTheNextStep) {
  auto c = config();
  Session session(c);
  Recorder r;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 3) session.post(SetLearningRate{5e-4});
  };
  session.add_observer(&r);
  session.run();
  const int64_t warmup = std::min(c.train.warmup_steps, c.train.steps / 5);
  EXPECT_DOUBLE_EQ(r.steps[2].lr, c.train.lr * lr_factor(2, warmup, c.train.steps, c.train.min_lr_ratio));
  EXPECT_DOUBLE_EQ(r.steps[3].lr, 5e-4 * lr_factor(3, warmup, c.train.steps, c.train.min_lr_ratio));
}

TEST_F(SessionTest, PauseHoldsTheLoopUntilResumeOrStopFromAnotherThread) {
  auto c = config();
  c.train.steps = 1000;
  Session session(c);
  Recorder r;
  std::atomic<int64_t> last_step{0};
  r.after_step = [&](const StepMetrics& m) {
    last_step = m.step;
    if (m.step == 2) session.post(PauseCommand{});
  };
  session.add_observer(&r);
  std::thread trainer([&] { session.run(); });
  while (last_step < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(last_step.load(), 2);  // paused: no step ran in 200 ms
  session.post(StopCommand{});
  trainer.join();
  EXPECT_EQ(session.step(), 2);
  EXPECT_EQ(r.states.back().state, RunState::Stopped);
  const bool paused_seen = std::any_of(r.states.begin(), r.states.end(),
                                       [](const SessionState& s) { return s.state == RunState::Paused; });
  EXPECT_TRUE(paused_seen);
}

TEST_F(SessionTest, MissingDataAndCudaWithoutGpuAreClearErrors) {
  auto c = config();
  c.data.fortunes_dir = dir_.file("nothing-here");
  EXPECT_THROW(Session{c}, Error);
  if (!torch::cuda::is_available()) {
    auto g = config();
    g.device = "cuda";
    EXPECT_THROW(Session{g}, Error);
  }
}

// 30 steps of c under bf16 autocast: the run says so, the validation loss falls and every
// snapshot's loads still sum to one.
void expect_bf16_training(RunConfig c) {
  c.train.steps = 30;
  c.train.eval_every = 10;
  Session session(c);
  EXPECT_NE(session.run_info().device.find("bf16 autocast"), std::string::npos) << session.run_info().device;
  Recorder r;
  session.add_observer(&r);
  session.run();
  ASSERT_EQ(r.steps.size(), 30u);
  EXPECT_TRUE(std::isfinite(r.steps.back().loss));
  EXPECT_LT(r.evals.back().loss, r.evals.front().loss);
  ASSERT_FALSE(r.snapshots.empty());
  float sum = 0;
  for (int e = 0; e < 4; ++e) sum += r.snapshots.back().load_at(0, e);
  EXPECT_NEAR(sum, 1.0f, 1e-5);
}

TEST_F(SessionTest, TrainsOnCudaInBf16WhenAGpuIsPresent) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU on this machine";
  auto c = config();
  c.device = "cuda";  // precision auto: bf16 on CUDA
  expect_bf16_training(c);
}

TEST_F(SessionTest, Bf16AutocastOnTheCpuTrainsAndSaysSo) {
  auto c = config();
  c.precision = "bf16";
  expect_bf16_training(c);
  EXPECT_NE(Session(config()).run_info().device.find("float32"), std::string::npos);  // auto on the CPU
}

TEST_F(SessionTest, BothExpertKernelsTrainTheSameModel) {
  std::vector<double> losses[2];
  int i = 0;
  for (const char* kernel : {"segments", "grouped_mm"}) {
    auto c = config();
    c.model.expert_kernel = kernel;
    c.train.steps = 12;
    Session session(c);
    Recorder r;
    session.add_observer(&r);
    session.run();
    for (const auto& s : r.steps) losses[i].push_back(s.loss);
    ++i;
  }
  ASSERT_EQ(losses[0].size(), 12u);
  ASSERT_EQ(losses[1].size(), 12u);
  for (size_t s = 0; s < 12; ++s) EXPECT_NEAR(losses[0][s], losses[1][s], 1e-3) << "step " << s + 1;
  EXPECT_LT(losses[1].back(), losses[1].front());
}

}  // namespace
}  // namespace moescope
