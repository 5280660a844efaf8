// Everything that defines a run. Presets fill it; a JSON file overrides any field; the CLI
// and the GUI override a few. validate() rejects values that cannot work, naming the field.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/router_kinds.h"

namespace moescope {

struct ModelConfig {
  std::string task = "lm";  // "lm" (byte-level transformer) or "classification" (vision)
  int64_t d_model = 128;
  int64_t layers = 4;       // MoE layers
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

  bool operator==(const RouterRuntime& o) const {
    return temperature == o.temperature && capacity_factor == o.capacity_factor &&
           bias_balancing == o.bias_balancing && bias_rate == o.bias_rate;
  }
  bool operator!=(const RouterRuntime& o) const { return !(*this == o); }
};

inline RouterRuntime initial_runtime(const RouterConfig& r) {
  return {r.temperature, r.capacity_factor, r.bias_balancing, r.bias_rate};
}

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
};

struct DataConfig {
  std::string fortunes_dir = "/usr/share/games/fortunes";
  std::string fashion_mnist_dir = "/usr/share/datasets/fashion-mnist";
  double validation_share = 0.05;
  bool augment = true;  // horizontal flips (classification)
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
