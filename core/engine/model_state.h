// A deep copy of a model's weights, its MoE layers' shapes and router settings, and its
// optimizer's state: what Undo puts back after a surgery, bit for bit, and what a surgery
// preview restores after measuring the changed model.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <utility>
#include <vector>

#include "model/moe_layer.h"

namespace moescope {

struct ModelState {
  // Every parameter and buffer of the module (the live tensor, which surgery keeps as the
  // same object, and a copy of its data).
  std::vector<std::pair<torch::Tensor, torch::Tensor>> tensors;
  std::vector<MoELayerOptions> layer_options;
  std::vector<int64_t> router_logits;
  std::vector<RouterRuntime> routers;
  std::vector<LayerRouting> routing;  // the last recorded forward, for a snapshot still due
  std::vector<ProbeRouting> probes;
  // The optimizer state of each parameter that had one, deep-copied.
  std::vector<std::pair<torch::Tensor, std::unique_ptr<torch::optim::OptimizerParamState>>> optimizer;
};

// Throws moescope::Error for an optimizer state other than Adam's or AdamW's.
ModelState save_model_state(torch::nn::Module& module, const std::vector<MoELayer>& layers,
                            torch::optim::Optimizer* optimizer);
// Puts everything back as it was saved; the tensors stay the objects the optimizer holds.
void restore_model_state(const ModelState& state, std::vector<MoELayer> layers,
                         torch::optim::Optimizer* optimizer);

}  // namespace moescope
