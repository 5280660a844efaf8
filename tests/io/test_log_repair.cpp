// A killed run's log: its writer mark, the repair that makes it open in plain (non-SWMR)
// HDF5 readers, and the refusal to touch a log that is still being written.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log_repair.h"
#include "run_log_fixtures.h"
#include "run_log_reader.h"
#include "test_support.h"

namespace moescope {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

// Runs f, which must throw moescope::Error with every one of `words` in its message.
template <class F>
void expect_error(F&& f, std::initializer_list<std::string> words) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    for (const auto& w : words) EXPECT_NE(std::string(e.what()).find(w), std::string::npos) << e.what();
  }
}

// What h5py's File(path, "r"), h5ls and HDFView do: open without SWMR.
bool opens_without_swmr(const std::string& path) {
  H5E_BEGIN_TRY {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file >= 0) {
      H5Fclose(file);
      return true;
    }
  }
  H5E_END_TRY;
  return false;
}

char process_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() ? '?' : text[paren + 2];
}

// Writes `steps` steps with a flush, then dies by SIGKILL with the log open, as a run killed
// with kill -9 does. Returns once the child is reaped.
void write_and_die(const std::string& path, int steps) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    RunLogWriter log(path, info_2x3());
    for (int i = 1; i <= steps; ++i) log.on_step(metrics(i));
    log.on_routing(snapshot(steps));
    log.flush();
    log.on_step(metrics(steps + 1));  // buffered, never flushed: lost with the process
    raise(SIGKILL);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
}

void write_mark(const std::string& log, long long pid, const std::string& host, double age_seconds) {
  std::ofstream(writer_mark_path(log)) << R"({"pid": )" << pid << R"(, "host": ")" << host << R"("})";
  const auto when = std::chrono::system_clock::now() - std::chrono::duration<double>(age_seconds);
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count();
  timespec times[2] = {{ns / 1000000000, ns % 1000000000}, {ns / 1000000000, ns % 1000000000}};
  ASSERT_EQ(utimensat(AT_FDCWD, writer_mark_path(log).c_str(), times, 0), 0);
}

TEST(LogRepair, AKilledRunsLogOpensInPlainReadersAfterRepairWithEveryFlushedStep) {
  TempDir dir;
  const auto path = dir.file("killed.h5");
  write_and_die(path, 37);
  // What users hit: the superblock still says "open for write", so a plain open fails.
  EXPECT_TRUE(log_marked_open(path));
  EXPECT_FALSE(opens_without_swmr(path));
  std::string detail;
  EXPECT_EQ(log_writer_state(path, &detail), LogWriter::Gone) << detail;
  EXPECT_NE(detail.find("ended without closing"), std::string::npos) << detail;

  const auto repair = repair_run_log(path);
  EXPECT_TRUE(repair.repaired);
  EXPECT_NE(repair.message.find("repaired"), std::string::npos) << repair.message;
  EXPECT_FALSE(log_marked_open(path));
  EXPECT_TRUE(opens_without_swmr(path));
  EXPECT_FALSE(fs::exists(writer_mark_path(path)));  // the dead writer's mark goes with it

  const auto log = read_run_log(path);
  ASSERT_EQ(log.steps.size(), 37u);  // every flushed step; the unflushed 38th is lost
  for (int i = 0; i < 37; ++i) EXPECT_EQ(log.steps[size_t(i)].step, i + 1);
  ASSERT_EQ(log.routing.size(), 1u);
  EXPECT_EQ(log.routing[0].step, 37);

  // A second repair finds nothing to do and leaves the file as it is.
  const auto before = fs::last_write_time(path);
  EXPECT_FALSE(repair_run_log(path).repaired);
  EXPECT_EQ(fs::last_write_time(path), before);
}

TEST(LogRepair, ReadersRepairALogWhoseWriterIsGoneOnTheirOwn) {
  TempDir dir;
  const auto path = dir.file("killed.h5");
  write_and_die(path, 12);
  ASSERT_FALSE(opens_without_swmr(path));
  EXPECT_EQ(read_run_summary(path).steps, 12);  // the runs panel, replay and plot read this way
  EXPECT_TRUE(opens_without_swmr(path));
}

