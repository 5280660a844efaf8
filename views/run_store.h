// One run as the views see it (PlotJuggler's PlotDataMapRef): which run it is (preset, log
// path, live or replay), its run info, step metrics, evaluations, alerts and interventions,
// and the newest routing and trajectory snapshots. It is fed either live (its slots connected
// to the EventBus's signals) or by a replay (the window reads the log off the GUI thread and
// adds the events here). Views take a store pointer and read it; nothing assumes there is
// only one store, so two stores side by side can show two runs.
//
// Each event is re-emitted as a typed signal (after the store has kept it), and changed() is
// armed by every event but emitted at most once per turn of the event loop:
// listeners that only repaint coalesce on it (views still repaint from their own <= 30 Hz
// timers, never per event).
#pragma once

#include <QObject>
#include <QString>
#include <vector>

#include "base/events.h"
#include "routing_frame.h"
#include "snapshot_history.h"

namespace moescope {

// Whether a snapshot can be drawn: positive sizes and layers x experts load values. Others are
// ignored by the load views (a truncated replay or a bug upstream must not crash the GUI).
bool drawable(const RoutingSnapshot& snapshot);

class RunStore;
// The store's routing history (RunStore::routing()), or an empty one for a view not attached.
const SnapshotHistory<RoutingFrame>& routing_history(const RunStore* store);

class RunStore : public QObject {
  Q_OBJECT
 public:
  enum class Source { None, Live, Replay };

  explicit RunStore(QObject* parent = nullptr);

  Source source() const { return source_; }
  bool is_replay() const { return source_ == Source::Replay; }
  // The run's HDF5 log (being written for a live run, read for a replay); may be empty.
  const QString& log_path() const { return log_path_; }
  bool has_run_info() const { return has_info_; }
  const RunInfo& info() const { return info_; }
  // "lm-fortunes (live)", "replay of collapse.h5 (collapse-demo)", or empty before a run.
  QString description() const;

  const std::vector<StepMetrics>& steps() const { return steps_; }
  const std::vector<EvalResult>& evals() const { return evals_; }
  const std::vector<CollapseAlert>& alerts() const { return alerts_; }
  const std::vector<InterventionEvent>& interventions() const { return interventions_; }
  // Surgery previews, applications and undos, in order (the surgery dock's history).
  const std::vector<SurgeryRecord>& surgery() const { return surgery_; }
  // The newest routing snapshot (step -1 before the first).
  const RoutingSnapshot& latest_routing() const { return latest_routing_; }
  // What the heatmap, load timeline and gating view draw, kept once for all of them: one
  // frame per drawable snapshot, evenly thinned when full (SnapshotHistory) under one memory
  // budget (kRoutingHistoryBytes, docs/architecture.md). A snapshot of another layer count
  // is another model and starts again; another expert count (pruned or merged mid-run) keeps
  // the history, each frame knowing its own width.
  const SnapshotHistory<RoutingFrame>& routing() const { return routing_; }
  // Lowers the cap on kept routing frames (at least 2) below what the budget allows; for
  // tests and memory-tight setups.
  void set_max_routing_frames(int frames);
  // The probe-token trajectories, kept once for every view that draws them (evenly thinned
  // when full, see SnapshotHistory); one of another shape starts again, one that cannot be
  // drawn is not kept.
  const SnapshotHistory<TrajectorySnapshot>& trajectories() const { return trajectories_; }
  // Newest step seen in any event, -1 before the first.
  qint64 latest_step() const { return latest_step_; }

 public Q_SLOTS:
  // Forgets everything and starts holding a new run.
  void begin_live(const QString& log_path);
  void begin_replay(const QString& log_path);
  void clear();

  void set_run_info(const moescope::RunInfo& info);
  void add_step(const moescope::StepMetrics& metrics);
  void add_eval(const moescope::EvalResult& result);
  void add_routing(const moescope::RoutingSnapshot& snapshot);
  void add_trajectory(const moescope::TrajectorySnapshot& trajectory);
  void add_alert(const moescope::CollapseAlert& alert);
  void add_intervention(const moescope::InterventionEvent& intervention);
  void add_surgery(const moescope::SurgeryRecord& record);
  // A live run's surgery events, kept as records ("apply" and "undo" carry the preview they
  // applied, as the run log's /surgery table does).
  void add_surgery_preview(const moescope::SurgeryPreview& preview);
  void add_surgery_applied(const moescope::SurgeryApplied& applied);

 Q_SIGNALS:
  // The store holds another run now (or none): views forget what they drew.
  void cleared();
  void run_info_changed(const moescope::RunInfo& info);
  void step_added(const moescope::StepMetrics& metrics);
  void eval_added(const moescope::EvalResult& result);
  void routing_added(const moescope::RoutingSnapshot& snapshot);
  void trajectory_added(const moescope::TrajectorySnapshot& trajectory);
  void alert_added(const moescope::CollapseAlert& alert);
  void intervention_added(const moescope::InterventionEvent& intervention);
  void surgery_added(const moescope::SurgeryRecord& record);
  // Something was added since the last changed(); at most once per event-loop turn.
  void changed();

 private:
  void begin(Source source, const QString& log_path);
  void note_step(qint64 step);
  void arm_changed();

  Source source_ = Source::None;
  QString log_path_;
  RunInfo info_;
  bool has_info_ = false;
  std::vector<StepMetrics> steps_;
  std::vector<EvalResult> evals_;
  std::vector<CollapseAlert> alerts_;
  std::vector<InterventionEvent> interventions_;
  std::vector<SurgeryRecord> surgery_;
  RoutingSnapshot latest_routing_;
  SnapshotHistory<RoutingFrame> routing_;
  int max_routing_frames_ = kMaxHistory;
  int64_t routing_values_ = 0;  // values of the newest frame: the budget's unit
  SnapshotHistory<TrajectorySnapshot> trajectories_;
  qint64 latest_step_ = -1;
  bool change_armed_ = false;
};

}  // namespace moescope
