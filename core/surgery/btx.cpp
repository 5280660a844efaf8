#include "surgery/btx.h"

#include <ATen/CPUGeneratorImpl.h>

#include <string>

#include "base/error.h"
#include "surgery/model_merge.h"
#include "surgery/upcycle.h"

namespace moescope {
namespace {

MoEBlockImpl& block_of(const TransformerLMImpl& model, size_t b) {
  auto* block = (*model.blocks)[b]->as<MoEBlock>();
  if (block == nullptr) throw Error("Branch-Train-MiX: block " + std::to_string(b) + " is not a transformer block");
  return *block;
}

// Writes the average of the branches' tensors of every name but the FFNs' into `to`.
void average_shared(const std::vector<torch::OrderedDict<std::string, torch::Tensor>>& branches,
                    torch::OrderedDict<std::string, torch::Tensor>& to) {
  ModelMergeOptions mean;  // linear, equal weights
  for (const auto& item : branches.front()) {
    if (item.key().find(".ffn.") != std::string::npos) continue;
    auto* slot = to.find(item.key());
    if (slot == nullptr) throw Error("Branch-Train-MiX: the MoE model has no " + item.key());
    std::vector<torch::Tensor> values;
    for (size_t i = 0; i < branches.size(); ++i) {
      const auto* value = branches[i].find(item.key());
      if (value == nullptr) throw Error("Branch-Train-MiX: branch " + std::to_string(i) + " has no " + item.key());
      values.push_back(*value);
    }
    const auto merged = merge_tensors(item.key(), values, {}, mean);
    if (!slot->sizes().equals(merged.sizes())) {
      throw Error("Branch-Train-MiX: " + item.key() + " is " + c10::str(merged.sizes()) + " in the branches but " +
                  c10::str(slot->sizes()) + " in the MoE model");
    }
    slot->copy_(merged);
  }
}

// means[l][e]: branch e's mean FFN input in block l over its own example tokens.
std::vector<std::vector<torch::Tensor>> branch_means(const std::vector<const TransformerLMImpl*>& branches,
                                                     const std::vector<torch::Tensor>& tokens) {
  const size_t blocks = branches.front()->blocks->size();
  std::vector<std::vector<torch::Tensor>> means(blocks);
  for (size_t e = 0; e < branches.size(); ++e) {
    const auto& t = tokens[e];
    if (!t.defined() || t.dim() != 2 || t.numel() == 0) {
      throw Error("Branch-Train-MiX: branch " + std::to_string(e) + " has no example tokens");
    }
    // The branch runs as it is, in eval mode; forward is not const, but only the capture
    // pointers (reset below) and the mode (restored) change.
    auto& branch = const_cast<TransformerLMImpl&>(*branches[e]);
    std::vector<std::vector<torch::Tensor>> captured(blocks);
    const bool was_training = branch.is_training();
    branch.eval();
    const auto release = [&] {
      for (size_t b = 0; b < blocks; ++b) block_of(branch, b).ffn->capture = nullptr;
      branch.train(was_training);
    };
    for (size_t b = 0; b < blocks; ++b) block_of(branch, b).ffn->capture = &captured[b];
    try {
      branch.forward(t.to(branch.token_embedding->weight.device()));
    } catch (...) {
      release();
      throw;
    }
    release();
    for (size_t b = 0; b < blocks; ++b) means[b].push_back(torch::cat(captured[b]).to(torch::kFloat).mean(0));
  }
  return means;
}

}  // namespace

void btx_mix(const std::vector<const TransformerLMImpl*>& branches, TransformerLMImpl& moe,
             const BtxMixOptions& options) {
  if (branches.empty()) throw Error("Branch-Train-MiX needs at least one branch");
  const size_t blocks = moe.blocks->size();
  for (size_t i = 0; i < branches.size(); ++i) {
    if (branches[i]->blocks->size() != blocks) {
      throw Error("Branch-Train-MiX: branch " + std::to_string(i) + " has " + std::to_string(branches[i]->blocks->size()) +
                  " blocks, the MoE model " + std::to_string(blocks));
    }
    for (size_t b = 0; b < blocks; ++b) {
      if (block_of(*branches[i], b).ffn.is_empty()) {
        throw Error("Branch-Train-MiX needs dense branches: block " + std::to_string(b) + " of branch " +
                    std::to_string(i) + " is an MoE block");
      }
    }
  }
  for (size_t b = 0; b < blocks; ++b) {
    const auto& layer = block_of(moe, b).moe;
    if (layer.is_empty()) throw Error("Branch-Train-MiX: block " + std::to_string(b) + " of the target is not an MoE block");
    const auto& o = layer->options;
    if (o.experts() != static_cast<int64_t>(branches.size()) || o.shared_experts() > 0) {
      throw Error("Branch-Train-MiX: block " + std::to_string(b) + " of the target has " + std::to_string(o.experts()) +
                  " routed and " + std::to_string(o.shared_experts()) + " shared experts; it needs one routed expert per branch (" +
                  std::to_string(branches.size()) + ")");
    }
  }
  if (!options.router_tokens.empty() && options.router_tokens.size() != branches.size()) {
    throw Error("Branch-Train-MiX: example tokens for " + std::to_string(options.router_tokens.size()) + " of " +
                std::to_string(branches.size()) + " branches");
  }
  torch::NoGradGuard no_grad;
  std::vector<torch::OrderedDict<std::string, torch::Tensor>> parameters, buffers;
  for (const auto* branch : branches) {
    parameters.push_back(branch->named_parameters(true));
    buffers.push_back(branch->named_buffers(true));
  }
  auto target_parameters = moe.named_parameters(true);
  auto target_buffers = moe.named_buffers(true);
  average_shared(parameters, target_parameters);
  average_shared(buffers, target_buffers);
  for (size_t b = 0; b < blocks; ++b) {
    auto& layer = *block_of(moe, b).moe;
    for (size_t e = 0; e < branches.size(); ++e) {
      try {
        copy_ffn_into_expert(*block_of(*branches[e], b).ffn, layer, static_cast<int64_t>(e));
      } catch (const Error& error) {
        throw Error("Branch-Train-MiX: block " + std::to_string(b) + ", branch " + std::to_string(e) + ": " + error.what());
      }
    }
  }
  if (!options.router_tokens.empty()) {
    torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
    set_router_rows_from_means(moe.moe_layers(), branch_means(branches, options.router_tokens), generator);
  }
}

}  // namespace moescope
