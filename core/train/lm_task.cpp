#include <algorithm>
#include <sstream>

#include "data/text_corpus.h"
#include "base/error.h"
#include "train/parameters.h"
#include "train/task.h"

namespace moescope {
namespace {

namespace F = torch::nn::functional;

// Documents joined by the "\n%\n" separator of the fortune files, with a language per byte.
struct ByteStream {
  std::vector<uint8_t> bytes;
  std::vector<uint8_t> language;
};

ByteStream join(const std::vector<Document>& docs) {
  ByteStream s;
  for (const auto& doc : docs) {
    const std::string text = doc.text + "%\n";
    s.bytes.insert(s.bytes.end(), text.begin(), text.end());
    s.language.insert(s.language.end(), text.size(), static_cast<uint8_t>(doc.language));
  }
  return s;
}

// The training documents in data.train_languages (all when it is empty).
std::vector<Document> training_documents(const TextCorpus& corpus, const DataConfig& data) {
  if (data.train_languages.empty()) return corpus.train;
  std::vector<bool> wanted(corpus.languages.size(), false);
  for (const auto& name : data.train_languages) {
    const auto it = std::find(corpus.languages.begin(), corpus.languages.end(), name);
    if (it == corpus.languages.end()) {
      std::string known;
      for (const auto& l : corpus.languages) known += (known.empty() ? "" : ", ") + l;
      throw Error("invalid configuration: data.train_languages names '" + name + "', not a language of " +
                  data.fortunes_dir + " (" + known + ")");
    }
    wanted[static_cast<size_t>(it - corpus.languages.begin())] = true;
  }
  std::vector<Document> docs;
  for (const auto& doc : corpus.train) {
    if (wanted[static_cast<size_t>(doc.language)]) docs.push_back(doc);
  }
  return docs;
}

class LmTask final : public Task {
 public:
  LmTask(const RunConfig& config, torch::Device device) : config_(config), device_(device) {
    const auto corpus = load_fortunes(config.data.fortunes_dir, config.data.validation_share,
                                      static_cast<uint64_t>(config.train.seed));
    languages_ = corpus.languages;
    const auto train_docs = training_documents(corpus, config.data);
    train_ = join(train_docs);
    validation_ = join(corpus.validation);
    const auto context = config.model.context;
    if (static_cast<int64_t>(train_.bytes.size()) <= context + 2) {
      throw Error(config.data.fortunes_dir + ": the training text is shorter than one context");
    }
    if (static_cast<int64_t>(validation_.bytes.size()) <= context + 1) {
      throw Error(config.data.fortunes_dir + ": the validation split is shorter than one context");
    }
    rng_.seed(static_cast<uint64_t>(config.train.seed));
    const auto& m = config.model;
    model_ = TransformerLM(TransformerLMOptions()
                               .context(m.context)
                               .d_model(m.d_model)
                               .heads(m.heads)
                               .layers(m.layers)
                               .moe(m)
                               .router(config.router));
    model_->to(device_);
    const std::string ffn =
        m.dense() ? "dense SwiGLU FFN of hidden " + std::to_string(m.expert_hidden)
                  : m.experts_text() + " top-" + std::to_string(m.top_k) + " (" +
                        name_of(config.router.kind) + " router)";
    summary_ = std::string("byte-level ") + (m.dense() ? "dense" : "MoE") + " transformer: " +
               std::to_string(m.layers) + " layers, d=" + std::to_string(m.d_model) + ", " + ffn +
               ", context " + std::to_string(m.context) + "; " +
               std::to_string(train_docs.size()) + " train / " +
               std::to_string(corpus.validation.size()) + " validation fortunes (" +
               std::to_string(train_.bytes.size()) + " bytes; languages";
    for (const auto& l : languages_) summary_ += " " + l;
    if (!config.data.train_languages.empty()) {
      summary_ += "; training on";
      for (const auto& l : config.data.train_languages) summary_ += " " + l;
      summary_ += " only";
    }
    summary_ += ")";
  }

  std::shared_ptr<torch::nn::Module> module() override { return model_.ptr(); }
  std::vector<MoELayer> moe_layers() const override { return model_->moe_layers(); }
  std::vector<torch::Tensor> embeddings() const override { return model_->embeddings(); }

