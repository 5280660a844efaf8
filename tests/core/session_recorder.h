// Records what a session publishes, for tests; optional hooks run after a step or a state.
#pragma once

#include <functional>
#include <vector>

#include "base/observer.h"

namespace moescope::test {

struct Recorder : SessionObserver {
  std::vector<StepMetrics> steps;
  std::vector<RoutingSnapshot> snapshots;
  std::vector<EvalResult> evals;
  std::vector<SessionState> states;
  std::vector<InterventionEvent> interventions;
  std::vector<CollapseAlert> alerts;
  std::vector<ShapeChange> shape_changes;
  std::function<void(const StepMetrics&)> after_step;
  std::function<void(const SessionState&)> after_state;

  void on_step(const StepMetrics& m) override {
    steps.push_back(m);
    if (after_step) after_step(m);
  }
  void on_routing(const RoutingSnapshot& s) override { snapshots.push_back(s); }
  void on_eval(const EvalResult& e) override { evals.push_back(e); }
  void on_state(const SessionState& s) override {
    states.push_back(s);
    if (after_state) after_state(s);
  }
  void on_intervention(const InterventionEvent& e) override { interventions.push_back(e); }
  void on_alert(const CollapseAlert& a) override { alerts.push_back(a); }
  void on_shape_change(const ShapeChange& c) override { shape_changes.push_back(c); }
};

}  // namespace moescope::test
