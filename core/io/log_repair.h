// A run log left by a killed writer, and its repair.
//
// A log is written in SWMR mode: while it is open for writing, HDF5 marks its superblock
// ("file consistency flags"), and a reader that does not ask for SWMR (h5py's plain
// File(path, "r"), h5ls, HDFView) refuses it. A clean close clears the mark; a kill leaves it.
// Since a live log and a killed one look the same on disk, the writer leaves proof of life
// beside the log (PATH.writer: its pid, host and process start time, touched at every flush),
// and only a log whose writer is gone is repaired, never one being written.
#pragma once

#include <string>

namespace moescope {

// The writer's mark beside a log, from construction to destruction. Not copyable.
class WriterMark {
 public:
  // Writes log_path + ".writer"; throws moescope::Error naming it when it cannot.
  explicit WriterMark(const std::string& log_path);
  ~WriterMark();  // removes the mark
  WriterMark(const WriterMark&) = delete;
  WriterMark& operator=(const WriterMark&) = delete;
  // Refreshes the mark's modification time (the heartbeat a writer on another host is judged
  // by); never throws.
  void touch() noexcept;

 private:
  std::string path_;
};

std::string writer_mark_path(const std::string& log_path);

enum class LogWriter {
  None,   // no mark: the writer closed the log, or never left one
  Alive,  // a mark whose process runs (this host), or whose heartbeat is fresh (another host)
  Gone,   // a mark whose writer died without removing it
};
// `detail` gets a sentence on what was found (pid, host, heartbeat age).
LogWriter log_writer_state(const std::string& log_path, std::string* detail = nullptr);

// Whether the log's superblock still says "open for writing" (a live or a killed SWMR writer).
// False for a file that is not HDF5 or that cannot be read.
bool log_marked_open(const std::string& log_path);

struct LogRepair {
  bool repaired = false;  // false: nothing to do
  bool extended = false;  // the end of allocation lay past the end of the file
  std::string message;    // what was done, or why nothing was
};

// Clears the consistency flags of a log whose writer is gone, as `h5clear -s` does, and when
// the file ends before its recorded end of allocation, extends it there (h5clear --increment);
// the data already flushed is left as it is. Refuses (throws moescope::Error naming the file)
// a log whose writer is alive, unless `force`; a file that is not HDF5 or that repair cannot
// open is an error too. A log that needs nothing is left untouched.
LogRepair repair_run_log(const std::string& path, bool force = false);

// For readers: repairs the log when its writer is gone and the file is writable; otherwise
// leaves it (a reader opens it in SWMR mode either way). Never throws.
LogRepair repair_if_abandoned(const std::string& path) noexcept;

}  // namespace moescope
