// Writes a run's events to an HDF5 file that Python (h5py) can read while the run goes on:
// every dataset is created up front, then the file switches to SWMR mode; rows are buffered
// and a flusher thread writes and flushes them every half second. The layout is documented
// in docs/hdf5-log.md. While it is written, PATH.writer beside it says by whom (log_repair.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/observer.h"
#include "log_repair.h"

namespace moescope {

// The datasets, their types and shapes: run_log_schema.h.
inline constexpr int kRunLogFormatVersion = 2;

class RunLogWriter final : public FallibleObserver {
 public:
  // Creates (truncates) path and all datasets for info.layers x info.experts (the widest
  // layer: a model may lose experts later, not gain them). Throws moescope::Error naming the
  // file when it cannot be created.
  RunLogWriter(const std::string& path, const RunInfo& info);
  ~RunLogWriter() override;  // flushes and closes
  RunLogWriter(const RunLogWriter&) = delete;
  RunLogWriter& operator=(const RunLogWriter&) = delete;

  void on_step(const StepMetrics& m) override;
  void on_routing(const RoutingSnapshot& s) override;
  void on_eval(const EvalResult& e) override;
  void on_state(const SessionState& s) override;
  void on_trajectory(const TrajectorySnapshot& t) override;
  void on_alert(const CollapseAlert& a) override;
  void on_intervention(const InterventionEvent& e) override;
  // Recorded as a row of /shape when it fits the file (layers, at most its widest experts
  // and logits) and differs from the shape recorded last.
  void on_shape_change(const ShapeChange& change) override;
  // /surgery: every preview, and every Apply and Undo (with the preview it applied).
  void on_surgery_preview(const SurgeryPreview& preview) override;
  void on_surgery_applied(const SurgeryApplied& applied) override;

  // Writes buffered rows and flushes the file now; throws moescope::Error naming the file.
  // A write that fails (a full disk) stops the log for good: the rows of the failed flush and
  // any later ones are dropped, the file is closed as it was at the last flush that went
  // through (so every reader opens it), and later calls do nothing. Training goes on.
  void flush();
  // Why the log stopped ("PATH: the log stopped at step N (...)"), or "" while it is written.
  std::string last_error() const;
  // The same, once: the first call after the log stopped gets it, later calls "".
  std::string take_failure() override;
  // The last step of the last flush that went through (0 before the first one). After a
  // failed write the file may hold more (what went out before the failure): the message of
  // last_error() names the step the file holds, read back.
  int64_t flushed_step() const;
  const std::string& path() const { return path_; }

 private:
  struct File;
  void flusher_loop();

  // Stops the log (a flush refused for want of room, or a write that failed): drops what is
  // buffered and closes the file. Holds hdf5_mutex(). After a failed write, returns each
  // dataset's name and its rows before the flush (rows_before, by column), to cut back to.
  std::vector<std::pair<std::string, unsigned long long>> stop(
      bool write_failed, const std::vector<unsigned long long>& rows_before);

  std::string path_;
  // Proof of life beside the log, from before its creation to after its close (or its stop).
  std::optional<WriterMark> mark_;
  std::unique_ptr<File> file_;
  mutable std::mutex pending_mutex_;
  std::string last_error_;
  std::string unreported_error_;
  bool stopped_ = false;         // a write failed: nothing more is buffered or written
  int64_t buffered_step_ = 0;    // the last step buffered
  int64_t flushed_step_ = 0;     // the last step in the file
  std::condition_variable wake_;
  bool closing_ = false;
  std::thread flusher_;
};

}  // namespace moescope
