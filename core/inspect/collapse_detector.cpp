#include "inspect/collapse_detector.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"

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

std::string CollapseDetector::state() const {
  auto episodes = nlohmann::json::array();
  for (const auto& [key, e] : episodes_) {
    if (e.streak == 0 && !e.active) continue;  // the same as absent
    episodes.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), e.streak, e.active});
  }
  auto drops = nlohmann::json::array();
  for (const auto& [layer, recent] : drops_) drops.push_back({{"layer", layer}, {"recent", recent}});
  return nlohmann::json{{"episodes", episodes}, {"drops", drops}}.dump();
}

void CollapseDetector::restore_state(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  decltype(episodes_) episodes;
  decltype(drops_) drops;
  try {
    for (const auto& e : j.at("episodes")) {
      episodes[{e.at(0).get<int>(), e.at(1).get<int64_t>(), e.at(2).get<int64_t>()}] =
          Episode{e.at(3).get<int>(), e.at(4).get<bool>()};
    }
    for (const auto& d : j.at("drops")) drops[d.at("layer").get<int64_t>()] = d.at("recent").get<std::vector<float>>();
  } catch (const nlohmann::json::exception&) {
    throw Error("the collapse detector's state is unreadable");
  }
  episodes_ = std::move(episodes);
  drops_ = std::move(drops);
}

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

void CollapseDetector::set_modality_groups(const ModelShape& shape, std::vector<std::string> modalities) {
  groups_.clear();
  for (const auto& layer : shape.layers) groups_.push_back(layer.expert_group);
  modalities_ = std::move(modalities);
}

std::vector<CollapseDetector::Pool> CollapseDetector::pools(const RoutingSnapshot& s, int64_t l) const {
  const int64_t E = s.experts, El = s.experts_at(l), M = s.modalities;
  const float* load = s.load.data() + l * E;
  const bool grouped = size_t(l) < groups_.size() && int64_t(groups_[size_t(l)].size()) == El && M > 0 &&
                       int64_t(modalities_.size()) == M &&
                       s.modality_load.size() == size_t(s.layers * M * E);
  if (!grouped) {
    Pool all{-1, {}, {}};
    for (int64_t e = 0; e < El; ++e) {
      all.experts.push_back(e);
      all.share.push_back(double(load[e]));
    }
    return {all};
  }
  // Group m holds modality m's experts; a group past the modalities is open to every token
  // (MoIIE's cross-modal experts). Each modality's row of modality_load is its share.
  std::vector<Pool> out;
  const auto& group = groups_[size_t(l)];
  for (int64_t m = 0; m < M; ++m) {
    Pool p{m, {}, {}};
    const float* row = s.modality_load.data() + (l * M + m) * E;
    for (int64_t e = 0; e < El; ++e) {
      if (group[size_t(e)] != m && group[size_t(e)] < M) continue;
      p.experts.push_back(e);
      p.share.push_back(std::isfinite(row[e]) ? double(row[e]) : 0.0);
    }
    out.push_back(std::move(p));
  }
  return out;
}

// Dead experts: utilisation (share x pool size) below the threshold for N snapshots in a row.
// Dominant expert: the share of the pool's tokens that visit it (share x experts per token).
void CollapseDetector::judge_pool(const RoutingSnapshot& s, int64_t l, const Pool& pool, double k,
                                  std::vector<CollapseAlert>& alerts) {
  const auto& t = thresholds_;
  const int64_t n = int64_t(pool.experts.size());
  double total = 0.0;
  for (auto v : pool.share) total += v;
  if (n == 0 || total <= 0.0) return;  // nothing dispatched: nothing to judge
  const int dead_kind = 10 * (int(pool.modality) + 2), dominant_kind = dead_kind + 1;
  const std::string where = "layer " + std::to_string(l) +
                            (pool.modality >= 0 ? ", " + modalities_[size_t(pool.modality)] + " group" : std::string());
  const std::string tokens = pool.modality >= 0 ? " of the " + modalities_[size_t(pool.modality)] + " tokens" : " of tokens";

  std::vector<int64_t> dead;
  double worst = 1.0;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t e = pool.experts[size_t(i)];
    const double u = pool.share[size_t(i)] * double(n);
    if (step(episodes_[{dead_kind, l, e}], u < t.dead_utilisation, u >= 2.0 * t.dead_utilisation, t.dead_snapshots)) {
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
    a.evidence = where + ": expert" + (dead.size() > 1 ? "s " : " ") + expert_list(dead) + " received under " +
                 number(t.dead_utilisation) + (dead.size() > 1 ? " of their" : " of its") + " fair share" + tokens +
                 " (utilisation " + number(worst, "%.3f") + ", ideal 1) for " + std::to_string(t.dead_snapshots) +
                 " snapshots in a row";
    alerts.push_back(std::move(a));
  }

  const double tau = dominant_threshold(n, k);
  for (int64_t i = 0; i < n; ++i) {
    const int64_t e = pool.experts[size_t(i)];
    const double share = pool.share[size_t(i)] * k;
    if (step(episodes_[{dominant_kind, l, e}], share > tau, share < tau - 0.1, t.dominant_snapshots)) {
      CollapseAlert a;
      a.step = s.step;
      a.kind = AlertKind::DominantExpert;
      a.layer = l;
      a.experts = {e};
      a.value = share;
      a.threshold = tau;
      a.evidence = where + ": expert " + std::to_string(e) + " takes " + percent(share) + tokens + " (balanced: " +
                   percent(std::min(1.0, k / double(n))) + ", threshold " + percent(tau) + ")";
      alerts.push_back(std::move(a));
    }
  }
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

    // Dead and dominant experts, judged within each pool of experts the tokens choose from:
    // the layer's experts, or per modality group the experts its tokens may reach.
    const double k = std::isfinite(per_layer(s.mean_k, l)) ? per_layer(s.mean_k, l) : double(top_k_);
    for (const auto& pool : pools(s, l)) judge_pool(s, l, pool, k, alerts);

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
