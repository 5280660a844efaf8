// Branch-Train-MiX (Sukhbaatar et al., 2024): dense branches of one seed model, each trained
// on its own domain, are mixed into one MoE model. Block by block, branch e's FFN becomes
// expert e of the block's MoE layer; everything else (embeddings, attention, norms) is the
// average of the branches. The router starts random, or from each branch's mean hidden state
// on its own domain (router_tokens), so each domain's text first goes to its own branch.
//
// With branches that are all the same model and a router whose chosen gates sum to 1 and that
// drops no token, the mixed model computes exactly that model's function.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "model/transformer_lm.h"

namespace moescope {

struct BtxMixOptions {
  // Entry e, [N, S] int64: branch e's own-domain example tokens. The router row of expert e
  // in each block is initialised from branch e's mean FFN input on them (centred, as in
  // set_router_rows_from_means). Empty: the router keeps its random init.
  std::vector<torch::Tensor> router_tokens;
  uint64_t seed = 0;  // of the router rows' 1% noise
};

// Mixes the dense `branches` (one per FFN expert of `moe`, same config with model.ffn =
// "dense") into `moe`. Throws moescope::Error, naming the tensor or block, when they do not
// fit: a branch that is not dense, another expert count or shape, a missing parameter.
void btx_mix(const std::vector<const TransformerLMImpl*>& branches, TransformerLMImpl& moe,
             const BtxMixOptions& options);

}  // namespace moescope
