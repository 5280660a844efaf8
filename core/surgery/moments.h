// Surgery changes parameters in place; the optimizer's moments must follow, or training goes
// on from moments of experts that no longer exist.
#pragma once

#include <torch/torch.h>

#include <functional>

namespace moescope {

// Replaces `param`'s data by change(data) and each of its optimizer moments (AdamW, Adam;
// exp_avg, exp_avg_sq, max_exp_avg_sq) by change(moment), so the moments go with their
// weights. The tensor stays the same object (an optimizer keeps its parameter list); its
// gradient is dropped. Throws moescope::Error for an optimizer state of another kind.
void change_parameter(torch::Tensor& param, const std::function<torch::Tensor(const torch::Tensor&)>& change,
                      torch::optim::Optimizer* optimizer);

}  // namespace moescope
