// Weight-space merging of whole models: linear, task arithmetic and TIES against hand-computed
// results, and merging a model with itself.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "base/error.h"
#include "model/transformer_lm.h"
#include "surgery/model_merge.h"

namespace moescope {
namespace {

torch::Tensor t(std::vector<double> v) { return torch::tensor(v, torch::kDouble); }

void expect_values(const torch::Tensor& got, std::vector<double> want) {
  ASSERT_EQ(got.numel(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i].item<double>(), want[i], 1e-12) << "entry " << i;
}

TEST(ModelMerge, LinearIsTheWeightedMean) {
  ModelMergeOptions o;
  expect_values(merge_tensors("w", {t({1, 2}), t({3, 6})}, {}, o), {2, 4});
  o.weights = {0.25, 0.75};
  expect_values(merge_tensors("w", {t({1, 2}), t({3, 6})}, {}, o), {2.5, 5});
}

TEST(ModelMerge, TaskArithmeticAddsTheScaledTaskVectorsToTheBase) {
  ModelMergeOptions o;
  o.method = ModelMergeMethod::task_arithmetic;
  o.lambda = 0.5;
  // Task vectors (1, -1) and (0, 2): base + 0.5 * (1, 1).
  expect_values(merge_tensors("w", {t({2, 0}), t({1, 3})}, t({1, 1}), o), {1.5, 1.5});
}

TEST(ModelMerge, TiesTrimsElectsSignsAndAveragesTheAgreeingValues) {
  ModelMergeOptions o;
  o.method = ModelMergeMethod::ties;
  o.density = 0.5;
  o.lambda = 1.0;
  const auto base = t({10, 10, 10, 10, 10});
  const auto a = base + t({3, -1, 0.5, -2, 1.5}), b = base + t({-1, -2, 0.4, 4, -1.2});
  // Trimmed to 3 of 5 entries each: (3, 0, 0, -2, 1.5) and (0, -2, 0, 4, -1.2). Their sum
  // (3, -2, 0, 2, 0.3) elects the signs (+, -, 0, +, +). Entry 0: only 3 agrees; entry 1: -2;
  // entry 2: nothing is left; entry 3: only 4 agrees; entry 4: only 1.5 agrees.
  expect_values(merge_tensors("w", {a, b}, base, o), {13, 8, 10, 14, 11.5});
  // Density 1 keeps everything: signs (+, -, +, +, +); entry 1 averages -1 and -2, entry 2
  // 0.5 and 0.4.
  o.density = 1.0;
  expect_values(merge_tensors("w", {a, b}, base, o), {13, 8.5, 10.45, 14, 11.5});
  // λ scales the merged task vector.
  o.lambda = 0.5;
  expect_values(merge_tensors("w", {a, b}, base, o), {11.5, 9.25, 10.225, 12, 10.75});
}

TEST(ModelMerge, AModelMergedWithItselfIsThatModel) {
  torch::manual_seed(5);
  ModelConfig m;
  m.experts = 4;
  m.expert_hidden = 16;
  const auto options = TransformerLMOptions().d_model(16).heads(2).layers(2).context(8).moe(m);
  TransformerLM a(options), out(options);
  for (auto method : {ModelMergeMethod::linear, ModelMergeMethod::task_arithmetic, ModelMergeMethod::ties}) {
    ModelMergeOptions o;
    o.method = method;
    o.lambda = 1.0;
    o.density = 1.0;
    merge_modules(*out, {a.get(), a.get()}, method == ModelMergeMethod::linear ? nullptr : a.get(), o);
    const auto want = a->named_parameters();
    for (const auto& p : out->named_parameters()) {
      EXPECT_TRUE(torch::equal(p.value(), want[p.key()])) << model_merge_method_name(method) << " " << p.key();
    }
  }
}

TEST(ModelMerge, ModelsThatDoNotFitTogetherAreRefusedAndTheTargetKept) {
  ModelConfig m;
  m.experts = 4;
  m.expert_hidden = 16;
  TransformerLM a(TransformerLMOptions().d_model(16).heads(2).layers(2).context(8).moe(m));
  TransformerLM wider(TransformerLMOptions().d_model(24).heads(2).layers(2).context(8).moe(m));
  TransformerLM out(TransformerLMOptions().d_model(16).heads(2).layers(2).context(8).moe(m));
  const auto before = out->named_parameters()["token_embedding.weight"].clone();
  try {
    merge_modules(*out, {a.get(), wider.get()}, nullptr, ModelMergeOptions{});
    FAIL() << "models of two widths were merged";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("token_embedding.weight"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(torch::equal(out->named_parameters()["token_embedding.weight"], before));
  ModelMergeOptions ties;
  ties.method = ModelMergeMethod::ties;
  EXPECT_THROW(merge_modules(*out, {a.get(), a.get()}, nullptr, ties), Error);  // no base
  EXPECT_THROW(parse_model_merge_method("slerp"), std::invalid_argument);
}

}  // namespace
}  // namespace moescope
