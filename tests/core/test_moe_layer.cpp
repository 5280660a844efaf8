#include <gtest/gtest.h>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include "engine/precision.h"
#include "model/expert_ffn.h"
#include "grouped_matmul.h"
#include "model/moe_layer.h"
#include "reference_routing.h"

namespace moescope {
namespace {

// Per-token reference of a top-k softmax MoE layer: route each token on its own and sum its
// experts' SwiGLU outputs, weighted by the renormalised top-k probabilities.
struct NaiveMoE {
  torch::Tensor y;           // [T, d]
  torch::Tensor counts;      // [E] float32: tokens that chose each expert
  torch::Tensor importance;  // [E] mean softmax probability
};

NaiveMoE naive_moe(const torch::Tensor& x, const torch::Tensor& router_w, const torch::Tensor& w_in,
                   const torch::Tensor& w_out, int64_t k) {
  const int64_t E = w_in.size(0), h = w_out.size(1);
  std::vector<torch::Tensor> rows;
  std::vector<float> counts(size_t(E), 0.0f);
  auto prob_sum = torch::zeros({E}, x.scalar_type());
  for (int64_t t = 0; t < x.size(0); ++t) {
    auto xt = x[t];
    auto probs = torch::softmax(torch::mv(router_w, xt), 0);
    prob_sum += probs.detach();
    auto [top, idx] = probs.topk(k);
    auto weights = top / top.sum();
    auto y = torch::zeros_like(xt);
    for (int64_t j = 0; j < k; ++j) {
      const auto e = idx[j].item<int64_t>();
      counts[size_t(e)] += 1.0f;
      auto gate_up = torch::mv(w_in[e].t(), xt);
      auto hidden = torch::silu(gate_up.narrow(0, 0, h)) * gate_up.narrow(0, h, h);
      y = y + weights[j] * torch::mv(w_out[e].t(), hidden);
    }
    rows.push_back(y);
  }
  return {torch::stack(rows), torch::tensor(counts), prob_sum / double(x.size(0))};
}

struct Grads {
  torch::Tensor y, x, router, w_in, w_out;
};

// A parameter's gradient, zeros where none flowed (so a cut graph fails a comparison).
torch::Tensor grad_of(const torch::Tensor& t) {
  return t.grad().defined() ? t.grad().clone() : torch::zeros_like(t);
}

// The layer's own forward, with record_routing on, and its gradients for a fixed probe.
Grads run_layer(MoELayer& layer, const torch::Tensor& x0, const torch::Tensor& probe) {
  layer->zero_grad();
  auto x = x0.clone().requires_grad_(true);
  layer->record_routing = true;
  auto y = layer->forward(x).y;
  (y * probe).sum().backward();
  return {y.detach(), grad_of(x), grad_of(layer->router->weight), grad_of(layer->w_in),
          grad_of(layer->w_out)};
}

// The reference on detached copies of the layer's parameters.
Grads run_reference(MoELayer& layer, const torch::Tensor& x0, const torch::Tensor& probe,
                    NaiveMoE* routing) {
  auto x = x0.clone().requires_grad_(true);
  auto router_w = layer->router->weight.detach().clone().requires_grad_(true);
  auto w_in = layer->w_in.detach().clone().requires_grad_(true);
  auto w_out = layer->w_out.detach().clone().requires_grad_(true);
  auto ref = naive_moe(x, router_w, w_in, w_out, layer->options.top_k());
  (ref.y * probe).sum().backward();
  *routing = ref;
  return {ref.y.detach(), x.grad(), router_w.grad(), w_in.grad(), w_out.grad()};
}

TEST(MoELayer, ForwardEqualsThePerTokenReferenceInOutputGradientsAndRouting) {
  torch::manual_seed(7);
  // Top-2 with a spread-out router: gates are far from 1/2, so the gate computation and
  // its gradient into the router show in every output.
  MoELayer layer(MoELayerOptions(12, 10).experts(6).top_k(2).router_init_std(0.5));
  layer->to(torch::kFloat64);
  auto x = torch::randn({37, 12}, torch::kFloat64);
  auto probe = torch::randn({37, 12}, torch::kFloat64);
  auto fast = run_layer(layer, x, probe);
  NaiveMoE ref_routing;
  auto ref = run_reference(layer, x, probe, &ref_routing);
  EXPECT_TRUE(torch::allclose(fast.y, ref.y, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.x, ref.x, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.router, ref.router, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.w_in, ref.w_in, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.w_out, ref.w_out, 1e-10, 1e-12));
  EXPECT_GT(ref.router.abs().sum().item<double>(), 0.0);  // the gates do carry gradient

  const auto& r = layer->last_routing;
  EXPECT_EQ(r.tokens, 37);
  EXPECT_TRUE(torch::equal(r.counts.to(torch::kFloat32), ref_routing.counts))
      << r.counts << "\nexpected\n" << ref_routing.counts;
  EXPECT_TRUE(torch::allclose(r.importance, ref_routing.importance, 1e-10, 1e-12))
      << r.importance << "\nexpected\n" << ref_routing.importance;

  // dispatch_experts on route_top_k's choice (the bench's path) gives the same output.
  auto top = route_top_k(torch::nn::functional::linear(x, layer->router->weight), 2);
  auto bench = dispatch_experts(x, top.weights, top.indices, layer->w_in, layer->w_out);
  EXPECT_TRUE(torch::allclose(bench, ref.y, 1e-10, 1e-12));
}

TEST(GroupedMatmul, MatchesPerExpertMatmulsWithEmptyExperts) {
  torch::manual_seed(9);
  auto x = torch::randn({9, 5}, torch::kFloat64).requires_grad_(true);
  auto w = torch::randn({4, 5, 3}, torch::kFloat64).requires_grad_(true);
  const std::vector<int64_t> counts{4, 0, 5, 0};  // experts 1 and 3 get no tokens
  auto y = grouped_matmul(x, w, counts);
  auto ref = torch::cat({x.narrow(0, 0, 4).mm(w[0]), x.narrow(0, 4, 5).mm(w[2])});
  EXPECT_TRUE(torch::allclose(y, ref));
  auto probe = torch::randn_like(y);
  (y * probe).sum().backward();
  auto gx = x.grad().clone(), gw = w.grad().clone();
  x.grad().zero_();
  w.grad().zero_();
  (ref * probe).sum().backward();
  EXPECT_TRUE(torch::allclose(gx, x.grad()));
  EXPECT_TRUE(torch::allclose(gw, w.grad()));
  EXPECT_EQ(gw[1].abs().sum().item<double>(), 0.0);  // no tokens, no gradient
}

TEST(GroupedMatmul, RejectsCountsThatDoNotCoverTheRows) {
  auto x = torch::randn({5, 2});
  auto w = torch::randn({2, 2, 2});
  EXPECT_THROW(grouped_matmul(x, w, {2, 2}), c10::Error);
  EXPECT_THROW(grouped_matmul(x, w, {5}), c10::Error);
}

TEST(MoELayer, CudaMatchesCpu) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU on this machine";
  torch::manual_seed(10);
  MoELayer layer(MoELayerOptions(16, 32).experts(8).top_k(2));
  auto x = torch::randn({64, 16});
  auto cpu = layer->forward(x).y;
  layer->to(torch::kCUDA);
  auto gpu = layer->forward(x.to(torch::kCUDA)).y.cpu();
  EXPECT_TRUE(torch::allclose(cpu, gpu, 1e-4, 1e-4));
}

// The grouped_mm kernel's run: output and the gradients of x, w_in, w_out for a fixed probe.
std::vector<torch::Tensor> ffn_and_grads(const torch::Tensor& x0, const torch::Tensor& w_in0,
                                         const torch::Tensor& w_out0, const std::vector<int64_t>& counts,
                                         ExpertKernel kernel, const torch::Tensor& probe) {
  auto x = x0.clone().requires_grad_(true);
  auto w_in = w_in0.clone().requires_grad_(true);
  auto w_out = w_out0.clone().requires_grad_(true);
  auto y = expert_ffn(x, w_in, w_out, counts, kernel);
  (y.to(torch::kFloat32) * probe).sum().backward();
  return {y.detach(), x.grad(), w_in.grad(), w_out.grad()};
}

TEST(ExpertFFN, GroupedMmKernelEqualsTheSegmentKernelWithEmptyExperts) {
  torch::manual_seed(13);
  const std::vector<int64_t> counts{9, 0, 17, 0, 6};  // experts 1 and 3 get no tokens
  auto x = torch::randn({32, 16});
  auto w_in = torch::randn({5, 16, 16}) * 0.25;
  auto w_out = torch::randn({5, 8, 16}) * 0.25;
  auto probe = torch::randn({32, 16});
  ASSERT_EQ(resolve_expert_kernel(ExpertKernel::grouped_mm, x, w_in, w_out), ExpertKernel::grouped_mm);
  auto grouped = ffn_and_grads(x, w_in, w_out, counts, ExpertKernel::grouped_mm, probe);
  auto segments = ffn_and_grads(x, w_in, w_out, counts, ExpertKernel::segments, probe);
  const char* names[] = {"y", "grad x", "grad w_in", "grad w_out"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_TRUE(torch::allclose(grouped[i], segments[i], 1e-5, 1e-5)) << names[i];
  }
  for (int e : {1, 3}) {
    EXPECT_EQ(grouped[2][e].abs().sum().item<float>(), 0.0f) << "grad w_in of idle expert " << e;
    EXPECT_EQ(grouped[3][e].abs().sum().item<float>(), 0.0f) << "grad w_out of idle expert " << e;
  }
}

TEST(ExpertFFN, GroupedMmInBf16StaysWithinBf16RoundingOfFloat32) {
  torch::manual_seed(14);
  const std::vector<int64_t> counts{40, 0, 56, 32};
  auto x = torch::randn({128, 32});
  auto w_in = torch::randn({4, 32, 32}) * 0.2;
  auto w_out = torch::randn({4, 16, 32}) * 0.2;
  auto probe = torch::randn({128, 32});
  auto exact = ffn_and_grads(x, w_in, w_out, counts, ExpertKernel::segments, probe);
  const auto bf16 = [](const torch::Tensor& t) { return t.to(torch::kBFloat16); };
  auto low = ffn_and_grads(bf16(x), bf16(w_in), bf16(w_out), counts, ExpertKernel::grouped_mm, probe);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(low[i].scalar_type(), torch::kBFloat16);
    const double error = (low[i].to(torch::kFloat32) - exact[i]).norm().item<double>();
    EXPECT_LT(error, 0.02 * exact[i].norm().item<double>()) << "output/gradient " << i;
  }
}

