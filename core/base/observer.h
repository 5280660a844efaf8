#pragma once

#include <string>

#include "base/events.h"

namespace moescope {

// Receives a session's events on the training thread. Implementations that hand events to
// another thread (EventBus) copy them; the HDF5 logger writes them where it is called.
class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  virtual void on_run_info(const RunInfo&) {}
  virtual void on_step(const StepMetrics&) {}
  virtual void on_routing(const RoutingSnapshot&) {}
  virtual void on_eval(const EvalResult&) {}
  virtual void on_state(const SessionState&) {}
  virtual void on_trajectory(const TrajectorySnapshot&) {}
  virtual void on_alert(const CollapseAlert&) {}
  virtual void on_intervention(const InterventionEvent&) {}
  // The model's shape changed (pruning, merging); the shape at the start is RunInfo::shape.
  virtual void on_shape_change(const ShapeChange&) {}
  // A surgery preview's progress (calibration, planning, measuring): share in [0, 1].
  virtual void on_surgery_progress(double /*share*/, const std::string& /*what*/) {}
  virtual void on_surgery_preview(const SurgeryPreview&) {}
  virtual void on_surgery_applied(const SurgeryApplied&) {}
};

// An observer whose own work can fail without ending the run: the run log on a full disk.
// The run job asks it after every step and every change of state, on the training thread,
// and publishes each failure it reports as a LogWriteFailed alert; training goes on.
class FallibleObserver : public SessionObserver {
 public:
  // A failure since the last call, said for the user (the run log: why and at which step it
  // stopped); "" when there is none. Each failure is reported once.
  virtual std::string take_failure() = 0;
};

}  // namespace moescope
