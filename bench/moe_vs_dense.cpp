// MoE layer forward+backward against a dense SwiGLU FFN with the same active FLOPs
// (hidden = top_k * expert_hidden), and against the naive "W[e] per expert" dispatch that
// DESIGN.md warns about. T=4096 tokens, d=256, expert hidden 512, top-2, E = 8, 32, 64.
//   moe_vs_dense [--threads N] [--reps N] [--device cpu|cuda] [--naive]
#include <torch/torch.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "engine/openmp_policy.h"
#include "model/moe_layer.h"
#include "timing.h"

using namespace moescope;

namespace {

// Dense SwiGLU: x [T, d] -> [T, d] with a fused [d, 2H] input projection.
torch::Tensor dense_swiglu(const torch::Tensor& x, const torch::Tensor& w_in, const torch::Tensor& w_out) {
  const auto H = w_out.size(0);
  auto gate_up = x.mm(w_in);
  return (torch::silu(gate_up.narrow(1, 0, H)) * gate_up.narrow(1, H, H)).mm(w_out);
}

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
    auto gate = (weights * mask).sum(1).index_select(0, token).unsqueeze(1);
    auto gate_up = x.index_select(0, token).mm(w_in[e]);
    auto y = (torch::silu(gate_up.narrow(1, 0, h)) * gate_up.narrow(1, h, h)).mm(w_out[e]);
    out = out.index_add(0, token, y * gate);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bound_openmp_spinning(argv);
  int threads = 0, reps = 15;
  bool naive = false, moe_only = false;
  std::string device_name = "cpu";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = std::stoi(argv[++i]);
    else if (a == "--device" && i + 1 < argc) device_name = argv[++i];
    else if (a == "--naive") naive = true;
    else if (a == "--moe-only") moe_only = true;  // one "E ms" line per E, for bench/vs_pytorch.py
    else {
      std::fprintf(stderr, "usage: moe_vs_dense [--threads N] [--reps N] [--device cpu|cuda] [--naive]\n");
      return 2;
    }
  }
  if (threads > 0) torch::set_num_threads(threads);
  const torch::Device device(device_name);
  const int64_t T = 4096, d = 256, h = 512, k = 2;
  torch::manual_seed(0);
  if (!moe_only)
  std::printf("MoE layer fwd+bwd vs dense SwiGLU of equal active FLOPs: T=%lld d=%lld expert_hidden=%lld top-%lld, "
              "%s, %d threads, median of %d interleaved runs\n",
              (long long)T, (long long)d, (long long)h, (long long)k, device_name.c_str(),
              torch::get_num_threads(), reps);
  if (!moe_only) std::printf("%4s %10s %10s %8s%s\n", "E", "moe ms", "dense ms", "ratio", naive ? "   naive ms  naive/dense" : "");
  for (int64_t E : {8, 32, 64}) {
    MoELayer moe(MoELayerOptions(d, h).experts(E).top_k(k));
    moe->to(device);
    auto w_in = (torch::randn({d, 2 * k * h}, device) / 16).requires_grad_(true);
    auto w_out = (torch::randn({k * h, d}, device) / 32).requires_grad_(true);
    auto x = torch::randn({T, d}, device).requires_grad_(true);
    auto probe = torch::randn({T, d}, device);
    std::vector<bench::Candidate> runs;
    runs.reserve(3);
    // Gradients are cleared every run, as an optimizer's zero_grad() does in training.
    const auto clear = [&] {
      for (auto& p : moe->parameters()) p.mutable_grad().reset();
      for (auto* p : {&w_in, &w_out, &x}) p->mutable_grad().reset();
    };
    runs.push_back({"moe", [&] {
                      clear();
                      auto out = moe->forward(x);
                      ((out.y * probe).sum() + 0.01 * out.aux_loss).backward();
                    }, {}});
    runs.push_back({"dense", [&] {
                      clear();
                      (dense_swiglu(x, w_in, w_out) * probe).sum().backward();
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
    std::printf("%4lld %10.2f %10.2f %7.2fx", (long long)E, runs[0].median(), runs[1].median(),
                runs[0].median() / runs[1].median());
    if (naive) std::printf(" %10.2f %10.2fx", runs[2].median(), runs[2].median() / runs[1].median());
    std::printf("\n");
  }
  return 0;
}