TEST(ExpertFFN, KernelChoiceFollowsDeviceDtypeAndAlignment) {
  auto x = torch::randn({4, 16});
  auto w_in = torch::randn({2, 16, 16}), w_out = torch::randn({2, 8, 16});
  EXPECT_EQ(resolve_expert_kernel(ExpertKernel::automatic, x, w_in, w_out), ExpertKernel::segments);
  EXPECT_EQ(resolve_expert_kernel(ExpertKernel::grouped_mm, x, w_in, w_out), ExpertKernel::grouped_mm);
  // float64 and rows of 6 floats (24 bytes) are not what at::_grouped_mm takes.
  auto x64 = x.to(torch::kFloat64);
  EXPECT_EQ(resolve_expert_kernel(ExpertKernel::grouped_mm, x64, w_in.to(torch::kFloat64),
                                  w_out.to(torch::kFloat64)),
            ExpertKernel::segments);
  auto x6 = torch::randn({4, 6});
  EXPECT_EQ(resolve_expert_kernel(ExpertKernel::grouped_mm, x6, torch::randn({2, 6, 16}), w_out),
            ExpertKernel::segments);
  EXPECT_EQ(parse_expert_kernel("grouped_mm"), ExpertKernel::grouped_mm);
  EXPECT_STREQ(expert_kernel_name(parse_expert_kernel("auto")), "auto");
  EXPECT_THROW(parse_expert_kernel("cutlass"), std::invalid_argument);
  EXPECT_THROW(expert_ffn_grouped(x6, torch::randn({2, 6, 16}), w_out, torch::tensor({2, 2})),
               c10::Error);
}

