// Branch-Train-MiX: dense branches of one seed become the experts of one MoE model.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "base/error.h"
#include "model/transformer_lm.h"
#include "surgery/btx.h"

namespace moescope {
namespace {

constexpr int64_t kHidden = 32, kBranches = 4;

TransformerLMOptions lm_options(const std::string& ffn, int64_t experts, int64_t top_k) {
  ModelConfig m;
  m.ffn = ffn;
  m.experts = experts;
  m.top_k = top_k;
  m.expert_hidden = kHidden;
  RouterConfig router;  // top-k softmax, renormalised gates, dropless
  return TransformerLMOptions().d_model(24).heads(2).layers(3).context(16).moe(m).router(router);
}

// The seed with every weight moved by noise of its own seed (a branch that trained).
TransformerLM branch_of(const TransformerLM& seed, uint64_t noise_seed) {
  auto branch = std::dynamic_pointer_cast<TransformerLMImpl>(seed->clone());
  torch::manual_seed(noise_seed);
  torch::NoGradGuard no_grad;
  for (auto& p : branch->parameters()) p.add_(torch::randn_like(p) * 0.05);
  return TransformerLM(branch);
}

TransformerLM seed_model() {
  torch::manual_seed(3);
  TransformerLM seed(lm_options("dense", 1, 1));
  return branch_of(seed, 5);  // not its initialisation, so a copy that missed a tensor shows
}

std::vector<const TransformerLMImpl*> pointers(const std::vector<TransformerLM>& models) {
  std::vector<const TransformerLMImpl*> p;
  for (const auto& m : models) p.push_back(m.get());
  return p;
}

TEST(Btx, IdenticalBranchesGiveTheSeedModelsFunction) {
  auto seed = seed_model();
  const std::vector<TransformerLM> branches(kBranches, seed);
  const auto tokens = torch::randint(0, 256, {4, 16}, torch::kLong);
  for (bool hidden_router : {false, true}) {
    for (int64_t top_k : {1, 2}) {
      torch::manual_seed(11);
      TransformerLM moe(lm_options("moe", kBranches, top_k));
      BtxMixOptions options;
      if (hidden_router) {
        for (int64_t e = 0; e < kBranches; ++e) options.router_tokens.push_back(torch::randint(0, 256, {3, 16}, torch::kLong));
      }
      btx_mix(pointers(branches), *moe, options);
      seed->eval();
      moe->eval();
      torch::NoGradGuard no_grad;
      const auto want = seed->forward(tokens).logits, got = moe->forward(tokens).logits;
      EXPECT_TRUE(torch::allclose(got, want, 1e-4, 1e-5))
          << "top-" << top_k << (hidden_router ? ", hidden router" : ", random router") << ": largest difference "
          << (got - want).abs().max().item<double>();
    }
  }
}

TEST(Btx, EachBranchsFFNBecomesItsExpertAndTheRestIsTheirMean) {
  auto seed = seed_model();
  std::vector<TransformerLM> branches;
  for (int64_t e = 0; e < kBranches; ++e) branches.push_back(branch_of(seed, 100 + static_cast<uint64_t>(e)));
  TransformerLM moe(lm_options("moe", kBranches, 2));
  btx_mix(pointers(branches), *moe, BtxMixOptions{});
  for (size_t b = 0; b < moe->blocks->size(); ++b) {
    const auto& layer = (*moe->blocks)[b]->as<MoEBlock>()->moe;
    for (int64_t e = 0; e < kBranches; ++e) {
      const auto& ffn = (*branches[static_cast<size_t>(e)]->blocks)[b]->as<MoEBlock>()->ffn;
      EXPECT_TRUE(torch::equal(layer->w_in[e].narrow(1, 0, kHidden), ffn->gate.t())) << "block " << b << " expert " << e;
      EXPECT_TRUE(torch::equal(layer->w_in[e].narrow(1, kHidden, kHidden), ffn->up.t())) << "block " << b << " expert " << e;
      EXPECT_TRUE(torch::equal(layer->w_out[e], ffn->down.t())) << "block " << b << " expert " << e;
    }
  }
  // Attention, embeddings and norms: the mean of the four branches, by hand.
  const auto mixed = moe->named_parameters(true);
  int64_t checked = 0;
  for (const auto& item : seed->named_parameters(true)) {
    if (item.key().find(".ffn.") != std::string::npos) continue;
    auto sum = torch::zeros_like(item.value());
    for (const auto& branch : branches) sum += branch->named_parameters(true)[item.key()];
    EXPECT_TRUE(torch::allclose(mixed[item.key()], sum / double(kBranches), 1e-6, 1e-7)) << item.key();
    ++checked;
  }
  EXPECT_GT(checked, 10);
}

TEST(Btx, HiddenRouterSendsEachBranchsMeanHiddenStateToItsOwnExpert) {
  auto seed = seed_model();
  std::vector<TransformerLM> branches;
  for (int64_t e = 0; e < kBranches; ++e) branches.push_back(branch_of(seed, 200 + static_cast<uint64_t>(e)));
  // Each branch's "language": bytes from its own range, so the mean hidden states differ.
  BtxMixOptions options;
  for (int64_t e = 0; e < kBranches; ++e) {
    options.router_tokens.push_back(torch::randint(64 * e, 64 * (e + 1), {4, 16}, torch::kLong));
  }
  TransformerLM moe(lm_options("moe", kBranches, 2));
  btx_mix(pointers(branches), *moe, options);
  // The branch's own mean FFN input, measured here, scores highest on its expert's row.
  torch::NoGradGuard no_grad;
  for (int64_t e = 0; e < kBranches; ++e) {
    auto& branch = *branches[static_cast<size_t>(e)];
    branch.eval();
    std::vector<std::vector<torch::Tensor>> captured(branch.blocks->size());
    for (size_t b = 0; b < captured.size(); ++b) (*branch.blocks)[b]->as<MoEBlock>()->ffn->capture = &captured[b];
    branch.forward(options.router_tokens[static_cast<size_t>(e)]);
    for (size_t b = 0; b < captured.size(); ++b) {
      (*branch.blocks)[b]->as<MoEBlock>()->ffn->capture = nullptr;
      const auto mean = torch::cat(captured[b]).mean(0);
      const auto scores = torch::mv((*moe->blocks)[b]->as<MoEBlock>()->moe->router->weight, mean);
      EXPECT_EQ(scores.argmax().item<int64_t>(), e) << "block " << b << ": scores " << scores;
    }
  }
}

TEST(Btx, ModelsThatDoNotFitAreClearErrors) {
  auto seed = seed_model();
  const std::vector<TransformerLM> branches(kBranches, seed);
  TransformerLM three(lm_options("moe", 3, 2));
  try {
    btx_mix(pointers(branches), *three, BtxMixOptions{});
    FAIL() << "four branches into three experts were accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("one routed expert per branch (4)"), std::string::npos) << e.what();
  }
  TransformerLM moe_branch(lm_options("moe", 4, 2));
  TransformerLM moe(lm_options("moe", 2, 1));
  try {
    btx_mix({seed.get(), moe_branch.get()}, *moe, BtxMixOptions{});
    FAIL() << "an MoE branch was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs dense branches"), std::string::npos) << e.what();
  }
  EXPECT_THROW(btx_mix({}, *moe, BtxMixOptions{}), Error);
}

}  // namespace
}  // namespace moescope
