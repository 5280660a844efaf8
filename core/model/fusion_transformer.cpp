#include "model/fusion_transformer.h"

#include <cmath>

namespace moescope {

namespace F = torch::nn::functional;
namespace nn = torch::nn;

std::vector<int64_t> fusion_expert_modality(const ModelConfig& m, int64_t layer) {
  if (m.layout == "shared" || m.dense()) return {};
  if (!m.layer_expert_modality.empty()) return m.layer_expert_modality.at(size_t(layer));
  const int64_t cross = m.layout == "moiie" ? m.cross_modal_experts : 0;
  const int64_t group = (m.ffn_experts() - cross) / 2;
  std::vector<int64_t> modality(size_t(group), kImageModality);
  modality.insert(modality.end(), size_t(group), kTextModality);
  modality.insert(modality.end(), size_t(cross), -1);
  return modality;
}

torch::Tensor image_patches(const torch::Tensor& images) {
  const auto B = images.size(0);
  return images.reshape({B, 7, 4, 7, 4}).permute({0, 1, 3, 2, 4}).reshape({B, kImagePatches, kPatchPixels});
}

namespace {

// Applies f(copy, part) to each modality's part of x [B, S, ...] (split at image_tokens) with
// that modality's copy in `copies`, or to all of x with the one copy there is.
template <class Fn>
torch::Tensor per_modality(const nn::ModuleList& copies, const torch::Tensor& x, int64_t image_tokens, Fn&& f) {
  if (copies->size() == 1) return f(copies->ptr(0), x);
  const int64_t S = x.size(1);
  std::vector<torch::Tensor> parts;
  if (image_tokens > 0) parts.push_back(f(copies->ptr(0), x.narrow(1, 0, image_tokens)));
  if (image_tokens < S) parts.push_back(f(copies->ptr(1), x.narrow(1, image_tokens, S - image_tokens)));
  return parts.size() == 1 ? parts.front() : torch::cat(parts, 1);
}

}  // namespace

FusionBlockImpl::FusionBlockImpl(const FusionTransformerOptions& o, double output_init_scale_, uint64_t seed_)
    : options(o), output_init_scale(output_init_scale_), seed(seed_) {
  reset();
}

void FusionBlockImpl::reset() {
  const auto& o = options;
  const int64_t d = o.d_model(), copies = o.moe().layout == "mot" ? 2 : 1;
  TORCH_CHECK(d % o.heads() == 0, "d_model (", d, ") must be a multiple of heads (", o.heads(), ")");
  norm1 = register_module("norm1", nn::ModuleList());
  norm2 = register_module("norm2", nn::ModuleList());
  qkv = register_module("qkv", nn::ModuleList());
  proj = register_module("proj", nn::ModuleList());
  ffn = register_module("ffn", nn::ModuleList());
  torch::NoGradGuard no_grad;
  for (int64_t i = 0; i < copies; ++i) {
    norm1->push_back(nn::LayerNorm(nn::LayerNormOptions({d})));
    norm2->push_back(nn::LayerNorm(nn::LayerNormOptions({d})));
    nn::Linear in(nn::LinearOptions(d, 3 * d).bias(false)), out(nn::LinearOptions(d, d).bias(false));
    in->weight.normal_(0.0, 0.02);
    out->weight.normal_(0.0, 0.02 * output_init_scale);
    qkv->push_back(in);
    proj->push_back(out);
    if (o.moe().dense()) ffn->push_back(DenseFFN(d, o.moe().expert_hidden, output_init_scale));
  }
  moe = nullptr;
  if (!o.moe().dense()) {
    auto layer = moe_layer_options(o.moe(), o.router(), d, output_init_scale, int64_t(seed));
    moe = register_module("moe", MoELayer(layer.expert_modality(fusion_expert_modality(o.moe(), int64_t(seed)))));
  }
}

torch::Tensor FusionBlockImpl::forward(const torch::Tensor& x, int64_t image_tokens,
                                       const torch::Tensor& modality, RouterLosses& losses) {
  const auto B = x.size(0), S = x.size(1), d = x.size(2), H = options.heads();
  auto normed = per_modality(norm1, x, image_tokens, [](const auto& m, const auto& t) {
    return m->template as<nn::LayerNorm>()->forward(t);
  });
  auto parts = per_modality(qkv, normed, image_tokens, [](const auto& m, const auto& t) {
    return m->template as<nn::Linear>()->forward(t);
  });
  parts = parts.view({B, S, 3, H, d / H}).permute({2, 0, 3, 1, 4});
  auto y = at::scaled_dot_product_attention(parts[0], parts[1], parts[2], {}, 0.0, /*is_causal=*/true)
               .transpose(1, 2)
               .reshape({B, S, d});
  auto h = x + per_modality(proj, y, image_tokens, [](const auto& m, const auto& t) {
    return m->template as<nn::Linear>()->forward(t);
  });
  auto h2 = per_modality(norm2, h, image_tokens, [](const auto& m, const auto& t) {
    return m->template as<nn::LayerNorm>()->forward(t);
  });
  if (!moe) {
    return h + per_modality(ffn, h2, image_tokens, [](const auto& m, const auto& t) {
             return m->template as<DenseFFN>()->forward(t);
           });
  }
  auto out = moe->forward(h2.reshape({-1, d}), {}, S, modality);
  losses.add(out);
  return h + out.y.view(h.sizes());
}

FusionTransformerImpl::FusionTransformerImpl(const FusionTransformerOptions& o) : options(o) { reset(); }

void FusionTransformerImpl::reset() {
  const auto& o = options;
  const int64_t d = o.d_model();
  patch_embedding = register_module("patch_embedding", nn::Linear(kPatchPixels, d));
  token_embedding = register_module("token_embedding", nn::Embedding(256, d));
  position_embedding = register_module("position_embedding", nn::Embedding(kImagePatches + o.caption() - 1, d));
  {
    torch::NoGradGuard no_grad;
    token_embedding->weight.normal_(0.0, 0.02);
    position_embedding->weight.normal_(0.0, 0.01);
  }
  blocks = register_module("blocks", nn::ModuleList());
  const double residual_scale = 1.0 / std::sqrt(2.0 * double(o.layers()));
  for (int64_t i = 0; i < o.layers(); ++i) blocks->push_back(FusionBlock(o, residual_scale, uint64_t(i)));
  final_norm = register_module("final_norm", nn::LayerNorm(nn::LayerNormOptions({d})));
}

ModelOutput FusionTransformerImpl::forward(const torch::Tensor& input) {
  TORCH_CHECK(input.dim() == 2 && input.size(1) >= kImagePixels &&
                  input.size(1) <= kImagePixels + options.caption() - 1,
              "fusion model expects [batch, 784 + at most ", options.caption() - 1, "] inputs, got ", input.sizes());
  const int64_t B = input.size(0), n = input.size(1) - kImagePixels, S = kImagePatches + n;
  const auto pixels = input.narrow(1, 0, kImagePixels).reshape({B, 1, 28, 28});
  auto image = patch_embedding->forward(image_patches(pixels));                         // [B, 49, d]
  auto text = token_embedding->forward(input.narrow(1, kImagePixels, n).to(torch::kInt64));  // [B, n, d]
  auto positions = torch::arange(S, input.options().dtype(torch::kInt64));
  auto x = torch::cat({image, text}, 1) + position_embedding->forward(positions);
  auto modality = torch::cat({torch::full({B, kImagePatches}, kImageModality, positions.options()),
                              torch::full({B, n}, kTextModality, positions.options())}, 1)
                      .reshape(-1);
  RouterLosses losses;
  for (const auto& block : *blocks) x = block->as<FusionBlock>()->forward(x, kImagePatches, modality, losses);
  x = final_norm->forward(x.narrow(1, kImagePatches - 1, n + 1));
  ModelOutput out;
  out.logits = F::linear(x, token_embedding->weight);  // tied input/output byte embedding
  losses.finish(out);
  return out;
}

std::vector<MoELayer> FusionTransformerImpl::moe_layers() const {
  std::vector<MoELayer> layers;
  for (const auto& block : *blocks) {
    if (auto moe = block->as<FusionBlock>()->moe) layers.push_back(moe);
  }
  return layers;
}

std::vector<torch::Tensor> FusionTransformerImpl::embeddings() const {
  return {token_embedding->weight, position_embedding->weight};
}

int64_t FusionTransformerImpl::modality_copy_parameters() const {
  int64_t n = 0;
  for (const auto& block : *blocks) {
    const auto& b = *block->as<FusionBlock>();
    for (const auto* list : {&b.norm1, &b.norm2, &b.qkv, &b.proj, &b.ffn}) {
      if ((*list)->size() < 2) continue;
      for (const auto& p : (*list)->ptr(1)->parameters()) n += p.numel();
    }
  }
  return n;
}

}  // namespace moescope
