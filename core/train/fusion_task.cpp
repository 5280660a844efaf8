// fusion-fmnist: Fashion-MNIST images followed by captions of their labels in four languages;
// the model predicts the caption bytes, and classifies by scoring the ten labels' captions
// (docs/fusion.md).
#include <algorithm>

#include "base/error.h"
#include "data/captions.h"
#include "data/fashion_mnist.h"
#include "model/fusion_transformer.h"
#include "train/parameters.h"
#include "train/task.h"

namespace moescope {
namespace {

namespace F = torch::nn::functional;

constexpr int64_t kIgnore = kCaptionPadding;
constexpr char kEnd = '\n';        // ends every caption, so its likelihood is complete

class FusionTask final : public Task {
 public:
  FusionTask(const RunConfig& config, torch::Device device)
      : config_(config), device_(device), caption_(longest_caption() + 1) {
    auto data = load_fashion_mnist(config.data.fashion_mnist_dir);
    train_ = std::move(data.train);
    test_ = std::move(data.test);
    pixels_ = PixelStats::of(train_.images);
    sampler_ = EpochSampler(train_.labels.size(0), config.train.seed);
    rng_.seed(static_cast<uint64_t>(config.train.seed));
    const auto& m = config.model;
    model_ = FusionTransformer(FusionTransformerOptions()
                                   .caption(caption_)
                                   .d_model(m.d_model)
                                   .heads(m.heads)
                                   .layers(m.layers)
                                   .moe(m)
                                   .router(config.router));
    model_->to(device_);
    const std::string ffn =
        m.dense() ? "dense SwiGLU FFN of hidden " + std::to_string(m.expert_hidden) +
                        (m.layout == "mot" ? " per modality" : "")
                  : m.experts_text() + " top-" + std::to_string(m.top_k) + " (" + name_of(config.router.kind) +
                        " router)";
    summary_ = "early-fusion " + std::string(m.dense() ? "dense" : "MoE") + " transformer, layout " + m.layout +
               ": " + std::to_string(m.layers) + " layers, d=" + std::to_string(m.d_model) + ", " + ffn +
               "; 49 image patches + " + std::to_string(caption_) +
               " caption bytes (en, de, es, it); Fashion-MNIST " + std::to_string(train_.labels.size(0)) +
               " train / " + std::to_string(test_.labels.size(0)) + " test images";
  }

  std::shared_ptr<torch::nn::Module> module() override { return model_.ptr(); }
  std::vector<MoELayer> moe_layers() const override { return model_->moe_layers(); }
  std::vector<torch::Tensor> embeddings() const override { return model_->embeddings(); }

  // Epochs over a permutation of (seed, epoch); each example's language and template drawn
  // from the task's random state, so a resumed run sees the same batches.
  Batch next_batch() override {
    const auto size = static_cast<size_t>(config_.train.batch_size);
    std::vector<int64_t> picked(size), languages(size), forms(size);
    std::uniform_int_distribution<int64_t> language(0, kCaptionLanguages - 1), form(0, kCaptionTemplates - 1);
    for (size_t i = 0; i < size; ++i) {
      picked[i] = sampler_.next();
      languages[i] = language(rng_);
      forms[i] = form(rng_);
    }
    return examples(train_, picked, languages, forms);
  }

  ModelOutput forward(const torch::Tensor& input) override { return model_->forward(input); }

  torch::Tensor loss(const ModelOutput& out, const torch::Tensor& target) override {
    return F::cross_entropy(out.logits.reshape({-1, 256}).to(torch::kFloat32), target.reshape(-1),
                            F::CrossEntropyFuncOptions().ignore_index(kIgnore));
  }

  // Caption loss (nats per caption byte) on eval_batches x batch_size test examples, the
  // languages and templates in turn; accuracy of the generative classifier on the first
  // caption_eval_images test images.
  EvalResult evaluate() override {
    torch::NoGradGuard no_grad;
    model_->eval();
    const int64_t B = config_.train.batch_size, total = config_.train.eval_batches * B;
    const int64_t n = test_.labels.size(0);
    double loss_sum = 0.0, count = 0.0;
    DomainLoss by_language(int64_t(domains().size()));
    for (int64_t start = 0; start < total; start += B) {
      std::vector<int64_t> picked, languages, forms;
      for (int64_t i = start; i < std::min(total, start + B); ++i) {
        picked.push_back(i % n);
        languages.push_back(i % kCaptionLanguages);
        forms.push_back((i / kCaptionLanguages) % kCaptionTemplates);
      }
      auto batch = examples(test_, picked, languages, forms);
      auto logits = model_->forward(batch.input).logits.reshape({-1, 256}).to(torch::kFloat32);
      auto target = batch.target.reshape(-1);
      auto token_loss = F::cross_entropy(logits, target,
                                         F::CrossEntropyFuncOptions().ignore_index(kIgnore).reduction(torch::kNone));
      loss_sum += token_loss.sum().item<double>();
      count += target.ne(kIgnore).sum().item<double>();
      auto language = torch::tensor(languages, torch::kInt64).to(device_).unsqueeze(1).expand({-1, caption_});
      by_language.add(token_loss, torch::where(batch.target.eq(kIgnore), torch::full_like(language, -1), language));
    }
    EvalResult r;
    r.loss = loss_sum / std::max(count, 1.0);
    r.domain_loss = by_language.means();
    const int64_t images = std::min(config_.data.caption_eval_images, n);
    r.accuracy = double(classify(test_.images.narrow(0, 0, images)).eq(test_.labels.narrow(0, 0, images).to(device_))
                            .sum().item<int64_t>()) / double(images);
    r.samples = images;
    model_->train();
    return r;
  }

