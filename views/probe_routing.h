// What the trajectory and token views read from a TrajectorySnapshot: whether it can be drawn,
// each probe token's top-1 expert at a layer, and how the views keep their history.
#pragma once

#include <cstdint>

#include "base/events.h"
#include "snapshot_history.h"

namespace moescope {

// Positive sizes, layers x tokens x slots experts and weights, and expert ids that are -1 or
// in [0, 2^16). Others are ignored by the views (a truncated replay or a bug upstream must not
// crash the GUI).
inline bool drawable(const TrajectorySnapshot& trajectory) {
  constexpr int64_t kMaxValues = int64_t{1} << 28;
  if (trajectory.layers <= 0 || trajectory.tokens <= 0 || trajectory.slots <= 0) return false;
  if (trajectory.layers > kMaxValues / trajectory.tokens / trajectory.slots) return false;
  const auto values = static_cast<size_t>(trajectory.layers * trajectory.tokens * trajectory.slots);
  if (trajectory.experts.size() != values || trajectory.weights.size() != values) return false;
  for (int32_t expert : trajectory.experts)
    if (expert < -1 || expert >= (1 << 16)) return false;
  return true;
}

// The token's best dispatched expert at the layer (its first slot that holds one), -1 when it
// was dispatched to none (dropped).
inline int32_t top1_expert(const TrajectorySnapshot& trajectory, int64_t layer, int64_t token) {
  for (int64_t slot = 0; slot < trajectory.slots; ++slot) {
    const int32_t expert = trajectory.expert_at(layer, token, slot);
    if (expert >= 0) return expert;
  }
  return -1;
}

// Appends a drawable trajectory to a view's history; one of another shape (layers, tokens,
// slots) starts a new history, sized for its snapshots.
inline void add_to_history(SnapshotHistory<TrajectorySnapshot>& history,
                           const TrajectorySnapshot& trajectory) {
  if (!history.empty()) {
    const TrajectorySnapshot& last = history.back().value;
    if (last.layers != trajectory.layers || last.tokens != trajectory.tokens ||
        last.slots != trajectory.slots)
      history.clear();
  }
  if (history.empty())
    history.set_capacity(
        history_capacity(2 * trajectory.layers * trajectory.tokens * trajectory.slots, 16));
  history.add(trajectory.step, trajectory);
}

}  // namespace moescope
