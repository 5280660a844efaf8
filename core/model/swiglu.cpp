#include "model/swiglu.h"

namespace moescope {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct SwiGLU : torch::autograd::Function<SwiGLU> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& gate_up_in) {
    auto gate_up = gate_up_in.contiguous();
    const auto h = gate_up.size(1) / 2;
    ctx->save_for_backward({gate_up});
    return torch::silu(gate_up.narrow(1, 0, h)) * gate_up.narrow(1, h, h);
  }

  // ATen's vectorised kernels write straight into the two halves of one [N, 2h] gradient;
  // silu(gate) is recomputed rather than kept from the forward.
  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto gate_up = ctx->get_saved_variables()[0];
    const auto h = gate_up.size(1) / 2;
    const auto gate = gate_up.narrow(1, 0, h), up = gate_up.narrow(1, h, h);
    const auto& grad = grad_outputs[0];
    auto grad_in = torch::empty_like(gate_up);
    auto grad_gate = grad_in.narrow(1, 0, h), grad_up = grad_in.narrow(1, h, h);
    torch::mul_out(grad_up, grad, torch::silu(gate));
    at::silu_backward_out(grad_gate, grad * up, gate);
    return {grad_in};
  }
};

}  // namespace

torch::Tensor swiglu(const torch::Tensor& gate_up) {
  TORCH_CHECK(gate_up.dim() == 2 && gate_up.size(1) % 2 == 0,
              "swiglu expects [N, 2h], got ", gate_up.sizes());
  return SwiGLU::apply(gate_up);
}

}  // namespace moescope
