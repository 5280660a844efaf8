// The memory a run needs, estimated from its config before anything is allocated, and the
// memory there is: a config that cannot fit is refused with both figures instead of being
// killed by the kernel (docs/reliability.md gives the measured accuracy).
#pragma once

#include <cstdint>
#include <string>

#include "train/config.h"

namespace moescope {

struct MemoryEstimate {
  int64_t parameters = 0;   // counted from the config
  double weights = 0.0;     // bytes: parameters
  double gradients = 0.0;   // the trainable parameters' gradients
  double optimizer = 0.0;   // AdamW's two moments
  double activations = 0.0; // what one training step keeps for its backward pass
  double data = 0.0;        // the task's data in memory (corpus, images)
  double runtime = 0.0;     // the process itself: LibTorch, allocator slack, buffers
  double total() const { return weights + gradients + optimizer + activations + data + runtime; }
  // "2.1 GiB (weights 410 MiB, gradients 410 MiB, AdamW 820 MiB, activations 300 MiB, ...)"
  std::string summary() const;
};

// Parameters of the model the config describes (every task and decoder), without building it.
int64_t estimate_parameters(const ModelConfig& model);

// The host memory (CPU) or device memory (CUDA) a training run of `config` needs at its peak.
MemoryEstimate estimate_memory(const RunConfig& config);

struct MemoryAvailable {
  double bytes = 0.0;
  std::string source;  // e.g. "MemAvailable 21.3 GiB" or "cgroup memory.max 8.0 GiB"
};
// CPU: the smaller of the machine's available memory (/proc/meminfo MemAvailable) and what
// the cgroup allows (memory.max less memory.current, v2; limit less usage, v1). A CUDA device
// ("cuda:N"): its free memory. bytes <= 0 when unknown.
MemoryAvailable memory_available(const std::string& device);

std::string bytes_text(double bytes);  // "1.5 GiB", "320 MiB"

// Throws moescope::Error when the estimate exceeds what is available, with both figures and
// what to do (a smaller model or batch, or --ignore-memory-estimate).
void check_memory(const RunConfig& config, const std::string& device);

}  // namespace moescope
