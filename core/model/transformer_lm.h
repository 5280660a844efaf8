// Decoder-only transformer whose feed-forward blocks are MoE layers, or dense SwiGLU FFNs
// (model.ffn = "dense": the dense reference). Two decoders (model.architecture): MoE Scope's
// byte-level one (LayerNorm, learned positions, tied embeddings), and the one of the Hugging
// Face MoE families (RMSNorm, rotary grouped-query attention, an output head of its own,
// dense blocks where the config lists them; model/rotary_attention.h, docs/hf-models.md).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model/dense_ffn.h"
#include "model/moe_layer.h"
#include "model/rotary_attention.h"

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
  // block: this block's index; moe_index: its index among the blocks with experts (the row
  // of the model config's per-layer lists, and the hash seed).
  MoEBlockImpl(const TransformerLMOptions& options, double output_init_scale, int64_t block,
               int64_t moe_index);
  void reset() override;
  // x: [B, S, d], tokens [B, S] -> [B, S, d]; adds this block's router losses to losses.
  // angles: the rotary angles (rotary_angles) for the families' decoder, else undefined.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& tokens,
                        RouterLosses& losses, const torch::Tensor& angles = {});

  TransformerLMOptions options;
  double output_init_scale;
  int64_t block, moe_index;
  Norm norm1{nullptr}, norm2{nullptr};
  CausalSelfAttention attention{nullptr};  // the moescope decoder's
  RotaryAttention rotary{nullptr};         // the families' (registered as "attention")
  MoELayer moe{nullptr};  // one of these two
  DenseFFN ffn{nullptr};
};
TORCH_MODULE(MoEBlock);

// Cloneable down to every block and router: clone() (or clone_model) gives an independent
// copy, e.g. for a surgery preview while the original keeps training.
struct TransformerLMImpl : torch::nn::Cloneable<TransformerLMImpl> {
  explicit TransformerLMImpl(const TransformerLMOptions& options);
  void reset() override;
  // tokens: [B, S] int64 ids (bytes for the moescope decoder) -> logits [B, S, vocab]
  ModelOutput forward(const torch::Tensor& tokens);
  std::vector<MoELayer> moe_layers() const;  // empty for a dense model
  // Matrices that are lookup tables, not maps: trained without weight decay, like the
  // vectors (norms, biases).
  std::vector<torch::Tensor> embeddings() const;

  TransformerLMOptions options;
  torch::nn::Embedding token_embedding{nullptr};
  torch::nn::Embedding position_embedding{nullptr};  // the moescope decoder's
  torch::nn::ModuleList blocks{nullptr};
  Norm final_norm{nullptr};
  // The families' output head [vocab, d] unless model.tie_embeddings; undefined otherwise
  // (the token embedding is the head).
  torch::Tensor lm_head;
};
TORCH_MODULE(TransformerLM);

}  // namespace moescope
