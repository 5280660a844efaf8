// Calibration for expert surgery: one pass of tokens through the model, cached per MoE layer,
// so that every method and every preview reads the cache instead of running the model again.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <string>
#include <vector>

#include "model/moe_layer.h"

namespace moescope {

// What one MoE layer did with the calibration tokens (eval mode, no gradients).
struct LayerCalibration {
  torch::Tensor input;      // [N, d] the layer's input
  torch::Tensor token_ids;  // [N] (hash routing), or undefined
  torch::Tensor modality;   // [N] each token's modality (a layer with modality groups), or undefined
  int64_t sequence_length = 0;
  torch::Tensor output;     // [N, d] the layer's output
  // [N, R] router logits (R routed experts), float32; a merged expert's is the log-sum-exp
  // of its router logits
  torch::Tensor logits;
  // The dispatched assignments, sorted by expert (a stable sort: token order inside each).
  torch::Tensor token, expert, gate;  // [A] int64, int64, float32
  torch::Tensor counts;               // [R] assignments per routed expert, float32
  torch::Tensor routed_output;        // [A', d] each FFN assignment's expert output f_e(x_t)
  // [E, d] each FFN expert's mean output over the N tokens (with modality groups: over the
  // tokens its group may receive)
  torch::Tensor mean_output;
  // Per FFN expert, the sum over its assignments of gate · ‖f_e(x)‖₂ (REAP's numerator).
  torch::Tensor gated_norm;           // [E]
  int64_t ffn_experts() const { return mean_output.size(0); }
};

struct CalibrationCache {
  std::vector<LayerCalibration> layers;
  int64_t tokens = 0;  // per layer
  double seconds = 0.0;
};

// Bytes the cache of `tokens` tokens takes for these layers (inputs, outputs, logits, the
// routed outputs at the layers' top-k): the estimate shown before the pass starts.
int64_t calibration_bytes(const std::vector<MoELayer>& layers, int64_t tokens);

// Runs `forward_batch` (one batch through the whole model; returns its tokens per layer, 0
// when it has nothing more) until `tokens` tokens have gone through every layer, with the
// model in eval mode and no gradients, then derives the cache from the layers' inputs.
// `progress(share)` after each batch and layer; returning false cancels (throws
// moescope::Error "calibration cancelled").
CalibrationCache calibrate(std::vector<MoELayer> layers, int64_t tokens,
                           const std::function<int64_t()>& forward_batch,
                           const std::function<bool(double)>& progress = {});

// The layer's output on the cached inputs: [N, d] (eval mode, no gradients). Used for the
// reconstruction error of a changed layer.
torch::Tensor layer_output(MoELayerImpl& layer, const LayerCalibration& cache);

// ‖h − ĥ‖² / ‖h‖²: how far `changed` (a copy of the cached layer after a surgery) moves the
// layer's output on the cached inputs. Every method's predicted cost.
double reconstruction_error(MoELayerImpl& changed, const LayerCalibration& cache);

}  // namespace moescope
