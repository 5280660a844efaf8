#include "inspect/routing_stats.h"

namespace moescope {

RoutingSnapshot make_routing_snapshot(const std::vector<MoELayer>& layers, int64_t step) {
  torch::NoGradGuard no_grad;
  RoutingSnapshot snap;
  snap.step = step;
  snap.layers = static_cast<int64_t>(layers.size());
  snap.experts = layers.empty() ? 0 : layers.front()->options.experts();
  std::vector<torch::Tensor> load, importance, entropy;
  for (const auto& layer : layers) {
    const auto& r = layer->last_routing;
    TORCH_CHECK(r.assignments.defined(), "routing snapshot asked before a recorded forward");
    load.push_back(r.assignments / r.assignments.sum().clamp_min(1.0));
    importance.push_back(r.importance);
    entropy.push_back(r.entropy.reshape({1}));
  }
  const auto to_vector = [](const std::vector<torch::Tensor>& parts) {
    auto flat = torch::cat(parts).to(torch::kCPU, torch::kFloat32).contiguous();
    return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
  };
  if (!layers.empty()) {
    snap.load = to_vector(load);
    snap.importance = to_vector(importance);
    snap.entropy = to_vector(entropy);
  }
  snap.dropped.assign(static_cast<size_t>(snap.layers), 0.0f);  // top-k routing drops nothing
  return snap;
}

}  // namespace moescope
