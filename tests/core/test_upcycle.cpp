// Upcycling a dense transformer into an MoE one (Sparse Upcycling, Drop-Upcycling).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <set>

#include "base/error.h"
#include "model/transformer_lm.h"
#include "surgery/upcycle.h"

namespace moescope {
namespace {

constexpr int64_t kHidden = 32;

TransformerLMOptions lm_options(const std::string& ffn, int64_t experts, int64_t top_k, int64_t d_model = 24) {
  ModelConfig m;
  m.ffn = ffn;
  m.experts = experts;
  m.top_k = top_k;
  m.expert_hidden = kHidden;
  RouterConfig router;  // top-k softmax, renormalised gates, dropless
  return TransformerLMOptions().d_model(d_model).heads(2).layers(3).context(16).moe(m).router(router);
}

// A dense model whose weights are not its initialisation (so a copy that missed one shows).
TransformerLM trained_looking_dense() {
  torch::manual_seed(3);
  TransformerLM dense(lm_options("dense", 1, 1));
  torch::NoGradGuard no_grad;
  for (auto& p : dense->parameters()) p.add_(torch::randn_like(p) * 0.05);
  return dense;
}

TEST(Upcycle, WithNoDropTheMoEComputesTheDenseModelsFunction) {
  auto dense = trained_looking_dense();
  for (int64_t top_k : {1, 2}) {
    torch::manual_seed(11);
    TransformerLM moe(lm_options("moe", 8, top_k));
    const auto layers = upcycle_model(*dense, *moe, UpcycleOptions{});
    ASSERT_EQ(layers.size(), 3u);
    for (const auto& l : layers) {
      EXPECT_EQ(l.experts, 8);
      EXPECT_EQ(l.dropped_units, 0);
    }
    dense->eval();
    moe->eval();
    const auto tokens = torch::randint(0, 256, {4, 16}, torch::kLong);
    torch::NoGradGuard no_grad;
    const auto want = dense->forward(tokens).logits, got = moe->forward(tokens).logits;
    EXPECT_TRUE(torch::allclose(got, want, 1e-4, 1e-5))
        << "top-" << top_k << ": largest difference " << (got - want).abs().max().item<double>();
    // The router is untouched: the experts differ in nothing but their gate, so any routing
    // gives the same output. A changed function would show above.
  }
}

TEST(Upcycle, DropRatioReinitialisesExactlyThatShareOfEachExpertsHiddenUnits) {
  auto dense = trained_looking_dense();
  TransformerLM moe(lm_options("moe", 4, 2));
  UpcycleOptions options;
  options.drop_ratio = 0.5;
  options.seed = 7;
  const auto layers = upcycle_model(*dense, *moe, options);
  ASSERT_EQ(layers[0].dropped_units, kHidden / 2);
  const auto layer = moe->moe_layers()[1];
  const auto ffn = (*dense->blocks)[1]->as<MoEBlock>()->ffn;
  std::set<std::vector<int64_t>> unit_sets;
  for (int64_t e = 0; e < 4; ++e) {
    const auto gate = layer->w_in[e].narrow(1, 0, kHidden).t();  // [h, d] like the dense gate
    const auto up = layer->w_in[e].narrow(1, kHidden, kHidden).t();
    const auto down = layer->w_out[e];  // [h, d]: row j is hidden unit j
    std::vector<int64_t> changed;
    for (int64_t j = 0; j < kHidden; ++j) {
      const bool g = torch::equal(gate[j], ffn->gate[j]);
      const bool u = torch::equal(up[j], ffn->up[j]);
      const bool w = torch::equal(down[j], ffn->down.t()[j]);
      EXPECT_EQ(g, u) << "expert " << e << " unit " << j;  // a unit is redrawn whole or kept whole
      EXPECT_EQ(g, w) << "expert " << e << " unit " << j;
      if (!g) changed.push_back(j);
    }
    EXPECT_EQ(static_cast<int64_t>(changed.size()), kHidden / 2) << "expert " << e;
    unit_sets.insert(changed);
  }
  EXPECT_GT(unit_sets.size(), 1u) << "each expert draws its own units";
  // The redrawn values follow the original matrix's statistics.
  const auto redrawn_gate = layer->w_in[0].narrow(1, 0, kHidden);
  const double spread = ffn->gate.std().item<double>();
  EXPECT_NEAR(redrawn_gate.std().item<double>(), spread, 0.3 * spread);
  // The same seed gives the same model.
  TransformerLM again(lm_options("moe", 4, 2));
  upcycle_model(*dense, *again, options);
  EXPECT_TRUE(torch::equal(again->moe_layers()[1]->w_in, layer->w_in));
}

TEST(Upcycle, RoutersFromExampleTokensPreferEachExpertsOwnLanguage) {
  auto dense = trained_looking_dense();
  // Four "languages": byte ranges that do not overlap, one per expert.
  std::vector<torch::Tensor> examples;
  for (int64_t e = 0; e < 4; ++e) examples.push_back(torch::randint(64 * e, 64 * (e + 1), {8, 16}, torch::kLong));
  UpcycleOptions options;
  options.router_tokens = examples;
  TransformerLM moe(lm_options("moe", 4, 1));
  upcycle_model(*dense, *moe, options);
  moe->eval();
  torch::NoGradGuard no_grad;
  // The upcycled routers, per layer, on each language's examples.
  auto layers = moe->moe_layers();
  for (int64_t e = 0; e < 4; ++e) {
    const auto& tokens = examples[e];
    std::vector<CapturedInputs> captured(layers.size());
    for (size_t l = 0; l < layers.size(); ++l) layers[l]->capture = &captured[l];
    moe->forward(tokens);
    for (size_t l = 0; l < layers.size(); ++l) {
      layers[l]->capture = nullptr;
      // The mean input of the language's examples scores highest on its own expert's row (by
      // construction: a check that each layer's row e comes from expert e's examples).
      const auto mean = torch::cat(captured[l].x).mean(0);
      const auto logits = torch::matmul(layers[l]->router->weight, mean);
      EXPECT_EQ(logits.argmax().item<int64_t>(), e) << "layer " << l << ", language " << e << ": " << logits;
    }
  }
  // The router changed nothing else: with no drop the function is still the dense model's.
  dense->eval();
  const auto tokens = torch::randint(0, 256, {2, 16}, torch::kLong);
  EXPECT_TRUE(torch::allclose(moe->forward(tokens).logits, dense->forward(tokens).logits, 1e-4, 1e-5));
  // One example set per expert, or a clear error.
  options.router_tokens.pop_back();
  TransformerLM again(lm_options("moe", 4, 1));
  EXPECT_THROW(upcycle_model(*dense, *again, options), Error);
}

TEST(Upcycle, ModelsThatDoNotFitTogetherAreRefused) {
  auto dense = trained_looking_dense();
  TransformerLM other_width(lm_options("moe", 4, 2, 32));
  try {
    upcycle_model(*dense, *other_width, UpcycleOptions{});
    FAIL() << "a model of another width was upcycled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("token_embedding"), std::string::npos) << e.what();
  }
  TransformerLM moe(lm_options("moe", 4, 2)), moe_too(lm_options("moe", 4, 2));
  try {
    upcycle_model(*moe, *moe_too, UpcycleOptions{});
    FAIL() << "an MoE model was upcycled";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs a dense model"), std::string::npos) << e.what();
  }
  UpcycleOptions too_much;
  too_much.drop_ratio = 1.5;
  EXPECT_THROW(upcycle_model(*dense, *moe, too_much), Error);
}

}  // namespace
}  // namespace moescope
