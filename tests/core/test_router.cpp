#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "model/router.h"
#include "reference_routing.h"

namespace moescope {
namespace {

TEST(Router, PicksTheTopKExpertsAndRenormalisesTheirWeights) {
  auto logits = torch::tensor({{1.0, 3.0, 2.0, 0.0}, {0.0, 0.5, 5.0, 1.0}}, torch::kFloat32);
  auto r = route_top_k(logits, 2);
  EXPECT_EQ(r.indices[0][0].item<int64_t>(), 1);
  EXPECT_EQ(r.indices[0][1].item<int64_t>(), 2);
  EXPECT_EQ(r.indices[1][0].item<int64_t>(), 2);
  EXPECT_EQ(r.indices[1][1].item<int64_t>(), 3);
  // Renormalised over the chosen two: e^3 / (e^3 + e^2) = 1 / (1 + e^-1).
  EXPECT_NEAR(r.weights[0][0].item<float>(), 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
  EXPECT_NEAR(r.weights[1][1].item<float>(), 1.0 / (1.0 + std::exp(4.0)), 1e-6);
}

TEST(Router, GateWeightsSumToOneForEveryToken) {
  torch::manual_seed(3);
  auto r = route_top_k(torch::randn({257, 16}) * 4, 4);
  auto sums = r.weights.sum(1);
  EXPECT_TRUE(torch::allclose(sums, torch::ones_like(sums), 1e-6, 1e-6));
  EXPECT_TRUE((r.weights.select(1, 0) >= r.weights.select(1, 3)).all().item<bool>());
}

TEST(Router, AuxLossEqualsTheSwitchFormulaOnAHandMadeCase) {
  // Three tokens, three experts, top-1.
  auto logits = torch::tensor({{2.0, 0.0, 0.0}, {2.0, 0.0, 0.0}, {0.0, 0.0, 2.0}}, torch::kFloat64);
  auto r = route_top_k(logits, 1);
  // f = (2/3, 0, 1/3); P_e = column means of the softmax.
  const double a = std::exp(2.0) / (std::exp(2.0) + 2.0), b = 1.0 / (std::exp(2.0) + 2.0);
  const double p0 = (2 * a + b) / 3, p1 = b, p2 = (2 * b + a) / 3;
  const double expected = 3.0 * (2.0 / 3.0 * p0 + 0.0 * p1 + 1.0 / 3.0 * p2);
  EXPECT_NEAR(r.aux_loss.item<double>(), expected, 1e-6);
}

TEST(Router, AuxLossIsOneForAPerfectlyBalancedRouter) {
  auto r = route_top_k(torch::zeros({8, 4}), 1);  // uniform probabilities
  // Ties pick expert 0 for every token: f = (1,0,0,0), P = 1/4 each -> 4 * 1/4 = 1.
  EXPECT_NEAR(r.aux_loss.item<float>(), 1.0, 1e-6);
}

TEST(Router, ZLossEqualsMeanSquaredLogSumExp) {
  auto logits = torch::tensor({{0.0, 0.0}, {1.0, 2.0}}, torch::kFloat64);
  auto r = route_top_k(logits, 1);
  const double l0 = std::log(2.0), l1 = std::log(std::exp(1.0) + std::exp(2.0));
  EXPECT_NEAR(r.z_loss.item<double>(), (l0 * l0 + l1 * l1) / 2.0, 1e-6);
}

TEST(Router, RejectsTopKAboveTheExpertCount) {
  EXPECT_THROW(route_top_k(torch::zeros({2, 4}), 5), c10::Error);
}

}  // namespace
}  // namespace moescope
