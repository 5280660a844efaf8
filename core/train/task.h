// A task pairs a model with its data: it samples training batches, computes the task loss
// and evaluates on the held-out split. The session drives any task the same way.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "base/events.h"
#include "model/moe_layer.h"
#include "model/transformer_lm.h"
#include "train/config.h"

namespace moescope {

struct Batch {
  torch::Tensor input;
  torch::Tensor target;
  int64_t tokens = 0;  // tokens routed through each MoE layer
};

class Task {
 public:
  virtual ~Task() = default;
  virtual std::shared_ptr<torch::nn::Module> module() = 0;
  virtual std::vector<MoELayer> moe_layers() const = 0;
  // The model's lookup tables (embeddings, position tables): no weight decay on them.
  virtual std::vector<torch::Tensor> embeddings() const = 0;
  virtual Batch next_batch() = 0;
  virtual ModelOutput forward(const torch::Tensor& input) = 0;
  virtual torch::Tensor loss(const ModelOutput& output, const torch::Tensor& target) = 0;
  virtual EvalResult evaluate() = 0;
  virtual std::string summary() const = 0;
  // A fixed held-out sample whose tokens are followed through the layers (trajectories):
  // its model input ([1, S] bytes, or [1, 1, 28, 28] image) and, for text, its bytes.
  virtual torch::Tensor probe_input() const = 0;
  virtual std::string probe_text() const { return {}; }
  virtual int64_t active_parameters() const = 0;

  // The sampler's random state, saved in checkpoints so a resumed run sees the same batches.
  virtual std::string sampler_state() const;
  virtual void set_sampler_state(const std::string& state);

 protected:
  std::mt19937_64 rng_;
};

// Loads the data of config (throws moescope::Error if it is missing) and builds the model.
std::unique_ptr<Task> make_task(const RunConfig& config, torch::Device device);

std::unique_ptr<Task> make_lm_task(const RunConfig& config, torch::Device device);
std::unique_ptr<Task> make_vision_task(const RunConfig& config, torch::Device device);

}  // namespace moescope