TEST(MoELayer, UnderBf16AutocastRoutesInFloat32AndRunsTheExpertsInBf16) {
  torch::manual_seed(15);
  for (auto kernel : {ExpertKernel::segments, ExpertKernel::grouped_mm}) {
    MoELayer layer(MoELayerOptions(32, 32).experts(8).top_k(2).expert_kernel(kernel));
    auto x = torch::randn({96, 32});
    layer->record_probe = true;
    auto exact = layer->forward(x);
    const auto exact_experts = layer->last_probe.experts.clone();
    MoEOutput low;
    {
      AutocastScope autocast(torch::kCPU, true);
      low = layer->forward(x);
    }
    EXPECT_FALSE(at::autocast::is_autocast_enabled(torch::kCPU));
    EXPECT_EQ(low.y.scalar_type(), torch::kBFloat16);
    EXPECT_EQ(low.aux_loss.scalar_type(), torch::kFloat32);
    // The router saw the same float32 input, so every token went to the same experts.
    EXPECT_TRUE(torch::equal(layer->last_probe.experts, exact_experts));
    const double error = (low.y.to(torch::kFloat32) - exact.y).norm().item<double>();
    EXPECT_LT(error, 0.02 * exact.y.norm().item<double>());
    (low.y.to(torch::kFloat32).sum() + low.aux_loss).backward();
    EXPECT_EQ(layer->w_in.grad().scalar_type(), torch::kFloat32);  // float32 master weights
    EXPECT_GT(layer->w_in.grad().abs().sum().item<double>(), 0.0);
    EXPECT_GT(layer->router->weight.grad().abs().sum().item<double>(), 0.0);
  }
}

