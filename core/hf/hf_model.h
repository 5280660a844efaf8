// Opens a Hugging Face MoE checkpoint folder (config.json and safetensors, one file or
// shards) as a TransformerLM with the family's decoder, so every view, statistic and surgery
// of MoE Scope works on it. Both expert layouts found in the wild are read: one tensor per
// expert (experts.E.w1/w2/w3 for Mixtral, experts.E.gate_proj/up_proj/down_proj for the
// others, as save_pretrained and the Hub store them) and the fused experts.gate_up_proj
// [E, 2I, H] / experts.down_proj [E, H, I] of transformers 5.
#pragma once

#include <torch/torch.h>

#include <string>

#include "hf/hf_config.h"
#include "model/transformer_lm.h"

namespace moescope {

struct HfLoadOptions {
  torch::Device device = torch::kCPU;
  torch::Dtype dtype = torch::kFloat32;  // float32 or bfloat16
};

struct HfModel {
  HfConfig config;
  TransformerLM model{nullptr};
  std::string layout;  // "per-expert" or "fused": how the folder stored the experts
  int64_t shards = 0;
};

// Reads DIR's config and weights. Throws moescope::Error naming the file and tensor for a
// missing, misshapen or unexpected tensor (a tensor the family does not have), and for any
// bad config or safetensors file; nothing is half-built then.
HfModel load_hf_model(const std::string& dir, const HfLoadOptions& options = {});

}  // namespace moescope
