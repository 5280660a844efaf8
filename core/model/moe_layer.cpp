#include "model/moe_layer.h"

#include <cmath>

#include "model/expert_ffn.h"

namespace moescope {

MoELayerImpl::MoELayerImpl(const MoELayerOptions& options_) : options(options_) {
  const auto E = options.experts(), d = options.d_model(), h = options.hidden();
  TORCH_CHECK(options.top_k() >= 1 && options.top_k() <= E, "top_k (", options.top_k(),
              ") must be between 1 and the number of experts (", E, ")");
  router = register_module(
      "router", TopKRouter(TopKRouterOptions(d, E).top_k(options.top_k())
                               .init_std(options.router_init_std())));
  w_in = register_parameter("w_in", torch::randn({E, d, 2 * h}) / std::sqrt(double(d)));
  w_out = register_parameter(
      "w_out", torch::randn({E, h, d}) * (options.output_init_scale() / std::sqrt(double(h))));
}

torch::Tensor dispatch_experts(const torch::Tensor& x, const torch::Tensor& weights,
                               const torch::Tensor& indices, const torch::Tensor& w_in,
                               const torch::Tensor& w_out) {
  const int64_t T = x.size(0), k = indices.size(1), E = w_in.size(0);
  // Flat assignment a = t * k + j; a stable sort by expert keeps tokens in order per expert.
  auto flat_experts = indices.reshape(-1);
  auto order = torch::argsort(flat_experts, /*stable=*/true);
  auto token_of = torch::div(order, k, "floor");
  auto counts_tensor = torch::bincount(flat_experts, {}, E).to(torch::kCPU);
  std::vector<int64_t> counts(counts_tensor.data_ptr<int64_t>(),
                              counts_tensor.data_ptr<int64_t>() + E);

  auto x_sorted = x.index_select(0, token_of);                   // [T*k, d]
  auto y_sorted = expert_ffn(x_sorted, w_in, w_out, counts);        // [T*k, d]
  auto gates = weights.reshape(-1).index_select(0, order).to(y_sorted.dtype());
  return torch::zeros({T, x.size(1)}, x.options())
      .index_add(0, token_of, y_sorted * gates.unsqueeze(1));
}

MoEOutput MoELayerImpl::forward(const torch::Tensor& x) {
  // x: [T, d] -> y: [T, d]
  TORCH_CHECK(x.dim() == 2 && x.size(1) == options.d_model(), "MoE layer expects [tokens, ",
              options.d_model(), "], got ", x.sizes());
  auto routing = router->forward(x);
  if (record_routing) {
    torch::NoGradGuard no_grad;
    last_routing.assignments = routing.counts;
    last_routing.importance = routing.probs.mean(0);
    last_routing.entropy =
        -(routing.probs * torch::log(routing.probs.clamp_min(1e-20))).sum(1).mean();
    last_routing.tokens = x.size(0);
  }
  MoEOutput out;
  out.y = dispatch_experts(x, routing.weights, routing.indices, w_in, w_out);
  out.aux_loss = routing.aux_loss;
  out.z_loss = routing.z_loss;
  return out;
}

}  // namespace moescope
