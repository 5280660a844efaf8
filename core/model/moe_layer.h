// Mixture-of-Experts feed-forward layer: a router and E SwiGLU experts whose weights are
// stored stacked, dispatched by sorting assignments by expert (one GEMM per contiguous
// segment). Optional shared experts see every token (DeepSeekMoE); optional zero-computation
// experts (MoE++) return zero, the input, or a learned constant.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "base/model_shape.h"
#include "model/expert_ffn.h"
#include "model/router.h"

namespace moescope {

struct MoELayerOptions {
  MoELayerOptions(int64_t d_model, int64_t hidden) : d_model_(d_model), hidden_(hidden) {}
  // FFN plus zero-computation experts: the router's choices.
  int64_t routed_experts() const {
    return experts_ + zero_experts_ + copy_experts_ + constant_experts_;
  }
  // Router logits: one per routed expert, or after a merge one per original expert.
  int64_t router_logits() const {
    return logit_to_expert_.empty() ? routed_experts() : int64_t(logit_to_expert_.size());
  }
  // The modality groups as LayerShape::expert_group: modality m is group m, the shared
  // experts the group after the last modality's. Empty without groups.
  std::vector<int64_t> expert_groups() const;
  TORCH_ARG(int64_t, d_model);
  TORCH_ARG(int64_t, hidden);  // per-expert SwiGLU hidden size
  TORCH_ARG(int64_t, experts) = 8;  // FFN experts
  TORCH_ARG(int64_t, top_k) = 2;
  TORCH_ARG(double, router_init_std) = -1.0;  // >= 0 overrides router.init_std
  // Scales the output projection's init, e.g. 1/sqrt(2 * layers) for residual stacks.
  TORCH_ARG(double, output_init_scale) = 1.0;
  TORCH_ARG(int64_t, shared_experts) = 0;
  // The shared experts' hidden size, together; 0: shared_experts * hidden. With shared_gate
  // their output is scaled by sigmoid(x . shared_gate) per token (Qwen2-MoE).
  TORCH_ARG(int64_t, shared_hidden) = 0;
  TORCH_ARG(bool, shared_gate) = false;
  TORCH_ARG(int64_t, zero_experts) = 0;
  TORCH_ARG(int64_t, copy_experts) = 0;
  TORCH_ARG(int64_t, constant_experts) = 0;
  // Router options beyond top_k; router_init_std above overrides router.init_std.
  TORCH_ARG(RouterConfig, router) = RouterConfig();
  TORCH_ARG(int64_t, vocab) = 256;   // token ids for hash routing
  TORCH_ARG(uint64_t, seed) = 0;     // fixes the hash routing table
  TORCH_ARG(ExpertKernel, expert_kernel) = ExpertKernel::automatic;
  // Router logit i -> routed expert (after a merge several logits point at one expert);
  // empty: logit i is expert i.
  TORCH_ARG(std::vector<int64_t>, logit_to_expert);
  // Modality groups (fusion models, docs/fusion.md): the modality each routed expert serves,
  // -1 for an expert of every modality (MoIIE's cross-modal group); a token is routed among
  // its modality's experts and the shared ones only. Empty: one pool for every token.
  TORCH_ARG(std::vector<int64_t>, expert_modality);
};

// Routing of the last recorded forward, detached, kept on the layer's device until a
// snapshot asks (one host sync for all layers then).
struct LayerRouting {
  torch::Tensor counts;         // [E] float: dispatched assignments per expert
  torch::Tensor importance;     // [E] mean gate probability
  torch::Tensor entropy;        // scalar: mean gate entropy, nats
  torch::Tensor dropped;        // scalar: share dropped
  torch::Tensor mean_k;         // scalar: dispatched experts per token
  torch::Tensor margin;         // scalar (NaN when undefined)
  torch::Tensor gate_hist;      // [kGateBins] share of dispatched gates per bin
  torch::Tensor top1_hist;      // [kGateBins] share of tokens' largest gate per bin
  torch::Tensor k_hist;         // [kKBins] share of tokens per number of experts
  torch::Tensor bias;           // [E] aux-loss-free selection bias
  // [domains, E] float: dispatched assignments per token domain (RoutingTags), or undefined.
  torch::Tensor domain_counts;
  int64_t tokens = 0;
};

// The domain of each token of the next recorded forward (Batch::domain), set by the trainer
// with record_routing; -1 marks a token no statistic counts.
struct RoutingTags {
  torch::Tensor domain;  // [T] int64
  int64_t domains = 0;
};

// The probe tokens' routing at this layer (trajectories, token view, expert similarity).
struct ProbeRouting {
  torch::Tensor input;    // [P, d] the layer's input
  torch::Tensor experts;  // [P, slots] int64, best first; -1 where the token has fewer
  torch::Tensor weights;  // [P, slots]
};

// The inputs a layer saw while a capture was on (surgery's calibration pass), batch by batch.
struct CapturedInputs {
  std::vector<torch::Tensor> x;          // [T, d] each, detached
  std::vector<torch::Tensor> token_ids;  // [T] each (undefined when the model passes none)
  std::vector<torch::Tensor> modality;   // [T] each (undefined for a layer without modality groups)
  int64_t sequence_length = 0;
};

struct MoEOutput {
  torch::Tensor y;           // [T, d]
  torch::Tensor aux_loss;    // scalar: batch-level balance loss (1 = balanced)
  torch::Tensor z_loss;      // scalar
  torch::Tensor extra_loss;  // scalar, already weighted: sequence-level balance loss
};

// Cloneable: reset() builds the router and the expert weights from the options; clone()
// copies them and leaves the recorded routing behind. The options are fixed after
// construction: an operation that changes the layer's shape (pruning, merging) builds a new
// layer from new options.
struct MoELayerImpl : torch::nn::Cloneable<MoELayerImpl> {
  explicit MoELayerImpl(const MoELayerOptions& options);
  void reset() override;
  // x: [T, d] -> y: [T, d]; token_ids [T] for hash routing; sequence_length for the
  // sequence-level balance loss; modality [T] int64 for a layer with modality groups (needed
  // there). Under autocast the layer does its own mixed precision: the router in float32,
  // the experts in the autocast dtype (y comes back in it).
  MoEOutput forward(const torch::Tensor& x, const torch::Tensor& token_ids = {},
                    int64_t sequence_length = 0, const torch::Tensor& modality = {});

