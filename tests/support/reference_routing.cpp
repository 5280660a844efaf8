#include "reference_routing.h"

#include "model/moe_layer.h"
#include "model/router.h"

namespace moescope {

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

torch::Tensor dispatch_experts(const torch::Tensor& x, const torch::Tensor& weights,
                               const torch::Tensor& indices, const torch::Tensor& w_in,
                               const torch::Tensor& w_out, ExpertKernel kernel) {
  const int64_t T = x.size(0), k = indices.size(1);
  auto token = torch::arange(T, indices.options()).repeat_interleave(k);
  return dispatch_assignments(x, token, indices.reshape(-1), weights.reshape(-1), w_in, w_out, 0,
                              0, {}, kernel);
}

}  // namespace moescope
