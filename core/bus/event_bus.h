// The engine's events as Qt signals. Session observers are called on the training thread;
// EventBus lives on the GUI thread, so every connection to a GUI object is queued: views get
// copies of the event structs on their own thread and never touch the engine.
#pragma once

#include <QMetaType>
#include <QObject>
#include <QString>

#include "base/events.h"
#include "base/observer.h"

Q_DECLARE_METATYPE(moescope::RunInfo)
Q_DECLARE_METATYPE(moescope::StepMetrics)
Q_DECLARE_METATYPE(moescope::RoutingSnapshot)
Q_DECLARE_METATYPE(moescope::EvalResult)
Q_DECLARE_METATYPE(moescope::SessionState)
Q_DECLARE_METATYPE(moescope::TrajectorySnapshot)
Q_DECLARE_METATYPE(moescope::CollapseAlert)
Q_DECLARE_METATYPE(moescope::InterventionEvent)
Q_DECLARE_METATYPE(moescope::SurgeryPreview)
Q_DECLARE_METATYPE(moescope::SurgeryApplied)
Q_DECLARE_METATYPE(moescope::SurgeryRecord)

namespace moescope {

class EventBus : public QObject, public SessionObserver {
  Q_OBJECT
 public:
  explicit EventBus(QObject* parent = nullptr);

  // SessionObserver: any thread.
  void on_run_info(const RunInfo& info) override { Q_EMIT run_started(info); }
  void on_step(const StepMetrics& m) override { Q_EMIT step_finished(m); }
  void on_routing(const RoutingSnapshot& s) override { Q_EMIT routing_snapshot(s); }
  void on_eval(const EvalResult& e) override { Q_EMIT eval_finished(e); }
  void on_state(const SessionState& s) override { Q_EMIT state_changed(s); }
  void on_trajectory(const TrajectorySnapshot& t) override { Q_EMIT trajectory_snapshot(t); }
  void on_alert(const CollapseAlert& a) override { Q_EMIT collapse_alert(a); }
  void on_intervention(const InterventionEvent& e) override { Q_EMIT intervention(e); }
  void on_surgery_progress(double share, const std::string& what) override {
    Q_EMIT surgery_progress(share, QString::fromStdString(what));
  }
  void on_surgery_preview(const SurgeryPreview& p) override { Q_EMIT surgery_previewed(p); }
  void on_surgery_applied(const SurgeryApplied& a) override { Q_EMIT surgery_applied(a); }

 Q_SIGNALS:
  void run_started(const moescope::RunInfo& info);
  void step_finished(const moescope::StepMetrics& metrics);
  void routing_snapshot(const moescope::RoutingSnapshot& snapshot);
  void eval_finished(const moescope::EvalResult& result);
  void state_changed(const moescope::SessionState& state);
  void trajectory_snapshot(const moescope::TrajectorySnapshot& trajectory);
  void collapse_alert(const moescope::CollapseAlert& alert);
  void intervention(const moescope::InterventionEvent& event);
  // A surgery preview's progress: share in [0, 1] and what it does ("calibrating", ...;
  // "failed: <reason>" when the preview, apply or undo could not be done).
  void surgery_progress(double share, const QString& what);
  void surgery_previewed(const moescope::SurgeryPreview& preview);
  void surgery_applied(const moescope::SurgeryApplied& applied);
};

// Registers the event structs with Qt's meta-type system (idempotent).
void register_event_types();

}  // namespace moescope