  Batch next_batch() override {
    const int64_t B = config_.train.batch_size, S = config_.model.context;
    std::uniform_int_distribution<int64_t> start(0, int64_t(train_.bytes.size()) - S - 2);
    std::vector<int64_t> starts(B);
    for (auto& s : starts) s = start(rng_);
    return windows(train_, starts);
  }

  ModelOutput forward(const torch::Tensor& input) override { return model_->forward(input); }

  torch::Tensor loss(const ModelOutput& out, const torch::Tensor& target) override {
    return F::cross_entropy(out.logits.reshape({-1, out.logits.size(-1)}).to(torch::kFloat32),
                            target.reshape(-1));
  }

  EvalResult evaluate() override {
    torch::NoGradGuard no_grad;
    model_->eval();
    const int64_t B = config_.train.batch_size, S = config_.model.context;
    const int64_t windows_total = config_.train.eval_batches * B;
    const int64_t span = int64_t(validation_.bytes.size()) - S - 2;
    double loss_sum = 0.0, correct = 0.0, count = 0.0;
    DomainLoss by_language(int64_t(languages_.size()));
    for (int64_t b = 0; b < config_.train.eval_batches; ++b) {
      std::vector<int64_t> starts(B);
      for (int64_t i = 0; i < B; ++i) starts[i] = (b * B + i) * span / windows_total;
      auto batch = windows(validation_, starts);
      auto out = model_->forward(batch.input);
      auto logits = out.logits.reshape({-1, out.logits.size(-1)}).to(torch::kFloat32);
      auto target = batch.target.reshape(-1);
      auto token_loss = F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().reduction(torch::kNone));
      loss_sum += token_loss.sum().item<double>();
      by_language.add(token_loss, batch.domain);
      correct += logits.argmax(1).eq(target).sum().item<double>();
      count += double(target.numel());
    }
    model_->train();
    EvalResult r;
    r.loss = loss_sum / count;
    r.accuracy = correct / count;
    r.domain_loss = by_language.means();
    r.samples = windows_total;
    return r;
  }

  std::string summary() const override { return summary_; }
  torch::Tensor probe_input() const override {
    return windows(validation_, {0}).input;  // the first held-out fortune(s)
  }
  std::string probe_text() const override {
    return std::string(validation_.bytes.begin(), validation_.bytes.begin() + config_.model.context);
  }
  int64_t active_parameters() const override {  // NOLINT
    return count_active_parameters(*model_, model_->moe_layers());
  }
  TokenDomains domains() const override {  // every byte is text, of its fortune's language
    return {{"text"}, languages_, std::vector<int64_t>(languages_.size(), 0)};
  }

 private:
  Batch windows(const ByteStream& stream, const std::vector<int64_t>& starts) const {
    const int64_t B = int64_t(starts.size()), S = config_.model.context;
    auto input = torch::empty({B, S}, torch::kInt64);
    auto target = torch::empty({B, S}, torch::kInt64);
    auto domain = torch::empty({B * S}, torch::kInt64);
    auto* in = input.data_ptr<int64_t>();
    auto* tg = target.data_ptr<int64_t>();
    auto* dm = domain.data_ptr<int64_t>();
    for (int64_t b = 0; b < B; ++b) {
      const uint8_t* src = stream.bytes.data() + starts[b];
      const uint8_t* language = stream.language.data() + starts[b];
      for (int64_t s = 0; s < S; ++s) {
        in[b * S + s] = src[s];
        tg[b * S + s] = src[s + 1];
        dm[b * S + s] = language[s];
      }
    }
    return {input.to(device_), target.to(device_), B * S, domain.to(device_)};
  }

  RunConfig config_;
  torch::Device device_;
  std::vector<std::string> languages_;
  ByteStream train_, validation_;
  TransformerLM model_{nullptr};
  std::string summary_;
};

}  // namespace

std::unique_ptr<Task> make_lm_task(const RunConfig& config, torch::Device device) {
  return std::make_unique<LmTask>(config, device);
}

}  // namespace moescope
