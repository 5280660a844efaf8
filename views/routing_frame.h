// What the views draw of one routing snapshot, kept once per run in the RunStore's history
// for the heatmap, the load timeline and the gating view: the load matrix, the balancing bias
// when it is not all zero, the gate and k histograms, the per-layer series and the per-modality
// and per-domain tables (the modality x expert view). The rest of a
// RoutingSnapshot (importance, margin, similarity, ...) is in the log, not in the window.
#pragma once

#include <cstdint>
#include <vector>

#include "base/events.h"

namespace moescope {

struct RoutingFrame {
  int64_t layers = 0;
  // The widest layer's experts: the row length of load and bias.
  int64_t experts = 0;
  // Experts in use per layer (columns from there on are NaN); empty: every layer uses all.
  std::vector<int64_t> layer_experts;
  std::vector<float> load;       // [layers][experts]
  std::vector<float> bias;       // [layers][experts]; empty when the run has no bias
  // Each empty when the snapshot carried none of the right length (drawn as missing).
  std::vector<float> gate_hist;  // [layers][kGateBins]
  std::vector<float> top1_hist;  // [layers][kGateBins]
  std::vector<float> k_hist;     // [layers][kKBins]
  std::vector<float> entropy;    // [layers], nats
  std::vector<float> dropped;    // [layers]
  std::vector<float> mean_k;     // [layers]
  // [layers]: the largest finite load share of each layer (0 for none), so a view scaling its
  // colours to a layer's history reads one value per frame, not the whole row.
  std::vector<float> load_max;
  // Per modality and per domain (RunInfo::domains): [layers][rows][experts] shares, rows
  // normalised, and the specialisation score per layer. Empty when the run tags no tokens.
  int64_t modalities = 0;
  int64_t domains = 0;
  std::vector<float> modality_load, domain_load;
  std::vector<float> modality_specialisation, domain_specialisation;

  int64_t experts_at(int64_t layer) const {
    return layer_experts.empty() ? experts : layer_experts[static_cast<size_t>(layer)];
  }
  // The 4-byte values this frame holds (what the store's memory budget counts).
  int64_t values() const;
};

// The frame of a drawable snapshot (see drawable() in run_store.h).
RoutingFrame make_routing_frame(const RoutingSnapshot& snapshot);

// The memory the store's routing history may take (512 MiB), and how many frames of
// `values_per_frame` values that is: between 256 and kMaxHistory. A 64-layer x 64-expert
// frame with bias and every histogram is 12 096 values (47 KiB): 11 096 fit, so a 10 000-step
// run with a snapshot every step is kept whole; without bias, 8 000 values, 16 777 fit.
inline constexpr int64_t kRoutingHistoryBytes = int64_t{512} << 20;
int routing_history_capacity(int64_t values_per_frame);

}  // namespace moescope
