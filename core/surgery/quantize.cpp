#include "surgery/quantize.h"

#include <algorithm>
#include <numeric>

#include "base/error.h"
#include "model/clone.h"

namespace moescope {

torch::Tensor fake_quantize(const torch::Tensor& w, int64_t bits, int64_t reduce_dim) {
  TORCH_CHECK(bits >= 2 && bits <= 16, "fake_quantize: bits must be 2 to 16, got ", bits);
  torch::NoGradGuard no_grad;
  const double qmax = double((int64_t{1} << (bits - 1)) - 1);
  const auto x = w.to(torch::kFloat32);
  const auto scale = x.abs().amax({reduce_dim}, /*keepdim=*/true).clamp_min(1e-30) / qmax;
  return (torch::round(x / scale).clamp(-qmax, qmax) * scale).to(w.scalar_type());
}

std::vector<int64_t> allocate_bits(const torch::Tensor& usage, double average_bits) {
  if (!(average_bits >= 2.0 && average_bits <= 8.0)) {
    throw Error("the average bits budget must be between 2 and 8, got " + std::to_string(average_bits));
  }
  const auto u = usage.to(torch::kCPU, torch::kFloat64).contiguous();
  const int64_t E = u.numel();
  const double* count = u.data_ptr<double>();
  std::vector<int64_t> order(static_cast<size_t>(E));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [count](int64_t a, int64_t b) { return count[a] < count[b]; });
  std::vector<int64_t> bits(static_cast<size_t>(E), 8);
  const auto lower = [](int64_t b) { return b == 8 ? int64_t{4} : int64_t{2}; };
  int64_t total = 8 * E;
  // The least used first: each expert down to 4 in usage order, then each down to 2.
  for (int64_t floor : {int64_t{4}, int64_t{2}}) {
    for (auto e : order) {
      if (double(total) <= average_bits * double(E) + 1e-9) return bits;
      auto& b = bits[size_t(e)];
      if (b > floor) {
        total -= b - lower(b);
        b = lower(b);
      }
    }
  }
  return bits;
}

void quantize_experts(MoELayerImpl& layer, const std::vector<int64_t>& bits, bool shared) {
  const int64_t E = layer.options.experts();
  if (int64_t(bits.size()) != E) {
    throw Error("quantization: " + std::to_string(bits.size()) + " bit widths for " + std::to_string(E) + " experts");
  }
  torch::NoGradGuard no_grad;
  for (int64_t e = 0; e < E; ++e) {
    const auto b = bits[size_t(e)];
    if (b >= 16) continue;
    layer.w_in[e].copy_(fake_quantize(layer.w_in[e], b, 0));    // [d, 2h]: per column over d
    layer.w_out[e].copy_(fake_quantize(layer.w_out[e], b, 0));  // [h, d]: per column over h
  }
  if (shared && layer.shared_in.defined()) {
    layer.shared_in[0].copy_(fake_quantize(layer.shared_in[0], 8, 0));
    layer.shared_out[0].copy_(fake_quantize(layer.shared_out[0], 8, 0));
  }
}

LayerQuantPlan plan_quantize(const MoELayer& layer, const LayerCalibration& cache,
                             const std::vector<int64_t>& bits) {
  LayerQuantPlan plan;
  plan.bits = bits;
  plan.mean_bits = bits.empty() ? 0.0 : double(std::accumulate(bits.begin(), bits.end(), int64_t{0})) / double(bits.size());
  auto copy = clone_model(layer);
  quantize_experts(*copy, bits);
  torch::NoGradGuard no_grad;
  const double norm = layer->w_in.pow(2).sum().item<double>() + layer->w_out.pow(2).sum().item<double>();
  const double moved = (copy->w_in - layer->w_in).pow(2).sum().item<double>() +
                       (copy->w_out - layer->w_out).pow(2).sum().item<double>();
  plan.weight_error = moved / std::max(norm, 1e-30);
  plan.reconstruction_error = reconstruction_error(*copy, cache);
  return plan;
}

}  // namespace moescope
