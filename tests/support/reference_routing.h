// Reference implementations the tests and bench/moe_vs_dense compare the product against:
// the top-k softmax router on given logits and the top-k form of the dispatch. Not part of
// the product library.
#pragma once

#include <torch/torch.h>

#include "model/expert_ffn.h"

namespace moescope {

// The top-k softmax routing of already computed logits (GShard, Mixtral), kept as the
// reference the general router is tested against.
struct RouterOutput {
  torch::Tensor logits;    // [T, E] float32 (float64 for float64 input)
  torch::Tensor probs;     // [T, E] softmax over all experts, float32
  torch::Tensor weights;   // [T, k] gate weights of the chosen experts, rows sum to 1
  torch::Tensor indices;   // [T, k] int64 expert ids, best first
  torch::Tensor counts;    // [E] float: assignments routed to each expert (T*k in all)
  torch::Tensor aux_loss;  // scalar: E * sum_e f_e * P_e (Switch Transformer); 1 when balanced
  torch::Tensor z_loss;    // scalar: mean_t logsumexp(logits_t)^2 (ST-MoE)
};

RouterOutput route_top_k(const torch::Tensor& logits, int64_t top_k);

// Top-k form: weights/indices [T, k] -> [T, d]. Through the product dispatch.
torch::Tensor dispatch_experts(const torch::Tensor& x, const torch::Tensor& weights,
                               const torch::Tensor& indices, const torch::Tensor& w_in,
                               const torch::Tensor& w_out,
                               ExpertKernel kernel = ExpertKernel::automatic);

}  // namespace moescope
