#include "inspect/collapse_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace moescope {
namespace {

std::string percent(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100.0 * v);
  return text;
}

std::string number(double v, const char* format = "%.3g") {
  char text[32];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string expert_list(const std::vector<int64_t>& experts) {
  std::string s;
  for (auto e : experts) s += (s.empty() ? "" : ", ") + std::to_string(e);
  return s;
}

}  // namespace

CollapseDetector::CollapseDetector(int64_t top_k, CollapseThresholds thresholds)
    : top_k_(std::max<int64_t>(top_k, 1)), thresholds_(thresholds) {}

double CollapseDetector::dominant_threshold(int64_t experts, double k) const {
  if (thresholds_.dominant_share > 0.0) return thresholds_.dominant_share;
  if (!(k > 0.0)) k = double(top_k_);
  return 0.5 + 0.5 * std::min(1.0, k / double(std::max<int64_t>(experts, 1)));
}

bool CollapseDetector::step(Episode& e, bool holds, bool cleared, int needed) {
  e.streak = holds ? e.streak + 1 : 0;
  if (e.active) {
    if (cleared) e.active = false;
    return false;
  }
  if (e.streak >= needed) {
    e.active = true;
    return true;
  }
  return false;
}

std::vector<CollapseAlert> CollapseDetector::observe(const RoutingSnapshot& s) {
  std::vector<CollapseAlert> alerts;
  const int64_t L = s.layers, E = s.experts;
  if (L <= 0 || E <= 0 || s.load.size() != size_t(L * E)) return alerts;
  if (s.step <= thresholds_.grace_steps) return alerts;
  const auto& t = thresholds_;
  const auto per_layer = [&](const std::vector<float>& v, int64_t l) {
    return v.size() == size_t(L) ? double(v[size_t(l)]) : std::nan("");
  };
  enum Kind { Dead, Dominant, Entropy, Similar, Drops };
  for (int64_t l = 0; l < L; ++l) {
    const float* load = s.load.data() + l * E;
    const int64_t El = s.experts_at(l);  // a pruned layer's experts; its columns beyond are NaN
    double total = 0.0;
    for (int64_t e = 0; e < El; ++e) total += load[e];
    if (total <= 0.0) continue;  // nothing dispatched: nothing to judge

    // Dead experts: utilisation (load x E) below the threshold for N snapshots in a row.
    std::vector<int64_t> dead;
    double worst = 1.0;
    for (int64_t e = 0; e < El; ++e) {
      const double u = double(load[e]) * double(El);
      if (step(episodes_[{Dead, l, e}], u < t.dead_utilisation, u >= 2.0 * t.dead_utilisation,
               t.dead_snapshots)) {
        dead.push_back(e);
        worst = std::min(worst, u);
      }
    }
    if (!dead.empty()) {
      CollapseAlert a;
      a.step = s.step;
      a.kind = AlertKind::DeadExpert;
      a.layer = l;
      a.experts = dead;
      a.value = worst;
      a.threshold = t.dead_utilisation;
      a.evidence = "layer " + std::to_string(l) + ": expert" + (dead.size() > 1 ? "s " : " ") +
                   expert_list(dead) + " received under " + number(t.dead_utilisation) +
                   (dead.size() > 1 ? " of their" : " of its") + " fair share of tokens (utilisation " + number(worst, "%.3f") +
                   ", ideal 1) for " + std::to_string(t.dead_snapshots) +
                   " snapshots in a row";
      alerts.push_back(std::move(a));
    }

    // Dominant expert: the share of tokens that visit it (load x experts per token).
    const double k = std::isfinite(per_layer(s.mean_k, l)) ? per_layer(s.mean_k, l) : double(top_k_);
    const double tau = dominant_threshold(El, k);
    for (int64_t e = 0; e < El; ++e) {
      const double share = double(load[e]) * k;
      if (step(episodes_[{Dominant, l, e}], share > tau, share < tau - 0.1, t.dominant_snapshots)) {
        CollapseAlert a;
        a.step = s.step;
        a.kind = AlertKind::DominantExpert;
        a.layer = l;
        a.experts = {e};
        a.value = share;
        a.threshold = tau;
        a.evidence = "layer " + std::to_string(l) + ": expert " + std::to_string(e) + " takes " +
                     percent(share) + " of tokens (balanced: " +
                     percent(std::min(1.0, k / double(El))) + ", threshold " + percent(tau) + ")";
        alerts.push_back(std::move(a));
      }
    }

    // Entropy collapse: the gate distribution is (nearly) one-hot for every token.
    if (El > 1) {
      const double ratio = per_layer(s.entropy, l) / std::log(double(El));
      if (std::isfinite(ratio) &&
          step(episodes_[{Entropy, l, -1}], ratio < t.entropy_ratio, ratio > 1.5 * t.entropy_ratio,
               t.entropy_snapshots)) {
        CollapseAlert a;
        a.step = s.step;
        a.kind = AlertKind::EntropyCollapse;
        a.layer = l;
        a.value = ratio;
        a.threshold = t.entropy_ratio;
        a.evidence = "layer " + std::to_string(l) + ": gate entropy is " + number(ratio, "%.3f") +
                     " of its maximum log(" + std::to_string(El) + ") for " +
                     std::to_string(t.entropy_snapshots) + " snapshots: the router is certain";
        alerts.push_back(std::move(a));
      }
    }

    // Representation collapse: two experts compute (nearly) the same function.
    const double sim = per_layer(s.similarity, l);
    if (std::isfinite(sim) && step(episodes_[{Similar, l, -1}], sim > t.similarity,
                                   sim < t.similarity - 0.05, t.similarity_snapshots)) {
      CollapseAlert a;
      a.step = s.step;
      a.kind = AlertKind::RepresentationCollapse;
      a.layer = l;
      a.value = sim;
      a.threshold = t.similarity;
      a.evidence = "layer " + std::to_string(l) + ": two experts' outputs on the probe tokens " +
                   "have cosine similarity " + number(sim, "%.3f") + " (threshold " +
                   number(t.similarity) + ") for " + std::to_string(t.similarity_snapshots) +
                   " snapshots";
      alerts.push_back(std::move(a));
    }

    // Rising drops: over the drop rate and higher than drop_window snapshots ago.
    const double dropped = per_layer(s.dropped, l);
    if (std::isfinite(dropped)) {
      auto& history = drops_[l];
      history.push_back(float(dropped));
      if (int(history.size()) > t.drop_window + 1) history.erase(history.begin());
      const bool rising = int(history.size()) == t.drop_window + 1 &&
                          dropped > t.drop_rate && dropped >= history.front() + t.drop_rise;
      if (step(episodes_[{Drops, l, -1}], rising, dropped < t.drop_rate, 1)) {
        CollapseAlert a;
        a.step = s.step;
        a.kind = AlertKind::RisingDrops;
        a.layer = l;
        a.value = dropped;
        a.threshold = t.drop_rate;
        a.evidence = "layer " + std::to_string(l) + ": " + percent(dropped) +
                     " of assignments dropped by capacity, up from " +
                     percent(history.front()) + " " + std::to_string(t.drop_window) +
                     " snapshots ago; raise the capacity factor or the balance coefficient";
        alerts.push_back(std::move(a));
      }
    }
  }
  return alerts;
}

}  // namespace moescope
