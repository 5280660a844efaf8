#include "model/expert_ffn.h"

#include <numeric>
#include <stdexcept>

namespace moescope {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// d(silu(gate) * up) for the gate | up halves of grad_gate_up.
void swiglu_backward(const torch::Tensor& grad_hidden, const torch::Tensor& gate,
                     const torch::Tensor& up, const torch::Tensor& silu_gate,
                     torch::Tensor& grad_gate_up) {
  const int64_t h = gate.size(1);
  auto grad_gate = grad_gate_up.narrow(1, 0, h), grad_up = grad_gate_up.narrow(1, h, h);
  torch::mul_out(grad_up, grad_hidden, silu_gate);
  at::silu_backward_out(grad_gate, grad_hidden * up, gate);
}

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
      swiglu_backward(grad_hidden, gate, up, silu_gate, grad_gate_up);
      auto gw_in = grad_w_in.select(0, e);
      torch::mm_out(gw_in, x_segment.t(), grad_gate_up);
      auto gx = grad_x.narrow(0, first, n);
      torch::mm_out(gx, grad_gate_up, w_in.select(0, e).t());
      first += n;
    }
    return {grad_x, grad_w_in, grad_w_out, torch::Tensor()};
  }
};

// Each stage is one at::_grouped_mm over all experts; offsets are the cumulative row counts
// (int32, on the device). The hidden activation is recomputed in the backward from the saved
// gate | up projection rather than kept.
struct GroupedExpertFFN : torch::autograd::Function<GroupedExpertFFN> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x_in,
                               const torch::Tensor& w_in, const torch::Tensor& w_out,
                               const torch::Tensor& counts) {
    auto x = x_in.contiguous();
    const int64_t h = w_out.size(1);
    const auto offsets = counts.cumsum(0).to(torch::kInt32);
    auto gate_up = at::_grouped_mm(x, w_in, offsets);  // [N, 2h]
    auto hidden = torch::silu(gate_up.narrow(1, 0, h)) * gate_up.narrow(1, h, h);
    auto out = at::_grouped_mm(hidden, w_out, offsets);
    ctx->save_for_backward({x, w_in, w_out, gate_up, offsets, counts});
    return out;
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto &x = saved[0], &w_in = saved[1], &w_out = saved[2], &gate_up = saved[3];
    const auto &offsets = saved[4], &counts = saved[5];
    const auto grad = grad_outputs[0].contiguous();
    const int64_t h = w_out.size(1);
    const auto gate = gate_up.narrow(1, 0, h), up = gate_up.narrow(1, h, h);
    const auto silu_gate = torch::silu(gate);
    const auto hidden = silu_gate * up;

    auto grad_w_out = at::_grouped_mm(hidden.t(), grad, offsets);  // [E, h, d]
    const auto grad_hidden = at::_grouped_mm(grad, w_out.transpose(1, 2), offsets);  // [N, h]
    auto grad_gate_up = torch::empty_like(gate_up, at::MemoryFormat::Contiguous);
    swiglu_backward(grad_hidden, gate, up, silu_gate, grad_gate_up);
    auto grad_w_in = at::_grouped_mm(x.t(), grad_gate_up, offsets);  // [E, d, 2h]
    auto grad_x = at::_grouped_mm(grad_gate_up, w_in.transpose(1, 2), offsets);
    // An expert with no rows contracts over nothing: its gradient is zero by definition,
    // whatever the kernel leaves there.
    const auto idle = counts.eq(0).view({-1, 1, 1});
    grad_w_in.masked_fill_(idle, 0.0);
    grad_w_out.masked_fill_(idle, 0.0);
    return {grad_x, grad_w_in, grad_w_out, torch::Tensor()};
  }
};

