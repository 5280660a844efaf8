// The attention of the Hugging Face MoE families (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE):
// separate q, k, v projections, grouped-query attention (fewer key/value heads, each shared
// by heads / kv_heads query heads), rotary positions, and optionally biases on q, k and v,
// an RMSNorm of queries and keys over the whole projection or per head, clamped q/k/v, and a
// sliding window. Written as transformers computes it, so the logits agree to float rounding.
#pragma once

#include <torch/torch.h>

#include "base/options.h"

namespace moescope {

// RMSNorm as the Hugging Face families compute it: in float32, then cast back, then scaled.
torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps);

// cos and sin of the rotary angles for positions 0..S-1: [2, S, head_dim] float32, the
// frequencies theta^(-2i/head_dim) each used for two halves of the head (rotate-half form).
torch::Tensor rotary_angles(int64_t positions, int64_t head_dim, double theta, torch::Device device);

// Layer norm or RMSNorm over the last dimension, with parameter names "weight" and "bias" (the
// bias for layer norm only), so a moescope decoder's checkpoints keep torch::nn::LayerNorm's.
struct NormImpl : torch::nn::Cloneable<NormImpl> {
  NormImpl(int64_t dim, bool rms, double eps);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x);

  int64_t dim;
  bool rms;
  double eps;
  torch::Tensor weight, bias;
};
TORCH_MODULE(Norm);

struct RotaryAttentionImpl : torch::nn::Cloneable<RotaryAttentionImpl> {
  // model: d_model, heads, kv_heads, head_dim, qkv_bias, qk_norm, clip_qkv, sliding_window,
  // norm_eps (base/options.h).
  RotaryAttentionImpl(const ModelConfig& model, double output_init_scale);
  void reset() override;
  // x: [B, S, d], angles from rotary_angles(S, ...) -> [B, S, d]
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& angles);

  int64_t heads() const { return model.heads; }
  int64_t kv_heads() const { return model.kv_heads > 0 ? model.kv_heads : model.heads; }
  int64_t head_dim() const { return model.head_dim > 0 ? model.head_dim : model.d_model / model.heads; }

  ModelConfig model;
  double output_init_scale;
  torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
  // RMSNorm weights of queries and keys: [heads * head_dim] and [kv_heads * head_dim] over
  // the projection, [head_dim] each per head; undefined without qk_norm.
  torch::Tensor q_norm, k_norm;
};
TORCH_MODULE(RotaryAttention);

}  // namespace moescope
