// Everything that defines a run. Presets fill it; a JSON file overrides any field; the CLI
// and the GUI override a few. validate() rejects values that cannot work, naming the field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/options.h"

namespace moescope {

struct TrainConfig {
  int64_t steps = 1000;
  int64_t batch_size = 32;
  double lr = 2e-3;           // peak learning rate
  int64_t warmup_steps = 50;
  double min_lr_ratio = 0.1;  // cosine decays to lr * min_lr_ratio
  double weight_decay = 0.1;
  double grad_clip = 1.0;
  double balance_coef = 0.01;  // load-balancing auxiliary loss
  double z_loss_coef = 1e-3;   // router z-loss
  int64_t eval_every = 50;
  int64_t eval_batches = 8;
  int64_t snapshot_every = 5;  // routing snapshot period in steps
  int64_t seed = 1234;
  // What trains: "all" parameters, or "experts": the MoE layers' experts and routers only,
  // everything else frozen (fine-tuning an opened model after surgery, docs/hf-models.md).
  std::string trainable = "all";
};

struct DataConfig {
  std::string fortunes_dir = "/usr/share/games/fortunes";
  std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
  double validation_share = 0.05;
  bool augment = true;  // horizontal flips (classification)
  // fusion: test images the generative classifier scores at each evaluation (the first ones;
  // 10 000 is the whole test set)
  int64_t caption_eval_images = 1000;
  // lm: train on the fortunes of these languages only ("en", "de", "es", "it"; empty: all).
  // The held-out split keeps every language, so the per-language losses stay comparable
  // (a Branch-Train-MiX branch trains on one language).
  std::vector<std::string> train_languages;
  // A Hugging Face model folder (config.json, safetensors, tokenizer.json; docs/hf-models.md):
  // the lm task then trains or inspects that model on text_files, each file a domain,
  // tokenised by the folder's tokenizer, in windows of sequence_tokens tokens; at most
  // text_tokens tokens of each file (0: all of it).
  std::string hf_model;
  std::vector<std::string> text_files;
  int64_t sequence_tokens = 128;
  int64_t text_tokens = 0;
};

struct RunConfig {
  std::string preset = "custom";
  ModelConfig model;
  RouterConfig router;
  TrainConfig train;
  DataConfig data;
  std::string device = "auto";  // auto | cpu | cuda | cuda:N
  // auto: bf16 autocast on CUDA, float32 on the CPU; fp32; bf16 (autocast on any device).
  std::string precision = "auto";
  int64_t threads = 0;          // 0 = every core LibTorch sees
};

std::vector<std::string> preset_names();
// Throws moescope::Error listing the known presets.
RunConfig preset_config(const std::string& name);

// Applies the fields present in json onto config. `where` names the source in errors
// ("run.json"). Unknown keys and wrong types are errors.
void apply_json(RunConfig& config, const nlohmann::json& json, const std::string& where);
// Reads a JSON config file: {"preset": "...", "model": {...}, "train": {...}, ...}.
RunConfig load_config_file(const std::string& path);

void validate(const RunConfig& config);  // throws moescope::Error

nlohmann::json to_json(const RunConfig& config);
std::string to_json_string(const RunConfig& config);  // pretty, 2 spaces

}  // namespace moescope
