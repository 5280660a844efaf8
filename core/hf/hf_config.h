// A Hugging Face model folder's config.json, read into MoE Scope's model and router options.
// Four MoE families are known: Mixtral (MixtralForCausalLM), OLMoE (OlmoeForCausalLM),
// Qwen2-MoE (Qwen2MoeForCausalLM) and Qwen3-MoE (Qwen3MoeForCausalLM); docs/hf-models.md
// lists what each brings and what is refused (another architecture, rope scaling, a sliding
// window that only some layers use, activations other than SiLU).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/options.h"

namespace moescope {

struct HfFamily {
  const char* model_type;    // config.json's model_type, and ModelConfig::architecture
  const char* architecture;  // config.json's architectures[0]
};
const std::vector<HfFamily>& hf_families();
// "MixtralForCausalLM, OlmoeForCausalLM, ..." for messages.
std::string hf_family_list();

struct HfConfig {
  std::string path;          // the config.json read
  std::string architecture;  // e.g. MixtralForCausalLM
  ModelConfig model;         // architecture = the family's model_type; task "lm"
  RouterConfig router;       // softmax top-k, renormalised as the family says
  int64_t bos_token_id = -1, eos_token_id = -1;  // -1 when absent
  double router_aux_loss_coef = 0.0;
  std::string dtype;         // the dtype the weights were saved in ("float32", "bfloat16", ...)
};

// Reads DIR/config.json. Throws moescope::Error naming the file and the key for a file that
// is missing, not JSON, of another architecture (with the supported ones listed), or that
// holds a value of the wrong type or out of range.
HfConfig read_hf_config(const std::string& dir);

}  // namespace moescope
