// The shape of a model's MoE stack as data, per layer: how many routed experts it has (0 for a
// dense layer), which expert each router logit points at, and optional expert groups. The
// checkpoint keeps it, the session publishes the per-layer counts (RunInfo::layer_experts)
// and the run log records every change. Today every layer has the config's experts and the
// identity map; merging points several logits at one expert, pruning removes experts,
// fusion models group experts by modality, imported checkpoints bring their own sizes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

struct LayerShape {
  int64_t experts = 0;                   // routed experts; 0: a dense layer
  std::vector<int64_t> logit_to_expert;  // router logit i -> expert; empty: logit i is expert i
  std::vector<int64_t> expert_group;     // expert -> group (a modality's experts); empty: one

  bool operator==(const LayerShape& o) const {
    return experts == o.experts && logit_to_expert == o.logit_to_expert &&
           expert_group == o.expert_group;
  }
  bool operator!=(const LayerShape& o) const { return !(*this == o); }
};

struct ModelShape {
  std::vector<LayerShape> layers;

  int64_t max_experts() const {
    int64_t n = 0;
    for (const auto& l : layers) n = std::max(n, l.experts);
    return n;
  }
  // Per-layer expert counts; empty when every layer has the same (RunInfo's convention).
  std::vector<int64_t> layer_experts() const {
    std::vector<int64_t> counts;
    bool uniform = true;
    for (const auto& l : layers) {
      counts.push_back(l.experts);
      uniform &= l.experts == layers.front().experts;
    }
    return uniform ? std::vector<int64_t>{} : counts;
  }
  bool operator==(const ModelShape& o) const { return layers == o.layers; }
  bool operator!=(const ModelShape& o) const { return !(*this == o); }
};

}  // namespace moescope
