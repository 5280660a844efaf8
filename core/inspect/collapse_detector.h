// Watches routing snapshots for the ways a router fails and raises one alert per episode:
// an alert fires when its condition starts to hold and re-arms only once the condition has
// cleared (with hysteresis), so a dead expert is reported once, not every snapshot.
// docs/router-collapse.md gives the rules, the thresholds and why they were chosen.
#pragma once

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "base/events.h"
#include "base/model_shape.h"

namespace moescope {

struct CollapseThresholds {
  // Snapshots up to this step are not judged: routing during the learning-rate warm-up is
  // chaotic even in healthy runs (lm-fortunes has experts above 90% of tokens at step 15).
  int64_t grace_steps = 0;
  double dead_utilisation = 0.05;  // load x experts below this is a dead expert ...
  int dead_snapshots = 5;          // ... when it lasts this many snapshots in a row
  int dominant_snapshots = 3;      // a dominant expert must last this many snapshots
  // A token share above 0.5 + 0.5 * k / E (halfway from balanced to every token, k the
  // snapshot's mean experts per token) is a dominant expert; a positive value here replaces
  // that rule.
  double dominant_share = 0.0;
  double entropy_ratio = 0.15;  // gate entropy / log(E) below this ...
  int entropy_snapshots = 3;    // ... for this many snapshots: entropy collapse
  double similarity = 0.9;      // two experts' outputs closer than this (cosine) ...
  int similarity_snapshots = 3;  // ... this many measured snapshots in a row
  double drop_rate = 0.1;       // dropped share above this ...
  int drop_window = 5;          // ... and higher than drop_window snapshots ago by ...
  double drop_rise = 0.02;      // ... at least this much: rising drops
};

class CollapseDetector {
 public:
  CollapseDetector(int64_t top_k, CollapseThresholds thresholds = {});

  // Layers whose experts are in modality groups (the shape's expert_group; group m is the
  // modality m's, a group past the modalities open to every token) have their dead and
  // dominant experts judged within each modality's experts, from the snapshots'
  // modality_load, and the alerts name the modality.
  void set_modality_groups(const ModelShape& shape, std::vector<std::string> modalities);

  // Feeds one snapshot; returns the alerts that start with it.
  std::vector<CollapseAlert> observe(const RoutingSnapshot& snapshot);
  const CollapseThresholds& thresholds() const { return thresholds_; }
  // The episodes under way and the recent drop rates, as JSON, so a resumed run alerts as the
  // uninterrupted one would (checkpoints carry it). restore_state() throws moescope::Error on
  // text that state() did not write.
  std::string state() const;
  void restore_state(const std::string& text);
  // Halfway between a balanced expert's token share (k / E) and every token; k is the
  // snapshot's mean experts per token (dynamic-k routers), or the configured top_k.
  double dominant_threshold(int64_t experts, double k = 0.0) const;

 private:
  struct Episode {
    int streak = 0;       // snapshots in a row the condition held
    bool active = false;  // alerted and not yet cleared
  };
  // Advances an episode; true when it should alert now.
  static bool step(Episode& e, bool holds, bool cleared, int needed);
  // Experts judged together, with each one's share of the pool's dispatched assignments.
  struct Pool {
    int64_t modality = -1;  // -1: all the layer's experts
    std::vector<int64_t> experts;
    std::vector<double> share;
  };
  std::vector<Pool> pools(const RoutingSnapshot& s, int64_t layer) const;
  void judge_pool(const RoutingSnapshot& s, int64_t layer, const Pool& pool, double k,
                  std::vector<CollapseAlert>& alerts);

  int64_t top_k_;
  CollapseThresholds thresholds_;
  std::map<std::tuple<int, int64_t, int64_t>, Episode> episodes_;  // (kind, layer, expert)
  std::map<int64_t, std::vector<float>> drops_;                    // per layer, recent
  std::vector<std::vector<int64_t>> groups_;                       // per layer, expert -> group
  std::vector<std::string> modalities_;
};

}  // namespace moescope
