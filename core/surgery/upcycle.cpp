#include "surgery/upcycle.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <string>

#include "base/error.h"

namespace moescope {
namespace {

std::string shape_text(const torch::Tensor& t) {
  std::string text = "[";
  for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
  return text + "]";
}

// Values for `count` re-initialised units of `matrix`, from N(mean, std) of all its entries.
torch::Tensor redrawn(const torch::Tensor& matrix, std::vector<int64_t> sizes, torch::Generator& generator) {
  const auto values = matrix.detach().to(torch::kCPU, torch::kDouble);
  const double mean = values.mean().item<double>(), std = values.std().item<double>();
  return at::normal(mean, std, sizes, generator, torch::TensorOptions().dtype(torch::kFloat));
}

}  // namespace

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
  const auto gate_t = dense.gate.detach().t().to(like), up_t = dense.up.detach().t().to(like);
  const auto down_t = dense.down.detach().t().to(like);
  for (int64_t e = 0; e < E; ++e) {
    auto w_in = moe.w_in.select(0, e), w_out = moe.w_out.select(0, e);
    auto gate = w_in.narrow(1, 0, h), up = w_in.narrow(1, h, h);
    gate.copy_(gate_t);
    up.copy_(up_t);
    w_out.copy_(down_t);
    if (dropped == 0) continue;
    const auto units = torch::randperm(h, generator, torch::TensorOptions().dtype(torch::kLong)).narrow(0, 0, dropped);
    const auto on = units.to(like.device());
    const int64_t d = o.d_model();
    gate.index_copy_(1, on, redrawn(dense.gate, {d, dropped}, generator).to(like));
    up.index_copy_(1, on, redrawn(dense.up, {d, dropped}, generator).to(like));
    w_out.index_copy_(0, on, redrawn(dense.down, {dropped, d}, generator).to(like));
  }
  return {0, E, h, dropped};
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
        throw Error("upcycling: " + item.key() + " is " + shape_text(item.value()) + " in the dense model but " +
                    shape_text(*slot) + " in the MoE model");
      }
      slot->copy_(item.value().detach());
    }
  };
  copy_all(dense.named_parameters(true), target);
  copy_all(dense.named_buffers(true), target_buffers);

  torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(options.seed);
  std::vector<UpcycleLayer> layers;
  for (size_t b = 0; b < dense.blocks->size(); ++b) {
    const auto* from = (*dense.blocks)[b]->as<MoEBlock>();
    auto* to = (*moe.blocks)[b]->as<MoEBlock>();
    auto layer = upcycle_layer(*from->ffn, *to->moe, options, generator);
    layer.layer = static_cast<int64_t>(b);
    layers.push_back(layer);
  }
  return layers;
}

}  // namespace moescope
