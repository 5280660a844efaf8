// MoE layer forward+backward against a dense SwiGLU FFN with the same active FLOPs
// (hidden H = top_k * expert_hidden), and against the naive "W[e] per expert" dispatch that
// DESIGN.md warns about. The dense FFN is timed in three formulations, interleaved with the
// MoE layer in the same run, and the MoE layer is reported against the fastest of them:
//   separate  three projections in the nn.Linear layout (x @ W^T), as Mixtral's experts;
//   chunk     one fused [2H, d] gate/up projection in that layout, split with chunk;
//   narrow    one fused [d, 2H] projection (x @ W), split with narrow (the first reference). Defaults: T=4096 tokens, d=256, expert hidden 512, top-2, E = 8, 32,
// 64 in float32. The GPU size of bench/README.md:
//   moe_vs_dense --device cuda --dtype bf16 --tokens 16384 --d 2048 --hidden 1024 --experts 64 --top-k 8
// --kernel picks the experts' GEMM kernel (auto, segments, grouped_mm); --peak also measures
// the device's dense matmul rate (8192^3) to put the TFLOP/s next to.
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "engine/openmp_policy.h"
#include "model/moe_layer.h"
#include "reference_routing.h"
#include "timing.h"

using namespace moescope;

namespace {

namespace F = torch::nn::functional;

// Dense SwiGLU, x [T, d] -> [T, d], three ways of equal FLOPs.
struct DenseSwiGLU {
  torch::Tensor gate, up, down;  // separate: [H, d], [H, d], [d, H] (nn.Linear layout)
  torch::Tensor gate_up;         // chunk: [2H, d]
  torch::Tensor w_in, w_out;     // narrow: [d, 2H], [H, d]

  DenseSwiGLU(int64_t d, int64_t H, const torch::TensorOptions& options) {
    const auto init = [&](std::vector<int64_t> shape, int64_t fan_in) {
      return (torch::randn(shape, options) / std::sqrt(double(fan_in))).requires_grad_(true);
    };
    gate = init({H, d}, d);
    up = init({H, d}, d);
    down = init({d, H}, H);
    gate_up = init({2 * H, d}, d);
    w_in = init({d, 2 * H}, d);
    w_out = init({H, d}, H);
  }
  torch::Tensor separate(const torch::Tensor& x) const {
    return F::linear(torch::silu(F::linear(x, gate)) * F::linear(x, up), down);
  }
  torch::Tensor chunk(const torch::Tensor& x) const {
    const auto parts = F::linear(x, gate_up).chunk(2, 1);
    return F::linear(torch::silu(parts[0]) * parts[1], down);
  }
  torch::Tensor narrow(const torch::Tensor& x) const {
    const auto H = w_out.size(0);
    auto gu = x.mm(w_in);
    return (torch::silu(gu.narrow(1, 0, H)) * gu.narrow(1, H, H)).mm(w_out);
  }
  void clear_grads() {
    for (auto* p : {&gate, &up, &down, &gate_up, &w_in, &w_out}) p->mutable_grad().reset();
  }
};

// The pattern to avoid: one autograd op per expert on W[e] (backward zero-fills [E, d, 2h]
// for every expert) — what a direct port of the Python expert loop does.
torch::Tensor naive_dispatch(const torch::Tensor& x, const torch::Tensor& weights,
                             const torch::Tensor& indices, const torch::Tensor& w_in,
                             const torch::Tensor& w_out) {
  const auto E = w_in.size(0), h = w_out.size(1);
  auto out = torch::zeros_like(x);
  for (int64_t e = 0; e < E; ++e) {
    auto mask = indices.eq(e);
    auto token = mask.any(1).nonzero().squeeze(1);
    if (token.numel() == 0) continue;
    auto gate = (weights * mask).sum(1).index_select(0, token).unsqueeze(1).to(x.scalar_type());
    auto gate_up = x.index_select(0, token).mm(w_in[e]);
    auto y = (torch::silu(gate_up.narrow(1, 0, h)) * gate_up.narrow(1, h, h)).mm(w_out[e]);
    out = out.index_add(0, token, y * gate);
  }
  return out;
}

// The device's dense matmul rate in TFLOP/s: median of 8192^3 products in `dtype`.
double dense_matmul_tflops(const torch::Device& device, torch::ScalarType dtype) {
  const int64_t n = 8192;
  auto a = torch::randn({n, n}, torch::TensorOptions(device).dtype(dtype));
  auto b = torch::randn({n, n}, torch::TensorOptions(device).dtype(dtype));
  std::vector<bench::Candidate> runs{{"mm", [&] { a.mm(b); }, {}}};
  bench::measure(runs, 3, 10, device);
  return 2.0 * double(n) * double(n) * double(n) / (runs[0].median() * 1e-3) / 1e12;
}

}  // namespace

