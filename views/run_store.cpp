#include "run_store.h"

#include "probe_routing.h"

#include <QFileInfo>
#include <QTimer>
#include <algorithm>

namespace moescope {

bool drawable(const RoutingSnapshot& snapshot) {
  // Above this many layers or experts a snapshot is taken for corrupt rather than drawn.
  constexpr int64_t kMaxSide = int64_t{1} << 16;
  if (snapshot.layers <= 0 || snapshot.experts <= 0) return false;
  if (snapshot.layers > kMaxSide || snapshot.experts > kMaxSide) return false;
  return snapshot.load.size() == static_cast<size_t>(snapshot.layers * snapshot.experts);
}

const SnapshotHistory<RoutingFrame>& routing_history(const RunStore* store) {
  static const SnapshotHistory<RoutingFrame> kNone;
  return store ? store->routing() : kNone;
}

RunStore::RunStore(QObject* parent) : QObject(parent) {
  latest_routing_.step = -1;
}

QString RunStore::description() const {
  const QString preset = QString::fromStdString(info_.preset);
  switch (source_) {
    case Source::None: return QString();
    case Source::Live: return tr("%1 (live)").arg(preset);
    case Source::Replay:
      return preset.isEmpty() ? tr("replay of %1").arg(QFileInfo(log_path_).fileName())
                              : tr("replay of %1 (%2)").arg(QFileInfo(log_path_).fileName(), preset);
  }
  return QString();
}

void RunStore::begin(Source source, const QString& log_path) {
  source_ = source;
  log_path_ = log_path;
  info_ = RunInfo{};
  has_info_ = false;
  steps_.clear();
  evals_.clear();
  alerts_.clear();
  interventions_.clear();
  surgery_.clear();
  latest_routing_ = RoutingSnapshot{};
  latest_routing_.step = -1;
  routing_.clear();
  routing_values_ = 0;
  trajectories_.clear();
  latest_step_ = -1;
  Q_EMIT cleared();
  arm_changed();
}

void RunStore::begin_live(const QString& log_path) { begin(Source::Live, log_path); }

void RunStore::begin_replay(const QString& log_path) { begin(Source::Replay, log_path); }

void RunStore::clear() { begin(Source::None, QString()); }

void RunStore::note_step(qint64 step) {
  latest_step_ = std::max(latest_step_, step);
  arm_changed();
}

void RunStore::arm_changed() {
  if (change_armed_) return;
  change_armed_ = true;
  QTimer::singleShot(0, this, [this] {
    change_armed_ = false;
    Q_EMIT changed();
  });
}

void RunStore::set_run_info(const RunInfo& info) {
  info_ = info;
  has_info_ = true;
  Q_EMIT run_info_changed(info_);
  arm_changed();
}

void RunStore::add_step(const StepMetrics& metrics) {
  steps_.push_back(metrics);
  Q_EMIT step_added(metrics);
  note_step(metrics.step);
}

void RunStore::add_eval(const EvalResult& result) {
  evals_.push_back(result);
  Q_EMIT eval_added(result);
  note_step(result.step);
}

void RunStore::set_max_routing_frames(int frames) {
  max_routing_frames_ = std::clamp(frames, 2, kMaxHistory);
  routing_.set_capacity(std::min(max_routing_frames_, routing_history_capacity(routing_values_)));
  arm_changed();
}

void RunStore::add_routing(const RoutingSnapshot& snapshot) {
  if (drawable(snapshot)) {
    RoutingFrame frame = make_routing_frame(snapshot);
    if (!routing_.empty() && routing_.back().value.layers != frame.layers) routing_.clear();
    // The budget follows the newest frame's size (a bias switched on, a layer pruned).
    if (frame.values() != routing_values_) {
      routing_values_ = frame.values();
      routing_.set_capacity(std::min(max_routing_frames_, routing_history_capacity(routing_values_)));
    }
    routing_.add(snapshot.step, std::move(frame));
  }
  latest_routing_ = snapshot;
  Q_EMIT routing_added(snapshot);
  note_step(snapshot.step);
}

void RunStore::add_trajectory(const TrajectorySnapshot& trajectory) {
  if (drawable(trajectory)) add_to_history(trajectories_, trajectory);
  Q_EMIT trajectory_added(trajectory);
  note_step(trajectory.step);
}

void RunStore::add_alert(const CollapseAlert& alert) {
  alerts_.push_back(alert);
  Q_EMIT alert_added(alert);
  note_step(alert.step);
}

void RunStore::add_intervention(const InterventionEvent& intervention) {
  interventions_.push_back(intervention);
  Q_EMIT intervention_added(intervention);
  note_step(intervention.step);
}

void RunStore::add_surgery(const SurgeryRecord& record) {
  surgery_.push_back(record);
  Q_EMIT surgery_added(record);
  note_step(record.preview.step);
}

void RunStore::add_surgery_preview(const SurgeryPreview& preview) { add_surgery({"preview", preview}); }

void RunStore::add_surgery_applied(const SurgeryApplied& applied) {
  const auto last = std::find_if(surgery_.rbegin(), surgery_.rend(),
                                 [](const SurgeryRecord& r) { return r.action == "preview"; });
  add_surgery(surgery_record(applied, last != surgery_.rend() ? last->preview : SurgeryPreview{}));
}

}  // namespace moescope