void check_operands(const torch::Tensor& x, const torch::Tensor& w_in, const torch::Tensor& w_out,
                    int64_t experts) {
  TORCH_CHECK(x.dim() == 2 && w_in.dim() == 3 && w_out.dim() == 3,
              "expert_ffn: x must be [N, d], w_in [E, d, 2h] and w_out [E, h, d]");
  TORCH_CHECK(w_in.size(1) == x.size(1) && w_in.size(2) == 2 * w_out.size(1) &&
                  w_in.size(0) == w_out.size(0),
              "expert_ffn: weight shapes ", w_in.sizes(), " and ", w_out.sizes(),
              " do not fit x ", x.sizes());
  TORCH_CHECK(x.scalar_type() == w_in.scalar_type() && x.scalar_type() == w_out.scalar_type(),
              "expert_ffn: x, w_in and w_out must share a dtype, got ", x.scalar_type(), ", ",
              w_in.scalar_type(), " and ", w_out.scalar_type());
  TORCH_CHECK(experts == w_in.size(0), "expert_ffn: ", experts, " counts for ", w_in.size(0),
              " experts");
}

}  // namespace

ExpertKernel parse_expert_kernel(const std::string& name) {
  if (name == "auto") return ExpertKernel::automatic;
  if (name == "segments") return ExpertKernel::segments;
  if (name == "grouped_mm") return ExpertKernel::grouped_mm;
  throw std::invalid_argument("expert kernel must be auto, segments or grouped_mm, got \"" + name + "\"");
}

const char* expert_kernel_name(ExpertKernel kernel) {
  switch (kernel) {
    case ExpertKernel::segments: return "segments";
    case ExpertKernel::grouped_mm: return "grouped_mm";
    case ExpertKernel::automatic: break;
  }
  return "auto";
}

bool grouped_mm_fits(const torch::Tensor& x, const torch::Tensor& w_in, const torch::Tensor& w_out) {
  const auto dtype = x.scalar_type();
  if (dtype != torch::kFloat32 && dtype != torch::kBFloat16 && dtype != torch::kFloat16) return false;
  const int64_t align = 16 / static_cast<int64_t>(x.element_size());
  return x.size(1) % align == 0 && w_out.size(1) % align == 0 && w_in.size(2) % align == 0;
}

ExpertKernel resolve_expert_kernel(ExpertKernel kernel, const torch::Tensor& x,
                                   const torch::Tensor& w_in, const torch::Tensor& w_out) {
  if (kernel == ExpertKernel::segments || !grouped_mm_fits(x, w_in, w_out)) {
    return ExpertKernel::segments;
  }
  if (kernel == ExpertKernel::automatic && !x.is_cuda()) return ExpertKernel::segments;
  return ExpertKernel::grouped_mm;
}

torch::Tensor expert_ffn_grouped(const torch::Tensor& x, const torch::Tensor& w_in,
                                 const torch::Tensor& w_out, const torch::Tensor& counts) {
  check_operands(x, w_in, w_out, counts.numel());
  TORCH_CHECK(grouped_mm_fits(x, w_in, w_out), "expert_ffn: shapes ", x.sizes(), ", ",
              w_in.sizes(), ", ", w_out.sizes(), " in ", x.scalar_type(),
              " are not 16-byte aligned for at::_grouped_mm");
  return GroupedExpertFFN::apply(x, w_in, w_out, counts.to(x.device(), torch::kInt64));
}

torch::Tensor expert_ffn(const torch::Tensor& x, const torch::Tensor& w_in,
                         const torch::Tensor& w_out, const std::vector<int64_t>& counts,
                         ExpertKernel kernel) {
  check_operands(x, w_in, w_out, static_cast<int64_t>(counts.size()));
  TORCH_CHECK(std::accumulate(counts.begin(), counts.end(), int64_t{0}) == x.size(0),
              "expert_ffn: counts do not sum to the ", x.size(0), " rows of x");
  if (resolve_expert_kernel(kernel, x, w_in, w_out) == ExpertKernel::grouped_mm) {
    return GroupedExpertFFN::apply(x, w_in, w_out, torch::tensor(counts).to(x.device()));
  }
  return ExpertFFN::apply(x, w_in, w_out, counts);
}

}  // namespace moescope
