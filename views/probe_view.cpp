#include "probe_view.h"

#include "probe_routing.h"
#include "run_store.h"

namespace moescope {

const SnapshotHistory<TrajectorySnapshot>& ProbeView::history() const {
  return store() ? store()->trajectories() : own_history_;
}

void ProbeView::connect_store(RunStore* store) {
  connect(store, &RunStore::run_info_changed, this, &ProbeView::set_run_info);
  // The store keeps the trajectories once for every view: a new one only marks this dirty.
  connect(store, &RunStore::trajectory_added, this, [this] { mark_dirty(); });
}

void ProbeView::set_trajectory(const TrajectorySnapshot& trajectory) {
  if (!drawable(trajectory)) return;
  own_history_.clear();
  add_trajectory(trajectory);
}

void ProbeView::add_trajectory(const TrajectorySnapshot& trajectory) {
  if (!drawable(trajectory)) return;
  trajectory_added(trajectory);
  add_to_history(own_history_, trajectory);
  mark_dirty();
}

void ProbeView::clear() {
  own_history_.clear();
  mark_dirty();
}

}  // namespace moescope
