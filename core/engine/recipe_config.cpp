#include "engine/recipe_config.h"

#include "hf/hf_config.h"

#include "base/error.h"
#include "engine/session.h"
#include "model/transformer_lm.h"
#include "train/task.h"
#include "train/checkpoint.h"

namespace moescope {

RunConfig dense_lm_config(const std::string& path, const std::string& recipe, const std::string& device,
                          int64_t threads) {
  RunConfig config = checkpoint_config(path);
  if (!device.empty()) config.device = device;
  if (threads >= 0) config.threads = threads;
  if (config.model.task != "lm") {
    throw Error(path + ": " + recipe + " works on language models (lm presets); this checkpoint is a " +
                config.model.task + " model");
  }
  if (!config.model.dense()) {
    throw Error(path + ": " + recipe + " needs a dense checkpoint (model.ffn = \"dense\"); this one is already an MoE model (" +
                config.model.experts_text() + ")");
  }
  return config;
}

RunConfig moe_config_of(const RunConfig& dense, int64_t experts, int64_t top_k) {
  RunConfig config = dense;
  auto& m = config.model;
  m.ffn = "moe";
  m.experts = experts;
  m.top_k = top_k;
  m.expert_granularity = 1;
  m.shared_experts = m.zero_experts = m.copy_experts = m.constant_experts = 0;
  m.layer_experts.clear();
  m.layer_logit_map.clear();
  m.layer_expert_modality.clear();
  return config;
}

TransformerLMImpl& language_model(Session& session, const std::string& what) {
  auto* model = dynamic_cast<TransformerLMImpl*>(session.task().module().get());
  if (model == nullptr) {
    throw Error(what + " works on language models (lm presets); this is a " + session.config().model.task + " model");
  }
  return *model;
}

RunConfig hf_run_config(const std::string& model_dir, const std::vector<std::string>& texts) {
  const auto hf = read_hf_config(model_dir);
  RunConfig c = preset_config("lm-fortunes");
  c.preset = "custom";
  c.model = hf.model;
  c.router = hf.router;
  c.data.hf_model = model_dir;
  c.data.text_files = texts;
  c.train.lr = 1e-5;
  c.train.warmup_steps = 0;
  c.train.balance_coef = 0.0;
  c.train.z_loss_coef = 0.0;
  return c;
}

}  // namespace moescope
