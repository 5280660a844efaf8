// Image classifier: a small convolutional stem turns a 28x28 image into 7x7 patch tokens,
// MoE blocks mix them, and a mean-pooled head classifies. (An MLP-MoE on raw pixels
// plateaus near 88% on Fashion-MNIST; the stem is what lets the experts see shapes.)
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/moe_layer.h"
#include "model/transformer_lm.h"

namespace moescope {

struct VisionMoEOptions {
  TORCH_ARG(int64_t, classes) = 10;
  TORCH_ARG(int64_t, stem_channels) = 32;
  TORCH_ARG(int64_t, d_model) = 64;
  TORCH_ARG(int64_t, layers) = 2;
  TORCH_ARG(ModelConfig, moe) = ModelConfig();  // experts, top_k, hidden, ...
  TORCH_ARG(RouterConfig, router) = RouterConfig();
};

struct VisionMoEImpl : torch::nn::Cloneable<VisionMoEImpl> {
  explicit VisionMoEImpl(const VisionMoEOptions& options);
  void reset() override;
  // images: [B, 1, 28, 28] float in [0, 1] -> logits [B, classes]
  ModelOutput forward(const torch::Tensor& images);
  std::vector<MoELayer> moe_layers() const;
  // Matrices trained without weight decay: the patch position table.
  std::vector<torch::Tensor> embeddings() const { return {position}; }

  static constexpr int64_t kPatches = 49;  // 7 x 7 tokens after two 2x poolings

  VisionMoEOptions options;
  torch::nn::Sequential stem{nullptr};
  torch::Tensor position;  // [49, d]
  torch::nn::ModuleList norms{nullptr};
  std::vector<MoELayer> moes;
  torch::nn::LayerNorm head_norm{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(VisionMoE);

}  // namespace moescope
