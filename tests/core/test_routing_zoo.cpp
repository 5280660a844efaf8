// Known-answer tests of the routing methods, the expert kinds and the balance losses.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>

#include "model/moe_layer.h"
#include "model/router.h"

namespace moescope {
namespace {

// A router whose logits are its input: weight = identity, so x is the logits.
Router identity_router(int64_t experts, int64_t top_k, RouterConfig config) {
  Router r(experts, experts, top_k, config);
  torch::NoGradGuard no_grad;
  r->weight.copy_(torch::eye(experts));
  r->to(torch::kFloat64);
  r->eval();
  return r;
}

std::set<int64_t> tokens_of(const Routing& r, int64_t expert) {
  std::set<int64_t> out;
  for (int64_t a = 0; a < r.expert.numel(); ++a) {
    if (r.expert[a].item<int64_t>() == expert) out.insert(r.token[a].item<int64_t>());
  }
  return out;
}

TEST(ExpertChoice, EveryExpertTakesExactlyCTokensAndTheyAreItsBest) {
  torch::manual_seed(1);
  RouterConfig c;
  c.kind = RouterKind::ExpertChoice;
  c.capacity_factor = 1.0;
  auto router = identity_router(4, 2, c);
  auto logits = torch::randn({40, 4}, torch::kFloat64) * 2;
  auto r = router->forward(logits);
  const int64_t C = 40 * 2 / 4;  // cf * T * k / E
  for (int64_t e = 0; e < 4; ++e) {
    EXPECT_EQ(r.counts[e].item<double>(), double(C));
    auto probs = torch::softmax(logits, 1).select(1, e);
    auto best = std::get<1>(probs.topk(C));
    std::set<int64_t> expected;
    for (int64_t i = 0; i < C; ++i) expected.insert(best[i].item<int64_t>());
    EXPECT_EQ(tokens_of(r, e), expected) << "expert " << e;
  }
  // Gates are the token's softmax probability for that expert.
  auto probs = torch::softmax(logits, 1);
  EXPECT_TRUE(torch::allclose(r.weight, probs.index({r.token, r.expert})));
}

TEST(Capacity, DropsExactlyTheLowestScoredTokensAndCountsThem) {
  // Switch top-1 over 4 experts; all 8 tokens prefer expert 0 with rising confidence.
  RouterConfig c;
  c.kind = RouterKind::Switch;
  c.capacity_factor = 1.0;  // capacity = ceil(1.0 * 8 * 1 / 4) = 2
  auto router = identity_router(4, 1, c);
  auto logits = torch::zeros({8, 4}, torch::kFloat64);
  for (int64_t t = 0; t < 8; ++t) logits[t][0] = 1.0 + 0.25 * double((t * 5) % 8);
  auto r = router->forward(logits);
  EXPECT_EQ(r.expert.numel(), 2);
  EXPECT_DOUBLE_EQ(r.dropped.item<double>(), 6.0 / 8.0);
  // Scores 1 + 0.25 * ((5t) mod 8): the two highest are t = 3 (7) and t = 6 (6).
  EXPECT_EQ(tokens_of(r, 0), (std::set<int64_t>{3, 6}));
  // The balance loss sees the selection before the drop: all 8 assignments on expert 0.
  EXPECT_DOUBLE_EQ(r.selected_counts[0].item<double>(), 8.0);
  auto probs = torch::softmax(logits, 1);
  EXPECT_NEAR(r.aux_loss.item<double>(), 4.0 * probs.select(1, 0).mean().item<double>(), 1e-12);
  // Switch gates are the raw probability (no renormalisation, no second softmax).
  EXPECT_TRUE(torch::allclose(r.weight, probs.index({r.token, r.expert})));

  c.drop_policy = DropPolicy::Position;
  auto by_position = identity_router(4, 1, c)->forward(logits);
  EXPECT_EQ(tokens_of(by_position, 0), (std::set<int64_t>{0, 1}));
}

TEST(Capacity, PositionPolicyServesFirstChoicesBeforeSecondChoices) {
  auto expert = torch::tensor({0, 0, 0, 0}, torch::kInt64);
  auto token = torch::tensor({0, 0, 1, 2}, torch::kInt64);
  auto slot = torch::tensor({0, 1, 1, 0}, torch::kInt64);
  auto score = torch::tensor({0.1, 0.9, 0.8, 0.2}, torch::kFloat64);
  auto keep = capacity_keep_mask(expert, score, token, slot, 1, 2, DropPolicy::Position);
  // First choices (tokens 0 and 2) win over the second choices of tokens 0 and 1.
  EXPECT_TRUE(torch::equal(keep, torch::tensor({true, false, false, true})));
  keep = capacity_keep_mask(expert, score, token, slot, 1, 2, DropPolicy::Score);
  EXPECT_TRUE(torch::equal(keep, torch::tensor({false, true, true, false})));
}

TEST(HashRouting, IsAFixedFunctionOfTheTokenId) {
  RouterConfig c;
  c.kind = RouterKind::Hash;
  Router a(8, 16, 2, c, 256, 3), b(8, 16, 2, c, 256, 3), other(8, 16, 2, c, 256, 4);
  EXPECT_TRUE(torch::equal(a->hash_table, b->hash_table));
  EXPECT_FALSE(torch::equal(a->hash_table, other->hash_table));
  auto ids = torch::tensor({5, 9, 5, 200}, torch::kInt64);
  auto r1 = a->forward(torch::randn({4, 8}), ids);
  auto r2 = a->forward(torch::randn({4, 8}) * 10, ids);
  EXPECT_TRUE(torch::equal(r1.expert, r2.expert));
  EXPECT_TRUE(torch::equal(r1.expert.view({4, 2})[0], r1.expert.view({4, 2})[2]));  // same id
  EXPECT_NE(r1.expert[0].item<int64_t>(), r1.expert[1].item<int64_t>());  // k distinct experts
  EXPECT_TRUE(torch::allclose(r1.weight, torch::full({8}, 0.5)));
  EXPECT_THROW(a->forward(torch::randn({4, 8})), c10::Error);  // no ids: a clear error
}

TEST(DenseToSparse, StartsAsTheDenseSoftmaxMixtureAndEndsAtTopK) {
  torch::manual_seed(2);
  RouterConfig c;
  c.kind = RouterKind::DenseToSparse;
  c.d2s_steps = 100;
  c.d2s_start_temperature = 2.0;
  MoELayer layer(MoELayerOptions(6, 5).experts(4).top_k(1).router(c).router_init_std(0.5));
  layer->to(torch::kFloat64);
  auto x = torch::randn({9, 6}, torch::kFloat64);
  layer->router->set_progress(0, 1000);
  auto y = layer->forward(x).y;
  // Reference: every expert, weighted by softmax(logits / 2).
  auto gates = torch::softmax(torch::mm(x, layer->router->weight.t()) / 2.0, 1);
  auto outs = layer->expert_outputs(x);  // [E, T, d]
  auto ref = (gates.t().unsqueeze(2) * outs).sum(0);
  EXPECT_TRUE(torch::allclose(y, ref, 1e-10, 1e-12));
  layer->router->set_progress(100, 1000);
  EXPECT_EQ(layer->router->effective_top_k(), 1);
  EXPECT_DOUBLE_EQ(layer->router->effective_temperature(), 1.0);
  layer->router->set_progress(50, 1000);
  EXPECT_EQ(layer->router->effective_top_k(), 3);  // round(4 - 3 * 0.5)
  EXPECT_NEAR(layer->router->effective_temperature(), std::sqrt(2.0), 1e-12);
}

TEST(TopP, PicksTheSmallestPrefixThatReachesP) {
  RouterConfig c;
  c.kind = RouterKind::TopP;
  c.max_k = 4;
  // Probabilities 0.5, 0.3, 0.15, 0.05 from logits log(p).
  auto logits = torch::log(torch::tensor({{0.5, 0.3, 0.15, 0.05}}, torch::kFloat64));
  const auto chosen = [&](double p) {
    c.top_p = p;
    auto r = identity_router(4, 2, c)->forward(logits);
    std::vector<int64_t> ids(r.expert.data_ptr<int64_t>(), r.expert.data_ptr<int64_t>() + r.expert.numel());
    EXPECT_NEAR(r.weight.sum().item<double>(), 1.0, 1e-12);
    return ids;
  };
  EXPECT_EQ(chosen(0.5), (std::vector<int64_t>{0}));
  EXPECT_EQ(chosen(0.6), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(chosen(0.85), (std::vector<int64_t>{0, 1, 2}));
  EXPECT_EQ(chosen(1.0), (std::vector<int64_t>{0, 1, 2, 3}));
  c.top_p = 0.6;
  auto r = identity_router(4, 2, c)->forward(logits);
  EXPECT_NEAR(r.weight[0].item<double>(), 0.5 / 0.8, 1e-12);
}

double load_cv(const torch::Tensor& counts) {
  return (counts.std(/*unbiased=*/false) / counts.mean()).item<double>();
}

TEST(BiasBalancing, EvensOutASkewedRouterWithoutTouchingTheGates) {
  torch::manual_seed(3);
  RouterConfig c;
  c.bias_balancing = true;
  c.bias_rate = 0.01;
  Router router(16, 8, 2, c);
  {
    torch::NoGradGuard no_grad;
    router->weight.normal_(0.0, 0.3);
    router->weight[0].add_(0.1);  // expert 0 wins for most tokens
  }
  router->train();
  auto x = torch::randn({512, 16}).abs();
  const double before = load_cv(router->forward(x).selected_counts);
  for (int i = 0; i < 20; ++i) {  // 20 updates of 0.01 (measured: CV 0.92 -> 0.10)
    router->forward(x);
    router->update_balance_bias();
  }
  auto r = router->forward(x);
  const double after = load_cv(r.selected_counts);
  EXPECT_GT(before, 0.8);
  EXPECT_LT(after, 0.2) << "CV " << before << " -> " << after;
  // Gates come from the unbiased probabilities of the chosen experts.
  auto probs = torch::softmax(torch::mm(x, router->weight.t()), 1).detach();
  auto chosen = probs.index({r.token, r.expert}).view({512, 2});
  auto expected = (chosen / chosen.sum(1, true)).reshape(-1);
  EXPECT_TRUE(torch::allclose(r.weight.detach(), expected, 1e-5, 1e-6));
  EXPECT_GT(router->balance_bias.abs().sum().item<double>(), 0.0);
}

// A parameter's gradient, zeros where none flowed (so a cut graph fails a comparison).
torch::Tensor grad_of(const torch::Tensor& t) {
  return t.grad().defined() ? t.grad() : torch::zeros_like(t);
}

// The SwiGLU of FFN expert e on one token, by hand: w_in [E, d, 2h] (gate | up), w_out [E, h, d].
torch::Tensor swiglu(const torch::Tensor& xt, const torch::Tensor& w_in, const torch::Tensor& w_out,
                     int64_t e) {
  const int64_t h = w_out.size(1);
  auto gate_up = torch::mv(w_in[e].t(), xt);
  return torch::mv(w_out[e].t(), torch::silu(gate_up.narrow(0, 0, h)) * gate_up.narrow(0, h, h));
}

TEST(ZeroComputationExperts, TopTwoMixesZeroCopyConstantAndFfnOutputsByTheirGates) {
  torch::manual_seed(4);
  // 2 FFN experts (0, 1), then zero (2), copy (3), constant (4); top-2 with normalised gates.
  auto options = MoELayerOptions(5, 4).experts(2).top_k(2);
  MoELayer layer(options.zero_experts(1).copy_experts(1).constant_experts(1));
  layer->to(torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    layer->router->weight.copy_(torch::eye(5) * 3.0);  // logits = 3 x
    layer->constants.copy_(torch::tensor({{0.5, -1.0, 1.5, -2.0, 2.5}}));
  }
  // Each token: 1.0 on its first expert, 0.6 on its second, so its gates are
  // 1 / (1 + e^-1.2) = 0.769 and 0.231 (far from 1/2: a missing gate product shows).
  const int64_t pairs[6][2] = {{2, 3}, {3, 4}, {4, 0}, {2, 1}, {0, 4}, {3, 2}};
  auto x0 = 0.01 * torch::rand({6, 5}, torch::kFloat64);
  for (int64_t t = 0; t < 6; ++t) {
    x0[t][pairs[t][0]] += 1.0;
    x0[t][pairs[t][1]] += 0.6;
  }
  auto probe = torch::randn({6, 5}, torch::kFloat64);
  layer->record_routing = true;
  auto x = x0.clone().requires_grad_(true);
  auto y = layer->forward(x).y;
  (y * probe).sum().backward();
  // Load per expert: FFN 0 (tokens 2, 4), FFN 1 (token 3), zero (0, 3, 5), copy (0, 1, 5),
  // constant (1, 2, 4).
  EXPECT_TRUE(torch::equal(layer->last_routing.counts, torch::tensor({2.f, 1.f, 3.f, 3.f, 3.f})))
      << layer->last_routing.counts;

  // Reference per token: sum of gate * output, with zero -> 0, copy -> x, constant -> c.
  auto xr = x0.clone().requires_grad_(true);
  auto router_w = layer->router->weight.detach().clone().requires_grad_(true);
  auto constants = layer->constants.detach().clone().requires_grad_(true);
  const auto w_in = layer->w_in.detach(), w_out = layer->w_out.detach();
  std::vector<torch::Tensor> rows;
  for (int64_t t = 0; t < 6; ++t) {
    auto xt = xr[t];
    auto [top, idx] = torch::softmax(torch::mv(router_w, xt), 0).topk(2);
    auto gates = top / top.sum();
    EXPECT_EQ(idx[0].item<int64_t>(), pairs[t][0]) << "token " << t;
    EXPECT_EQ(idx[1].item<int64_t>(), pairs[t][1]) << "token " << t;
    auto yt = torch::zeros_like(xt);
    for (int64_t j = 0; j < 2; ++j) {
      const auto e = idx[j].item<int64_t>();
      const auto out = e < 2 ? swiglu(xt, w_in, w_out, e)  // FFN
                       : e == 2 ? torch::zeros_like(xt)    // zero
                       : e == 3 ? xt                       // copy
                                : constants[0];            // constant
      yt = yt + gates[j] * out;
    }
    rows.push_back(yt);
  }
  auto ref = torch::stack(rows);
  (ref * probe).sum().backward();
  EXPECT_TRUE(torch::allclose(y, ref, 1e-10, 1e-12)) << y << "\nexpected\n" << ref;
  EXPECT_TRUE(torch::allclose(grad_of(layer->constants), constants.grad(), 1e-10, 1e-12))
      << grad_of(layer->constants) << "\nexpected\n" << constants.grad();
  EXPECT_TRUE(torch::allclose(grad_of(x), xr.grad(), 1e-10, 1e-12));
  EXPECT_TRUE(torch::allclose(grad_of(layer->router->weight), router_w.grad(), 1e-10, 1e-12));
  // Tokens 1, 2, 4 use the constant with gates 0.231, 0.769, 0.231: its gradient is
  // their gate-weighted probe sum, not the plain one.
  EXPECT_GT(constants.grad().abs().sum().item<double>(), 0.0);
}

TEST(SharedExperts, AddTheirOutputToTheRoutedExpertsOutput) {
  torch::manual_seed(5);
  const auto options = MoELayerOptions(6, 4).experts(3).top_k(2).router_init_std(0.5);
  MoELayer layer(MoELayerOptions(options).shared_experts(2));
  MoELayer routed_only(options);  // the same routed experts without shared ones
  layer->to(torch::kFloat64);
  routed_only->to(torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    routed_only->router->weight.copy_(layer->router->weight);
    routed_only->w_in.copy_(layer->w_in);
    routed_only->w_out.copy_(layer->w_out);
  }
  auto x = torch::randn({7, 6}, torch::kFloat64);
  auto y = layer->forward(x).y;
  auto routed = routed_only->forward(x).y;
  // The two shared experts as one SwiGLU of hidden size 2 * 4, by hand.
  const int64_t H = 2 * 4;
  auto gate_up = torch::mm(x, layer->shared_in[0]);
  auto shared = torch::mm(torch::silu(gate_up.narrow(1, 0, H)) * gate_up.narrow(1, H, H),
                          layer->shared_out[0]);
  EXPECT_TRUE(torch::allclose(y, routed + shared, 1e-10, 1e-12));
  // Both parts are large enough that dropping either one fails the check above.
  EXPECT_GT(routed.norm().item<double>(), 0.1 * y.norm().item<double>());
  EXPECT_GT(shared.norm().item<double>(), 0.1 * y.norm().item<double>());
}

TEST(FineGrainedExperts, SplitTheHiddenSizeAndMultiplyExpertsAndTopK) {
  ModelConfig m;
  m.experts = 8;
  m.top_k = 2;
  m.expert_hidden = 256;
  m.expert_granularity = 4;
  auto o = moe_layer_options(m, RouterConfig(), 64, 1.0, 0);
  EXPECT_EQ(o.experts(), 32);
  EXPECT_EQ(o.top_k(), 8);
  EXPECT_EQ(o.hidden(), 64);
  MoELayer layer(o);
  EXPECT_EQ(layer->w_in.numel(), 8 * 64 * 2 * 256);  // same expert parameters as coarse
}

TEST(GroupLimitedRouting, ChoosesExpertsFromTheBestGroupsOnly) {
  // 16 experts in 4 groups of 4; the 2 groups with the largest sum of their two best scores
  // are eligible, then top-4 over them. Four kinds of group (logits; scores are their exps
  // over one common softmax normaliser):
  //   kMax: one high expert        e^2.5 + e^-5   = 12.19 (the best single expert)
  //   kA:   two good experts       e^2.0 + e^1.95 = 14.42
  //   kB:   two slightly lower     e^1.9 + e^1.85 = 13.05
  //   kAll: four fair experts      e^1.6 + e^1.55 =  9.66 (18.41 summed over all four)
  // So the best groups are always the kA and kB groups: ranking groups by their best
  // expert (kMax, kA), by the sum of all their experts (kAll, kA), or not limiting at all
  // (top-4 would take kMax's 2.5) gives other experts.
  enum Kind { kMax, kA, kB, kAll };
  const double values[4][4] = {{2.5, -5, -5, -5}, {2.0, 1.95, -5, -5}, {1.9, 1.85, -5, -5},
                               {1.6, 1.55, 1.5, 1.45}};
  const Kind layout[6][4] = {{kMax, kA, kB, kAll}, {kA, kAll, kMax, kB}, {kAll, kB, kA, kMax},
                             {kB, kMax, kAll, kA}, {kA, kB, kMax, kAll}, {kAll, kMax, kB, kA}};
  auto logits = torch::zeros({6, 16}, torch::kFloat64);
  std::vector<std::set<int64_t>> expected(6);
  for (int64_t t = 0; t < 6; ++t) {
    for (int64_t g = 0; g < 4; ++g) {
      const Kind kind = layout[t][g];
      for (int64_t j = 0; j < 4; ++j) {
        const int64_t e = 4 * g + (j + t) % 4;  // rotate inside the group per token
        logits[t][e] = values[kind][j];
        if ((kind == kA || kind == kB) && j < 2) expected[size_t(t)].insert(e);
      }
    }
  }
  RouterConfig c;
  c.groups = 4;
  c.group_top_k = 2;
  auto r = identity_router(16, 4, c)->forward(logits);
  ASSERT_EQ(r.expert.numel(), 6 * 4);
  std::vector<std::set<int64_t>> chosen(6);
  for (int64_t a = 0; a < r.expert.numel(); ++a) {
    chosen[size_t(r.token[a].item<int64_t>())].insert(r.expert[a].item<int64_t>());
  }
  for (int64_t t = 0; t < 6; ++t) {
    EXPECT_EQ(chosen[size_t(t)], expected[size_t(t)]) << "token " << t;
    std::set<int64_t> groups;
    for (const int64_t e : chosen[size_t(t)]) groups.insert(e / 4);
    std::set<int64_t> best;
    for (int64_t g = 0; g < 4; ++g) {
      if (layout[t][g] == kA || layout[t][g] == kB) best.insert(g);
    }
    EXPECT_EQ(groups, best) << "token " << t;
  }
}

TEST(SigmoidScores, GatesAreTheNormalisedSigmoidsOfTheChosenExperts) {
  RouterConfig c;
  c.score = ScoreFunction::Sigmoid;
  auto router = identity_router(4, 2, c);
  auto logits = torch::tensor({{2.0, -1.0, 0.5, 0.0}}, torch::kFloat64);
  auto r = router->forward(logits);
  auto s = torch::sigmoid(logits[0]);
  EXPECT_EQ(r.expert[0].item<int64_t>(), 0);
  EXPECT_EQ(r.expert[1].item<int64_t>(), 2);
  EXPECT_NEAR(r.weight[0].item<double>(), (s[0] / (s[0] + s[2])).item<double>(), 1e-12);
  // The balance loss uses the sigmoids normalised per token.
  EXPECT_TRUE(torch::allclose(r.probs, (s / s.sum()).unsqueeze(0)));
}

TEST(Sinkhorn, BalancesTheExpertColumns) {
  torch::manual_seed(7);
  auto logits = torch::randn({64, 4}, torch::kFloat64) + torch::tensor({3.0, 0.0, 0.0, 0.0}, torch::kFloat64);
  auto p = sinkhorn(logits, 50);
  EXPECT_TRUE(torch::allclose(p.sum(1), torch::ones({64}, torch::kFloat64)));
  EXPECT_TRUE(torch::allclose(p.sum(0), torch::full({4}, 16.0, torch::kFloat64), 1e-3));
}

TEST(SequenceAuxLoss, IsOneForPerfectlyBalancedSequences) {
  RouterConfig c;
  c.seq_aux_coef = 1.0;
  c.kind = RouterKind::TopK;
  auto router = identity_router(2, 1, c);
  // Two sequences of 2 tokens; in each, one token per expert with probabilities (0.9, 0.1)
  // and (0.1, 0.9): f = (1, 1), P = (0.5, 0.5), loss = sum f * P = 1.
  auto logits = torch::log(torch::tensor({{0.9, 0.1}, {0.1, 0.9}, {0.9, 0.1}, {0.1, 0.9}}, torch::kFloat64));
  EXPECT_NEAR(router->forward(logits, {}, 2).seq_aux_loss.item<double>(), 1.0, 1e-12);
  // All four tokens on expert 0 with p = 0.9: f = (2, 0), P = (0.9, 0.1): loss 1.8.
  auto skewed = torch::log(torch::tensor({{0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}}, torch::kFloat64));
  EXPECT_NEAR(router->forward(skewed, {}, 2).seq_aux_loss.item<double>(), 1.8, 1e-12);
}

TEST(Dispatch, EveryRouterMatchesAPerAssignmentReference) {
  torch::manual_seed(8);
  for (const char* kind : {"top_k", "switch", "expert_choice", "top_p", "dense_to_sparse"}) {
    RouterConfig c;
    c.kind = *parse_choice<RouterKind>(kind);
    if (c.kind == RouterKind::Switch) c.capacity_factor = 1.0;
    MoELayer layer(MoELayerOptions(6, 5).experts(4).top_k(2).router(c).router_init_std(1.0));
    layer->to(torch::kFloat64);
    auto x = torch::randn({23, 6}, torch::kFloat64).requires_grad_(true);
    auto r = layer->router->forward(x);
    auto y = dispatch_assignments(x, r.token, r.expert, r.weight, layer->w_in, layer->w_out);
    // Reference: each assignment (token, expert, gate) on its own, the SwiGLU by hand.
    auto ref = torch::zeros_like(y);
    for (int64_t a = 0; a < r.expert.numel(); ++a) {
      const auto t = r.token[a].item<int64_t>(), e = r.expert[a].item<int64_t>();
      ref[t] = ref[t] + r.weight[a] * swiglu(x[t], layer->w_in, layer->w_out, e);
    }
    EXPECT_TRUE(torch::allclose(y, ref, 1e-10, 1e-12)) << kind;
    auto probe = torch::randn_like(y);
    std::vector<torch::Tensor> inputs{x, layer->w_in, layer->w_out, layer->router->weight};
    auto g = torch::autograd::grad({(y * probe).sum()}, inputs, {}, /*retain_graph=*/true,
                                   /*create_graph=*/false, /*allow_unused=*/true);
    auto g_ref = torch::autograd::grad({(ref * probe).sum()}, inputs);
    const char* names[] = {"x", "w_in", "w_out", "router"};
    for (size_t i = 0; i < g.size(); ++i) {
      const auto fast = g[i].defined() ? g[i] : torch::zeros_like(inputs[i]);
      EXPECT_TRUE(torch::allclose(fast, g_ref[i], 1e-10, 1e-12)) << kind << " grad " << names[i];
    }
  }
}

TEST(Dispatch, TheGroupedMmKernelMatchesTheSegmentKernelForEveryRouter) {
  torch::manual_seed(9);
  for (const char* kind : {"top_k", "switch", "expert_choice", "top_p", "dense_to_sparse"}) {
    for (const int64_t extra : {0, 1}) {  // FFN experts only (no host sync), or with MoE++ ones
      RouterConfig c;
      c.kind = *parse_choice<RouterKind>(kind);
      if (c.kind == RouterKind::Switch) c.capacity_factor = 1.0;
      auto options = MoELayerOptions(16, 8).experts(4).top_k(2).router(c).router_init_std(1.0);
      MoELayer layer(options.zero_experts(extra).copy_experts(extra).constant_experts(extra));
      auto x = torch::randn({40, 16}).requires_grad_(true);
      auto r = layer->router->forward(x);
      const auto run = [&](ExpertKernel kernel) {
        return dispatch_assignments(x, r.token, r.expert, r.weight, layer->w_in, layer->w_out,
                                    extra, extra, layer->constants, kernel);
      };
      auto grouped = run(ExpertKernel::grouped_mm), segments = run(ExpertKernel::segments);
      EXPECT_TRUE(torch::allclose(grouped, segments, 1e-5, 1e-6)) << kind << " extra " << extra;
      auto probe = torch::randn_like(grouped);
      std::vector<torch::Tensor> inputs{x, layer->w_in, layer->w_out};
      auto g = torch::autograd::grad({(grouped * probe).sum()}, inputs, {}, true);
      auto g_ref = torch::autograd::grad({(segments * probe).sum()}, inputs, {}, true);
      for (size_t i = 0; i < g.size(); ++i) {
        EXPECT_TRUE(torch::allclose(g[i], g_ref[i], 1e-5, 1e-6)) << kind << " extra " << extra << " input " << i;
      }
    }
  }
}

}  // namespace
}  // namespace moescope
