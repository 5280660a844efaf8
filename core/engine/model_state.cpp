#include "engine/model_state.h"

#include "base/error.h"

namespace moescope {
namespace {

torch::Tensor copy_of(const torch::Tensor& t) { return t.defined() ? t.detach().clone() : t; }

// Adam's and AdamW's states have the same fields.
template <class State>
std::unique_ptr<torch::optim::OptimizerParamState> copy_state(const State& s) {
  auto c = std::make_unique<State>();
  c->step(s.step());
  c->exp_avg(copy_of(s.exp_avg()));
  c->exp_avg_sq(copy_of(s.exp_avg_sq()));
  c->max_exp_avg_sq(copy_of(s.max_exp_avg_sq()));
  return c;
}

std::unique_ptr<torch::optim::OptimizerParamState> deep_copy(const torch::optim::OptimizerParamState& state) {
  if (const auto* s = dynamic_cast<const torch::optim::AdamWParamState*>(&state)) return copy_state(*s);
  if (const auto* s = dynamic_cast<const torch::optim::AdamParamState*>(&state)) return copy_state(*s);
  throw Error("surgery: cannot keep an undo copy of this optimizer's state (Adam or AdamW only)");
}

}  // namespace

ModelState save_model_state(torch::nn::Module& module, const std::vector<MoELayer>& layers,
                            torch::optim::Optimizer* optimizer) {
  torch::NoGradGuard no_grad;
  ModelState s;
  for (const auto& p : module.parameters()) s.tensors.emplace_back(p, copy_of(p));
  for (const auto& b : module.buffers()) s.tensors.emplace_back(b, copy_of(b));
  for (const auto& layer : layers) {
    s.layer_options.push_back(layer->options);
    s.router_logits.push_back(layer->router->experts);
    s.routers.push_back(layer->router->runtime());
    s.routing.push_back(layer->last_routing);
    s.probes.push_back(layer->last_probe);
  }
  if (optimizer) {
    auto& states = optimizer->state();
    for (const auto& p : module.parameters()) {
      auto it = states.find(p.unsafeGetTensorImpl());
      if (it != states.end()) s.optimizer.emplace_back(p, deep_copy(*it->second));
    }
  }
  return s;
}

void restore_model_state(const ModelState& s, std::vector<MoELayer> layers,
                         torch::optim::Optimizer* optimizer) {
  torch::NoGradGuard no_grad;
  TORCH_CHECK(layers.size() == s.layer_options.size(), "restore_model_state: another model");
  for (const auto& [live, copy] : s.tensors) {
    auto tensor = live;
    tensor.set_data(copy.clone());
    if (tensor.grad().defined()) tensor.mutable_grad() = torch::Tensor();
  }
  for (size_t l = 0; l < layers.size(); ++l) {
    auto& layer = *layers[l];
    layer.options = s.layer_options[l];
    layer.router->experts = s.router_logits[l];
    layer.router->set_runtime(s.routers[l]);
    layer.router->last_selected_counts = torch::Tensor();
    layer.set_logit_map(layer.options.logit_to_expert());
    layer.last_routing = s.routing[l];
    layer.last_probe = s.probes[l];
  }
  if (optimizer) {
    auto& states = optimizer->state();
    for (const auto& [live, copy] : s.tensors) states.erase(live.unsafeGetTensorImpl());
    for (const auto& [live, state] : s.optimizer) states[live.unsafeGetTensorImpl()] = deep_copy(*state);
  }
}

}  // namespace moescope
