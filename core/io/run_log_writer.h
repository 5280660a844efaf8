// Writes a run's events to an HDF5 file that Python (h5py) can read while the run goes on:
// every dataset is created up front, then the file switches to SWMR mode; rows are buffered
// and a flusher thread writes and flushes them every half second. The layout is documented
// in docs/hdf5-log.md. While it is written, PATH.writer beside it says by whom (log_repair.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

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

  // Writes buffered rows and flushes the file now; throws moescope::Error. Rows that could not
  // be written stay buffered, in order, for the next flush: the file holds every row up to the
  // last write that went through, and nothing is lost once writing works again.
  void flush();
  // The last write error (a full disk), or "" when every flush so far went through.
  std::string last_error() const;
  // The write error that began since the last call (then once more only after a flush that
  // went through and a new failure); "" for none.
  std::string take_failure() override;
  const std::string& path() const { return path_; }

 private:
  struct File;
  void flusher_loop();

  std::string path_;
  WriterMark mark_;  // proof of life beside the log, from before its creation to after its close
  std::unique_ptr<File> file_;
  mutable std::mutex pending_mutex_;
  std::string last_error_;
  std::string unreported_error_;
  bool failing_ = false;  // the last flush failed
  std::condition_variable wake_;
  bool closing_ = false;
  std::thread flusher_;
};

}  // namespace moescope
