#include "surgery/moments.h"

#include "base/error.h"

namespace moescope {

void change_parameter(torch::Tensor& param, const std::function<torch::Tensor(const torch::Tensor&)>& change,
                      torch::optim::Optimizer* optimizer) {
  if (!param.defined()) return;
  torch::NoGradGuard no_grad;
  if (optimizer) {
    auto& state = optimizer->state();
    auto it = state.find(param.unsafeGetTensorImpl());
    if (it != state.end()) {
      if (auto* adamw = dynamic_cast<torch::optim::AdamWParamState*>(it->second.get())) {
        adamw->exp_avg(change(adamw->exp_avg()));
        adamw->exp_avg_sq(change(adamw->exp_avg_sq()));
        if (adamw->max_exp_avg_sq().defined() && adamw->max_exp_avg_sq().dim() > 0) {
          adamw->max_exp_avg_sq(change(adamw->max_exp_avg_sq()));
        }
      } else if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(it->second.get())) {
        adam->exp_avg(change(adam->exp_avg()));
        adam->exp_avg_sq(change(adam->exp_avg_sq()));
        if (adam->max_exp_avg_sq().defined() && adam->max_exp_avg_sq().dim() > 0) {
          adam->max_exp_avg_sq(change(adam->max_exp_avg_sq()));
        }
      } else {
        throw Error("surgery: the optimizer's state of a changed parameter is of an unknown kind");
      }
    }
  }
  param.set_data(change(param.detach()));
  if (param.grad().defined()) param.mutable_grad() = torch::Tensor();
}

}  // namespace moescope
