// The run job both front ends use: loading, stopping at any moment, scripted commands,
// periodic and final checkpoints, resuming to the asked step; and the training step's hook
// for a gradient reducer.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <limits>

#include "base/error.h"
#include "engine/run_job.h"
#include "engine/session.h"
#include "session_recorder.h"
#include "test_support.h"
#include "train/task.h"

namespace moescope {
namespace {

using test::Recorder;

class RunJobTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config(int64_t steps) const {
    auto c = test::tiny_lm_config((dir_.path() / "fortunes").string());
    c.train.steps = steps;
    return c;
  }
  test::TempDir dir_;
};

// A run log that cannot write from step 2 to step 4 (a full disk, then room again) and then
// again from step 6: the job says so as one alert per failure, to every observer and to the
// log itself, and training reaches the end.
class FailingLog final : public FallibleObserver {
 public:
  void on_step(const StepMetrics& m) override {
    const bool failing = (m.step >= 2 && m.step < 4) || m.step >= 6;
    if (failing && !failing_) unreported_ = "run.h5: cannot write to the run log (disk full)";
    failing_ = failing;
  }
  void on_alert(const CollapseAlert& a) override { alerts.push_back(a); }
  std::string take_failure() override {
    std::string failure;
    failure.swap(unreported_);
    return failure;
  }
  std::vector<CollapseAlert> alerts;

 private:
  bool failing_ = false;
  std::string unreported_;
};

TEST_F(RunJobTest, ALogThatCannotWriteIsAnAlertAndTrainingGoesOn) {
  RunJobSpec spec;
  spec.config = config(8);
  Recorder r;
  FailingLog* log = nullptr;
  RunJob job(spec, {&r}, [&log](const RunInfo&) -> std::unique_ptr<SessionObserver> {
    auto made = std::make_unique<FailingLog>();
    log = made.get();
    return made;
  });
  std::vector<CollapseAlert> seen_by_log;
  r.after_step = [&](const StepMetrics&) {
    if (log) seen_by_log = log->alerts;
  };
  job.run();
  EXPECT_EQ(job.step(), 8);
  EXPECT_EQ(r.states.back().state, RunState::Finished);
  std::vector<CollapseAlert> failures;
  for (const auto& a : r.alerts)
    if (a.kind == AlertKind::LogWriteFailed) failures.push_back(a);
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[0].step, 2);
  EXPECT_EQ(failures[1].step, 6);
  EXPECT_EQ(failures[0].layer, -1);
  EXPECT_NE(failures[0].evidence.find("run.h5: cannot write to the run log (disk full)"), std::string::npos);
  EXPECT_NE(failures[0].evidence.find("Training goes on"), std::string::npos);
  // The log gets the alert too (to write once there is room); seen by step 7 at the latest.
  ASSERT_GE(seen_by_log.size(), 2u);
  EXPECT_EQ(seen_by_log[0].kind, AlertKind::LogWriteFailed);
  EXPECT_STREQ(to_string(AlertKind::LogWriteFailed), "log_write_failed");
}

TEST_F(RunJobTest, StopWhileLoadingEndsStoppedBeforeTheFirstStep) {
  RunJobSpec spec;
  spec.config = config(8);
  Recorder r;
  RunJob job(spec, {&r});
  job.post(StopCommand{});  // before the session exists
  job.run();
  ASSERT_EQ(r.states.size(), 2u);
  EXPECT_EQ(r.states[0].state, RunState::Loading);
  EXPECT_EQ(r.states[1].state, RunState::Stopped);
  EXPECT_TRUE(r.steps.empty());
  EXPECT_EQ(job.step(), 0);
}

TEST_F(RunJobTest, SetUpFailureIsPublishedAndThrown) {
  RunJobSpec spec;
  spec.config = config(8);
  spec.config.data.fortunes_dir = dir_.file("no-such-dir");
  Recorder r;
  RunJob job(spec, {&r});
  EXPECT_THROW(job.run(), Error);
  ASSERT_EQ(r.states.size(), 2u);
  EXPECT_EQ(r.states[1].state, RunState::Failed);
  EXPECT_NE(r.states[1].message.find("no-such-dir"), std::string::npos) << r.states[1].message;
}

