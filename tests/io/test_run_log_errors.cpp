// Run logs that cannot be read or written: missing, foreign and truncated files, an
// unwritable folder, a disk that fills while the run goes on, and logs of the first format.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/error.h"
#include "run_log_fixtures.h"
#include "run_log_reader.h"
#include "run_log_writer.h"
#include "test_support.h"

namespace moescope {
namespace {

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

// A full disk while the run log is being written, made for real with a file-size limit
// (RLIMIT_FSIZE: writes past it fail with EFBIG, as on a full disk): the flush fails with a
// message naming the file, the failure is reported once, training's rows stay buffered, and
// once there is room again the log holds every row, in order.
// Steps first..last, each with a routing snapshot, as a run would publish them.
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

// A full disk stops the log at its first failed flush: the file keeps steps 1..N (N the last
// step flushed), closed and readable while the run goes on, and nothing more is written even
// once there is room again. Here the file-size limit makes the writer's room check refuse the
// flush; tests/python/test_full_disk.py makes the writes themselves fail.
TEST(RunLogFullDisk, TheLogStopsAtTheFirstFailureAndKeepsEverythingBefore) {
  test::TempDir dir;
  const std::string path = dir.file("full.h5");
  std::uintmax_t size_at_stop = 0;
  {
    RunLogWriter log(path, info_2x3());
    add_steps(log, 1, 20);
    log.flush();
    EXPECT_EQ(log.flushed_step(), 20);
    EXPECT_EQ(log.last_error(), "");
    EXPECT_EQ(log.take_failure(), "");
    const auto size = std::filesystem::file_size(path);

    FileSizeLimit limit(size + 1024);
    ASSERT_TRUE(limit.set());
    add_steps(log, 21, 3000);  // about 0.3 MB of rows: far past the limit
    try {
      log.flush();
      FAIL() << "a flush past the file-size limit went through";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path + ": the log stopped at step 20 (no room on the disk: "),
                std::string::npos)
          << e.what();
    }
    const std::string failure = log.take_failure();
    EXPECT_NE(failure.find(path + ": the log stopped at step 20 ("), std::string::npos) << failure;
    EXPECT_EQ(log.take_failure(), "");  // said once
    EXPECT_EQ(log.last_error(), failure);
    EXPECT_FALSE(std::filesystem::exists(writer_mark_path(path)));  // nobody writes it now

    // While the run goes on, the file is closed and holds steps 1..20.
    EXPECT_FALSE(log_marked_open(path));
    EXPECT_EQ(read_run_log(path).steps.size(), 20u);
    size_at_stop = std::filesystem::file_size(path);

    limit.lift();
    add_steps(log, 3001, 3010);  // training goes on; the log takes nothing more
    EXPECT_NO_THROW(log.flush());
    EXPECT_EQ(log.flushed_step(), 20);
  }
  EXPECT_EQ(std::filesystem::file_size(path), size_at_stop);
  const RunLog back = read_run_log(path);
  ASSERT_EQ(back.steps.size(), 20u);
  ASSERT_EQ(back.routing.size(), 20u);
  for (size_t i = 0; i < back.steps.size(); ++i) {
    ASSERT_EQ(back.steps[i].step, static_cast<int64_t>(i + 1));
    ASSERT_EQ(back.steps[i].loss, 1.0 / static_cast<double>(i + 1));
    ASSERT_EQ(back.routing[i].step, static_cast<int64_t>(i + 1));
    ASSERT_EQ(back.routing[i].entropy[1], static_cast<float>(i + 1));
  }
}

TEST(RunLog, FormatOneLogsStillRead) {
  // tests/io/data/format1-collapse.h5: written by the format-1 writer (collapse-demo, 2 layers
  // x 8 experts, 90 steps, snapshots every 5, a temperature change at step 40).
  const auto log = read_run_log(MOESCOPE_TEST_DATA "/format1-collapse.h5");
  EXPECT_EQ(log.info.preset, "collapse-demo");
  EXPECT_EQ(log.info.layers, 2);
  EXPECT_EQ(log.info.experts, 8);
  EXPECT_TRUE(log.info.layer_experts.empty());
  EXPECT_EQ(log.steps.size(), 90u);
  EXPECT_EQ(log.steps.back().step, 90);
  ASSERT_EQ(log.routing.size(), 18u);
  EXPECT_TRUE(log.routing[0].layer_experts.empty());
  EXPECT_EQ(log.routing[0].experts, 8);
  EXPECT_EQ(log.routing[0].load.size(), 16u);
  EXPECT_EQ(log.routing[17].k_hist.size(), size_t(2 * RoutingSnapshot::kKBins));
  ASSERT_EQ(log.alerts.size(), 6u);
  EXPECT_EQ(log.alerts[0].kind, AlertKind::DominantExpert);
  EXPECT_EQ(log.alerts[4].kind, AlertKind::DeadExpert);
  EXPECT_EQ(log.alerts[4].experts, (std::vector<int64_t>{2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(log.alerts[0].experts, std::vector<int64_t>{0});
  ASSERT_EQ(log.interventions.size(), 1u);
  EXPECT_EQ(log.interventions[0].kind, "temperature");
  EXPECT_EQ(log.interventions[0].step, 40);
  EXPECT_EQ(log.interventions[0].value, 1.5);
  EXPECT_TRUE(log.shape_changes.empty());
  EXPECT_TRUE(log.info.shape.layers.empty());  // format 1 did not record it
}

}  // namespace
}  // namespace moescope
