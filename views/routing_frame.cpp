#include "routing_frame.h"

#include <algorithm>
#include <cmath>

#include "snapshot_history.h"

namespace moescope {
namespace {

// The series as sent when it has `expected` values; empty (missing) otherwise.
std::vector<float> checked(const std::vector<float>& series, int64_t expected) {
  return static_cast<int64_t>(series.size()) == expected ? series : std::vector<float>();
}

}  // namespace

int64_t RoutingFrame::values() const {
  const size_t floats = load.size() + bias.size() + gate_hist.size() + top1_hist.size() +
                        k_hist.size() + entropy.size() + dropped.size() + mean_k.size() +
                        load_max.size() + modality_load.size() + domain_load.size() +
                        modality_specialisation.size() + domain_specialisation.size();
  return static_cast<int64_t>(floats) + 2 * static_cast<int64_t>(layer_experts.size());
}

RoutingFrame make_routing_frame(const RoutingSnapshot& snapshot) {
  RoutingFrame frame;
  frame.layers = snapshot.layers;
  frame.experts = snapshot.experts;
  if (static_cast<int64_t>(snapshot.layer_experts.size()) == snapshot.layers)
    frame.layer_experts = snapshot.layer_experts;
  frame.load = snapshot.load;
  // Most runs balance without a bias: an all-zero one is not kept.
  if (snapshot.bias.size() == snapshot.load.size() &&
      std::any_of(snapshot.bias.begin(), snapshot.bias.end(), [](float b) { return b != 0.0f; }))
    frame.bias = snapshot.bias;
  const int64_t layers = snapshot.layers;
  frame.gate_hist = checked(snapshot.gate_hist, layers * RoutingSnapshot::kGateBins);
  frame.top1_hist = checked(snapshot.top1_hist, layers * RoutingSnapshot::kGateBins);
  frame.k_hist = checked(snapshot.k_hist, layers * RoutingSnapshot::kKBins);
  frame.entropy = checked(snapshot.entropy, layers);
  frame.dropped = checked(snapshot.dropped, layers);
  frame.mean_k = checked(snapshot.mean_k, layers);
  const int64_t M = snapshot.modalities, D = snapshot.domains, E = snapshot.experts;
  if (M > 0 && D > 0 && M <= 4096 && D <= 4096) {
    frame.modality_load = checked(snapshot.modality_load, layers * M * E);
    frame.domain_load = checked(snapshot.domain_load, layers * D * E);
    frame.modality_specialisation = checked(snapshot.modality_specialisation, layers);
    frame.domain_specialisation = checked(snapshot.domain_specialisation, layers);
    frame.modalities = frame.modality_load.empty() ? 0 : M;
    frame.domains = frame.domain_load.empty() ? 0 : D;
  }
  frame.load_max.assign(static_cast<size_t>(layers), 0.0f);
  for (int64_t l = 0; l < layers; ++l) {
    const float* row = snapshot.load.data() + l * snapshot.experts;
    for (int64_t e = 0; e < snapshot.experts; ++e)
      if (std::isfinite(row[e])) frame.load_max[static_cast<size_t>(l)] = std::max(frame.load_max[static_cast<size_t>(l)], row[e]);
  }
  return frame;
}

int routing_history_capacity(int64_t values_per_frame) {
  if (values_per_frame <= 0) return kMaxHistory;
  const int64_t by_memory = kRoutingHistoryBytes / (4 * values_per_frame);
  return static_cast<int>(std::clamp<int64_t>(by_memory, 256, kMaxHistory));
}

}  // namespace moescope
