// Reduces what the MoE layers recorded to the plain event structs (one host sync each).
#pragma once

#include <vector>

#include "base/events.h"
#include "model/moe_layer.h"

namespace moescope {

// The layers' last recorded routing (record_routing) as a snapshot; similarity and
// stability are left NaN for the caller that ran the probe.
// With `domains`, the layers' per-domain counts (RoutingTags) also give the snapshot's
// domain_load, modality_load and specialisation scores.
RoutingSnapshot make_routing_snapshot(const std::vector<MoELayer>& layers, int64_t step,
                                      const TokenDomains& domains = {});

// I(M; E) / H(M) of a row-major [rows][cols] table of assignment counts (rows: modalities or
// domains, cols: experts): 0 when the expert is independent of the row, 1 when each row's
// experts are its own. NaN when fewer than two rows have assignments.
double specialisation(const std::vector<double>& counts, int64_t rows, int64_t cols);

// Load share of the `share` most-loaded (top) or least-loaded experts of one row of loads.
float extreme_share(const float* load, int64_t experts, double share, bool top);

// The probe tokens' routing (record_probe) at every layer, with at least `slots` slots
// (padded with -1).
TrajectorySnapshot make_trajectory(const std::vector<MoELayer>& layers, int64_t step,
                                   int64_t slots = 0);

// Per layer: share of probe tokens whose best expert differs between two trajectories of
// the same shape (NaN when the shapes differ, e.g. for the first).
std::vector<float> routing_change(const TrajectorySnapshot& before, const TrajectorySnapshot& now);

// Per layer: the largest cosine similarity between two FFN experts' outputs on the probe
// tokens the layer last saw (record_probe). 1 means two experts compute the same function
// on these inputs.
std::vector<float> expert_similarity(std::vector<MoELayer> layers);

}  // namespace moescope
