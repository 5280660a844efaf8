#include "model/swiglu.h"

#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>

#include <cmath>

namespace moescope {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// CPU: one pass over the rows, no temporaries. Other devices: tensor ops.
torch::Tensor swiglu_forward(const torch::Tensor& gate_up) {
  const auto N = gate_up.size(0), h = gate_up.size(1) / 2;
  if (!gate_up.is_cpu()) return torch::silu(gate_up.narrow(1, 0, h)) * gate_up.narrow(1, h, h);
  auto out = torch::empty({N, h}, gate_up.options());
  AT_DISPATCH_FLOATING_TYPES(gate_up.scalar_type(), "swiglu_forward", [&] {
    const auto* in = gate_up.data_ptr<scalar_t>();
    auto* y = out.data_ptr<scalar_t>();
    at::parallel_for(0, N, 64, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const scalar_t* g = in + r * 2 * h;
        const scalar_t* u = g + h;
        scalar_t* o = y + r * h;
        for (int64_t j = 0; j < h; ++j) o[j] = g[j] / (scalar_t(1) + std::exp(-g[j])) * u[j];
      }
    });
  });
  return out;
}

torch::Tensor swiglu_backward(const torch::Tensor& gate_up, const torch::Tensor& grad_out) {
  const auto N = gate_up.size(0), h = gate_up.size(1) / 2;
  auto grad_in = torch::empty_like(gate_up);
  if (!gate_up.is_cpu()) {
    auto gate = gate_up.narrow(1, 0, h), up = gate_up.narrow(1, h, h);
    auto sig = torch::sigmoid(gate);
    auto grad_gate = grad_in.narrow(1, 0, h), grad_up = grad_in.narrow(1, h, h);
    torch::mul_out(grad_up, grad_out, gate * sig);
    torch::mul_out(grad_gate, grad_out * up, sig * (1 + gate * (1 - sig)));
    return grad_in;
  }
  auto grad = grad_out.contiguous();
  AT_DISPATCH_FLOATING_TYPES(gate_up.scalar_type(), "swiglu_backward", [&] {
    const auto* in = gate_up.data_ptr<scalar_t>();
    const auto* gy = grad.data_ptr<scalar_t>();
    auto* gi = grad_in.data_ptr<scalar_t>();
    at::parallel_for(0, N, 64, [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) {
        const scalar_t* g = in + r * 2 * h;
        const scalar_t* u = g + h;
        const scalar_t* dy = gy + r * h;
        scalar_t* dg = gi + r * 2 * h;
        scalar_t* du = dg + h;
        for (int64_t j = 0; j < h; ++j) {
          const scalar_t sig = scalar_t(1) / (scalar_t(1) + std::exp(-g[j]));
          du[j] = dy[j] * g[j] * sig;
          // d silu(g)/dg = sig * (1 + g * (1 - sig))
          dg[j] = dy[j] * u[j] * sig * (scalar_t(1) + g[j] * (scalar_t(1) - sig));
        }
      }
    });
  });
  return grad_in;
}

struct SwiGLU : torch::autograd::Function<SwiGLU> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& gate_up_in) {
    auto gate_up = gate_up_in.contiguous();
    ctx->save_for_backward({gate_up});
    return swiglu_forward(gate_up);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    return {swiglu_backward(ctx->get_saved_variables()[0], grad_outputs[0])};
  }
};

}  // namespace

torch::Tensor swiglu(const torch::Tensor& gate_up) {
  TORCH_CHECK(gate_up.dim() == 2 && gate_up.size(1) % 2 == 0,
              "swiglu expects [N, 2h], got ", gate_up.sizes());
  return SwiGLU::apply(gate_up);
}

}  // namespace moescope
