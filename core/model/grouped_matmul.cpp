#include "model/grouped_matmul.h"

#include <ATen/Parallel.h>

#include <cstdlib>
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

// Runs body(e, first_row, rows) for every expert. On the CPU, when there are several
// non-empty experts per thread, experts run in parallel with one single-threaded GEMM each:
// a segment of a few hundred rows is too small to split well across threads, while whole
// segments are. Few large segments keep LibTorch's threads inside each GEMM.
// MOESCOPE_GROUPED_MM=sequential|parallel forces one strategy (for benchmarks).
template <class Body>
void for_each_expert(const std::vector<int64_t>& counts, bool on_cpu, Body body) {
  const auto E = static_cast<int64_t>(counts.size());
  std::vector<int64_t> first(E + 1, 0);
  int64_t busy = 0;
  for (int64_t e = 0; e < E; ++e) {
    first[e + 1] = first[e] + counts[e];
    busy += counts[e] > 0;
  }
  static const char* forced = std::getenv("MOESCOPE_GROUPED_MM");
  bool parallel = on_cpu && busy >= 4 * at::get_num_threads();
  if (forced && std::string(forced) == "sequential") parallel = false;
  if (forced && std::string(forced) == "parallel") parallel = on_cpu;
  if (parallel) {
    at::parallel_for(0, E, 1, [&](int64_t begin, int64_t end) {
      for (int64_t e = begin; e < end; ++e) body(e, first[e], counts[e]);
    });
  } else {
    for (int64_t e = 0; e < E; ++e) body(e, first[e], counts[e]);
  }
}

struct GroupedMatmul : torch::autograd::Function<GroupedMatmul> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x_in,
                               const torch::Tensor& w, std::vector<int64_t> counts) {
    auto x = x_in.contiguous();
    auto out = torch::empty({x.size(0), w.size(2)}, x.options());
    for_each_expert(counts, x.is_cpu(), [&](int64_t e, int64_t first, int64_t n) {
      if (n == 0) return;
      auto out_segment = out.narrow(0, first, n);
      torch::mm_out(out_segment, x.narrow(0, first, n), w.select(0, e));
    });
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
    for_each_expert(counts, x.is_cpu(), [&](int64_t e, int64_t first, int64_t n) {
      if (n == 0) {
        if (want_w) grad_w.select(0, e).zero_();  // no tokens, no gradient
        return;
      }
      auto g = grad.narrow(0, first, n);
      if (want_x) {
        auto gx = grad_x.narrow(0, first, n);
        torch::mm_out(gx, g, w.select(0, e).t());
      }
      if (want_w) {
        auto gw = grad_w.select(0, e);
        torch::mm_out(gw, x.narrow(0, first, n).t(), g);
      }
    });
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
