#include "surgery/upcycle.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <string>

#include "base/error.h"

namespace moescope {
namespace {

// Values of the given sizes for re-initialised units of `matrix`, from N(mean, std) of all its entries.
torch::Tensor redrawn(const torch::Tensor& matrix, std::vector<int64_t> sizes, torch::Generator& generator) {
  const auto values = matrix.detach().to(torch::kCPU, torch::kDouble);
  const double mean = values.mean().item<double>(), std = values.std().item<double>();
  return at::normal(mean, std, sizes, generator, torch::TensorOptions().dtype(torch::kFloat));
}

}  // namespace

void copy_ffn_into_expert(const DenseFFNImpl& dense, MoELayerImpl& moe, int64_t expert) {
  const auto& o = moe.options;
  if (dense.d_model != o.d_model() || dense.hidden != o.hidden()) {
    throw Error("the dense FFN is " + std::to_string(dense.d_model) + " -> " + std::to_string(dense.hidden) +
                " but the experts are " + std::to_string(o.d_model()) + " -> " + std::to_string(o.hidden()));
  }
  if (expert < 0 || expert >= o.experts()) {
    throw Error("expert " + std::to_string(expert) + " of " + std::to_string(o.experts()) + " does not exist");
  }
  torch::NoGradGuard no_grad;
  const int64_t h = o.hidden();
  const auto like = moe.w_in.options();
  auto w_in = moe.w_in.select(0, expert);
  w_in.narrow(1, 0, h).copy_(dense.gate.detach().t().to(like));
  w_in.narrow(1, h, h).copy_(dense.up.detach().t().to(like));
  moe.w_out.select(0, expert).copy_(dense.down.detach().t().to(like));
}

UpcycleLayer upcycle_layer(const DenseFFNImpl& dense, MoELayerImpl& moe, const UpcycleOptions& options,
                           torch::Generator& generator) {
  const auto& o = moe.options;
  if (dense.d_model != o.d_model() || dense.hidden != o.hidden()) {
    throw Error("upcycling: the dense FFN is " + std::to_string(dense.d_model) + " -> " +
                std::to_string(dense.hidden) + " but the experts are " + std::to_string(o.d_model()) + " -> " +
                std::to_string(o.hidden()));
  }
  if (o.shared_experts() > 0) throw Error("upcycling makes routed experts only: the MoE layer has shared experts");
  if (!(options.drop_ratio >= 0.0 && options.drop_ratio <= 1.0)) {
    throw Error("upcycling: the drop ratio must be between 0 and 1");
  }
  const int64_t E = o.experts(), h = o.hidden();
  const int64_t dropped = std::llround(options.drop_ratio * static_cast<double>(h));
  torch::NoGradGuard no_grad;
  const auto like = moe.w_in.options();
  for (int64_t e = 0; e < E; ++e) {
    copy_ffn_into_expert(dense, moe, e);
    if (dropped == 0) continue;
    auto w_in = moe.w_in.select(0, e), w_out = moe.w_out.select(0, e);
    auto gate = w_in.narrow(1, 0, h), up = w_in.narrow(1, h, h);
    const auto units = torch::randperm(h, generator, torch::TensorOptions().dtype(torch::kLong)).narrow(0, 0, dropped);
    const auto on = units.to(like.device());
    const int64_t d = o.d_model();
    gate.index_copy_(1, on, redrawn(dense.gate, {d, dropped}, generator).to(like));
    up.index_copy_(1, on, redrawn(dense.up, {d, dropped}, generator).to(like));
    w_out.index_copy_(0, on, redrawn(dense.down, {dropped, d}, generator).to(like));
  }
  return {0, E, h, dropped};
}

void set_router_rows_from_means(const std::vector<MoELayer>& layers, const std::vector<std::vector<torch::Tensor>>& means,
                                torch::Generator& generator) {
  if (means.size() != layers.size()) {
    throw Error("router initialisation: mean hidden states for " + std::to_string(means.size()) + " layers, the model has " +
                std::to_string(layers.size()) + " MoE layers");
  }
  torch::NoGradGuard no_grad;
  for (size_t l = 0; l < layers.size(); ++l) {
    auto rows = torch::stack(means[l]);  // [E, d]
    // Centred, and orthogonal to the shared mean u: then u scores alike on every row, and a
    // mean input m_e = u + c_e scores highest on its own row (c_e · r_f <= |c_e| by
    // Cauchy-Schwarz).
    const auto shared = rows.mean(0, true);
    const auto u = shared / shared.norm().clamp_min(1e-12);
    rows = rows - shared;
    rows = rows - torch::matmul(rows, u.t()) * u;
    rows = rows / rows.norm(2, 1, true).clamp_min(1e-12);
    rows = rows + 0.01 * at::normal(0.0, 1.0, rows.sizes(), generator, rows.options().device(torch::kCPU))
                             .to(rows.device()) / std::sqrt(static_cast<double>(rows.size(1)));
    auto& weight = layers[l]->router->weight;
    if (weight.size(0) != rows.size(0)) throw Error("router initialisation: layer " + std::to_string(l) + " has merged logits");
    weight.copy_(rows.to(weight.options()));
  }
}

void init_routers_from_hidden(TransformerLMImpl& moe, const std::vector<torch::Tensor>& expert_tokens,
                              torch::Generator& generator) {
  auto layers = moe.moe_layers();
  if (layers.empty()) throw Error("router initialisation: the model has no MoE layer");
  const int64_t E = layers[0]->options.experts();
  if (static_cast<int64_t>(expert_tokens.size()) != E) {
    throw Error("router initialisation: " + std::to_string(expert_tokens.size()) + " sets of example tokens for " +
                std::to_string(E) + " experts");
  }
  torch::NoGradGuard no_grad;
  const bool was_training = moe.is_training();
  moe.eval();
  const auto device = layers[0]->w_in.device();
  // means[l][e]: layer l's mean input over expert e's tokens.
  std::vector<std::vector<torch::Tensor>> means(layers.size());
  std::vector<CapturedInputs> captured(layers.size());
  for (int64_t e = 0; e < E; ++e) {
    const auto& tokens = expert_tokens[e];
    if (!tokens.defined() || tokens.dim() != 2 || tokens.numel() == 0) {
      throw Error("router initialisation: expert " + std::to_string(e) + " has no example tokens");
    }
    for (size_t l = 0; l < layers.size(); ++l) {
      captured[l] = CapturedInputs{};
      layers[l]->capture = &captured[l];
    }
    try {
      moe.forward(tokens.to(device));
    } catch (...) {
      for (auto& layer : layers) layer->capture = nullptr;
      throw;
    }
    for (size_t l = 0; l < layers.size(); ++l) {
      layers[l]->capture = nullptr;
      means[l].push_back(torch::cat(captured[l].x).to(torch::kFloat).mean(0));
    }
  }
  set_router_rows_from_means(layers, means, generator);
  moe.train(was_training);
}

std::vector<UpcycleLayer> upcycle_model(const TransformerLMImpl& dense, TransformerLMImpl& moe,
                                        const UpcycleOptions& options) {
  if (dense.blocks->size() != moe.blocks->size()) {
    throw Error("upcycling: the dense model has " + std::to_string(dense.blocks->size()) +
                " blocks, the MoE model " + std::to_string(moe.blocks->size()));
  }
  for (size_t b = 0; b < dense.blocks->size(); ++b) {
    const auto* from = (*dense.blocks)[b]->as<MoEBlock>();
    const auto* to = (*moe.blocks)[b]->as<MoEBlock>();
    if (from == nullptr || to == nullptr) throw Error("upcycling: block " + std::to_string(b) + " is not a transformer block");
    if (from->ffn.is_empty()) throw Error("upcycling needs a dense model: block " + std::to_string(b) + " is an MoE block");
    if (to->moe.is_empty()) throw Error("upcycling: block " + std::to_string(b) + " of the target is not an MoE block");
  }
  if (!(options.drop_ratio >= 0.0 && options.drop_ratio <= 1.0)) {
    throw Error("upcycling: the drop ratio must be between 0 and 1");
  }
  torch::NoGradGuard no_grad;
  // Everything but the FFNs, by name: embeddings, attention, norms.
  auto target = moe.named_parameters(true);
  auto target_buffers = moe.named_buffers(true);
  const auto copy_all = [](const torch::OrderedDict<std::string, torch::Tensor>& from,
                           torch::OrderedDict<std::string, torch::Tensor>& to) {
    for (const auto& item : from) {
      if (item.key().find(".ffn.") != std::string::npos) continue;
      auto* slot = to.find(item.key());
      if (slot == nullptr) throw Error("upcycling: the MoE model has no " + item.key());
      if (!slot->sizes().equals(item.value().sizes())) {
        throw Error("upcycling: " + item.key() + " is " + c10::str(item.value().sizes()) + " in the dense model but " +
                    c10::str(slot->sizes()) + " in the MoE model");
      }
      slot->copy_(item.value().detach());
    }
  };
  copy_all(dense.named_parameters(true), target);
  copy_all(dense.named_buffers(true), target_buffers);

  torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
  const auto upcycle_blocks = [&](const UpcycleOptions& o) {
    std::vector<UpcycleLayer> layers;
    for (size_t b = 0; b < dense.blocks->size(); ++b) {
      const auto* from = (*dense.blocks)[b]->as<MoEBlock>();
      auto* to = (*moe.blocks)[b]->as<MoEBlock>();
      auto layer = upcycle_layer(*from->ffn, *to->moe, o, generator);
      layer.layer = static_cast<int64_t>(b);
      layers.push_back(layer);
    }
    return layers;
  };
  if (!options.router_tokens.empty()) {
    // Full copies first, so the examples see the dense model's hidden states; then the drop.
    UpcycleOptions copies = options;
    copies.drop_ratio = 0.0;
    auto layers = upcycle_blocks(copies);
    init_routers_from_hidden(moe, options.router_tokens, generator);
    if (options.drop_ratio == 0.0) return layers;
  }
  return upcycle_blocks(options);
}

}  // namespace moescope
