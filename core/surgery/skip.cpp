#include "surgery/skip.h"

#include "base/error.h"
#include "model/clone.h"

namespace moescope {

void set_skip(MoELayerImpl& layer, double beta) {
  if (!(beta >= 0.0 && beta <= 1.0)) throw Error("skip beta must be between 0 and 1, got " + std::to_string(beta));
  auto runtime = layer.router->runtime();
  runtime.skip_beta = beta;
  layer.router->set_runtime(runtime);
}

LayerSkipPlan plan_skip(const MoELayer& layer, const LayerCalibration& cache, double beta) {
  LayerSkipPlan plan;
  plan.beta = beta;
  torch::NoGradGuard no_grad;
  const int64_t E = cache.ffn_experts(), N = cache.input.size(0);
  const auto ffn = cache.expert < E;
  const auto top = torch::zeros({N}, cache.gate.options())
                       .scatter_reduce(0, cache.token, cache.gate, "amax", /*include_self=*/false);
  const auto skipped = (cache.gate < top.index_select(0, cache.token) * beta) & ffn;
  plan.skipped_share = skipped.sum().item<double>() / std::max(ffn.sum().item<double>(), 1.0);
  auto copy = clone_model(layer);
  set_skip(*copy, beta);
  plan.reconstruction_error = reconstruction_error(*copy, cache);
  return plan;
}

}  // namespace moescope
