// The options that build a model: the experts and the router. Plain values shared by every
// layer (the model builds from them, the config reads and writes them, checkpoints compare
// them), so they sit at the bottom, below the model and the training code.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "base/router_kinds.h"

namespace moescope {

struct ModelConfig {
  // "lm" (byte-level transformer), "classification" (vision) or "fusion" (image + caption,
  // one early-fusion transformer; docs/fusion.md)
  std::string task = "lm";
  int64_t d_model = 128;
  int64_t layers = 4;       // transformer blocks (lm) or MoE layers (classification)
  // Each block's feed-forward: "moe" (the experts below) or "dense" (lm only: one SwiGLU FFN
  // of hidden expert_hidden, no router; the dense reference and the start of upcycling).
  std::string ffn = "moe";
  int64_t heads = 4;        // attention heads (lm)
  int64_t context = 128;    // bytes per sequence (lm)
  int64_t stem_channels = 32;  // convolutional stem width (classification)
  int64_t experts = 8;
  int64_t top_k = 2;
  int64_t expert_hidden = 256;
  int64_t shared_experts = 0;      // experts every token visits (DeepSeekMoE)
  int64_t expert_granularity = 1;  // fine-grained: m*experts experts of hidden/m, top m*k
  int64_t zero_experts = 0;        // MoE++ zero-computation experts: output 0
  int64_t copy_experts = 0;        //   output = input
  int64_t constant_experts = 0;    //   output = a learned vector
  // Grouped GEMM kernel of the experts: auto (grouped_mm on CUDA, segments on the CPU),
  // segments (a GEMM per expert segment) or grouped_mm (at::_grouped_mm).
  std::string expert_kernel = "auto";
  // FFN experts of each MoE layer once surgery (pruning) has changed them; empty: every
  // layer has ffn_experts(). Checkpoints of a pruned model carry it in their config.
  std::vector<int64_t> layer_experts;
  // Router logit -> expert of each MoE layer once experts have been merged (MC-SMoE keeps
  // one logit per original expert); empty, or an empty row: logit i is expert i.
  std::vector<std::vector<int64_t>> layer_logit_map;
  // Fusion models after surgery: the modality each routed expert of each MoE layer serves
  // (MoELayerOptions::expert_modality, -1 for a cross-modal expert); empty: the layout's
  // split of ffn_experts(). Pruning and merging stay within the groups, so each row keeps
  // every group the layout has.
  std::vector<std::vector<int64_t>> layer_expert_modality;
  // Fusion models: how the experts meet the modalities (docs/fusion.md). shared: one pool
  // and one router for every token; moma: an image group and a text group of experts, each
  // token routed within its modality's group; moiie: those groups plus a cross-modal group
  // of cross_modal_experts every token may also pick; mot: moma's groups plus attention
  // projections and norms of each modality's own (Mixture-of-Transformers).
  std::string layout = "shared";
  int64_t cross_modal_experts = 2;

  // The decoder of a language model (docs/hf-models.md): "moescope", this project's byte-level
  // transformer (LayerNorm, learned positions, one qkv projection, tied embeddings), or the
  // decoder of a Hugging Face MoE family: "mixtral", "olmoe", "qwen2_moe" or "qwen3_moe"
  // (RMSNorm, rotary positions, grouped-query attention, an output head of its own). The
  // fields from vocab on apply to the families only; a model opened from a Hugging Face
  // folder carries its config.json's values in them.
  std::string architecture = "moescope";
  int64_t vocab = 256;             // token ids (bytes for the moescope decoder)
  int64_t kv_heads = 0;            // key/value heads of grouped-query attention; 0: heads
  int64_t head_dim = 0;            // 0: d_model / heads
  double rope_theta = 10000.0;     // rotary base
  double norm_eps = 1e-5;          // RMSNorm epsilon
  bool qkv_bias = false;           // biases on q, k, v (Qwen2-MoE)
  // RMSNorm of queries and keys: "none", "projection" (over the whole q / k projection,
  // OLMoE) or "head" (per head, Qwen3-MoE)
  std::string qk_norm = "none";
  double clip_qkv = 0.0;           // q, k, v clamped to [-clip, clip] (OLMoE); 0: off
  int64_t sliding_window = 0;      // attention window in tokens; 0: the whole context
  bool tie_embeddings = false;     // the output head is the token embedding
  // Blocks (0-based) whose feed-forward is one dense SwiGLU of dense_hidden instead of experts
  // (Qwen's mlp_only_layers and decoder_sparse_step)
  std::vector<int64_t> dense_layers;
  int64_t dense_hidden = 0;
  // Hidden size of the shared experts, together; 0: shared_experts * expert_hidden. With
  // shared_expert_gate their output is scaled by sigmoid(x . w) (Qwen2-MoE).
  int64_t shared_expert_hidden = 0;
  bool shared_expert_gate = false;

