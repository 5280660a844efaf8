// Realistic synthetic events for the view tests and screenshots: a top-2 router over 16
// experts in 8 layers whose layer 3 collapses onto expert 5 during the run, and probe tokens
// that experts split by character class.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "base/events.h"

namespace fixtures {

inline constexpr int64_t kLayers = 8;
inline constexpr int64_t kExperts = 16;
inline constexpr int64_t kCollapsingLayer = 3;
inline constexpr int64_t kDominantExpert = 5;

// How far layer 3's collapse has gone at `step` of `total`: 0 at first, near 1 at the end.
inline double collapse(int64_t step, int64_t total) {
  return 1.0 / (1.0 + std::exp(-12.0 * (static_cast<double>(step) / total - 0.55)));
}

// A normalised bump over `bins` bins centred at `centre` (in [0, 1]) of width `width`.
inline std::vector<float> bump(int bins, double centre, double width) {
  std::vector<float> hist(static_cast<size_t>(bins));
  double sum = 0.0;
  for (int b = 0; b < bins; ++b) {
    const double x = (b + 0.5) / bins;
    sum += hist[static_cast<size_t>(b)] =
        static_cast<float>(std::exp(-0.5 * std::pow((x - centre) / width, 2.0)));
  }
  for (float& v : hist) v = static_cast<float>(v / sum);
  return hist;
}

inline moescope::RoutingSnapshot routing(int64_t step, int64_t total, unsigned seed = 1) {
  using moescope::RoutingSnapshot;
  std::mt19937 rng(seed * 7919u + static_cast<unsigned>(step));
  std::uniform_real_distribution<float> noise(0.85f, 1.15f);
  RoutingSnapshot s;
  s.step = step;
  s.layers = kLayers;
  s.experts = kExperts;
  const double c = collapse(step, total);
  const double log_e = std::log(static_cast<double>(kExperts));
  for (int64_t l = 0; l < kLayers; ++l) {
    const bool collapsing = l == kCollapsingLayer;
    std::vector<float> row(kExperts);
    float sum = 0.0f;
    for (int64_t e = 0; e < kExperts; ++e) {
      float v = noise(rng);
      if (collapsing)
        v = e == kDominantExpert ? v * static_cast<float>(1.0 + 40.0 * c)
                                 : v * static_cast<float>(1.0 - 0.9 * c);
      sum += row[static_cast<size_t>(e)] = v;
    }
    for (float v : row) s.load.push_back(v / sum);
    for (float v : row) s.importance.push_back(v / sum);
    for (int64_t e = 0; e < kExperts; ++e)
      s.bias.push_back(l == 6 ? 0.02f * static_cast<float>((e * 7) % 5 - 2) : 0.0f);
    const double progress = static_cast<double>(step) / total;
    const double entropy_ratio = collapsing ? 0.92 - 0.75 * c : 0.93 - 0.12 * progress - 0.01 * l;
    s.entropy.push_back(static_cast<float>(entropy_ratio * log_e * noise(rng) / 1.05));
    s.dropped.push_back(static_cast<float>(
        std::max(0.0, (0.08 - 0.05 * progress) * noise(rng) + (collapsing ? 0.25 * c : 0.0))));
    s.mean_k.push_back(2.0f - 0.5f * s.dropped.back());
    const double top1_centre = collapsing ? 0.62 + 0.33 * c : 0.62 + 0.05 * l / kLayers;
    std::vector<float> top1 = bump(RoutingSnapshot::kGateBins, top1_centre, 0.09);
    std::vector<float> second = bump(RoutingSnapshot::kGateBins, 1.0 - top1_centre, 0.09);
    for (int b = 0; b < RoutingSnapshot::kGateBins; ++b) {
      s.top1_hist.push_back(top1[static_cast<size_t>(b)]);
      s.gate_hist.push_back(0.5f * (top1[static_cast<size_t>(b)] + second[static_cast<size_t>(b)]));
    }
    const float d = s.dropped.back();
    for (int k = 0; k < RoutingSnapshot::kKBins; ++k)
      s.k_hist.push_back(k == 2 ? 1.0f - d : k == 1 ? 0.8f * d : k == 0 ? 0.2f * d : 0.0f);
    s.margin.push_back(0.1f);
    s.top20_share.push_back(0.3f);
    s.bottom20_share.push_back(0.1f);
    s.similarity.push_back(0.2f);
    s.stability.push_back(0.05f);
  }
  return s;
}

inline const std::string& probe_text() {
  static const std::string text =
      "The best way to predict the future is to invent it.\n"
      "\t-- Alan Kay, 1971\n"
      "Q: How many experts does it take? A: k=2!\n";
  return text;
}

// Top-2 routing of the probe text's bytes: experts by character class, drifting by layer, with
// layer 3 collapsing onto expert 5 as `c` goes to 1, and every 13th token dropped at layer 5.
inline moescope::TrajectorySnapshot trajectory(int64_t step, int64_t total, int64_t layers = 6) {
  const std::string& text = probe_text();
  moescope::TrajectorySnapshot t;
  t.step = step;
  t.layers = layers;
  t.tokens = static_cast<int64_t>(text.size());
  t.slots = 2;
  const double c = collapse(step, total);
  for (int64_t l = 0; l < layers; ++l) {
    for (int64_t i = 0; i < t.tokens; ++i) {
      const unsigned char ch = static_cast<unsigned char>(text[static_cast<size_t>(i)]);
      int cls = ch == ' '                                                               ? 0
                : std::isdigit(ch)                                                      ? 1
                : std::isupper(ch)                                                      ? 2
                : std::string("aeiou").find(static_cast<char>(ch)) != std::string::npos ? 3
                : std::isalpha(ch)                                                      ? 4
                                                                                        : 6;
      int first = static_cast<int>((cls * 2 + l * (cls % 2 == 0 ? 1 : 3)) % kExperts);
      if (l == kCollapsingLayer && (i * 37 % 100) < 100 * c) first = kDominantExpert;
      const int second = (first + 7) % kExperts;
      const bool dropped = l == 5 && i % 13 == 0;
      const float w = 0.5f + 0.45f * static_cast<float>((i * 31 + l * 17) % 10) / 10.0f;
      t.experts.push_back(dropped ? -1 : first);
      t.experts.push_back(dropped ? -1 : second);
      t.weights.push_back(dropped ? 0.0f : w);
      t.weights.push_back(dropped ? 0.0f : 1.0f - w);
    }
  }
  return t;
}

}  // namespace fixtures
