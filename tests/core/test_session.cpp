#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <thread>
#include <random>
#include <utility>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "engine/session.h"
#include "base/error.h"
#include "session_recorder.h"
#include "test_support.h"
#include "train/checkpoint.h"
#include "train/schedule.h"
#include "train/task.h"

namespace moescope {
namespace {

using test::Recorder;

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

// The message of the moescope::Error that f throws ("" when it throws none).
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

TEST_F(SessionTest, CorruptOrForeignCheckpointIsAClearError) {
  Session session(config());
  test::write_file(dir_.path() / "bad.pt", "this is not a checkpoint");
  auto message = error_of([&] { session.load_checkpoint(dir_.file("bad.pt")); });
  EXPECT_NE(message.find("bad.pt"), std::string::npos) << message;
  EXPECT_NE(message.find("truncated or corrupt"), std::string::npos) << message;
  message = error_of([&] { session.load_checkpoint(dir_.file("absent.pt")); });
  EXPECT_NE(message.find("absent.pt: checkpoint file not found"), std::string::npos) << message;

  auto other = config();
  other.model.experts = 8;
  Session bigger(other);
  bigger.save_checkpoint(dir_.file("bigger.pt"));
  message = error_of([&] { session.load_checkpoint(dir_.file("bigger.pt")); });
  EXPECT_NE(message.find("bigger.pt: checkpoint holds a model of another shape"), std::string::npos)
      << message;
  EXPECT_NE(message.find("8x32"), std::string::npos) << message;  // the router weight [8, 32]
  EXPECT_EQ(session.step(), 0);
}

TEST_F(SessionTest, CheckpointOfTheSameShapesButAnotherRouterIsRefused) {
  auto other = config();
  other.router.kind = RouterKind::Switch;  // same parameters and buffers, another model
  other.model.top_k = 1;
  auto asked = config();
  asked.model.top_k = 1;
  Session switch_run(other);
  switch_run.save_checkpoint(dir_.file("switch.pt"));
  Session session(asked);
  const auto message = error_of([&] { session.load_checkpoint(dir_.file("switch.pt")); });
  EXPECT_NE(message.find("switch.pt: checkpoint was trained with another model (router.kind is "
                         "\"switch\" in the checkpoint, \"top_k\" in this run)"),
            std::string::npos)
      << message;
  // The expert kernel and the live router settings may differ: they are not the model.
  auto kernel = config();
  kernel.model.expert_kernel = "grouped_mm";
  kernel.router.temperature = 2.0;
  Session plain(config());
  plain.save_checkpoint(dir_.file("plain.pt"));
  Session other_kernel(kernel);
  EXPECT_NO_THROW(other_kernel.load_checkpoint(dir_.file("plain.pt")));
}

// A checkpoint written before an option existed names nothing for it: it resumes under that
// option's default (model.ffn came after the first checkpoints).
TEST_F(SessionTest, ACheckpointOlderThanAnOptionResumesUnderItsDefault) {
  Session first(config());
  auto json = nlohmann::json::parse(first.run_info().config_json);
  ASSERT_TRUE(json["model"].contains("ffn"));
  json["model"].erase("ffn");
  CheckpointMeta meta;
  meta.config_json = json.dump();
  meta.sampler_state = first.task().sampler_state();
  meta.shape = model_shape(first.task().moe_layers());
  for (const auto& layer : first.task().moe_layers()) meta.routers.push_back(layer->router->runtime());
  // An optimizer of the session's two groups (decay, no decay), as its checkpoints hold.
  std::vector<torch::Tensor> decay, no_decay;
  const auto tables = first.task().embeddings();
  for (const auto& p : first.task().module()->parameters()) {
    const bool table = std::any_of(tables.begin(), tables.end(), [&](const torch::Tensor& t) { return t.is_same(p); });
    (p.dim() >= 2 && !table ? decay : no_decay).push_back(p);
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(1e-3));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(1e-3));
  torch::optim::AdamW optimizer(std::move(groups));
  save_checkpoint(dir_.file("old.pt"), *first.task().module(), optimizer, meta);