  // FFN experts after the fine-grained split, then the zero-computation ones: every column a
  // router chooses from.
  int64_t ffn_experts() const { return experts * expert_granularity; }
  int64_t routed_experts() const {
    return ffn_experts() + zero_experts + copy_experts + constant_experts;
  }
  int64_t routed_top_k() const { return top_k * expert_granularity; }
  // "8 experts", or after pruning "6/6/4/6 experts (pruned from 8)".
  std::string experts_text() const {
    if (layer_experts.empty()) return std::to_string(ffn_experts()) + " experts";
    std::string text;
    for (auto n : layer_experts) text += (text.empty() ? "" : "/") + std::to_string(n);
    return text + " experts (" + (layer_logit_map.empty() ? "pruned" : "merged") + " from " +
           std::to_string(ffn_experts()) + ")";
  }
  int64_t layer_ffn_experts(int64_t layer) const {
    return layer_experts.empty() ? ffn_experts() : layer_experts.at(size_t(layer));
  }
  std::vector<int64_t> logit_map(int64_t layer) const {
    return layer_logit_map.empty() ? std::vector<int64_t>{} : layer_logit_map.at(size_t(layer));
  }
  bool dense() const { return ffn == "dense"; }
  bool moescope_decoder() const { return architecture == "moescope"; }
  bool dense_block(int64_t block) const {
    return dense() || std::find(dense_layers.begin(), dense_layers.end(), block) != dense_layers.end();
  }
  // Blocks with experts: the length of layer_experts and of the per-layer maps.
  int64_t moe_layers() const {
    if (dense()) return 0;
    int64_t n = 0;
    for (int64_t b = 0; b < layers; ++b) n += dense_block(b) ? 0 : 1;
    return n;
  }
};

// How tokens are assigned to experts; docs/routers.md describes each option.
struct RouterConfig {
  RouterKind kind = RouterKind::TopK;             // base/router_kinds.h lists them
  ScoreFunction score = ScoreFunction::Softmax;
  bool normalize_gates = true;    // the chosen gates sum to 1 (top-k, then softmax)
  double temperature = 1.0;       // logits are divided by it; changeable live
  double jitter = 0.0;            // multiplicative input noise U(1-j, 1+j) while training
  double gumbel = 0.0;            // scale of Gumbel noise on the selection while training
  int64_t groups = 1;             // group-limited routing: experts in `groups` groups ...
  int64_t group_top_k = 0;        // ... of which the best `group_top_k` are eligible (0 = all)
  double capacity_factor = 0.0;   // slots per expert = ceil(cf * T * k / E); 0 = dropless
  DropPolicy drop_policy = DropPolicy::Score;  // over capacity, which assignments go
  double top_p = 0.6;             // top_p: smallest set of experts whose probability reaches p
  int64_t max_k = 4;              // top_p: at most this many experts per token
  int64_t d2s_steps = 0;          // dense_to_sparse: steps to anneal to top-k (0 = a quarter)
  double d2s_start_temperature = 2.0;
  bool bias_balancing = false;    // aux-loss-free: per-expert selection bias (DeepSeek-V3)
  double bias_rate = 1e-3;        // bias step per update, by the sign of the load error
  double seq_aux_coef = 0.0;      // sequence-level balance loss coefficient
  bool sinkhorn = false;          // select on Sinkhorn-balanced scores
  int64_t sinkhorn_iters = 3;
  bool bias = false;              // a learned bias on the router logits
  double init_skew = 0.0;         // initial logit bias of the first top_k experts (needs bias)
  double init_std = 0.02;         // router weight initialisation
};

// The router settings that may change while a run goes on (live commands from the window or
// the CLI). RouterConfig holds their initial values; a built router keeps its own copy
// (RouterImpl::runtime()), which checkpoints save and a resumed run restores. Everything
// else in RouterConfig is fixed once the router is built.
struct RouterRuntime {
  double temperature = 1.0;
  double capacity_factor = 0.0;
  bool bias_balancing = false;
  double bias_rate = 1e-3;
  // Dynamic expert skipping at inference (NAEE): a token's selected expert whose gate is
  // below skip_beta x the token's top gate is not run (its gate is not given to the others).
  // 0 = off; never applied while training.
  double skip_beta = 0.0;

  bool operator==(const RouterRuntime& o) const {
    return temperature == o.temperature && capacity_factor == o.capacity_factor &&
           bias_balancing == o.bias_balancing && bias_rate == o.bias_rate &&
           skip_beta == o.skip_beta;
  }
  bool operator!=(const RouterRuntime& o) const { return !(*this == o); }
};

inline RouterRuntime initial_runtime(const RouterConfig& r) {
  return {r.temperature, r.capacity_factor, r.bias_balancing, r.bias_rate, 0.0};
}

}  // namespace moescope
