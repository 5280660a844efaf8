#pragma once

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
};

}  // namespace moescope
