// The snapshots a view keeps over a run so that it can show an older step (an alert's, a
// cursor's) and draw series over time, in bounded memory: thinned evenly when full, the way
// LoadTimelineWidget thins its columns.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace moescope {

// Upper bound on kept snapshots, and the memory a view's history may take, in 4-byte values
// (64 MiB): wide snapshots are kept fewer times (see history_capacity()).
inline constexpr int kMaxHistory = 20000;
inline constexpr int64_t kHistoryValueBudget = int64_t{1} << 24;

// How many snapshots of `values_per_snapshot` 4-byte values fit the budget: between
// `min_snapshots` and kMaxHistory.
inline int history_capacity(int64_t values_per_snapshot, int min_snapshots = 256) {
  if (values_per_snapshot <= 0) return kMaxHistory;
  const int64_t by_memory = kHistoryValueBudget / values_per_snapshot;
  return static_cast<int>(std::clamp<int64_t>(by_memory, min_snapshots, kMaxHistory));
}

template <typename T>
class SnapshotHistory {
 public:
  struct Entry {
    int64_t step = 0;
    T value;
  };

  // At least 2; a lower cap thins what is kept now.
  void set_capacity(int capacity) {
    capacity_ = std::max(capacity, 2);
    while (static_cast<int>(kept_.size()) > capacity_) thin();
  }
  int capacity() const { return capacity_; }

  // The newest snapshot is always available (as the last entry) until the next arrives. Kept
  // for good are arrivals 0, s, 2s, ...: when the cap is reached every other kept one is
  // dropped and s doubles, so what is kept stays evenly spaced in time.
  void add(int64_t step, T value) {
    const bool keep = arrivals_ % stride_ == 0;
    ++arrivals_;
    if (!keep) {
      newest_ = Entry{step, std::move(value)};
      return;
    }
    newest_.reset();
    kept_.push_back(Entry{step, std::move(value)});
    if (static_cast<int>(kept_.size()) > capacity_) thin();
  }

  void clear() {
    kept_.clear();
    kept_.shrink_to_fit();
    newest_.reset();
    arrivals_ = 0;
    stride_ = 1;
  }

  // Kept snapshots in arrival order, then the newest if it was not kept.
  int size() const { return static_cast<int>(kept_.size()) + (newest_ ? 1 : 0); }
  bool empty() const { return size() == 0; }
  const Entry& operator[](int i) const {
    return i < static_cast<int>(kept_.size()) ? kept_[static_cast<size_t>(i)] : *newest_;
  }
  const Entry& back() const { return (*this)[size() - 1]; }
  // The step of each entry, in the order above.
  std::vector<int64_t> steps() const {
    std::vector<int64_t> steps;
    steps.reserve(static_cast<size_t>(size()));
    for (int i = 0; i < size(); ++i) steps.push_back((*this)[i].step);
    return steps;
  }

  // Index of the snapshot nearest to `step` (the older one of two equally near), -1 when empty.
  // A linear scan: steps need not be sorted, and a history is at most kMaxHistory long.
  int nearest(int64_t step) const {
    int best = -1;
    int64_t best_distance = 0;
    for (int i = 0; i < size(); ++i) {
      const Entry& entry = (*this)[i];
      const int64_t distance = entry.step > step ? entry.step - step : step - entry.step;
      const bool older_tie =
          best >= 0 && distance == best_distance && entry.step < (*this)[best].step;
      if (best < 0 || distance < best_distance || older_tie) {
        best = i;
        best_distance = distance;
      }
    }
    return best;
  }

 private:
  void thin() {
    const size_t kept = (kept_.size() + 1) / 2;
    for (size_t i = 1; i < kept; ++i) kept_[i] = std::move(kept_[2 * i]);
    kept_.resize(kept);
    stride_ *= 2;
  }

  std::vector<Entry> kept_;
  std::optional<Entry> newest_;  // the last arrival, when the stride did not keep it
  int64_t arrivals_ = 0;
  int64_t stride_ = 1;
  int capacity_ = kMaxHistory;
};

}  // namespace moescope
