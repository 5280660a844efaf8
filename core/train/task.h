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
  // [tokens] int64, in the order the MoE layers see them: each token's domain (an index into
  // Task::domains().domains; -1 for a token no statistic counts, such as caption padding).
  torch::Tensor domain;
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
  // The probe's tokens: [1, S] bytes give S, an image its 49 patches.
  virtual int64_t probe_tokens() const;
  virtual int64_t active_parameters() const = 0;
  // The modalities and domains its tokens carry (Batch::domain).
  virtual TokenDomains domains() const = 0;
  // The probe image's grey levels (RunInfo::probe_image), or empty.
  virtual std::vector<uint8_t> probe_image() const { return {}; }
  // The probe's tokens as text, one string each, for a model whose tokens are not bytes
  // (RunInfo::probe_token_texts); empty otherwise.
  virtual std::vector<std::string> probe_token_texts() const { return {}; }
  // All of the task's text in batches, its files' windows spread evenly (moescope-cli inspect);
  // empty for a task without such text.
  virtual std::vector<Batch> text_batches() const { return {}; }

  // The sampler's random state, saved in checkpoints so a resumed run sees the same batches.
  virtual std::string sampler_state() const;
  virtual void set_sampler_state(const std::string& state);

 protected:
  std::mt19937_64 rng_;
};

// Epochs over a permutation of `examples` drawn from (seed, epoch), so a resumed run that
// restores the count drawn sees the same order (the image tasks' samplers).
class EpochSampler {
 public:
  EpochSampler(int64_t examples, int64_t seed) : examples_(examples), seed_(seed) {}
  int64_t next();
  // The count drawn, a space, then `rest` (the task's random state), as checkpoints hold it;
  // restore reads the count back and returns the rest.
  std::string state(const std::string& rest) const;
  std::string restore(const std::string& state);

 private:
  int64_t examples_, seed_;
  int64_t drawn_ = 0;
  int64_t epoch_ = -1;
  std::vector<int64_t> permutation_;
};

// Sums a held-out split's per-token losses by domain: EvalResult::domain_loss.
class DomainLoss {
 public:
  explicit DomainLoss(int64_t domains);
  // token_loss and domain: the same number of elements; a domain of -1 is skipped.
  void add(const torch::Tensor& token_loss, const torch::Tensor& domain);
  std::vector<double> means() const;  // NaN for a domain with no token

 private:
  torch::Tensor sum_, count_;  // [domains + 1] float64 on the CPU; the last gathers the -1s
};

// Loads the data of config (throws moescope::Error if it is missing) and builds the model.
std::unique_ptr<Task> make_task(const RunConfig& config, torch::Device device);

std::unique_ptr<Task> make_lm_task(const RunConfig& config, torch::Device device);
// The lm task on a Hugging Face model folder and text files (data.hf_model).
std::unique_ptr<Task> make_hf_task(const RunConfig& config, torch::Device device);
std::unique_ptr<Task> make_vision_task(const RunConfig& config, torch::Device device);
std::unique_ptr<Task> make_fusion_task(const RunConfig& config, torch::Device device);

// Fusion captions: the target of a position past a caption's end (ignored by the loss).
inline constexpr int64_t kCaptionPadding = -100;
// Each row's log-likelihood of its targets under logits [N, C, vocab], padding skipped: [N].
// The generative classifier picks, per image, the label whose caption scores highest.
torch::Tensor caption_log_likelihood(const torch::Tensor& logits, const torch::Tensor& target);

}  // namespace moescope
