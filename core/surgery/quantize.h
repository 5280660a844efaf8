// Expert quantization, simulated: each FFN expert's weights rounded to a symmetric integer
// grid per output channel and kept as floats (fake quantization), so the cost of int8 or int4
// experts is measured on the model as it would compute. Bits can differ per expert: rarely
// used experts get fewer under an average-bits budget.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/moe_layer.h"
#include "surgery/calibration.h"

namespace moescope {

// `w` rounded per output channel to `bits`-bit symmetric integers (2 to 16): the channels are
// the last dim, the scale of each the largest |w| over `reduce_dim` divided by 2^(bits-1) - 1.
// Every weight moves by at most half its channel's step.
torch::Tensor fake_quantize(const torch::Tensor& w, int64_t bits, int64_t reduce_dim);

// Bits per FFN expert (8, 4 or 2) whose mean is at most `average_bits` (2 to 8), the least
// used experts (usage: any per-expert count) stepping down first: all start at 8, then the
// least used expert still above the lowest goes one step down, until the budget holds.
std::vector<int64_t> allocate_bits(const torch::Tensor& usage, double average_bits);

struct LayerQuantPlan {
  std::vector<int64_t> bits;  // per FFN expert; shared experts are always 8
  double mean_bits = 0.0;
  double weight_error = 0.0;          // ‖W − Ŵ‖² / ‖W‖² over the layer's expert weights
  double reconstruction_error = 0.0;  // ‖h − ĥ‖² / ‖h‖² on the cached inputs
};

// The plan of `bits` (one per FFN expert) for `layer` and its predicted cost on the cache.
LayerQuantPlan plan_quantize(const MoELayer& layer, const LayerCalibration& cache,
                             const std::vector<int64_t>& bits);

// Rounds the layer's expert weights in place (w_in per expert and column over d, w_out over
// h); the shared experts at 8 bits when `shared` is set.
void quantize_experts(MoELayerImpl& layer, const std::vector<int64_t>& bits, bool shared = true);

}  // namespace moescope