  Session resumed(config());
  EXPECT_NO_THROW(resumed.load_checkpoint(dir_.file("old.pt")));
  auto dense = config();
  dense.model.ffn = "dense";
  Session other(dense);
  const auto message = error_of([&] { other.load_checkpoint(dir_.file("old.pt")); });
  EXPECT_NE(message.find("old.pt: checkpoint holds a model of another shape"), std::string::npos) << message;
}

TEST_F(SessionTest, LiveRouterSettingsAreSavedInTheCheckpointAndRestoredOnResume) {
  auto c = config();
  c.train.steps = 4;
  Session first(c);
  Recorder r;
  const auto& interventions = r.interventions;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step != 2) return;
    first.post(SetRouterTemperature{1.5});
    first.post(SetCapacityFactor{1.25});
    first.post(SetBiasBalancing{true, 0.01});
    first.post(SetRouterTemperature{1.5});  // no change: not announced again
  };
  first.add_observer(&r);
  first.run();
  ASSERT_EQ(interventions.size(), 3u);
  EXPECT_EQ(interventions[0].kind, "temperature");
  EXPECT_EQ(interventions[1].kind, "capacity_factor");
  EXPECT_EQ(interventions[2].kind, "bias_balancing");
  first.save_checkpoint(dir_.file("live.pt"));

  auto longer = c;
  longer.train.steps = 6;
  Session resumed(longer);
  const RouterRuntime expected{1.5, 1.25, true, 0.01};
  EXPECT_NE(resumed.task().moe_layers()[0]->router->runtime(), expected);
  resumed.load_checkpoint(dir_.file("live.pt"));
  for (const auto& layer : resumed.task().moe_layers()) EXPECT_EQ(layer->router->runtime(), expected);
}

TEST_F(SessionTest, LiveLearningRateCommandScalesTheScheduleFromTheNextStep) {
  auto c = config();  // 8 steps, peak 2e-3, warm-up 2 (a fifth of 8 caps it at 1), min ratio 0.1
  c.train.steps = 8;
  c.train.warmup_steps = 2;
  c.train.lr = 2e-3;
  c.train.min_lr_ratio = 0.1;
  Session session(c);
  Recorder r;
  r.after_step = [&](const StepMetrics& m) {
    if (m.step == 3) session.post(SetLearningRate{5e-4});
  };
  session.add_observer(&r);
  session.run();
  ASSERT_EQ(r.steps.size(), 8u);
  // Warm-up = min(2, 8 / 5) = 1 step, then cosine over 7 steps from step index 1:
  // factor(s) = 0.1 + 0.9 * 0.5 * (1 + cos(pi * (s - 1) / 7)).
  EXPECT_DOUBLE_EQ(r.steps[0].lr, 2e-3);                        // s = 0: warm-up, 1/1
  EXPECT_DOUBLE_EQ(r.steps[1].lr, 2e-3);                        // s = 1: cos(0)
  EXPECT_NEAR(r.steps[2].lr, 2e-3 * 0.9554359905560885, 1e-15);  // s = 2: cos(pi/7)
  EXPECT_NEAR(r.steps[3].lr, 5e-4 * 0.8305704108364301, 1e-15);  // s = 3: cos(2pi/7), new peak
  EXPECT_NEAR(r.steps[7].lr, 5e-4 * 0.1 + 5e-4 * 0.45 * (1 + std::cos(M_PI * 6 / 7)), 1e-15);
}

