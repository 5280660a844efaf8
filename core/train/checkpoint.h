// Checkpoints: model, optimizer, random state and step in one LibTorch archive, written to a
// temporary file beside the target and renamed, so a crash never leaves half a checkpoint.
#pragma once

#include <torch/torch.h>

#include <string>

namespace moescope {

struct CheckpointMeta {
  int64_t step = 0;
  int64_t tokens = 0;
  double peak_lr = 0.0;
  double balance_coef = 0.0;
  std::string config_json;    // the run's configuration
  std::string sampler_state;  // the task's batch sampler
};

void save_checkpoint(const std::string& path, torch::nn::Module& model,
                     torch::optim::Optimizer& optimizer, const CheckpointMeta& meta);

// Restores model and optimizer in place. Throws moescope::Error naming the file when it is
// missing, corrupt, or holds a model of another shape.
CheckpointMeta load_checkpoint(const std::string& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer);

}  // namespace moescope