int main(int argc, char** argv) {
  bound_openmp_spinning(argv);
  int threads = 0, reps = 15;
  bool naive = false, moe_only = false, peak = false;
  std::string device_name = "cpu", dtype_name = "fp32", kernel_name = "auto";
  int64_t T = 4096, d = 256, h = 512, k = 2;
  std::vector<int64_t> experts{8, 32, 64};
  const char* usage =
      "usage: moe_vs_dense [--threads N] [--reps N] [--device cpu|cuda] [--dtype fp32|bf16]\n"
      "                    [--tokens T] [--d D] [--hidden H] [--top-k K] [--experts E[,E...]]\n"
      "                    [--kernel auto|segments|grouped_mm] [--naive] [--peak] [--moe-only]\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--threads" && has_value) threads = std::stoi(argv[++i]);
    else if (a == "--reps" && has_value) reps = std::stoi(argv[++i]);
    else if (a == "--device" && has_value) device_name = argv[++i];
    else if (a == "--dtype" && has_value) dtype_name = argv[++i];
    else if (a == "--kernel" && has_value) kernel_name = argv[++i];
    else if (a == "--tokens" && has_value) T = std::stoll(argv[++i]);
    else if (a == "--d" && has_value) d = std::stoll(argv[++i]);
    else if (a == "--hidden" && has_value) h = std::stoll(argv[++i]);
    else if (a == "--top-k" && has_value) k = std::stoll(argv[++i]);
    else if (a == "--experts" && has_value) {
      experts.clear();
      std::string list = argv[++i];
      for (size_t start = 0; start <= list.size();) {
        const size_t comma = std::min(list.find(',', start), list.size());
        experts.push_back(std::stoll(list.substr(start, comma - start)));
        start = comma + 1;
      }
    } else if (a == "--naive") naive = true;
    else if (a == "--peak") peak = true;
    else if (a == "--moe-only") moe_only = true;  // one "E ms" line per E, for bench/vs_pytorch.py
    else {
      std::fputs(usage, stderr);
      return 2;
    }
  }
  if (dtype_name != "fp32" && dtype_name != "bf16") {
    std::fputs(usage, stderr);
    return 2;
  }
  if (threads > 0) torch::set_num_threads(threads);
  const torch::Device device(device_name);
  const auto dtype = dtype_name == "bf16" ? torch::kBFloat16 : torch::kFloat32;
  const auto kernel = parse_expert_kernel(kernel_name);
  const auto options = torch::TensorOptions(device).dtype(dtype);
  torch::manual_seed(0);
  // Expert GEMM FLOPs of forward + backward: 3 GEMMs of 2*d*h per routed token (gate, up,
  // down), three times over (forward, grad input, grad weight).
  const double flops = 18.0 * double(T) * double(k) * double(d) * double(h);
  if (!moe_only) {
    std::printf("MoE layer fwd+bwd vs dense SwiGLU of equal active FLOPs: T=%lld d=%lld expert_hidden=%lld top-%lld, "
                "%s %s, kernel %s, %d threads, median of %d interleaved runs\n",
                (long long)T, (long long)d, (long long)h, (long long)k, device_name.c_str(),
                dtype_name.c_str(), kernel_name.c_str(), torch::get_num_threads(), reps);
    if (peak) std::printf("dense %s matmul 8192^3: %.1f TFLOP/s\n", dtype_name.c_str(), dense_matmul_tflops(device, dtype));
    std::printf("%4s %9s %12s %9s %10s  %-9s %7s %9s %11s%s\n", "E", "moe ms", "separate ms",
                "chunk ms", "narrow ms", "fastest", "ratio", "moe TF/s", "dense TF/s",
                naive ? "   naive ms  naive/fastest" : "");
  }
  for (int64_t E : experts) {
    MoELayer moe(MoELayerOptions(d, h).experts(E).top_k(k).expert_kernel(kernel));
    moe->to(device, dtype);
    DenseSwiGLU dense(d, k * h, options);
    auto x = torch::randn({T, d}, options).requires_grad_(true);
    auto probe = torch::randn({T, d}, options);
    std::vector<bench::Candidate> runs;
    runs.reserve(5);
    // Gradients are cleared every run, as an optimizer's zero_grad() does in training.
    const auto clear = [&] {
      for (auto& p : moe->parameters()) p.mutable_grad().reset();
      dense.clear_grads();
      x.mutable_grad().reset();
    };
    runs.push_back({"moe", [&] {
                      clear();
                      auto out = moe->forward(x);
                      ((out.y * probe).sum() + 0.01 * out.aux_loss).backward();
                    }, {}});
    runs.push_back({"separate", [&] {
                      clear();
                      (dense.separate(x) * probe).sum().backward();
                    }, {}});
    runs.push_back({"chunk", [&] {
                      clear();
                      (dense.chunk(x) * probe).sum().backward();
                    }, {}});
    runs.push_back({"narrow", [&] {
                      clear();
                      (dense.narrow(x) * probe).sum().backward();
                    }, {}});
    if (naive) {
      runs.push_back({"naive", [&] {
                        clear();
                        auto r = moescope::route_top_k(
                            torch::nn::functional::linear(x, moe->router->weight), moe->options.top_k());
                        (naive_dispatch(x, r.weights, r.indices, moe->w_in, moe->w_out) * probe).sum().backward();
                      }, {}});
    }
    if (moe_only) runs.resize(1);
    bench::measure(runs, 3, reps, device);
    if (moe_only) {
      std::printf("%lld %.3f\n", (long long)E, runs[0].median());
      continue;
    }
    size_t fastest = 1;
    for (size_t i = 2; i <= 3; ++i)
      if (runs[i].median() < runs[fastest].median()) fastest = i;
    const double moe_ms = runs[0].median(), dense_ms = runs[fastest].median();
    std::printf("%4lld %9.2f %12.2f %9.2f %10.2f  %-9s %6.2fx %9.2f %11.2f", (long long)E, moe_ms,
                runs[1].median(), runs[2].median(), runs[3].median(), runs[fastest].name.c_str(),
                moe_ms / dense_ms, flops / (moe_ms * 1e-3) / 1e12, flops / (dense_ms * 1e-3) / 1e12);
    if (naive) std::printf(" %10.2f %10.2fx", runs[4].median(), runs[4].median() / dense_ms);
    std::printf("\n");
  }
  return 0;
}
