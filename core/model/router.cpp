#include "model/router.h"

namespace moescope {

torch::Tensor expert_counts(const torch::Tensor& indices, int64_t experts) {
  return torch::bincount(indices.reshape(-1), {}, experts).to(torch::kFloat32);
}

torch::Tensor load_balancing_loss(const torch::Tensor& probs, const torch::Tensor& counts) {
  // f_e is a count (no gradient); the gradient flows through P_e, as in the Switch paper.
  auto f = counts.to(probs.scalar_type()) / counts.sum();
  return static_cast<double>(probs.size(1)) * (f * probs.mean(0)).sum();
}

torch::Tensor router_z_loss(const torch::Tensor& logits) {
  return torch::logsumexp(logits, /*dim=*/1).pow(2).mean();
}

RouterOutput route_top_k(const torch::Tensor& logits, int64_t top_k) {
  TORCH_CHECK(logits.dim() == 2, "router logits must be [tokens, experts], got ", logits.sizes());
  TORCH_CHECK(top_k >= 1 && top_k <= logits.size(1), "top_k must be in [1, experts=",
              logits.size(1), "], got ", top_k);
  RouterOutput out;
  // Route in at least float32 (bf16 logits lose the ordering of close experts).
  out.logits = logits.scalar_type() == torch::kDouble ? logits : logits.to(torch::kFloat32);
  out.probs = torch::softmax(out.logits, /*dim=*/1);
  auto [top_probs, top_indices] = out.probs.topk(top_k, /*dim=*/1);
  out.weights = top_probs / top_probs.sum(1, /*keepdim=*/true);
  out.indices = top_indices;
  out.counts = expert_counts(out.indices, logits.size(1));
  out.aux_loss = load_balancing_loss(out.probs, out.counts);
  out.z_loss = router_z_loss(out.logits);
  return out;
}

TopKRouterImpl::TopKRouterImpl(const TopKRouterOptions& options_) : options(options_) {
  weight = register_parameter(
      "weight", torch::randn({options.experts(), options.d_model()}) * options.init_std());
}

RouterOutput TopKRouterImpl::forward(const torch::Tensor& x) {
  // x: [T, d] -> logits [T, E]
  return route_top_k(torch::nn::functional::linear(x, weight), options.top_k());
}

}  // namespace moescope
