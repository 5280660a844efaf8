#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/moe_layer.h"

namespace moescope {

// Parameters one token touches: everything outside the experts, plus top_k/E of each layer's
// expert weights.
inline int64_t count_active_parameters(const torch::nn::Module& model,
                                       const std::vector<MoELayer>& layers) {
  int64_t total = 0;
  for (const auto& p : model.parameters()) total += p.numel();
  for (const auto& layer : layers) {
    const int64_t experts = layer->w_in.numel() + layer->w_out.numel();
    total -= experts - experts * layer->options.top_k() / layer->options.experts();
  }
  return total;
}

}  // namespace moescope