TEST(LogRepair, ALogBeingWrittenIsNeverRepaired) {
  TempDir dir;
  const auto path = dir.file("live.h5");
  RunLogWriter writer(path, info_2x3());
  for (int i = 1; i <= 5; ++i) writer.on_step(metrics(i));
  writer.flush();
  ASSERT_TRUE(fs::exists(writer_mark_path(path)));
  std::string detail;
  EXPECT_EQ(log_writer_state(path, &detail), LogWriter::Alive);
  EXPECT_NE(detail.find("pid " + std::to_string(getpid())), std::string::npos) << detail;
  EXPECT_TRUE(log_marked_open(path));
  expect_error([&] { repair_run_log(path); }, {path, "being written", "swmr=True"});
  EXPECT_FALSE(repair_if_abandoned(path).repaired);
  EXPECT_EQ(read_run_log(path).steps.size(), 5u);  // SWMR readers (live follow) go on as before
  EXPECT_TRUE(log_marked_open(path));
}

TEST(LogRepair, AWriterIsAliveWhileItsProcessRunsOrOnAnotherHostWhileItsHeartbeatIsFresh) {
  TempDir dir;
  const auto log = dir.file("run.h5");
  EXPECT_EQ(log_writer_state(log), LogWriter::None);

  write_mark(log, getpid(), "another-host", 5.0);
  EXPECT_EQ(log_writer_state(log), LogWriter::Alive);
  write_mark(log, getpid(), "another-host", 600.0);
  std::string detail;
  EXPECT_EQ(log_writer_state(log, &detail), LogWriter::Gone);
  EXPECT_NE(detail.find("another-host"), std::string::npos) << detail;

  // This host: the process decides, however old the heartbeat (a stopped writer is alive).
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  write_mark(log, getpid(), host, 600.0);
  EXPECT_EQ(log_writer_state(log), LogWriter::Alive);
  const pid_t zombie = fork();
  if (zombie == 0) _exit(0);
  // Killed and not yet reaped (its parent, say `timeout`, was killed too): kill(pid, 0) still
  // succeeds, but nothing writes any more.
  for (int i = 0; i < 200 && process_state(zombie) != 'Z'; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_EQ(process_state(zombie), 'Z');
  write_mark(log, zombie, host, 0.0);
  EXPECT_EQ(log_writer_state(log), LogWriter::Gone);
  waitpid(zombie, nullptr, 0);
  const pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);  // reaped: its pid names no process
  write_mark(log, child, host, 0.0);
  EXPECT_EQ(log_writer_state(log), LogWriter::Gone);

  std::ofstream(writer_mark_path(log)) << "{\"pid\": 12";  // a writer killed while writing it
  EXPECT_EQ(log_writer_state(log), LogWriter::Gone);
}

TEST(LogRepair, AFileCutBeforeItsEndOfAllocationIsExtendedToIt) {
  TempDir dir;
  const auto path = dir.file("short.h5");
  write_and_die(path, 20);
  // Space the library allocated but the kill did not let it write: the file ends early.
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 100);
  const auto repair = repair_run_log(path);
  EXPECT_TRUE(repair.repaired);
  EXPECT_TRUE(repair.extended) << repair.message;
  EXPECT_GE(fs::file_size(path), size - 100);
  EXPECT_TRUE(opens_without_swmr(path));
}

TEST(LogRepair, RefusesWhatIsNoLogAndLeavesACleanLogAlone) {
  TempDir dir;
  const auto text = dir.file("notes.h5");
  std::ofstream(text) << "not HDF5";
  expect_error([&] { repair_run_log(text); }, {text, "not an HDF5 file"});
  expect_error([&] { repair_run_log(dir.file("missing.h5")); }, {"missing.h5", "not found"});
  const auto clean = dir.file("clean.h5");
  write_run(clean, 10);
  EXPECT_FALSE(log_marked_open(clean));
  EXPECT_FALSE(fs::exists(writer_mark_path(clean)));  // a closed log leaves no mark
  const auto repair = repair_run_log(clean);
  EXPECT_FALSE(repair.repaired);
  EXPECT_NE(repair.message.find("nothing to repair"), std::string::npos);
}

}  // namespace
}  // namespace moescope
