// Checkpoints: a resumed run continues bit-exact on the CPU (loss, routing, router settings,
// the collapse detector), and a damaged checkpoint is refused naming the file and what is bad.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "base/error.h"
#include "engine/recipe_config.h"
#include "engine/session.h"
#include "inspect/collapse_detector.h"
#include "model/transformer_lm.h"
#include "session_recorder.h"
#include "test_support.h"
#include "train/checkpoint.h"

namespace moescope {
namespace {

using test::Recorder;

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Flips four bytes of the file where `pattern` (unique in it) begins.
void flip_at(const std::string& path, const std::string& pattern, size_t offset = 0) {
  auto bytes = read_bytes(path);
  const auto at = bytes.find(pattern);
  ASSERT_NE(at, std::string::npos) << "pattern not in " << path;
  ASSERT_EQ(bytes.find(pattern, at + 1), std::string::npos) << "pattern not unique in " << path;
  for (size_t i = 0; i < 4; ++i) bytes[at + offset + i] = char(~bytes[at + offset + i]);
  write_bytes(path, bytes);
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override { test::write_fortunes_tree(dir_.path() / "fortunes", 60); }
  RunConfig config() const {
    auto c = test::tiny_lm_config((dir_.path() / "fortunes").string());
    c.train.steps = 24;
    c.train.eval_every = 8;
    return c;
  }
  test::TempDir dir_;
};

// Same seed, data order and threads: the resumed run's every step equals the uninterrupted
// run's, bit for bit, with router settings changed live before the checkpoint.
TEST_F(CheckpointTest, AResumedRunEqualsTheUninterruptedOneStepForStep) {
  const auto c = config();
  const auto live_change = [](Session& s, Recorder& r) {
    r.after_step = [&s](const StepMetrics& m) {
      if (m.step == 5) s.post(SetRouterTemperature{1.7});
    };
  };
  Recorder whole;
  {
    Session session(c);
    live_change(session, whole);
    session.add_observer(&whole);
    session.run();
  }
  ASSERT_EQ(whole.steps.size(), 24u);

  const std::string checkpoint = dir_.file("half.pt");
  {
    Session first(c);
    Recorder r;
    live_change(first, r);
    const auto stop = r.after_step;
    r.after_step = [&](const StepMetrics& m) {
      stop(m);
      if (m.step == 11) first.post(StopCommand{});
    };
    first.add_observer(&r);
    first.run();
    ASSERT_EQ(first.step(), 11);
    first.save_checkpoint(checkpoint);
  }
  Session resumed(c);
  resumed.load_checkpoint(checkpoint);
  Recorder rest;
  resumed.add_observer(&rest);
  resumed.run();
  ASSERT_EQ(rest.steps.size(), 13u);
  for (size_t i = 0; i < rest.steps.size(); ++i) {
    const auto& a = rest.steps[i];
    const auto& b = whole.steps[11 + i];
    ASSERT_EQ(a.step, b.step);
    EXPECT_EQ(a.loss, b.loss) << "step " << a.step;  // bit-exact, not approximately
    EXPECT_EQ(a.aux_loss, b.aux_loss) << "step " << a.step;
    EXPECT_EQ(a.grad_norm, b.grad_norm) << "step " << a.step;
  }
  // The routing after the resume, and the live temperature it ran with.
  ASSERT_FALSE(rest.snapshots.empty());
  const auto& last_whole = whole.snapshots.back();
  const auto& last_rest = rest.snapshots.back();
  EXPECT_EQ(last_rest.step, last_whole.step);
  EXPECT_EQ(last_rest.load, last_whole.load);
  EXPECT_DOUBLE_EQ(language_model(resumed, "test").moe_layers()[0]->router->runtime().temperature, 1.7);
  ASSERT_EQ(rest.evals.size(), 2u);
  EXPECT_EQ(rest.evals.back().loss, whole.evals.back().loss);
}

// An episode under way when the checkpoint is written goes on after the resume: the alert
// fires at the same snapshot as in the uninterrupted run, not five snapshots later.
TEST(CheckpointDetector, TheCollapseDetectorsEpisodesSurviveItsState) {
  const auto dead = [](int64_t step) {
    RoutingSnapshot s;
    s.step = step;
    s.layers = 1;
    s.experts = 4;
    s.load = {0.34f, 0.33f, 0.33f, 0.0f};
    s.entropy = {1.0f};
    s.dropped = {0.0f};
    s.mean_k = {1.0f};
    s.similarity = {0.1f};
    return s;
  };
  CollapseDetector before(1);
  for (int i = 1; i <= 3; ++i) EXPECT_TRUE(before.observe(dead(i)).empty());
  CollapseDetector resumed(1), fresh(1);
  resumed.restore_state(before.state());
  EXPECT_EQ(resumed.state(), before.state());
  EXPECT_TRUE(resumed.observe(dead(4)).empty());
  EXPECT_EQ(resumed.observe(dead(5)).size(), 1u);  // the fifth dead snapshot, as uninterrupted
  EXPECT_TRUE(fresh.observe(dead(4)).empty());
  EXPECT_TRUE(fresh.observe(dead(5)).empty());  // without the state: only two so far
  EXPECT_THROW(resumed.restore_state("{\"episodes\": 3}"), Error);
}

TEST_F(CheckpointTest, ATensorDamagedAfterWritingIsRefusedNamingTheFileAndTheTensor) {
  auto c = config();
  c.train.steps = 6;
  const std::string path = dir_.file("run.pt");
  std::string router_bytes;
  {
    Session session(c);
    session.run();
    session.save_checkpoint(path);
    const auto w = language_model(session, "test").moe_layers()[1]->router->weight;
    const auto bytes = w.detach().contiguous();
    router_bytes.assign(static_cast<const char*>(bytes.data_ptr()), 64);
  }
  {  // undamaged: loads
    Session session(c);
    EXPECT_NO_THROW(session.load_checkpoint(path));
    EXPECT_EQ(session.step(), 6);
  }
  flip_at(path, router_bytes, 16);
  Session session(c);
  const auto message = error_of([&] { session.load_checkpoint(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("corrupt checkpoint"), std::string::npos) << message;
  EXPECT_NE(message.find("'blocks.1.moe.router.weight'"), std::string::npos) << message;  // the tensor
}

// A weight that holds NaN (a damaged checkpoint of an older format, a bad surgery) makes the
// loss non-finite: the run pauses before the update and names the first such parameter.
TEST_F(CheckpointTest, ANonFiniteWeightPausesTheRunNamingIt) {
  auto c = config();
  c.train.steps = 4;
  Session session(c);
  {
    torch::NoGradGuard no_grad;
    language_model(session, "test").moe_layers()[1]->w_in[2][0][0] = std::nanf("");
  }
  Recorder r;
  r.after_state = [&](const SessionState& s) {
    if (s.state == RunState::Paused) session.post(StopCommand{});
  };
  session.add_observer(&r);
  session.run();
  EXPECT_EQ(session.step(), 0);
  const auto paused = std::find_if(r.states.begin(), r.states.end(),
                                   [](const SessionState& s) { return s.state == RunState::Paused; });
  ASSERT_NE(paused, r.states.end());
  EXPECT_NE(paused->message.find("loss is not finite at step 1 (parameter blocks.1.moe.w_in holds NaN or Inf)"),
            std::string::npos)
      << paused->message;
}

TEST_F(CheckpointTest, DamagedMetadataAndTruncatedFilesAreRefused) {
  auto c = config();
  c.train.steps = 4;
  const std::string path = dir_.file("run.pt");
  {
    Session session(c);
    session.run();
    session.save_checkpoint(path);
  }
  const auto good = read_bytes(path);
  // The configuration's text: damaged, it would describe another run.
  flip_at(path, "\"fortunes_dir\"", 2);
  {
    Session session(c);
    const auto message = error_of([&] { session.load_checkpoint(path); });
    EXPECT_NE(message.find(path), std::string::npos) << message;
    EXPECT_NE(message.find("corrupt checkpoint"), std::string::npos) << message;
  }
  for (size_t keep : {size_t(0), good.size() / 3, good.size() - 7}) {
    write_bytes(path, good.substr(0, keep));
    Session session(c);
    const auto message = error_of([&] { session.load_checkpoint(path); });
    EXPECT_NE(message.find(path), std::string::npos) << keep << ": " << message;
    EXPECT_NE(message.find("truncated or corrupt"), std::string::npos) << keep << ": " << message;
  }
  // The write itself leaves no temporary file beside the checkpoint.
  write_bytes(path, good);
  Session session(c);
  session.load_checkpoint(path);
  session.save_checkpoint(path);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

}  // namespace
}  // namespace moescope
