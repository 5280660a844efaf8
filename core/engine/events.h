// Plain value structs that the engine publishes to observers (views, the HDF5 logger, the CLI).
// No tensors and no Qt here: they cross threads by copy, and the replay reader rebuilds the
// very same structs from a log, so a view cannot tell a live run from a replayed one.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace moescope {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Static facts about a run, published once before the first step.
struct RunInfo {
  std::string preset;         // "lm-fortunes", "vision-fmnist", or "custom"
  std::string task;           // "lm" or "classification"
  std::string config_json;    // the full resolved configuration
  std::string model_summary;  // human-readable one-liner
  std::string device;         // "cpu" or "cuda:0 (NVIDIA H100 ...)"
  std::string start_time;     // ISO 8601, UTC
  int64_t layers = 0;         // MoE layers
  int64_t experts = 0;        // experts per MoE layer
  int64_t top_k = 0;
  int64_t total_steps = 0;
  int64_t parameters = 0;         // all trainable parameters
  int64_t active_parameters = 0;  // parameters one token touches
};

// One optimizer step.
struct StepMetrics {
  int64_t step = 0;    // 1-based count of finished steps
  int64_t tokens = 0;  // tokens (bytes, or image patches) seen so far
  double loss = kNaN;  // task loss (cross-entropy), without auxiliary terms
  double aux_loss = kNaN;  // load-balancing loss, mean over MoE layers (1.0 = balanced)
  double z_loss = kNaN;    // router z-loss, mean over MoE layers
  double lr = kNaN;
  double grad_norm = kNaN;
  double ms = kNaN;  // wall time of this step
  double tokens_per_s = kNaN;
};

// Per-layer routing state of one step. Matrices are row-major [layers][experts].
struct RoutingSnapshot {
  int64_t step = 0;
  int64_t layers = 0;
  int64_t experts = 0;
  std::vector<float> load;        // share of routed assignments per expert; each row sums to 1
  std::vector<float> importance;  // mean gate probability per expert; each row sums to 1
  std::vector<float> entropy;     // mean gate entropy per layer, in nats
  std::vector<float> dropped;     // share of assignments dropped per layer (0 for dropless)

  float load_at(int64_t layer, int64_t expert) const { return load[layer * experts + expert]; }
};

struct EvalResult {
  int64_t step = 0;
  double loss = kNaN;      // mean cross-entropy on the held-out split, nats
  double accuracy = kNaN;  // top-1 accuracy: class (classification) or next byte (LM)
  int64_t samples = 0;     // held-out sequences or images evaluated
};

enum class RunState { Loading, Running, Paused, Finished, Stopped, Failed };

const char* to_string(RunState state);

struct SessionState {
  RunState state = RunState::Loading;
  int64_t step = 0;
  int64_t total_steps = 0;
  std::string message;  // why it changed (failure reason, "paused: loss is NaN", ...)
};

}  // namespace moescope
