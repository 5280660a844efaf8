// Permutation alignment of whole models (weight matching) before they are merged.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <random>

#include "base/error.h"
#include "model/transformer_lm.h"
#include "surgery/permutation_align.h"

namespace moescope {
namespace {

TransformerLMOptions lm_options(const std::string& ffn, int64_t experts = 4, const RouterConfig& router = {}) {
  ModelConfig m;
  m.ffn = ffn;
  m.experts = experts;
  m.top_k = 2;
  m.expert_hidden = 16;
  return TransformerLMOptions().d_model(24).heads(4).layers(2).context(16).moe(m).router(router);
}

// A model whose weights are not its initialisation: norms and embeddings differ per channel.
TransformerLM trained_looking(const TransformerLMOptions& options, uint64_t seed) {
  torch::manual_seed(seed);
  TransformerLM model(options);
  torch::NoGradGuard no_grad;
  for (auto& p : model->parameters()) p.add_(torch::randn_like(p) * 0.05);
  return model;
}

std::vector<int64_t> shuffled(int64_t n, std::mt19937& rng) {
  std::vector<int64_t> p(static_cast<size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  std::shuffle(p.begin(), p.end(), rng);
  return p;
}

ModelPermutation random_permutation(const TransformerLMImpl& model, uint32_t seed) {
  std::mt19937 rng(seed);
  auto p = ModelPermutation::identity(model);
  p.residual = shuffled(static_cast<int64_t>(p.residual.size()), rng);
  for (auto& h : p.heads) h = shuffled(static_cast<int64_t>(h.size()), rng);
  for (auto& e : p.experts) e = shuffled(static_cast<int64_t>(e.size()), rng);
  for (auto& block : p.hidden) {
    for (auto& h : block) h = shuffled(static_cast<int64_t>(h.size()), rng);
  }
  return p;
}

TransformerLM copy_of(const TransformerLM& model) {
  return TransformerLM(std::dynamic_pointer_cast<TransformerLMImpl>(model->clone()));
}

torch::Tensor logits(TransformerLM& model, const torch::Tensor& tokens) {
  torch::NoGradGuard no_grad;
  model->eval();
  return model->forward(tokens).logits;
}

void expect_same_weights(const TransformerLM& a, const TransformerLM& b) {
  const auto pb = b->named_parameters(true);
  for (const auto& item : a->named_parameters(true)) {
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  }
}

TEST(PermutationAlign, APermutedModelComputesTheSameFunction) {
  const auto tokens = torch::randint(0, 256, {3, 16}, torch::kLong);
  RouterConfig hash;
  hash.kind = RouterKind::Hash;
  for (const auto& options : {lm_options("dense"), lm_options("moe"), lm_options("moe", 4, hash)}) {
    auto model = trained_looking(options, 1);
    auto permuted = copy_of(model);
    const auto p = random_permutation(*model, 9);
    ASSERT_FALSE(p.is_identity());
    permute_model(*permuted, p);
    EXPECT_FALSE(torch::equal((*permuted->blocks)[0]->as<MoEBlock>()->attention->qkv->weight,
                              (*model->blocks)[0]->as<MoEBlock>()->attention->qkv->weight));
    const auto want = logits(model, tokens), got = logits(permuted, tokens);
    EXPECT_TRUE(torch::allclose(got, want, 1e-4, 1e-5)) << "largest difference " << (got - want).abs().max().item<double>();
  }
}

TEST(PermutationAlign, WeightMatchingRecoversAKnownPermutationExactly) {
  for (const auto& options : {lm_options("dense"), lm_options("moe")}) {
    auto model = trained_looking(options, 2);
    auto permuted = copy_of(model);
    permute_model(*permuted, random_permutation(*model, 4));
    const auto result = match_weights(*model, *permuted);
    EXPECT_GT(result.units_moved, 0);
    EXPECT_LE(result.rounds, 3);
    EXPECT_GT(result.similarity_after, result.similarity_before);
    permute_model(*permuted, result.permutation);
    expect_same_weights(model, permuted);
    // Aligning a model to itself moves nothing.
    EXPECT_TRUE(match_weights(*model, *model).permutation.is_identity());
  }
}

TEST(PermutationAlign, AligningModelsTrainedApartRaisesTheirSimilarityAndKeepsTheFunction) {
  const auto options = lm_options("moe");
  auto a = trained_looking(options, 3), b = trained_looking(options, 5);  // different starts
  const auto tokens = torch::randint(0, 256, {3, 16}, torch::kLong);
  const auto before = logits(b, tokens);
  const auto result = match_weights(*a, *b);
  EXPECT_GT(result.similarity_after, result.similarity_before);
  permute_model(*b, result.permutation);
  const auto after = logits(b, tokens);
  EXPECT_TRUE(torch::allclose(after, before, 1e-4, 1e-5));
}

TEST(PermutationAlign, ModelsItCannotPermuteExactlyAreRefused) {
  auto dense = trained_looking(lm_options("dense"), 1);
  auto moe = trained_looking(lm_options("moe"), 1);
  EXPECT_THROW(match_weights(*dense, *moe), Error);  // another architecture
  ModelConfig shared;
  shared.ffn = "moe";
  shared.experts = 4;
  shared.top_k = 2;
  shared.expert_hidden = 16;
  shared.shared_experts = 1;
  auto with_shared = trained_looking(TransformerLMOptions().d_model(24).heads(4).layers(2).context(16).moe(shared), 1);
  try {
    permute_model(*with_shared, ModelPermutation::identity(*with_shared));
    FAIL() << "shared experts were accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("shared experts"), std::string::npos) << e.what();
  }
  auto p = ModelPermutation::identity(*moe);
  p.residual[0] = 1;  // not a permutation
  const auto weights_before = (*moe->blocks)[0]->as<MoEBlock>()->attention->qkv->weight.clone();
  EXPECT_THROW(permute_model(*moe, p), Error);
  EXPECT_TRUE(torch::equal((*moe->blocks)[0]->as<MoEBlock>()->attention->qkv->weight, weights_before));
}

}  // namespace
}  // namespace moescope
