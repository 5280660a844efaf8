// A full disk while the run log is being written, made for real with a file-size limit
// (RLIMIT_FSIZE: writes past it fail with EFBIG, as on a full disk): the flush fails with a
// message naming the file, the failure is reported once, training's rows stay buffered, and
// once there is room again the log holds every row, in order.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "base/error.h"
#include "run_log_reader.h"
#include "run_log_writer.h"
#include "test_support.h"

namespace moescope {
namespace {

RunInfo info_4x8() {
  RunInfo info;
  info.preset = "lm-fortunes";
  info.task = "lm";
  info.config_json = "{}";
  info.layers = 4;
  info.experts = 8;
  info.top_k = 2;
  info.total_steps = 100000;
  return info;
}

RoutingSnapshot snapshot(int64_t step) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = 4;
  s.experts = 8;
  s.load.assign(32, 0.125f);
  s.load[static_cast<size_t>(step % 32)] = 0.5f;
  s.importance = s.load;
  s.entropy.assign(4, static_cast<float>(step));
  s.dropped.assign(4, 0.0f);
  return s;
}

void add_steps(RunLogWriter& log, int64_t first, int64_t last) {
  for (int64_t i = first; i <= last; ++i) {
    StepMetrics m;
    m.step = i;
    m.loss = 1.0 / static_cast<double>(i);
    log.on_step(m);
    log.on_routing(snapshot(i));
  }
}

// Lowers the soft file-size limit for its lifetime (SIGXFSZ ignored, so a write past it fails
// with EFBIG instead of killing the process).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    previous_signal_ = std::signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &previous_);
    rlimit lowered = previous_;
    lowered.rlim_cur = bytes;
    set_ = setrlimit(RLIMIT_FSIZE, &lowered) == 0;
  }
  ~FileSizeLimit() { lift(); }
  void lift() {
    if (set_) setrlimit(RLIMIT_FSIZE, &previous_);
    set_ = false;
    std::signal(SIGXFSZ, previous_signal_);
  }
  bool set() const { return set_; }

 private:
  rlimit previous_{};
  bool set_ = false;
  void (*previous_signal_)(int) = SIG_DFL;
};

TEST(RunLogFullDisk, WritesFailClearlyAndNothingIsLostOnceThereIsRoom) {
  test::TempDir dir;
  const std::string path = dir.file("full.h5");
  {
    RunLogWriter log(path, info_4x8());
    add_steps(log, 1, 20);
    log.flush();
    EXPECT_EQ(log.last_error(), "");
    EXPECT_EQ(log.take_failure(), "");
    const auto size = std::filesystem::file_size(path);

    FileSizeLimit limit(size + 1024);
    ASSERT_TRUE(limit.set());
    add_steps(log, 21, 3000);  // about 0.5 MB of rows: far past the limit
    try {
      log.flush();
      FAIL() << "a flush past the file-size limit went through";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("cannot write to the run log (no room on the disk: "),
                std::string::npos)
          << e.what();
    }
    const std::string failure = log.take_failure();
    EXPECT_NE(failure.find(path), std::string::npos) << failure;
    EXPECT_EQ(log.take_failure(), "");  // said once
    EXPECT_THROW(log.flush(), Error);   // still full: tried again, not said again
    EXPECT_EQ(log.take_failure(), "");
    add_steps(log, 3001, 3010);  // training goes on meanwhile

    limit.lift();
    log.flush();  // room again: everything buffered goes out
    add_steps(log, 3011, 3020);
  }
  const RunLog back = read_run_log(path);
  ASSERT_EQ(back.steps.size(), 3020u);
  ASSERT_EQ(back.routing.size(), 3020u);
  for (size_t i = 0; i < back.steps.size(); ++i) {
    ASSERT_EQ(back.steps[i].step, static_cast<int64_t>(i + 1));
    ASSERT_EQ(back.steps[i].loss, 1.0 / static_cast<double>(i + 1));
    ASSERT_EQ(back.routing[i].step, static_cast<int64_t>(i + 1));
    ASSERT_EQ(back.routing[i].load, snapshot(static_cast<int64_t>(i + 1)).load);
  }
}

}  // namespace
}  // namespace moescope
