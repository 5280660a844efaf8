// Checkpoints: model, optimizer, random state and step in one LibTorch archive, written to a
// temporary file beside the target, fsynced and renamed (then the folder fsynced), so a crash
// leaves the previous checkpoint or the new one, never half of one. Since format 3 each
// carries a CRC-32 of every tensor (model and optimizer) and of its metadata, checked on load.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "base/model_shape.h"
#include "train/config.h"

namespace moescope {

struct CheckpointMeta {
  int64_t step = 0;
  int64_t tokens = 0;
  double peak_lr = 0.0;
  double balance_coef = 0.0;
  std::string config_json;    // the run's configuration
  std::string sampler_state;  // the task's batch sampler
  // Each MoE layer's live router settings (empty in format-1 checkpoints: the config's).
  std::vector<RouterRuntime> routers;
  ModelShape shape;  // per-layer experts and logit maps (empty in format-1 checkpoints)
  std::string detector_state;  // the collapse detector's episodes (empty before format 3)
};

// The configuration a checkpoint was trained with (a pruned model's includes its per-layer
// expert counts, model.layer_experts). Throws moescope::Error naming the file when it is
// missing, corrupt or holds no readable configuration. `step`, when given, gets the steps the
// checkpoint had trained; `format`, its format number (3 and later carry checksums).
RunConfig checkpoint_config(const std::string& path, int64_t* step = nullptr, int64_t* format = nullptr);


void save_checkpoint(const std::string& path, torch::nn::Module& model,
                     torch::optim::Optimizer& optimizer, const CheckpointMeta& meta);

// Restores model and optimizer in place. Throws moescope::Error naming the file when it is
// missing, corrupt (a checksum that does not match names the first bad tensor; the model and
// optimizer are then left partly loaded, so a caller drops them), holds parameters or buffers
// of other shapes, or was trained with another
// model or router configuration than `config_json` (the live router settings and the expert
// kernel may differ: the first are restored, the second does not change the model).
// `shape` is the model's: a checkpoint of another shape (expert counts, logit maps) is refused.
CheckpointMeta load_checkpoint(const std::string& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer, const std::string& config_json,
                               const ModelShape& shape);

}  // namespace moescope
