#include "data/fashion_mnist.h"
#include "base/error.h"
#include "model/vision_moe.h"
#include "train/parameters.h"
#include "train/task.h"

namespace moescope {
namespace {

namespace F = torch::nn::functional;

class VisionTask final : public Task {
 public:
  VisionTask(const RunConfig& config, torch::Device device) : config_(config), device_(device) {
    auto data = load_fashion_mnist(config.data.fashion_mnist_dir);
    train_ = std::move(data.train);
    test_ = std::move(data.test);
    pixels_ = PixelStats::of(train_.images);
    sampler_ = EpochSampler(train_.labels.size(0), config.train.seed);
    rng_.seed(static_cast<uint64_t>(config.train.seed));
    const auto& m = config.model;
    model_ = VisionMoE(VisionMoEOptions()
                           .stem_channels(m.stem_channels)
                           .d_model(m.d_model)
                           .layers(m.layers)
                           .moe(m)
                           .router(config.router));
    model_->to(device_);
    summary_ = "conv stem + MoE classifier: " + std::to_string(m.layers) + " MoE layers, d=" +
               std::to_string(m.d_model) + ", " + m.experts_text() + " top-" +
               std::to_string(m.top_k) + " (" + name_of(config.router.kind) +
               " router) over 49 patch tokens; Fashion-MNIST " +
               std::to_string(train_.labels.size(0)) + " train / " +
               std::to_string(test_.labels.size(0)) + " test images";
  }

  std::shared_ptr<torch::nn::Module> module() override { return model_.ptr(); }
  std::vector<MoELayer> moe_layers() const override { return model_->moe_layers(); }
  std::vector<torch::Tensor> embeddings() const override { return model_->embeddings(); }

  // Epochs over a permutation drawn from (seed, epoch), so a resumed run sees the same order.
  Batch next_batch() override {
    const int64_t B = config_.train.batch_size;
    std::vector<int64_t> picked(B);
    for (auto& i : picked) i = sampler_.next();
    auto index = torch::from_blob(picked.data(), {B}, torch::kInt64).clone();
    auto images = train_.images.index_select(0, index);
    if (config_.data.augment) {
      std::vector<uint8_t> flip(B);
      std::bernoulli_distribution coin(0.5);
      for (auto& f : flip) f = coin(rng_);
      auto mask = torch::from_blob(flip.data(), {B, 1, 1, 1}, torch::kUInt8).to(torch::kBool);
      images = torch::where(mask, images.flip({3}), images);
    }
    auto labels = train_.labels.index_select(0, index);
    return {normalise(images).to(device_), labels.to(device_), B * VisionMoEImpl::kPatches,
            labels.repeat_interleave(VisionMoEImpl::kPatches).to(device_)};
  }

  ModelOutput forward(const torch::Tensor& input) override { return model_->forward(input); }

  torch::Tensor loss(const ModelOutput& out, const torch::Tensor& target) override {
    return F::cross_entropy(out.logits.to(torch::kFloat32), target);
  }

  EvalResult evaluate() override {
    torch::NoGradGuard no_grad;
    model_->eval();
    const int64_t n = test_.labels.size(0), chunk = 1000;
    double loss_sum = 0.0, correct = 0.0;
    for (int64_t start = 0; start < n; start += chunk) {
      const int64_t len = std::min(chunk, n - start);
      auto images = normalise(test_.images.narrow(0, start, len)).to(device_);
      auto labels = test_.labels.narrow(0, start, len).to(device_);
      auto logits = model_->forward(images).logits.to(torch::kFloat32);
      loss_sum += F::cross_entropy(logits, labels, F::CrossEntropyFuncOptions().reduction(torch::kSum)).item<double>();
      correct += logits.argmax(1).eq(labels).sum().item<double>();
    }
    model_->train();
    EvalResult r;
    r.loss = loss_sum / double(n);
    r.accuracy = correct / double(n);
    r.samples = n;
    return r;
  }

  std::string sampler_state() const override { return sampler_.state(Task::sampler_state()); }
  void set_sampler_state(const std::string& state) override { Task::set_sampler_state(sampler_.restore(state)); }

  std::string summary() const override { return summary_; }
  torch::Tensor probe_input() const override {  // the first test image
    return normalise(test_.images.narrow(0, 0, 1)).to(device_);
  }
  int64_t active_parameters() const override {  // NOLINT
    return count_active_parameters(*model_, model_->moe_layers());
  }
  TokenDomains domains() const override {  // every patch is image, of its image's class
    return {{"image"}, fashion_mnist_classes(), std::vector<int64_t>(10, 0)};
  }
  std::vector<uint8_t> probe_image() const override { return grey_levels(test_.images[0]); }

 private:
  torch::Tensor normalise(const torch::Tensor& images) const { return pixels_.normalise(images); }

  RunConfig config_;
  torch::Device device_;
  ImageSplit train_, test_;
  PixelStats pixels_;
  EpochSampler sampler_{1, 0};
  VisionMoE model_{nullptr};
  std::string summary_;
};

}  // namespace

std::unique_ptr<Task> make_vision_task(const RunConfig& config, torch::Device device) {
  return std::make_unique<VisionTask>(config, device);
}

}  // namespace moescope
