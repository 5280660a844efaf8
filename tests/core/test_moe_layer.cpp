#include <gtest/gtest.h>
#include <torch/torch.h>

#include "model/expert_ffn.h"
#include "model/grouped_matmul.h"
#include "model/moe_layer.h"

namespace moescope {
namespace {

// Per-token reference: route each token on its own and sum its experts' SwiGLU outputs.
torch::Tensor naive_moe(const torch::Tensor& x, const torch::Tensor& router_w,
                        const torch::Tensor& w_in, const torch::Tensor& w_out, int64_t k) {
  const int64_t h = w_out.size(1);
  std::vector<torch::Tensor> rows;
  for (int64_t t = 0; t < x.size(0); ++t) {
    auto xt = x[t];
    auto probs = torch::softmax(torch::mv(router_w, xt), 0);
    auto [top, idx] = probs.topk(k);
    auto weights = top / top.sum();
    auto y = torch::zeros_like(xt);
    for (int64_t j = 0; j < k; ++j) {
      const auto e = idx[j].item<int64_t>();
      auto gate_up = torch::mv(w_in[e].t(), xt);
      auto hidden = torch::silu(gate_up.narrow(0, 0, h)) * gate_up.narrow(0, h, h);
      y = y + weights[j] * torch::mv(w_out[e].t(), hidden);
    }
    rows.push_back(y);
  }
  return torch::stack(rows);
}

struct Grads {
  torch::Tensor y, x, router, w_in, w_out;
};

Grads run(bool naive, MoELayer& layer, const torch::Tensor& x0, const torch::Tensor& probe) {
  auto x = x0.clone().requires_grad_(true);
  auto router_w = layer->router->weight.detach().clone().requires_grad_(true);
  auto w_in = layer->w_in.detach().clone().requires_grad_(true);
  auto w_out = layer->w_out.detach().clone().requires_grad_(true);
  torch::Tensor y;
  if (naive) {
    y = naive_moe(x, router_w, w_in, w_out, layer->options.top_k());
  } else {
    auto routing = route_top_k(torch::nn::functional::linear(x, router_w), layer->options.top_k());
    y = dispatch_experts(x, routing.weights, routing.indices, w_in, w_out);
  }
  (y * probe).sum().backward();
  return {y.detach(), x.grad(), router_w.grad(), w_in.grad(), w_out.grad()};
}

TEST(MoELayer, EqualsThePerTokenReferenceInForwardAndGradients) {
  torch::manual_seed(7);
  MoELayer layer(MoELayerOptions(12, 10).experts(6).top_k(2).router_init_std(0.5));
  layer->to(torch::kFloat64);
  auto x = torch::randn({37, 12}, torch::kFloat64);
  auto probe = torch::randn({37, 12}, torch::kFloat64);
  auto fast = run(false, layer, x, probe);
  auto ref = run(true, layer, x, probe);
  EXPECT_TRUE(torch::allclose(fast.y, ref.y, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.x, ref.x, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.router, ref.router, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.w_in, ref.w_in, 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(fast.w_out, ref.w_out, 1e-10, 1e-12));
}

TEST(MoELayer, ForwardOfTheModuleMatchesTheReferenceAndRecordsRouting) {
  torch::manual_seed(8);
  MoELayer layer(MoELayerOptions(8, 16).experts(4).top_k(1));
  layer->to(torch::kFloat64);
  layer->record_routing = true;
  auto x = torch::randn({50, 8}, torch::kFloat64);
  auto out = layer->forward(x);
  auto ref = naive_moe(x, layer->router->weight, layer->w_in, layer->w_out, 1);
  EXPECT_TRUE(torch::allclose(out.y, ref, 1e-10, 1e-12));
  EXPECT_DOUBLE_EQ(layer->last_routing.counts.sum().item<double>(), 50.0);
  EXPECT_NEAR(layer->last_routing.importance.sum().item<double>(), 1.0, 1e-12);
  EXPECT_EQ(layer->last_routing.tokens, 50);
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
