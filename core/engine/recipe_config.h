// The configs the merging recipes (upcycle, Branch-Train-MiX) start from and build.
#pragma once

#include <cstdint>
#include <string>

#include "train/config.h"

namespace moescope {
class Session;
struct TransformerLMImpl;
}  // namespace moescope

namespace moescope {

// The config of a dense language-model checkpoint, with the device and thread count asked
// for ("" and -1 keep the checkpoint's). Throws moescope::Error naming the file and `recipe`
// ("upcycling") when it is not a language model or not dense.
RunConfig dense_lm_config(const std::string& path, const std::string& recipe, const std::string& device,
                          int64_t threads);

// `dense` with its FFNs made an MoE layer of `experts` routed FFN experts of the dense
// hidden size, top-k: no shared, fine-grained or zero-computation experts, no per-layer shape.
RunConfig moe_config_of(const RunConfig& dense, int64_t experts, int64_t top_k);

// The session's model as a language model. Throws moescope::Error "<what> works on language
// models (lm presets); this is a <task> model" when it is not one.
TransformerLMImpl& language_model(Session& session, const std::string& what);

// The run config of a Hugging Face model folder and text files (data.hf_model): the folder's
// model and router (config.json), lm-fortunes' training defaults with a fine-tuning learning
// rate (1e-5) and no balance or z-loss (docs/hf-models.md says how to carry the family's
// router_aux_loss_coef over). Throws moescope::Error naming the folder's config.json.
RunConfig hf_run_config(const std::string& model_dir, const std::vector<std::string>& texts);

}  // namespace moescope
