// Mixture-of-Experts feed-forward layer: a top-k router and E SwiGLU experts whose weights are
// stored stacked, dispatched by sorting tokens by expert (one GEMM per contiguous segment).
#pragma once

#include <torch/torch.h>

#include "model/router.h"

namespace moescope {

struct MoELayerOptions {
  MoELayerOptions(int64_t d_model, int64_t hidden) : d_model_(d_model), hidden_(hidden) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, hidden);  // per-expert SwiGLU hidden size
  TORCH_ARG(int64_t, experts) = 8;
  TORCH_ARG(int64_t, top_k) = 2;
  TORCH_ARG(double, router_init_std) = 0.02;
  // Scales the output projection's init, e.g. 1/sqrt(2 * layers) for residual stacks.
  TORCH_ARG(double, output_init_scale) = 1.0;
};

// Routing of the last forward, detached, kept on the layer's device until a snapshot asks.
struct LayerRouting {
  torch::Tensor assignments;   // [E] float: tokens routed to each expert (T*k in all)
  torch::Tensor importance;    // [E] mean gate probability
  torch::Tensor entropy;       // scalar: mean gate entropy, nats
  int64_t tokens = 0;
};

struct MoEOutput {
  torch::Tensor y;         // [T, d]
  torch::Tensor aux_loss;  // scalar
  torch::Tensor z_loss;    // scalar
};

struct MoELayerImpl : torch::nn::Module {
  explicit MoELayerImpl(const MoELayerOptions& options);
  // x: [T, d] -> y: [T, d]
  MoEOutput forward(const torch::Tensor& x);

  MoELayerOptions options;
  TopKRouter router{nullptr};
  torch::Tensor w_in;   // [E, d, 2h]: gate and up projections of SwiGLU, fused
  torch::Tensor w_out;  // [E, h, d]

  bool record_routing = false;  // set by the trainer on steps that publish a snapshot
  LayerRouting last_routing;
};
TORCH_MODULE(MoELayer);

// Dispatches tokens to experts and combines their outputs. Exposed for tests and benches.
// x: [T, d], weights/indices: [T, k] -> [T, d]
torch::Tensor dispatch_experts(const torch::Tensor& x, const torch::Tensor& weights,
                               const torch::Tensor& indices, const torch::Tensor& w_in,
                               const torch::Tensor& w_out);

}  // namespace moescope