TEST_F(RunJobTest, ScheduledCommandsPeriodicAndFinalCheckpoints) {
  RunJobSpec spec;
  spec.config = config(6);
  spec.checkpoint_path = dir_.file("run.pt");
  spec.checkpoint_every = 4;
  spec.schedule.push_back({2, SetLearningRate{1e-3}});
  Recorder r;
  // The step-4 checkpoint is the file on disk until the final one replaces it.
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 5) std::filesystem::copy_file(dir_.file("run.pt"), dir_.file("at4.pt"));
  };
  RunJob job(spec, {&r});
  job.run();
  EXPECT_EQ(job.step(), 6);
  ASSERT_EQ(r.interventions.size(), 1u);
  EXPECT_EQ(r.interventions[0].kind, "lr");
  EXPECT_EQ(r.interventions[0].step, 2);
  // Step 3 (index 2) runs at the new peak: warm-up min(2, 6 / 5) = 1, then cosine over 5
  // steps, factor(2) = 0.1 + 0.45 * (1 + cos(pi / 5)).
  EXPECT_NEAR(r.steps[2].lr, 1e-3 * 0.9140576474687263, 1e-15);
  Session at4(config(6)), at6(config(6));
  at4.load_checkpoint(dir_.file("at4.pt"));
  at6.load_checkpoint(dir_.file("run.pt"));
  EXPECT_EQ(at4.step(), 4);
  EXPECT_EQ(at6.step(), 6);
}

TEST_F(RunJobTest, AResumedRunReachesTheAskedStep) {
  RunJobSpec first;
  first.config = config(4);
  first.checkpoint_path = dir_.file("first.pt");
  Recorder r1;
  RunJob(first, {&r1}).run();
  ASSERT_EQ(r1.steps.size(), 4u);

  RunJobSpec more;
  more.config = config(7);
  more.resume_path = dir_.file("first.pt");
  Recorder r2;
  RunJob job(more, {&r2});
  job.run();
  EXPECT_EQ(job.step(), 7);
  ASSERT_EQ(r2.steps.size(), 3u);
  EXPECT_EQ(r2.steps.front().step, 5);
  EXPECT_EQ(r2.states.back().state, RunState::Finished);
}

TEST_F(RunJobTest, StopMidRunStillWritesTheFinalCheckpoint) {
  RunJobSpec spec;
  spec.config = config(1000);
  spec.checkpoint_path = dir_.file("stopped.pt");
  Recorder r;
  RunJob* job_ptr = nullptr;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 3) job_ptr->post(StopCommand{});  // what Ctrl-C does in moescope-cli
  };
  RunJob job(spec, {&r});
  job_ptr = &job;
  job.run();
  EXPECT_EQ(r.states.back().state, RunState::Stopped);
  Session check(config(1000));
  check.load_checkpoint(dir_.file("stopped.pt"));
  EXPECT_EQ(check.step(), 3);
}

// Zeroes every gradient: with no weight decay, AdamW then leaves every parameter where it was.
struct ZeroGradients : GradientReducer {
  int calls = 0;
  void reduce(const std::vector<torch::Tensor>& parameters) override {
    ++calls;
    for (const auto& p : parameters) {
      ASSERT_TRUE(p.grad().defined());
      p.grad().zero_();
    }
  }
};

TEST_F(RunJobTest, TheGradientReducerSitsBetweenBackwardAndUpdate) {
  auto c = config(3);
  c.train.weight_decay = 0.0;
  Session session(c);
  std::vector<torch::Tensor> before;
  for (const auto& p : session.task().module()->parameters()) before.push_back(p.detach().clone());
  ZeroGradients reducer;
  session.set_gradient_reducer(&reducer);
  session.run();
  EXPECT_EQ(reducer.calls, 3);
  const auto after = session.task().module()->parameters();
  for (size_t i = 0; i < before.size(); ++i) EXPECT_TRUE(torch::equal(after[i], before[i])) << i;

  Session plain(c);  // the same run without the reducer moves the weights
  plain.run();
  EXPECT_FALSE(torch::equal(plain.task().module()->parameters()[0], before[0]));
}

TEST_F(RunJobTest, ANonFiniteLossPausesBeforeTheUpdate) {
  Session session(config(8));
  {
    torch::NoGradGuard no_grad;
    session.task().moe_layers()[0]->w_out.fill_(std::numeric_limits<float>::quiet_NaN());
  }
  Recorder r;
  r.after_state = [&](const SessionState& s) {
    if (s.state == RunState::Paused) session.post(StopCommand{});
  };
  session.add_observer(&r);
  session.run();
  EXPECT_TRUE(r.steps.empty());
  EXPECT_EQ(session.step(), 0);
  ASSERT_GE(r.states.size(), 3u);
  EXPECT_EQ(r.states[1].state, RunState::Paused);
  EXPECT_NE(r.states[1].message.find("loss is not finite at step 1"), std::string::npos)
      << r.states[1].message;
  EXPECT_EQ(r.states.back().state, RunState::Stopped);
}

}  // namespace
}  // namespace moescope
