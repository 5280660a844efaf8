// Early-fusion image + text transformer (fusion-fmnist; docs/fusion.md): a 28 x 28 image cut
// into 49 patches of 4 x 4 pixels (a linear patch embedding), then the bytes of a caption, in
// one causal sequence; the model predicts the caption bytes. How its experts meet the two
// modalities is the config's layout (ModelConfig::layout): one shared pool, modality groups
// (MoMa), modality groups plus a cross-modal group (MoIIE), or modality groups with each
// modality's own attention projections and norms (Mixture-of-Transformers), or the dense
// reference (model.ffn = "dense").
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/dense_ffn.h"
#include "model/moe_layer.h"
#include "model/transformer_lm.h"

namespace moescope {

inline constexpr int64_t kImageModality = 0, kTextModality = 1;
inline constexpr int64_t kImagePatches = 49, kPatchPixels = 16, kImagePixels = 784;

// The modality each routed expert serves under `m.layout` (MoELayerOptions::expert_modality):
// empty for shared; the first half image, the second text for moma and mot; for moiie the
// two groups, then cross_modal_experts of every modality (-1). After surgery, layer `layer`'s
// row of m.layer_expert_modality.
std::vector<int64_t> fusion_expert_modality(const ModelConfig& m, int64_t layer = 0);

struct FusionTransformerOptions {
  TORCH_ARG(int64_t, caption) = 40;  // caption bytes predicted per example
  TORCH_ARG(int64_t, d_model) = 128;
  TORCH_ARG(int64_t, heads) = 4;
  TORCH_ARG(int64_t, layers) = 4;
  TORCH_ARG(ModelConfig, moe) = ModelConfig();  // experts, layout, ffn
  TORCH_ARG(RouterConfig, router) = RouterConfig();
};

// One block: attention over the whole sequence, then the feed-forward (an MoE layer, grouped
// by modality or not, or a dense FFN). With mot the norms, the attention's projections and
// the FFN come in two copies, one per modality; the first `image_tokens` of each sequence
// take the image copy and the rest the text copy.
struct FusionBlockImpl : torch::nn::Cloneable<FusionBlockImpl> {
  FusionBlockImpl(const FusionTransformerOptions& options, double output_init_scale, uint64_t seed);
  void reset() override;
  // x: [B, S, d] -> [B, S, d]; modality [B * S] int64; adds its router losses to losses.
  torch::Tensor forward(const torch::Tensor& x, int64_t image_tokens, const torch::Tensor& modality,
                        RouterLosses& losses);

  FusionTransformerOptions options;
  double output_init_scale;
  uint64_t seed;
  // One entry, or with mot two: [image, text].
  torch::nn::ModuleList norm1{nullptr}, norm2{nullptr}, qkv{nullptr}, proj{nullptr}, ffn{nullptr};
  MoELayer moe{nullptr};  // absent for a dense model
};
TORCH_MODULE(FusionBlock);

struct FusionTransformerImpl : torch::nn::Cloneable<FusionTransformerImpl> {
  explicit FusionTransformerImpl(const FusionTransformerOptions& options);
  void reset() override;
  // input [B, 784 + n] float: the normalised pixels, then n <= caption - 1 caption bytes
  // (0..255, as floats) -> logits [B, n + 1, 256]: position i predicts caption byte i (the
  // last image patch predicts the first byte).
  ModelOutput forward(const torch::Tensor& input);
  std::vector<MoELayer> moe_layers() const;
  std::vector<torch::Tensor> embeddings() const;
  // Parameters of the text copy of each mot block (the norms, projections and FFN an image
  // token does not touch); 0 for the other layouts.
  int64_t modality_copy_parameters() const;

  FusionTransformerOptions options;
  torch::nn::Linear patch_embedding{nullptr};
  torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::LayerNorm final_norm{nullptr};
};
TORCH_MODULE(FusionTransformer);

// [B, 1, 28, 28] -> [B, 49, 16]: the 4 x 4 patches, row by row, pixels row by row.
torch::Tensor image_patches(const torch::Tensor& images);

}  // namespace moescope
