// Byte-level decoder-only transformer whose feed-forward blocks are MoE layers, or dense
// SwiGLU FFNs (model.ffn = "dense": the dense reference).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/dense_ffn.h"
#include "model/moe_layer.h"

namespace moescope {

struct TransformerLMOptions {
  TORCH_ARG(int64_t, vocab) = 256;
  TORCH_ARG(int64_t, context) = 128;
  TORCH_ARG(int64_t, d_model) = 128;
  TORCH_ARG(int64_t, heads) = 4;
  TORCH_ARG(int64_t, layers) = 4;
  // Experts (count, top_k, hidden, shared, fine-grained, zero-computation) and router, or
  // moe.ffn = "dense" for one SwiGLU of hidden moe.expert_hidden per block.
  TORCH_ARG(ModelConfig, moe) = ModelConfig();
  TORCH_ARG(RouterConfig, router) = RouterConfig();
};

struct ModelOutput {
  torch::Tensor logits;      // [B, S, vocab] or [B, classes]
  torch::Tensor aux_loss;    // mean over MoE layers
  torch::Tensor z_loss;      // mean over MoE layers
  torch::Tensor extra_loss;  // weighted sequence-level balance loss, mean over MoE layers
};

// Sums the router losses of the MoE layers a forward goes through.
struct RouterLosses {
  torch::Tensor aux, z, extra;
  int64_t layers = 0;
  void add(const MoEOutput& out);
  void finish(ModelOutput& model_output) const;  // means over layers
};

struct CausalSelfAttentionImpl : torch::nn::Cloneable<CausalSelfAttentionImpl> {
  CausalSelfAttentionImpl(int64_t d_model, int64_t heads, double output_init_scale);
  void reset() override;
  // x: [B, S, d] -> [B, S, d]
  torch::Tensor forward(const torch::Tensor& x);

  int64_t d_model;
  int64_t heads;
  double output_init_scale;
  torch::nn::Linear qkv{nullptr}, proj{nullptr};
};
TORCH_MODULE(CausalSelfAttention);

struct MoEBlockImpl : torch::nn::Cloneable<MoEBlockImpl> {
  MoEBlockImpl(const TransformerLMOptions& options, double output_init_scale, uint64_t seed);
  void reset() override;
  // x: [B, S, d], tokens [B, S] -> [B, S, d]; adds this block's router losses to losses
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& tokens,
                        RouterLosses& losses);

  TransformerLMOptions options;
  double output_init_scale;
  uint64_t seed;
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  CausalSelfAttention attention{nullptr};
  MoELayer moe{nullptr};  // one of these two
  DenseFFN ffn{nullptr};
};
TORCH_MODULE(MoEBlock);

// Cloneable down to every block and router: clone() (or clone_model) gives an independent
// copy, e.g. for a surgery preview while the original keeps training.
struct TransformerLMImpl : torch::nn::Cloneable<TransformerLMImpl> {
  explicit TransformerLMImpl(const TransformerLMOptions& options);
  void reset() override;
  // tokens: [B, S] int64 bytes -> logits [B, S, vocab]
  ModelOutput forward(const torch::Tensor& tokens);
  std::vector<MoELayer> moe_layers() const;  // empty for a dense model
  // Matrices that are lookup tables, not maps: trained without weight decay, like the
  // vectors (norms, biases).
  std::vector<torch::Tensor> embeddings() const;

  TransformerLMOptions options;
  torch::nn::Embedding token_embedding{nullptr}, position_embedding{nullptr};
  torch::nn::ModuleList blocks{nullptr};
  torch::nn::LayerNorm final_norm{nullptr};
};
TORCH_MODULE(TransformerLM);

}  // namespace moescope