TEST_F(SessionTest, LiveBalanceCoefficientReachesTheNextUpdate) {
  // Two runs of one seed, one of them told after step 3 to weigh the balance loss by 5:
  // the first four losses agree to the bit (step 4 is the first update with the new weight,
  // its loss was taken before it), the fifth differs.
  std::vector<double> losses[2];
  std::vector<InterventionEvent> events;
  struct Events : SessionObserver {
    std::vector<InterventionEvent>* out;
    void on_intervention(const InterventionEvent& e) override { out->push_back(e); }
  } watcher;
  watcher.out = &events;
  for (int run = 0; run < 2; ++run) {
    auto c = config();
    c.train.steps = 6;
    Session session(c);
    Recorder r;
    r.after_step = [&](const StepMetrics& m) {
      if (run == 1 && m.step == 3) session.post(SetBalanceCoefficient{5.0});
    };
    session.add_observer(&r);
    session.add_observer(&watcher);
    session.run();
    for (const auto& m : r.steps) losses[run].push_back(m.loss);
  }
  ASSERT_EQ(losses[0].size(), 6u);
  ASSERT_EQ(losses[1].size(), 6u);
  for (size_t s = 0; s < 4; ++s) EXPECT_EQ(losses[0][s], losses[1][s]) << "step " << s + 1;
  EXPECT_NE(losses[0][4], losses[1][4]);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "balance_coef");
  EXPECT_EQ(events[0].value, 5.0);
  EXPECT_EQ(events[0].step, 3);
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
  session.post(ResumeCommand{});
  while (last_step < 4) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  session.post(PauseCommand{});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const int64_t held = last_step.load();
  EXPECT_GE(held, 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(last_step.load(), held);  // paused again
  session.post(StopCommand{});
  trainer.join();
  EXPECT_EQ(session.step(), held);
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

// 30 steps of c under bf16 autocast: the run says so, the validation loss falls, every
// snapshot's loads still sum to one, and autocast really ran: the losses differ from a
// float32 run of the same seed by more than float32 noise and less than 2%.
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

  auto fp32 = c;
  fp32.precision = "fp32";
  Session reference(fp32);
  Recorder f;
  reference.add_observer(&f);
  reference.run();
  ASSERT_EQ(f.steps.size(), 30u);
  const double first = std::abs(r.steps[0].loss - f.steps[0].loss);
  EXPECT_GT(first, 1e-6) << "the first bf16 loss equals the float32 one: autocast did not run";
  EXPECT_LT(first, 0.02 * f.steps[0].loss);
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
    // The option reached every layer (d = 32 and h = 32 fit grouped_mm's alignment).
    for (const auto& layer : session.task().moe_layers()) {
      EXPECT_STREQ(expert_kernel_name(layer->options.expert_kernel()), kernel);
    }
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

namespace moescope {
namespace {

TEST(VisionSession, TrainsEvaluatesAndResumesToTheSameLosses) {
  test::TempDir dir;
  test::write_fashion_mnist(dir.path() / "fmnist", 256, 64);
  auto c = preset_config("vision-fmnist");
  c.data.fashion_mnist_dir = (dir.path() / "fmnist").string();
  c.data.augment = false;  // a flip would swap the left and right quarters the labels name
  c.model.d_model = 16;
  c.model.stem_channels = 8;
  c.model.experts = 4;
  c.model.expert_hidden = 16;
  c.train.batch_size = 32;
  c.train.steps = 30;
  c.train.warmup_steps = 2;
  c.train.eval_every = 15;
  c.device = "cpu";
  c.threads = 1;
  Recorder whole;
  {
    Session session(c);
    session.add_observer(&whole);
    session.run();
  }
  ASSERT_EQ(whole.steps.size(), 30u);
  ASSERT_EQ(whole.evals.size(), 2u);
  EXPECT_EQ(whole.evals[1].samples, 64);  // the whole test split
  EXPECT_EQ(whole.steps[0].tokens, 32 * 49);  // 49 patch tokens per image
  EXPECT_LT(whole.evals[1].loss, whole.evals[0].loss);
  EXPECT_GT(whole.evals[1].accuracy, 0.5);  // chance is 0.25 on four brightest quarters

  test::TempDir ckpt;
  {
    auto half = c;
    Session first(half);
    Recorder r;
    r.after_step = [&](const StepMetrics& m) {
      if (m.step == 15) first.post(StopCommand{});
    };
    first.add_observer(&r);
    first.run();
    first.save_checkpoint(ckpt.file("vision.pt"));
  }
  Session resumed(c);
  resumed.load_checkpoint(ckpt.file("vision.pt"));
  Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 15u);
  for (size_t i = 0; i < 15; ++i) {
    EXPECT_DOUBLE_EQ(rest.steps[i].loss, whole.steps[15 + i].loss) << "step " << rest.steps[i].step;
  }
  ASSERT_EQ(rest.evals.size(), 1u);
  EXPECT_DOUBLE_EQ(rest.evals[0].accuracy, whole.evals[1].accuracy);
}

}  // namespace
}  // namespace moescope