TEST(MoELayer, GroupedMmKernelOnCudaInBf16MatchesTheCpuInFloat32) {
  if (!torch::cuda::is_available()) GTEST_SKIP() << "no CUDA GPU on this machine";
  torch::manual_seed(16);
  MoELayer layer(MoELayerOptions(64, 64).experts(8).top_k(2));
  auto x = torch::randn({256, 64});
  auto probe = torch::randn({256, 64});
  auto cpu = layer->forward(x);
  (cpu.y * probe).sum().backward();
  const auto cpu_grad = layer->w_in.grad().clone();
  layer->zero_grad();
  layer->to(torch::kCUDA);
  ASSERT_EQ(resolve_expert_kernel(ExpertKernel::automatic, x.to(torch::kCUDA, torch::kBFloat16),
                                  layer->w_in.to(torch::kBFloat16), layer->w_out.to(torch::kBFloat16)),
            ExpertKernel::grouped_mm);
  MoEOutput gpu;
  {
    AutocastScope autocast(torch::Device(torch::kCUDA), true);
    gpu = layer->forward(x.to(torch::kCUDA));
  }
  EXPECT_EQ(gpu.y.scalar_type(), torch::kBFloat16);
  (gpu.y.to(torch::kFloat32) * probe.to(torch::kCUDA)).sum().backward();
  const auto y = gpu.y.to(torch::kCPU, torch::kFloat32);
  EXPECT_LT((y - cpu.y).norm().item<double>(), 0.02 * cpu.y.norm().item<double>());
  const auto grad = layer->w_in.grad().cpu();
  EXPECT_LT((grad - cpu_grad).norm().item<double>(), 0.03 * cpu_grad.norm().item<double>());
}

TEST(ExpertFFN, EqualsGroupedMatmulSwiGLUGroupedMatmulWithEmptyExperts) {
  torch::manual_seed(12);
  const std::vector<int64_t> counts{3, 0, 6, 0, 2};  // experts 1 and 3 get no tokens
  auto x = torch::randn({11, 6}, torch::kFloat64).requires_grad_(true);
  auto w_in = torch::randn({5, 6, 8}, torch::kFloat64).requires_grad_(true);
  auto w_out = torch::randn({5, 4, 6}, torch::kFloat64).requires_grad_(true);
  auto probe = torch::randn({11, 6}, torch::kFloat64);
  auto fused = expert_ffn(x, w_in, w_out, counts);
  (fused * probe).sum().backward();
  auto gx = x.grad().clone(), gi = w_in.grad().clone(), go = w_out.grad().clone();
  for (auto* t : {&x, &w_in, &w_out}) t->mutable_grad().reset();
  auto gate_up = grouped_matmul(x, w_in, counts);
  auto hidden = torch::silu(gate_up.narrow(1, 0, 4)) * gate_up.narrow(1, 4, 4);
  auto plain = grouped_matmul(hidden, w_out, counts);
  (plain * probe).sum().backward();
  EXPECT_TRUE(torch::allclose(fused, plain, 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(gx, x.grad(), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(gi, w_in.grad(), 1e-12, 1e-12));
  EXPECT_TRUE(torch::allclose(go, w_out.grad(), 1e-12, 1e-12));
  EXPECT_EQ(gi[1].abs().sum().item<double>(), 0.0);
  EXPECT_EQ(go[3].abs().sum().item<double>(), 0.0);
}

}  // namespace
}  // namespace moescope