  // Routes x and maps the router's logits onto experts: with a merged logit map the
  // assignments name experts, a token's logits of one expert are one assignment with their
  // gates summed (the expert runs once), counts and probs are per expert. The logits stay
  // per router logit.
  Routing route(const torch::Tensor& x, const torch::Tensor& token_ids = {},
                int64_t sequence_length = 0, const torch::Tensor& modality = {});
  // [T, E] bool: the experts each token of `modality` [T] may be routed to; undefined for a
  // layer without modality groups.
  torch::Tensor allowed_experts(const torch::Tensor& modality) const;
  // The same per router logit (after a merge, each logit is allowed where its expert is).
  torch::Tensor allowed_logits(const torch::Tensor& modality);
  // Sets options.logit_to_expert and logit_map (empty: the identity). Throws on an id out of range.
  void set_logit_map(const std::vector<int64_t>& map);
  // The aux-loss-free selection bias per routed expert (a merged expert: its logits' mean).
  torch::Tensor expert_bias() const;

  // Routed experts and the logit -> expert map (empty: identity, one logit per expert).
  LayerShape shape() const {
    return {options.routed_experts(), options.logit_to_expert(), options.expert_groups()};
  }
  // Output of every FFN expert on x: [experts, T, d] (expert similarity).
  torch::Tensor expert_outputs(const torch::Tensor& x);
  // Copies expert `from` (plus noise of relative size `noise`) into each of `to`, and
  // gives them the router row (and logit bias) of `from` plus noise, so they compete for
  // `from`'s tokens. FFN experts only.
  void reinit_experts(const std::vector<int64_t>& to, int64_t from, double noise);

  MoELayerOptions options;
  Router router{nullptr};
  torch::Tensor w_in;   // [E, d, 2h]: gate and up projections of SwiGLU, fused
  torch::Tensor w_out;  // [E, h, d]
  torch::Tensor shared_in;   // [1, d, 2*S*h]: the shared experts as one wide SwiGLU (S*h: shared_hidden)
  torch::Tensor shared_out;  // [1, S*h, d]
  torch::Tensor shared_gate;  // [d]: the shared experts' sigmoid gate, or undefined
  torch::Tensor constants;   // [K, d]: outputs of the constant experts
  // [router logits] int64 when options.logit_to_expert is set, moved to the input's device on
  // first use. Not a buffer: the map is part of the layer's options (and of the model config
  // and checkpoint's shape), so surgery can set and undo it without re-registering anything.
  torch::Tensor logit_map;

  bool record_routing = false;  // set by the trainer on steps that publish a snapshot
  RoutingTags routing_tags;     // set with record_routing; counted when it matches the tokens
  LayerRouting last_routing;
  bool record_probe = false;    // set while the probe tokens go through
  ProbeRouting last_probe;
  CapturedInputs* capture = nullptr;  // set by a calibration pass; not owned, not cloned
};
TORCH_MODULE(MoELayer);

// The shape of a stack of MoE layers, layer by layer.
ModelShape model_shape(const std::vector<MoELayer>& layers);

// The options of MoE layer `layer` (0-based; also its hash seed) that a model config asks
// for: fine-grained experts expanded, the layer's own expert count after pruning.
MoELayerOptions moe_layer_options(const ModelConfig& model, const RouterConfig& router,
                                  int64_t d_model, double output_init_scale, int64_t layer);

// Runs the dispatched assignments through their experts and combines the outputs weighted
// by their gates: [T, d]. Experts 0..E-1 of w_in/w_out are FFN experts; ids from E on are
// zero, then copy, then constant experts (constants: [K, d]). With FFN experts only and the
// grouped_mm kernel it never synchronises with the device.
torch::Tensor dispatch_assignments(const torch::Tensor& x, const torch::Tensor& token,
                                   const torch::Tensor& expert, const torch::Tensor& weight,
                                   const torch::Tensor& w_in, const torch::Tensor& w_out,
                                   int64_t zero_experts = 0, int64_t copy_experts = 0,
                                   const torch::Tensor& constants = {},
                                   ExpertKernel kernel = ExpertKernel::automatic);


}  // namespace moescope
