#include "grouped_matmul.h"

#include <numeric>

namespace moescope {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

void check_counts(const torch::Tensor& x, const torch::Tensor& w,
                  const std::vector<int64_t>& counts) {
  TORCH_CHECK(x.dim() == 2 && w.dim() == 3, "grouped_matmul: x must be [N, in] and w [E, in, out]");
  TORCH_CHECK(x.size(1) == w.size(1), "grouped_matmul: x has ", x.size(1),
              " columns but w expects ", w.size(1));
  TORCH_CHECK(static_cast<int64_t>(counts.size()) == w.size(0), "grouped_matmul: ", counts.size(),
              " counts for ", w.size(0), " experts");
  TORCH_CHECK(std::accumulate(counts.begin(), counts.end(), int64_t{0}) == x.size(0),
              "grouped_matmul: counts do not sum to the ", x.size(0), " rows of x");
}

struct GroupedMatmul : torch::autograd::Function<GroupedMatmul> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x_in,
                               const torch::Tensor& w, std::vector<int64_t> counts) {
    auto x = x_in.contiguous();
    auto out = torch::empty({x.size(0), w.size(2)}, x.options());
    int64_t offset = 0;
    for (size_t e = 0; e < counts.size(); ++e) {
      const int64_t n = counts[e];
      if (n == 0) continue;
      auto out_segment = out.narrow(0, offset, n);
      torch::mm_out(out_segment, x.narrow(0, offset, n), w.select(0, static_cast<int64_t>(e)));
      offset += n;
    }
    ctx->save_for_backward({x, w});
    ctx->saved_data["counts"] = c10::IValue(counts);
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& x = saved[0];
    const auto& w = saved[1];
    const auto counts = ctx->saved_data["counts"].toIntVector();
    auto grad = grad_outputs[0].contiguous();

    torch::Tensor grad_x, grad_w;
    const bool want_x = ctx->needs_input_grad(0);
    const bool want_w = ctx->needs_input_grad(1);
    if (want_x) grad_x = torch::empty_like(x);
    if (want_w) grad_w = torch::empty_like(w, at::MemoryFormat::Contiguous);
    int64_t offset = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      const auto e = static_cast<int64_t>(i);
      const int64_t n = counts[i];
      if (n == 0) {
        if (want_w) grad_w.select(0, e).zero_();
        continue;
      }
      auto g = grad.narrow(0, offset, n);
      if (want_x) {
        auto gx = grad_x.narrow(0, offset, n);
        torch::mm_out(gx, g, w.select(0, e).t());
      }
      if (want_w) {
        auto gw = grad_w.select(0, e);
        torch::mm_out(gw, x.narrow(0, offset, n).t(), g);
      }
      offset += n;
    }
    return {grad_x, grad_w, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor grouped_matmul(const torch::Tensor& x, const torch::Tensor& w,
                             const std::vector<int64_t>& counts) {
  check_counts(x, w, counts);
  return GroupedMatmul::apply(x, w, counts);
}

}  // namespace moescope
