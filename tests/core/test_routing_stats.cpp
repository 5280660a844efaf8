// Known answers for the routing statistics: what an MoE layer records (record_routing,
// record_probe) and what routing_stats.h reduces it to, on hand-made probabilities.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "base/events.h"
#include "inspect/routing_stats.h"
#include "model/moe_layer.h"

namespace moescope {
namespace {

constexpr int kGateBins = RoutingSnapshot::kGateBins;  // 20 bins of 0.05 over [0, 1]
constexpr int kKBins = RoutingSnapshot::kKBins;

// An MoE layer whose router logits are its input (identity router weight, d = E), so
// x = log(p) routes on the probabilities p exactly.
MoELayer layer_on_probabilities(int64_t experts, int64_t top_k, RouterConfig config = {}) {
  MoELayer layer(MoELayerOptions(experts, 3).experts(experts).top_k(top_k).router(config));
  layer->to(torch::kFloat64);
  torch::NoGradGuard no_grad;
  layer->router->weight.copy_(torch::eye(experts));
  return layer;
}

// Runs the probabilities through the layer with routing (and probe) recording on.
void route(MoELayer& layer, const std::vector<std::vector<double>>& probs) {
  std::vector<torch::Tensor> rows;
  for (const auto& p : probs) rows.push_back(torch::tensor(p, torch::kFloat64));
  layer->record_routing = true;
  layer->record_probe = true;
  layer->forward(torch::log(torch::stack(rows)));
}

std::vector<double> values(const torch::Tensor& t) {
  auto flat = t.to(torch::kCPU, torch::kFloat64).contiguous().reshape(-1);
  return std::vector<double>(flat.data_ptr<double>(), flat.data_ptr<double>() + flat.numel());
}

// A histogram of `bins` bins that is `share` at each of the given bins and 0 elsewhere.
std::vector<double> histogram(int bins, const std::map<int, double>& shares) {
  std::vector<double> h(size_t(bins), 0.0);
  for (const auto& [bin, share] : shares) h[size_t(bin)] = share;
  return h;
}

template <typename T>
void expect_near(const std::vector<T>& actual, const std::vector<double>& expected, double tol,
                 const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(double(actual[i]), expected[i], tol) << what << "[" << i << "]";
  }
}

// Four tokens over four experts, top-2 with normalised gates:
//   token 0: p = (0.50, 0.30, 0.15, 0.05) -> experts 0, 1
//   token 1: p = (0.10, 0.20, 0.30, 0.40) -> experts 3, 2
//   token 2: p = (0.60, 0.10, 0.25, 0.05) -> experts 0, 2
//   token 3: p = (0.02, 0.08, 0.20, 0.70) -> experts 3, 2
const std::vector<std::vector<double>> kTopTwo = {{0.50, 0.30, 0.15, 0.05},
                                                  {0.10, 0.20, 0.30, 0.40},
                                                  {0.60, 0.10, 0.25, 0.05},
                                                  {0.02, 0.08, 0.20, 0.70}};

TEST(RoutingStatistics, TopTwoOnHandMadeProbabilities) {
  auto layer = layer_on_probabilities(4, 2);
  route(layer, kTopTwo);
  const auto& r = layer->last_routing;
  EXPECT_EQ(r.tokens, 4);
  // Expert 0: tokens 0, 2; expert 1: token 0; expert 2: tokens 1, 2, 3; expert 3: 1, 3.
  expect_near(values(r.counts), {2, 1, 3, 2}, 0.0, "counts");
  // Mean probability per expert: (0.5 + 0.1 + 0.6 + 0.02) / 4 = 0.305,
  // (0.3 + 0.2 + 0.1 + 0.08) / 4 = 0.17, (0.15 + 0.3 + 0.25 + 0.2) / 4 = 0.225,
  // (0.05 + 0.4 + 0.05 + 0.7) / 4 = 0.3.
  expect_near(values(r.importance), {0.305, 0.17, 0.225, 0.3}, 1e-12, "importance");
  // Entropy -sum p ln p, in nats:
  //   token 0: 0.5*0.693147 + 0.3*1.203973 + 0.15*1.897120 + 0.05*2.995732 = 1.142120
  //   token 1: 0.1*2.302585 + 0.2*1.609438 + 0.3*1.203973 + 0.4*0.916291 = 1.279854
  //   token 2: 0.6*0.510826 + 0.1*2.302585 + 0.25*1.386294 + 0.05*2.995732 = 1.033114
  //   token 3: 0.02*3.912023 + 0.08*2.525729 + 0.2*1.609438 + 0.7*0.356675 = 0.851859
  //   mean (1.142120 + 1.279854 + 1.033114 + 0.851859) / 4 = 1.076737
  EXPECT_NEAR(r.entropy.item<double>(), 1.076737, 1e-6);
  // Top-k margin, 2nd minus 3rd score: (0.3 - 0.15) + (0.3 - 0.2) + (0.25 - 0.1) +
  // (0.2 - 0.08) = 0.15 + 0.10 + 0.15 + 0.12 = 0.52, over 4 tokens: 0.13.
  EXPECT_NEAR(r.margin.item<double>(), 0.13, 1e-6);
  EXPECT_DOUBLE_EQ(r.mean_k.item<double>(), 2.0);  // 8 assignments / 4 tokens
  EXPECT_DOUBLE_EQ(r.dropped.item<double>(), 0.0);
  // Gates: token 0: 0.5/0.8 = 0.625 (bin 12), 0.3/0.8 = 0.375 (bin 7); token 1: 0.4/0.7 =
  // 0.571 (11), 0.3/0.7 = 0.429 (8); token 2: 0.6/0.85 = 0.706 (14), 0.25/0.85 = 0.294 (5);
  // token 3: 0.7/0.9 = 0.778 (15), 0.2/0.9 = 0.222 (4). 8 gates: 1/8 per bin.
  const auto gates = histogram(kGateBins, {{4, 0.125},
                                           {5, 0.125},
                                           {7, 0.125},
                                           {8, 0.125},
                                           {11, 0.125},
                                           {12, 0.125},
                                           {14, 0.125},
                                           {15, 0.125}});
  expect_near(values(r.gate_hist), gates, 1e-6, "gate_hist");
  // Each token's largest gate: bins 12, 11, 14, 15; 1/4 of the tokens each.
  const auto top1 = histogram(kGateBins, {{11, 0.25}, {12, 0.25}, {14, 0.25}, {15, 0.25}});
  expect_near(values(r.top1_hist), top1, 1e-6, "top1_hist");
  expect_near(values(r.k_hist), histogram(kKBins, {{2, 1.0}}), 0.0, "k_hist");

  // The published snapshot: load = counts / 8, top/bottom 20% of 4 experts = 1 expert
  // (round(0.8)): the most loaded 3/8, the least loaded 1/8.
  const auto s = make_routing_snapshot({layer}, 7);
  EXPECT_EQ(s.step, 7);
  EXPECT_EQ(s.layers, 1);
  EXPECT_EQ(s.experts, 4);
  expect_near(s.load, {0.25, 0.125, 0.375, 0.25}, 1e-7, "load");
  expect_near(s.importance, {0.305, 0.17, 0.225, 0.3}, 1e-7, "snapshot importance");
  expect_near(s.entropy, {1.076737}, 1e-6, "snapshot entropy");
  expect_near(s.margin, {0.13}, 1e-6, "snapshot margin");
  expect_near(s.mean_k, {2.0}, 0.0, "snapshot mean_k");
  expect_near(s.dropped, {0.0}, 0.0, "snapshot dropped");
  expect_near(s.top20_share, {0.375}, 1e-7, "top20_share");
  expect_near(s.bottom20_share, {0.125}, 1e-7, "bottom20_share");
  expect_near(s.gate_hist, gates, 1e-6, "snapshot gate_hist");
  expect_near(s.top1_hist, top1, 1e-6, "snapshot top1_hist");
  expect_near(s.k_hist, histogram(kKBins, {{2, 1.0}}), 0.0, "snapshot k_hist");
  expect_near(s.bias, {0, 0, 0, 0}, 0.0, "bias");
  EXPECT_TRUE(std::isnan(s.similarity[0]));  // left to the caller that ran the probe
  EXPECT_TRUE(std::isnan(s.stability[0]));

  // The probe trajectory: experts best first, padded to 3 slots with -1 / 0.
  const auto t = make_trajectory({layer}, 7, 3);
  ASSERT_EQ(t.slots, 3);
  ASSERT_EQ(t.tokens, 4);
  const int32_t experts[4][3] = {{0, 1, -1}, {3, 2, -1}, {0, 2, -1}, {3, 2, -1}};
  const double weights[4][3] = {{0.625, 0.375, 0},
                                {0.4 / 0.7, 0.3 / 0.7, 0},
                                {0.6 / 0.85, 0.25 / 0.85, 0},
                                {0.7 / 0.9, 0.2 / 0.9, 0}};
  for (int64_t i = 0; i < 4; ++i) {
    for (int64_t j = 0; j < 3; ++j) {
      EXPECT_EQ(t.expert_at(0, i, j), experts[i][j]) << "token " << i << " slot " << j;
      EXPECT_NEAR(t.weight_at(0, i, j), weights[i][j], 1e-6) << "token " << i << " slot " << j;
    }
  }
}

TEST(RoutingStatistics, ExpertChoiceCountsTheTokensNoExpertTook) {
  // Three experts each take their C = ceil(1.0 * 3 tokens * k 1 / 3) = 1 best token:
  //   token 0: p = (0.52, 0.43, 0.05)  best for experts 0 (0.52) and 1 (0.43)
  //   token 1: p = (0.22, 0.16, 0.62)  best for expert 2 (0.62 > 0.56)
  //   token 2: p = (0.37, 0.07, 0.56)  taken by no expert
  RouterConfig c;
  c.kind = RouterKind::ExpertChoice;
  auto layer = layer_on_probabilities(3, 1, c);
  route(layer, {{0.52, 0.43, 0.05}, {0.22, 0.16, 0.62}, {0.37, 0.07, 0.56}});
  const auto& r = layer->last_routing;
  expect_near(values(r.counts), {1, 1, 1}, 0.0, "counts");
  // (0.52 + 0.22 + 0.37) / 3 = 0.37, (0.43 + 0.16 + 0.07) / 3 = 0.22, (0.05 + 0.62 + 0.56) / 3
  // = 0.41.
  expect_near(values(r.importance), {0.37, 0.22, 0.41}, 1e-12, "importance");
  // Entropy: token 0: 0.52*0.653926 + 0.43*0.843970 + 0.05*2.995732 = 0.852736; token 1:
  // 0.22*1.514128 + 0.16*1.832581 + 0.62*0.478036 = 0.922703; token 2: 0.37*0.994252 +
  // 0.07*2.659260 + 0.56*0.579818 = 0.878720; mean 0.884720.
  EXPECT_NEAR(r.entropy.item<double>(), 0.884720, 1e-6);
  EXPECT_NEAR(r.dropped.item<double>(), 1.0 / 3.0, 1e-7);  // token 2
  EXPECT_NEAR(r.mean_k.item<double>(), 1.0, 1e-7);         // 3 assignments / 3 tokens
  EXPECT_TRUE(std::isnan(r.margin.item<double>()));        // no per-token ranking
  // Tokens with 0, 1 and 2 experts: a third each.
  expect_near(values(r.k_hist), histogram(kKBins, {{0, 1 / 3.0}, {1, 1 / 3.0}, {2, 1 / 3.0}}), 1e-6,
              "k_hist");
  // Gates are the raw probabilities: 0.52 (bin 10), 0.43 (bin 8), 0.62 (bin 12).
  expect_near(values(r.gate_hist),
              histogram(kGateBins, {{8, 1 / 3.0}, {10, 1 / 3.0}, {12, 1 / 3.0}}), 1e-6,
              "gate_hist");
  // Largest gate of the two tokens that have an expert: 0.52 and 0.62; token 2 is not
  // counted (not as a 0 gate in bin 0 either).
  expect_near(values(r.top1_hist), histogram(kGateBins, {{10, 0.5}, {12, 0.5}}), 1e-6, "top1_hist");

  const auto t = make_trajectory({layer}, 1);
  ASSERT_EQ(t.slots, 2);  // min(E, 2k)
  const int32_t experts[3][2] = {{0, 1}, {2, -1}, {-1, -1}};
  for (int64_t i = 0; i < 3; ++i) {
    for (int64_t j = 0; j < 2; ++j) EXPECT_EQ(t.expert_at(0, i, j), experts[i][j]) << i << "," << j;
  }
  EXPECT_NEAR(t.weight_at(0, 0, 1), 0.43, 1e-6);
  EXPECT_EQ(t.weight_at(0, 2, 0), 0.0f);
}

TEST(RoutingStatistics, TopPHistogramsSeeEachTokensOwnK) {
  // top_p 0.6, max_k 4: experts in rank order until their probability reaches 0.6.
  //   token 0: (0.70, 0.20, 0.08, 0.02): 0.70            -> k = 1, gate 1.0
  //   token 1: (0.50, 0.30, 0.15, 0.05): 0.50 + 0.30     -> k = 2, gates 0.625, 0.375
  //   token 2: (0.25, 0.22, 0.20, 0.33): 0.33+0.25+0.22 -> k = 3, gates 0.4125, 0.3125, 0.275
  RouterConfig c;
  c.kind = RouterKind::TopP;
  c.top_p = 0.6;
  c.max_k = 4;
  auto layer = layer_on_probabilities(4, 2, c);
  route(layer, {{0.70, 0.20, 0.08, 0.02}, {0.50, 0.30, 0.15, 0.05}, {0.25, 0.22, 0.20, 0.33}});
  const auto& r = layer->last_routing;
  // Expert 0: tokens 0, 1, 2; expert 1: tokens 1, 2; expert 3: token 2.
  expect_near(values(r.counts), {3, 2, 0, 1}, 0.0, "counts");
  EXPECT_NEAR(r.mean_k.item<double>(), 2.0, 1e-7);  // (1 + 2 + 3) / 3
  expect_near(values(r.k_hist), histogram(kKBins, {{1, 1 / 3.0}, {2, 1 / 3.0}, {3, 1 / 3.0}}), 1e-6,
              "k_hist");
  // Gate 1.0 falls in the last bin (19); 0.625 -> 12, 0.375 -> 7, 0.4125 -> 8, 0.3125 -> 6,
  // 0.275 -> 5. 6 gates: 1/6 each.
  const double sixth = 1.0 / 6.0;
  expect_near(values(r.gate_hist),
              histogram(kGateBins,
                        {{5, sixth}, {6, sixth}, {7, sixth}, {8, sixth}, {12, sixth}, {19, sixth}}),
              1e-6, "gate_hist");
  expect_near(values(r.top1_hist),
              histogram(kGateBins, {{8, 1 / 3.0}, {12, 1 / 3.0}, {19, 1 / 3.0}}), 1e-6,
              "top1_hist");
  // Entropy: token 0: 0.7*0.356675 + 0.2*1.609438 + 0.08*2.525729 + 0.02*3.912023 = 0.851859;
  // token 1: 1.142120 (as above); token 2: 0.25*1.386294 + 0.22*1.514128 + 0.2*1.609438 +
  // 0.33*1.108663 = 1.367428; mean 1.120469.
  EXPECT_NEAR(r.entropy.item<double>(), 1.120469, 1e-6);
  // max_k = E: there is no (k+1)-th score, so the margin is undefined.
  EXPECT_TRUE(std::isnan(r.margin.item<double>()));
}

TEST(RoutingStatistics, MarginSkipsScoresMaskedByGroupLimitedRouting) {
  // Groups {0, 1} and {2, 3}, one eligible group per token (the larger sum):
  //   token 0: group 0 (0.8 vs 0.2): best 0.5, next 0.3  -> gap 0.2
  //   token 1: group 1 (0.3 vs 0.7): best 0.4, next 0.3  -> gap 0.1
  //   token 2: group 0 (0.7 vs 0.3): best 0.6, next 0.1  -> gap 0.5 (0.35 unmasked)
  //   token 3: group 1 (0.1 vs 0.9): best 0.7, next 0.2  -> gap 0.5
  // Top-1 margin (0.2 + 0.1 + 0.5 + 0.5) / 4 = 0.325; over unmasked scores it would be 0.2875.
  RouterConfig c;
  c.groups = 2;
  c.group_top_k = 1;
  auto top1 = layer_on_probabilities(4, 1, c);
  route(top1, kTopTwo);
  EXPECT_NEAR(top1->last_routing.margin.item<double>(), 0.325, 1e-6);
  // Top-2 takes both experts of the group: every 3rd score is masked, the margin undefined.
  auto top2 = layer_on_probabilities(4, 2, c);
  route(top2, kTopTwo);
  EXPECT_TRUE(std::isnan(top2->last_routing.margin.item<double>()))
      << top2->last_routing.margin.item<double>();
}

TEST(RoutingStatistics, DomainAndModalitySharesCountEachTokensDispatchedExperts) {
  // Top-1 over 3 experts. Tokens 0-1 (domain 0, "en"), 2 (domain 1, "de"), 3 (domain 2, an
  // image class) and 4 (-1: padding, not counted).
  auto layer = layer_on_probabilities(3, 1);
  layer->routing_tags = {torch::tensor({0, 0, 1, 2, -1}, torch::kInt64), 3};
  route(layer, {{0.8, 0.1, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}, {0.8, 0.1, 0.1}});
  const TokenDomains domains{{"image", "text"}, {"en", "de", "Bag"}, {1, 1, 0}};
  const auto snap = make_routing_snapshot({layer}, 1, domains);
  EXPECT_EQ(snap.domains, 3);
  EXPECT_EQ(snap.modalities, 2);
  expect_near(snap.domain_load, {0.5, 0.5, 0, 0, 1, 0, 0, 0, 1}, 1e-6, "domain_load");
  // image: the one image token on expert 2; text: 1/3 on expert 0, 2/3 on expert 1.
  expect_near(snap.modality_load, {0, 0, 1, 1.0 / 3, 2.0 / 3, 0}, 1e-6, "modality_load");
  // Modality: the experts tell image from text exactly, so I(M; E) = H(M).
  expect_near(snap.modality_specialisation, {1.0}, 1e-6, "modality_specialisation");
  // Domain: H(D) = H(1/2, 1/4, 1/4) = 1.5 bits; H(D | E) = 2/4 * 1 bit (expert 1 holds half
  // the assignments, one en and one de).
  expect_near(snap.domain_specialisation, {(1.5 - 0.5) / 1.5}, 1e-6, "domain_specialisation");

  // Without tags, or with another number of domains than the run's, no per-domain tables.
  layer->routing_tags = {};
  route(layer, {{0.8, 0.1, 0.1}});
  const auto untagged = make_routing_snapshot({layer}, 2, domains);
  EXPECT_TRUE(untagged.domain_load.empty());
  EXPECT_TRUE(untagged.modality_specialisation.empty());
}

TEST(Specialisation, IsZeroForRoutingThatIgnoresTheRowAndOneForExpertsOfTheirOwn) {
  // Independent: every row spreads over the experts in the same proportions.
  EXPECT_NEAR(specialisation({10, 30, 60, 1, 3, 6}, 2, 3), 0.0, 1e-12);
  // Deterministic: rows 0 and 1 on experts of their own, however many (row 1 has two).
  EXPECT_NEAR(specialisation({7, 0, 0, 0, 2, 9}, 2, 3), 1.0, 1e-12);
  EXPECT_NEAR(specialisation({5, 0, 0, 0, 0, 5, 0, 0, 0, 0, 3, 3}, 3, 4), 1.0, 1e-12);
  // In between: row 0 = (3, 0), row 1 = (1, 2). H(M) = log 2; expert 0 holds 4 of the 6
  // assignments, 3/4 of them row 0's, expert 1 only row 1's: H(M | E) = 4/6 * H(3/4, 1/4).
  const double h_e0 = -(0.75 * std::log(0.75) + 0.25 * std::log(0.25));
  const double expected = (std::log(2.0) - 4.0 / 6.0 * h_e0) / std::log(2.0);
  EXPECT_NEAR(specialisation({3, 0, 1, 2}, 2, 2), expected, 1e-12);
  // One row with assignments: undefined.
  EXPECT_TRUE(std::isnan(specialisation({4, 2, 0, 0}, 2, 2)));
  EXPECT_TRUE(std::isnan(specialisation({0, 0, 0, 0}, 2, 2)));
}

TEST(ExtremeShare, SumsTheLoadOfTheTopOrBottomFifthOfTheExperts) {
  // Ten experts, 20% = 2: the top two 0.30 + 0.20 = 0.50, the bottom two 0.01 + 0.02 = 0.03.
  const std::vector<float> load{0.30f, 0.02f, 0.20f, 0.10f, 0.04f,
                                0.15f, 0.05f, 0.10f, 0.03f, 0.01f};
  EXPECT_NEAR(extreme_share(load.data(), 10, 0.2, true), 0.50f, 1e-6);
  EXPECT_NEAR(extreme_share(load.data(), 10, 0.2, false), 0.03f, 1e-6);
  // Thirteen experts: round(2.6) = 3 of them; loads 1..13 / 91: top (13 + 12 + 11) / 91,
  // bottom (1 + 2 + 3) / 91.
  std::vector<float> ramp;
  for (int i = 1; i <= 13; ++i) ramp.push_back(float(i) / 91.0f);
  EXPECT_NEAR(extreme_share(ramp.data(), 13, 0.2, true), 36.0f / 91.0f, 1e-6);
  EXPECT_NEAR(extreme_share(ramp.data(), 13, 0.2, false), 6.0f / 91.0f, 1e-6);
  // Two experts: round(0.4) = 0, but never fewer than one expert.
  const std::vector<float> two{0.7f, 0.3f};
  EXPECT_NEAR(extreme_share(two.data(), 2, 0.2, true), 0.7f, 1e-7);
  EXPECT_NEAR(extreme_share(two.data(), 2, 0.2, false), 0.3f, 1e-7);
  EXPECT_EQ(extreme_share(nullptr, 0, 0.2, true), 0.0f);
}

TrajectorySnapshot trajectory(int64_t layers, int64_t tokens, int64_t slots,
                              std::vector<int32_t> experts) {
  TrajectorySnapshot t;
  t.layers = layers;
  t.tokens = tokens;
  t.slots = slots;
  t.experts = std::move(experts);
  t.weights.assign(t.experts.size(), 0.5f);
  return t;
}

TEST(RoutingChange, IsTheShareOfProbeTokensWhoseBestExpertMoved) {
  // Two layers, four tokens, two slots; [layer][token][slot].
  const auto before = trajectory(2, 4, 2,
                                 {0, 1, 1, 2, 2, 3, 3, 0,    // layer 0
                                  1, 0, 1, 0, 1, 0, 1, 0});  // layer 1
  // Layer 0: tokens 1 and 3 change their best expert (1 -> 2, 3 -> 0): 2 / 4 = 0.5.
  // Layer 1: only second choices change: 0.
  const auto now = trajectory(2, 4, 2,
                              {0, 1, 2, 1, 2, 3, 0, 3,    // layer 0
                               1, 2, 1, 3, 1, 2, 1, 3});  // layer 1
  expect_near(routing_change(before, now), {0.5, 0.0}, 0.0, "change");
  expect_near(routing_change(before, before), {0.0, 0.0}, 0.0, "no change");
  // The first snapshot has nothing to compare with: NaN per layer.
  const auto first = routing_change(TrajectorySnapshot{}, now);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_TRUE(std::isnan(first[0]) && std::isnan(first[1]));
  // A probe of another size: NaN as well.
  const auto other = routing_change(trajectory(2, 2, 2, {0, 1, 1, 2, 0, 1, 1, 2}), now);
  EXPECT_TRUE(std::isnan(other[0]) && std::isnan(other[1]));
}

TEST(ExpertSimilarity, IsTheLargestCosineBetweenTwoExpertsOutputs) {
  // d = 2, h = 1, three FFN experts with the same gate and up projections (x_0 for both), so
  // expert e computes silu(x_0) * x_0 * v_e: on tokens with x_0 > 0 the cosine between two
  // experts' outputs is the cosine between their v's:
  //   v_0 = (1, 0), v_1 = (1.8, 2.4), v_2 = (-1.2, -1.6)
  //   cos(v_0, v_1) = 1.8 / 3 = 0.6, cos(v_0, v_2) = -1.2 / 2 = -0.6, cos(v_1, v_2) = -1.
  // Largest: 0.6 (not 1, an expert with itself; not |-1|).
  MoELayer layer(MoELayerOptions(2, 1).experts(3).top_k(1));
  {
    torch::NoGradGuard no_grad;
    layer->w_in.copy_(torch::tensor({{1.f, 1.f}, {0.f, 0.f}}).expand({3, 2, 2}));
    layer->w_out.copy_(torch::tensor({{{1.0f, 0.0f}}, {{1.8f, 2.4f}}, {{-1.2f, -1.6f}}}));
  }
  layer->record_probe = true;
  layer->forward(torch::tensor({{1.0f, 0.5f}, {2.0f, -1.0f}, {0.5f, 3.0f}}));
  MoELayer single(MoELayerOptions(2, 1).experts(1).top_k(1));  // no pair to compare
  single->record_probe = true;
  single->forward(torch::randn({3, 2}));
  MoELayer unprobed(MoELayerOptions(2, 1).experts(3).top_k(1));
  const auto s = expert_similarity({layer, single, unprobed});
  ASSERT_EQ(s.size(), 3u);
  EXPECT_NEAR(s[0], 0.6f, 1e-6);
  EXPECT_TRUE(std::isnan(s[1]));
  EXPECT_TRUE(std::isnan(s[2]));
}

}  // namespace
}  // namespace moescope