  // The label each image's most likely caption names, among the ten captions of the first
  // English template ("a photo of ..."): [N] int64 on the task's device.
  torch::Tensor classify(const torch::Tensor& images) {
    torch::NoGradGuard no_grad;
    const int64_t N = images.size(0), chunk = 50;
    std::vector<torch::Tensor> predictions;
    for (int64_t start = 0; start < N; start += chunk) {
      const int64_t len = std::min(chunk, N - start);
      std::vector<int64_t> labels;
      for (int64_t i = 0; i < len; ++i)
        for (int64_t l = 0; l < kCaptionClasses; ++l) labels.push_back(l);
      auto input = encode(images.narrow(0, start, len).repeat_interleave(kCaptionClasses, 0), labels,
                          std::vector<int64_t>(labels.size(), 0), std::vector<int64_t>(labels.size(), 0));
      auto likelihood = caption_log_likelihood(model_->forward(input.input).logits, input.target);
      predictions.push_back(likelihood.view({len, kCaptionClasses}).argmax(1));
    }
    return torch::cat(predictions);
  }

  std::string sampler_state() const override { return sampler_.state(Task::sampler_state()); }
  void set_sampler_state(const std::string& state) override { Task::set_sampler_state(sampler_.restore(state)); }

  std::string summary() const override { return summary_; }
  // The first test image with its label's caption of the first English template.
  torch::Tensor probe_input() const override {
    return examples(test_, {0}, {0}, {0}).input;
  }
  std::string probe_text() const override {
    auto text = caption(test_.labels[0].item<int64_t>(), 0, 0) + kEnd;
    text.resize(size_t(caption_ - 1), ' ');
    return text;
  }
  std::vector<uint8_t> probe_image() const override { return grey_levels(test_.images[0]); }
  int64_t probe_tokens() const override { return kImagePatches + caption_ - 1; }
  int64_t active_parameters() const override {  // NOLINT
    return count_active_parameters(*model_, model_->moe_layers()) - model_->modality_copy_parameters();
  }
  TokenDomains domains() const override {
    TokenDomains d;
    d.modalities = {"image", "text"};
    d.domains = caption_languages();
    d.modality_of.assign(d.domains.size(), kTextModality);
    for (const auto& name : fashion_mnist_classes()) {
      d.domains.push_back(name);
      d.modality_of.push_back(kImageModality);
    }
    return d;
  }

 private:
  // Inputs, targets and token domains of images [N, 1, 28, 28] with the captions of
  // (label, language, template): text after the caption (and its end byte) is padding, a
  // space in the input, ignored in the targets and uncounted in the statistics.
  Batch encode(const torch::Tensor& images, const std::vector<int64_t>& labels,
               const std::vector<int64_t>& languages, const std::vector<int64_t>& forms) const {
    const int64_t N = images.size(0), n = caption_ - 1, S = kImagePatches + n;
    auto text = torch::full({N, n}, double(' '), torch::kFloat32);
    auto target = torch::full({N, caption_}, kIgnore, torch::kInt64);
    auto domain = torch::full({N, S}, int64_t{-1}, torch::kInt64);
    auto* in = text.data_ptr<float>();
    auto* tg = target.data_ptr<int64_t>();
    auto* dm = domain.data_ptr<int64_t>();
    for (int64_t i = 0; i < N; ++i) {
      const auto c = caption(labels[size_t(i)], languages[size_t(i)], forms[size_t(i)]) + kEnd;
      const int64_t len = int64_t(c.size());
      for (int64_t j = 0; j < len; ++j) tg[i * caption_ + j] = static_cast<unsigned char>(c[size_t(j)]);
      for (int64_t j = 0; j < std::min(len, n); ++j) {
        in[i * n + j] = static_cast<unsigned char>(c[size_t(j)]);
        dm[i * S + kImagePatches + j] = languages[size_t(i)];
      }
      for (int64_t p = 0; p < kImagePatches; ++p) dm[i * S + p] = kCaptionLanguages + labels[size_t(i)];
    }
    auto input = torch::cat({normalise(images).reshape({N, kImagePixels}), text}, 1);
    return {input.to(device_), target.to(device_), N * S, domain.reshape(-1).to(device_)};
  }

  Batch examples(const ImageSplit& split, const std::vector<int64_t>& picked,
                 const std::vector<int64_t>& languages, const std::vector<int64_t>& forms) const {
    auto index = torch::tensor(picked, torch::kInt64);
    auto labels = split.labels.index_select(0, index);
    std::vector<int64_t> label_ids(labels.data_ptr<int64_t>(), labels.data_ptr<int64_t>() + labels.numel());
    return encode(split.images.index_select(0, index), label_ids, languages, forms);
  }

  torch::Tensor normalise(const torch::Tensor& images) const { return pixels_.normalise(images); }

  RunConfig config_;
  torch::Device device_;
  int64_t caption_;  // caption bytes predicted per example, the end byte included
  ImageSplit train_, test_;
  PixelStats pixels_;
  EpochSampler sampler_{1, 0};
  FusionTransformer model_{nullptr};
  std::string summary_;
};

}  // namespace

torch::Tensor caption_log_likelihood(const torch::Tensor& logits, const torch::Tensor& target) {
  auto logp = torch::log_softmax(logits.to(torch::kFloat32), -1);
  auto valid = target.ne(kCaptionPadding);
  auto picked = logp.gather(2, target.clamp_min(0).unsqueeze(2)).squeeze(2);
  return torch::where(valid, picked, torch::zeros_like(picked)).sum(1);
}

std::unique_ptr<Task> make_fusion_task(const RunConfig& config, torch::Device device) {
  return std::make_unique<FusionTask>(config, device);
}

}  // namespace moescope
