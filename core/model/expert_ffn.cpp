#include "model/expert_ffn.h"

#include <numeric>

namespace moescope {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

struct ExpertFFN : torch::autograd::Function<ExpertFFN> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x_in,
                               const torch::Tensor& w_in, const torch::Tensor& w_out,
                               std::vector<int64_t> counts) {
    auto x = x_in.contiguous();
    const int64_t N = x.size(0), h = w_out.size(1);
    auto gate_up = torch::empty({N, 2 * h}, x.options());  // kept for the backward
    auto out = torch::empty({N, w_out.size(2)}, x.options());
    int64_t first = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      const auto e = static_cast<int64_t>(i);
      const int64_t n = counts[i];
      if (n == 0) continue;
      auto gu = gate_up.narrow(0, first, n);
      torch::mm_out(gu, x.narrow(0, first, n), w_in.select(0, e));
      auto hidden = torch::silu(gu.narrow(1, 0, h)) * gu.narrow(1, h, h);
      auto out_segment = out.narrow(0, first, n);
      torch::mm_out(out_segment, hidden, w_out.select(0, e));
      first += n;
    }
    ctx->save_for_backward({x, w_in, w_out, gate_up});
    ctx->saved_data["counts"] = c10::IValue(counts);
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &w_in = saved[1], &w_out = saved[2], &gate_up = saved[3];
    const auto counts = ctx->saved_data["counts"].toIntVector();
    const auto grad = grad_outputs[0].contiguous();
    const int64_t h = w_out.size(1);

    auto grad_x = torch::empty_like(x);
    auto grad_w_in = torch::empty_like(w_in, at::MemoryFormat::Contiguous);
    auto grad_w_out = torch::empty_like(w_out, at::MemoryFormat::Contiguous);
    int64_t first = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      const auto e = static_cast<int64_t>(i);
      const int64_t n = counts[i];
      if (n == 0) {  // no tokens, no gradient
        grad_w_in.select(0, e).zero_();
        grad_w_out.select(0, e).zero_();
        continue;
      }
      const auto gu = gate_up.narrow(0, first, n);
      const auto gate = gu.narrow(1, 0, h), up = gu.narrow(1, h, h);
      const auto x_segment = x.narrow(0, first, n);
      const auto g = grad.narrow(0, first, n);
      const auto silu_gate = torch::silu(gate);
      auto gw_out = grad_w_out.select(0, e);
      torch::mm_out(gw_out, (silu_gate * up).t(), g);
      const auto grad_hidden = g.mm(w_out.select(0, e).t());  // [n, h]
      auto grad_gate_up = torch::empty({n, 2 * h}, x.options());
      auto grad_gate = grad_gate_up.narrow(1, 0, h), grad_up = grad_gate_up.narrow(1, h, h);
      torch::mul_out(grad_up, grad_hidden, silu_gate);
      at::silu_backward_out(grad_gate, grad_hidden * up, gate);
      auto gw_in = grad_w_in.select(0, e);
      torch::mm_out(gw_in, x_segment.t(), grad_gate_up);
      auto gx = grad_x.narrow(0, first, n);
      torch::mm_out(gx, grad_gate_up, w_in.select(0, e).t());
      first += n;
    }
    return {grad_x, grad_w_in, grad_w_out, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor expert_ffn(const torch::Tensor& x, const torch::Tensor& w_in,
                         const torch::Tensor& w_out, const std::vector<int64_t>& counts) {
  TORCH_CHECK(x.dim() == 2 && w_in.dim() == 3 && w_out.dim() == 3,
              "expert_ffn: x must be [N, d], w_in [E, d, 2h] and w_out [E, h, d]");
  TORCH_CHECK(w_in.size(1) == x.size(1) && w_in.size(2) == 2 * w_out.size(1) &&
                  w_in.size(0) == w_out.size(0),
              "expert_ffn: weight shapes ", w_in.sizes(), " and ", w_out.sizes(),
              " do not fit x ", x.sizes());
  TORCH_CHECK(static_cast<int64_t>(counts.size()) == w_in.size(0), "expert_ffn: ", counts.size(),
              " counts for ", w_in.size(0), " experts");
  TORCH_CHECK(std::accumulate(counts.begin(), counts.end(), int64_t{0}) == x.size(0),
              "expert_ffn: counts do not sum to the ", x.size(0), " rows of x");
  return ExpertFFN::apply(x, w_in, w_out, counts);
}

}  // namespace moescope
