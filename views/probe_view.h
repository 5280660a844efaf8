// The base of the views that draw the fixed probe tokens' routing (routing trajectories,
// probe tokens): attached to a run store they read its trajectories, kept once there for
// both; a view on its own keeps those given to add_trajectory().
#pragma once

#include "base/events.h"
#include "snapshot_history.h"
#include "view_base.h"

namespace moescope {

class ProbeView : public PaintedView {
  Q_OBJECT
 public:
  using PaintedView::PaintedView;

  // Trajectories kept (the store's once attached).
  int trajectories() const { return history().size(); }
  // Step of the trajectory shown after the last refresh(), -1 before the first.
  qint64 shown_step() const { return shown_step_; }

 public Q_SLOTS:
  virtual void set_run_info(const moescope::RunInfo& info) = 0;
  // Forgets the history and shows this trajectory (a view on its own).
  void set_trajectory(const moescope::TrajectorySnapshot& trajectory);
  // Keeps the trajectory (evenly thinned history, see SnapshotHistory); the view follows the
  // latest unless show_step() chose one. One of another shape (layers, tokens, slots) starts
  // a new history; one whose sizes do not match its vectors is ignored.
  void add_trajectory(const moescope::TrajectorySnapshot& trajectory);
  // Forgets the trajectories (run info such as the probe text stays until the next one).
  void clear() override;

 protected:
  void connect_store(RunStore* store) override;
  const SnapshotHistory<TrajectorySnapshot>& history() const;
  // A drawable trajectory was given to add_trajectory().
  virtual void trajectory_added(const TrajectorySnapshot&) {}
  qint64 shown_step_ = -1;

 private:
  SnapshotHistory<TrajectorySnapshot> own_history_;
};

}  // namespace moescope
