// Sparse Upcycling (Komatsuzaki et al., 2023) and Drop-Upcycling (Nakamura et al., 2025): a
// dense transformer becomes an MoE one whose experts all start as copies of the block's
// dense FFN; every other weight (embeddings, attention, norms) is copied as it is.
//
// With drop_ratio r > 0, each expert re-initialises its own random share r of the FFN's
// hidden units (the rows of gate and up, the columns of down) from a normal distribution
// with the mean and standard deviation of that original matrix, so the experts start
// diverse while keeping 1 − r of the dense knowledge. Drop-Upcycling found r = 0.5 best.
//
// With r = 0 and a router whose chosen gates sum to 1 and that drops no token, the MoE
// block computes exactly the dense block's function at the start: Σ g_e · FFN(x) = FFN(x).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "model/dense_ffn.h"
#include "model/moe_layer.h"
#include "model/transformer_lm.h"

namespace moescope {

struct UpcycleOptions {
  double drop_ratio = 0.0;  // r in [0, 1]: share of each expert's hidden units re-initialised
  uint64_t seed = 0;        // of the re-initialised units and their values
  // Router initialisation from example tokens (mergekit-moe's "hidden" gate mode): entry e,
  // [N, S] int64, holds expert e's examples. Empty: the router keeps its random init.
  std::vector<torch::Tensor> router_tokens;
};

// What upcycling did to one MoE layer.
struct UpcycleLayer {
  int64_t layer = 0;
  int64_t experts = 0;         // FFN experts, each a copy of the dense FFN
  int64_t hidden = 0;          // hidden units per expert
  int64_t dropped_units = 0;   // re-initialised per expert: round(r · hidden)
};

// Writes `dense`'s FFN into FFN expert `expert` of `moe` (w_in[e] = [gateᵀ | upᵀ],
// w_out[e] = downᵀ). Throws moescope::Error when the shapes differ or there is no such expert.
void copy_ffn_into_expert(const DenseFFNImpl& dense, MoELayerImpl& moe, int64_t expert);

// Writes `dense`'s FFN into every FFN expert of `moe` (w_in[e] = [gateᵀ | upᵀ],
// w_out[e] = downᵀ), then re-initialises each expert's dropped units. Throws moescope::Error
// when the shapes differ (d_model, hidden) or the layer has shared experts (upcycling makes
// routed copies only). The router is left as it is.
UpcycleLayer upcycle_layer(const DenseFFNImpl& dense, MoELayerImpl& moe, const UpcycleOptions& options,
                           torch::Generator& generator);

// mergekit-moe's "hidden" gate mode, centred: runs each expert's example tokens through `moe`
// (whose upcycled experts, with no drop, compute the dense model's function, so these are the
// dense model's hidden states) and sets row e of every MoE layer's router to the mean MoE input
// over expert e's tokens, minus the mean of those means over the experts and made orthogonal
// to it (the part every text shares, which would not tell experts apart), scaled to unit
// length, plus 1% noise so that experts given the same texts do not tie. The mean input of
// expert e's texts then scores highest on row e. Needs one entry per FFN expert.
void init_routers_from_hidden(TransformerLMImpl& moe, const std::vector<torch::Tensor>& expert_tokens,
                              torch::Generator& generator);

// The rows of each MoE layer's router from means[l][e], the layer's mean input over expert
// e's examples ([d] each), centred, orthogonal to their mean, unit length, plus 1% noise, as
// init_routers_from_hidden describes. Throws moescope::Error when the counts do not match the
// layers or a layer has merged logits.
void set_router_rows_from_means(const std::vector<MoELayer>& layers, const std::vector<std::vector<torch::Tensor>>& means,
                                torch::Generator& generator);

// The whole model: copies every parameter and buffer of `dense` into the parameter of the
// same name in `moe` (embeddings, attention, norms), and upcycles every block's FFN into its
// MoE layer; with options.router_tokens, initialises the routers from them before any unit is
// dropped. `moe` is built from the same config as `dense` with model.ffn = "moe". Throws
// moescope::Error, naming the tensor, when the models do not fit together (a block that is
// not dense in `dense` or not MoE in `moe`, a parameter of another shape or missing).
std::vector<UpcycleLayer> upcycle_model(const TransformerLMImpl& dense, TransformerLMImpl& moe,
                                        const UpcycleOptions& options);

}  // namespace moescope
