// Top-k softmax router (GShard, Mixtral): a linear gate scores every expert, each token goes
// to its k best experts, and the k gate weights are renormalised to sum to 1.
#pragma once

#include <torch/torch.h>

namespace moescope {

struct RouterOutput {
  torch::Tensor logits;    // [T, E] float32 (float64 for float64 input)
  torch::Tensor probs;     // [T, E] softmax over all experts, float32
  torch::Tensor weights;   // [T, k] gate weights of the chosen experts, rows sum to 1
  torch::Tensor indices;   // [T, k] int64 expert ids, best first
  torch::Tensor counts;    // [E] float: assignments routed to each expert (T*k in all)
  torch::Tensor aux_loss;  // scalar: E * sum_e f_e * P_e (Switch Transformer); 1 when balanced
  torch::Tensor z_loss;    // scalar: mean_t logsumexp(logits_t)^2 (ST-MoE)
};

// Assignments per expert: indices [T, k] -> [E] float counts.
torch::Tensor expert_counts(const torch::Tensor& indices, int64_t experts);
// E * sum_e f_e * P_e with f_e = counts[e] / sum(counts) and P_e the mean gate probability.
torch::Tensor load_balancing_loss(const torch::Tensor& probs, const torch::Tensor& counts);
torch::Tensor router_z_loss(const torch::Tensor& logits);

// Routes already computed logits; the model's router module calls this.
RouterOutput route_top_k(const torch::Tensor& logits, int64_t top_k);

struct TopKRouterOptions {
  TopKRouterOptions(int64_t d_model, int64_t experts) : d_model_(d_model), experts_(experts) {}
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, experts);
  TORCH_ARG(int64_t, top_k) = 2;
  TORCH_ARG(double, init_std) = 0.02;
};

struct TopKRouterImpl : torch::nn::Module {
  explicit TopKRouterImpl(const TopKRouterOptions& options);
  // x: [T, d] -> routing of the T tokens
  RouterOutput forward(const torch::Tensor& x);

  TopKRouterOptions options;
  torch::Tensor weight;  // [E, d]
};
TORCH_MODULE(TopKRouter);

}  // namespace moescope
