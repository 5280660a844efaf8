// Models are cloneable: a copy computes the same outputs, shares no tensor with the original,
// and training it leaves the original untouched (surgery previews run on such copies).
#include <gtest/gtest.h>
#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <map>
#include <mutex>

#include "model/clone.h"
#include "model/transformer_lm.h"
#include "model/vision_moe.h"

namespace moescope {
namespace {

TransformerLMOptions small_lm() {
  ModelConfig moe;
  moe.experts = 4;
  moe.top_k = 2;
  moe.expert_hidden = 16;
  moe.shared_experts = 1;
  moe.constant_experts = 1;
  RouterConfig router;
  router.bias = true;
  router.init_skew = 0.3;
  router.bias_balancing = true;
  return TransformerLMOptions().vocab(256).context(12).d_model(16).heads(2).layers(2).moe(moe).router(router);
}

std::map<std::string, torch::Tensor> state_of(const torch::nn::Module& m) {
  std::map<std::string, torch::Tensor> state;
  for (const auto& p : m.named_parameters()) state[p.key()] = p.value().detach().clone();
  for (const auto& b : m.named_buffers()) state["buffer " + b.key()] = b.value().detach().clone();
  return state;
}

torch::Tensor cpu_generator_state() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

TEST(Clone, LanguageModelCopyGivesTheSameOutputsAndSharesNoTensor) {
  torch::manual_seed(3);
  TransformerLM model(small_lm());
  // Give every buffer a non-default value so a clone that re-initialises one is caught.
  {
    torch::NoGradGuard no_grad;
    for (auto& layer : model->moe_layers()) layer->router->balance_bias.uniform_(-0.5, 0.5);
  }
  auto tokens = torch::randint(0, 256, {3, 12}, torch::kInt64);
  model->moe_layers()[0]->record_routing = true;
  auto reference = model->forward(tokens).logits.detach();
  ASSERT_TRUE(model->moe_layers()[0]->last_routing.counts.defined());
  auto runtime = model->moe_layers()[1]->router->runtime();
  runtime.temperature = 1.7;
  runtime.capacity_factor = 1.5;
  model->moe_layers()[1]->router->set_runtime(runtime);

  const auto rng_before = cpu_generator_state();
  auto copy = clone_model(model);
  EXPECT_TRUE(torch::equal(cpu_generator_state(), rng_before)) << "cloning moved the random stream";

  // The same named tensors with the same values, in storage of their own.
  std::map<std::string, const void*> original;
  for (const auto& p : model->named_parameters()) original[p.key()] = p.value().data_ptr();
  for (const auto& b : model->named_buffers()) original["buffer " + b.key()] = b.value().data_ptr();
  const auto copied = state_of(*copy);
  ASSERT_EQ(copied.size(), original.size());
  const auto source = state_of(*model);
  for (const auto& [name, tensor] : source) {
    ASSERT_TRUE(copied.count(name)) << name;
    EXPECT_TRUE(torch::equal(copied.at(name), tensor)) << name;
  }
  for (const auto& p : copy->named_parameters()) {
    EXPECT_NE(p.value().data_ptr(), original.at(p.key())) << p.key() << " is shared";
    EXPECT_TRUE(p.value().requires_grad()) << p.key();
  }
  for (const auto& b : copy->named_buffers()) {
    EXPECT_NE(b.value().data_ptr(), original.at("buffer " + b.key())) << b.key() << " is shared";
  }
  // The layer list points at the copy's own layers, without the original's recorded routing,
  // and the live router settings came along.
  auto layers = copy->moe_layers();
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_NE(layers[0].get(), model->moe_layers()[0].get());
  EXPECT_FALSE(layers[0]->last_routing.counts.defined());
  EXPECT_FALSE(layers[0]->record_routing);
  EXPECT_EQ(layers[1]->router->runtime(), runtime);
  EXPECT_EQ(layers[0]->router->runtime(), model->moe_layers()[0]->router->runtime());

  runtime.capacity_factor = 0.0;
  runtime.temperature = 1.0;
  layers[1]->router->set_runtime(runtime);
  model->moe_layers()[1]->router->set_runtime(runtime);
  EXPECT_TRUE(torch::equal(copy->forward(tokens).logits, model->forward(tokens).logits));
  EXPECT_TRUE(torch::equal(model->forward(tokens).logits, reference));  // settings restored
}

TEST(Clone, TrainingTheCopyLeavesTheOriginalBitIdentical) {
  torch::manual_seed(4);
  TransformerLM model(small_lm());
  const auto before = state_of(*model);
  auto copy = clone_model(model);
  torch::optim::AdamW optimizer(copy->parameters(), torch::optim::AdamWOptions(1e-2));
  auto tokens = torch::randint(0, 256, {4, 12}, torch::kInt64);
  for (int step = 0; step < 3; ++step) {
    auto out = copy->forward(tokens);
    auto loss = torch::nn::functional::cross_entropy(out.logits.reshape({-1, 256}), tokens.reshape(-1)) +
                0.01 * out.aux_loss;
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    for (auto& layer : copy->moe_layers()) layer->router->update_balance_bias();
  }
  // The copy moved, the original did not (not a bit, buffers included), and has no gradients.
  const auto after = state_of(*model);
  const auto trained = state_of(*copy);
  bool copy_moved = false;
  for (const auto& [name, tensor] : before) {
    EXPECT_TRUE(torch::equal(after.at(name), tensor)) << name << " of the original changed";
    copy_moved |= !torch::equal(trained.at(name), tensor);
  }
  EXPECT_TRUE(copy_moved);
  for (const auto& p : model->parameters()) EXPECT_FALSE(p.grad().defined());
  EXPECT_FALSE(torch::equal(trained.at("buffer blocks.0.moe.router.balance_bias"),
                            before.at("buffer blocks.0.moe.router.balance_bias")));
}

TEST(Clone, VisionModelCopyKeepsBatchNormStatisticsAndHashTable) {
  torch::manual_seed(5);
  ModelConfig moe;
  moe.experts = 4;
  moe.top_k = 1;
  moe.expert_hidden = 16;
  RouterConfig router;
  router.kind = RouterKind::Hash;
  VisionMoE model(VisionMoEOptions().d_model(16).stem_channels(8).layers(2).moe(moe).router(router));
  auto images = torch::rand({6, 1, 28, 28});
  model->train();
  model->forward(images);  // moves the BatchNorm running statistics
  model->eval();
  auto copy = clone_model(model);
  copy->eval();
  EXPECT_TRUE(torch::equal(copy->forward(images).logits, model->forward(images).logits));
  EXPECT_TRUE(torch::equal(copy->moe_layers()[1]->router->hash_table,
                           model->moe_layers()[1]->router->hash_table));
  EXPECT_NE(copy->moe_layers()[1]->router->hash_table.data_ptr(),
            model->moe_layers()[1]->router->hash_table.data_ptr());
  EXPECT_NE(copy->moe_layers()[0].get(), model->moe_layers()[0].get());
}

TEST(RouterRuntime, OutOfRangeSettingsAreRefusedAndLeaveTheRouterAsItWas) {
  Router router(8, 4, 2, RouterConfig());
  auto bad = router->runtime();
  bad.temperature = 0.0;
  EXPECT_THROW(router->set_runtime(bad), c10::Error);
  bad = router->runtime();
  bad.capacity_factor = -1.0;
  EXPECT_THROW(router->set_runtime(bad), c10::Error);
  EXPECT_EQ(router->runtime(), RouterRuntime());
}

}  // namespace
}  // namespace moescope
