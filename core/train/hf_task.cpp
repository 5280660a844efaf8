// The lm task on a Hugging Face model folder (data.hf_model): the folder's model and
// tokenizer, the text files as domains. Training samples windows of each file's first
// (1 - validation_share) tokens; evaluation and inspection read the rest, or all of it.
#include <algorithm>
#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "data/tokenizer.h"
#include "hf/hf_model.h"
#include "train/parameters.h"
#include "train/task.h"

namespace moescope {
namespace {

namespace F = torch::nn::functional;

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read the text (" + ec.message() + ")");
  if (size > (uint64_t(1) << 32)) throw Error(path + ": the text is larger than 4 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot open the text");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

class HfTextTask final : public Task {
 public:
  HfTextTask(const RunConfig& config, torch::Device device) : config_(config), device_(device) {
    const auto& d = config.data;
    namespace fs = std::filesystem;
    const auto folder_config = read_hf_config(d.hf_model);
    const auto& m = config.model;
    // A model as the folder has it loads the folder's weights; a changed one (a pruned or
    // merged checkpoint being resumed) is built from the config, its weights to come.
    if (m.layer_experts.empty() && m.layer_logit_map.empty()) {
      if (folder_config.model.d_model != m.d_model || folder_config.model.layers != m.layers ||
          folder_config.model.experts != m.experts || folder_config.model.architecture != m.architecture) {
        throw Error(d.hf_model + ": the folder's model (" + folder_config.architecture + ", d=" +
                    std::to_string(folder_config.model.d_model) + ") is not the one this run's config describes");
      }
      HfLoadOptions options;
      options.device = device;
      model_ = load_hf_model(d.hf_model, options).model;
      model_->train();
    } else {
      model_ = TransformerLM(TransformerLMOptions().vocab(m.vocab).context(m.context).d_model(m.d_model).heads(m.heads)
                                 .layers(m.layers).moe(m).router(config.router));
      model_->to(device);
    }
    const auto tokenizer_path = (fs::path(d.hf_model) / "tokenizer.json").string();
    tokenizer_ = std::make_shared<Tokenizer>(Tokenizer::from_file(tokenizer_path));
    const int64_t S = d.sequence_tokens;
    int64_t total = 0;
    for (const auto& file : d.text_files) {
      auto ids = tokenizer_->encode(read_text_file(file));
      if (d.text_tokens > 0 && int64_t(ids.size()) > d.text_tokens + 1) ids.resize(size_t(d.text_tokens + 1));
      for (const auto id : ids) {
        if (id < 0 || id >= m.vocab) {
          throw Error(tokenizer_path + ": token id " + std::to_string(id) + " (from " + file + ") is outside the model's vocabulary of " +
                      std::to_string(m.vocab));
        }
      }
      if (int64_t(ids.size()) < S + 1) {
        throw Error(file + ": " + std::to_string(ids.size()) + " tokens, fewer than one window of " + std::to_string(S + 1) +
                    " (lower data.sequence_tokens or give more text)");
      }
      total += int64_t(ids.size());
      auto name = fs::path(file).stem().string();  // the log lists domains comma-separated
      std::replace(name.begin(), name.end(), ',', '_');
      domains_.push_back(name);
      text_.push_back(std::move(ids));
    }
    // Held-out: each file's last validation_share, at least one window; training the rest.
    for (const auto& ids : text_) {
      const int64_t n = int64_t(ids.size());
      const int64_t held = std::min(n, std::max<int64_t>(S + 1, int64_t(double(n) * d.validation_share)));
      split_.push_back(std::max<int64_t>(0, n - held));
    }
    rng_.seed(static_cast<uint64_t>(config.train.seed));
    summary_ = "Hugging Face " + folder_config.architecture + " from " + d.hf_model + ": " + std::to_string(m.layers) +
               " layers, d=" + std::to_string(m.d_model) + ", " + m.experts_text() + " top-" + std::to_string(m.top_k) +
               ", vocabulary " + std::to_string(m.vocab) + "; " + std::to_string(text_.size()) + " text files, " +
               std::to_string(total) + " tokens";
  }

  std::shared_ptr<torch::nn::Module> module() override { return model_.ptr(); }
  std::vector<MoELayer> moe_layers() const override { return model_->moe_layers(); }
  std::vector<torch::Tensor> embeddings() const override { return model_->embeddings(); }

  Batch next_batch() override {
    const int64_t B = config_.train.batch_size, S = config_.data.sequence_tokens;
    std::vector<std::pair<int64_t, int64_t>> starts;
    // Files in proportion to their training tokens.
    std::vector<double> weights;
    for (size_t f = 0; f < text_.size(); ++f) weights.push_back(double(std::max<int64_t>(0, split_[f] - S - 1)));
    const bool any = std::any_of(weights.begin(), weights.end(), [](double w) { return w > 0; });
    if (!any) throw Error("the text files hold no training window of " + std::to_string(S + 1) + " tokens before their held-out part");
    std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
    for (int64_t b = 0; b < B; ++b) {
      const size_t f = pick(rng_);
      std::uniform_int_distribution<int64_t> at(0, split_[f] - S - 1);
      starts.emplace_back(int64_t(f), at(rng_));
    }
    return windows(starts);
  }

  ModelOutput forward(const torch::Tensor& input) override { return model_->forward(input); }

  torch::Tensor loss(const ModelOutput& out, const torch::Tensor& target) override {
    return F::cross_entropy(out.logits.reshape({-1, out.logits.size(-1)}).to(torch::kFloat32), target.reshape(-1));
  }

  // Every window of every file from `from` on (the held-out part, or all of it).
  std::vector<std::pair<int64_t, int64_t>> tiling(bool held_out_only) const {
    const int64_t S = config_.data.sequence_tokens;
    std::vector<std::pair<int64_t, int64_t>> starts;
    for (size_t f = 0; f < text_.size(); ++f) {
      const int64_t n = int64_t(text_[f].size());
      for (int64_t at = held_out_only ? split_[f] : 0; at + S + 1 <= n; at += S) starts.emplace_back(int64_t(f), at);
    }
    return starts;
  }

  EvalResult evaluate() override { return score(tiling(true), config_.train.eval_batches); }

  std::vector<Batch> text_batches() const override {
    // The files' windows spread evenly over the batches (window i of a file of n at (i + 0.5)
    // / n), so every batch and its routing snapshot hold each file in proportion to its size.
    auto starts = tiling(false);
    std::vector<int64_t> per_file(text_.size(), 0);
    for (const auto& s : starts) ++per_file[size_t(s.first)];
    std::vector<std::pair<double, size_t>> order;
    std::vector<int64_t> seen(text_.size(), 0);
    for (size_t i = 0; i < starts.size(); ++i) {
      const auto f = size_t(starts[i].first);
      order.emplace_back((double(seen[f]++) + 0.5) / double(per_file[f]), i);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<int64_t, int64_t>> spread;
    for (const auto& [key, i] : order) spread.push_back(starts[i]);
    starts = std::move(spread);
    std::vector<Batch> out;
    const int64_t B = config_.train.batch_size;
    for (size_t i = 0; i < starts.size(); i += size_t(B)) {
      out.push_back(windows({starts.begin() + long(i), starts.begin() + long(std::min(starts.size(), i + size_t(B)))}));
    }
    return out;
  }

  std::string summary() const override { return summary_; }
  torch::Tensor probe_input() const override { return windows({{0, 0}}).input; }
  std::vector<std::string> probe_token_texts() const override {
    std::vector<std::string> out;
    for (int64_t s = 0; s < config_.data.sequence_tokens; ++s) out.push_back(tokenizer_->token_text(text_[0][size_t(s)]));
    return out;
  }
  int64_t active_parameters() const override { return count_active_parameters(*model_, model_->moe_layers()); }
  TokenDomains domains() const override { return {{"text"}, domains_, std::vector<int64_t>(domains_.size(), 0)}; }

 private:
  EvalResult score(const std::vector<std::pair<int64_t, int64_t>>& starts, int64_t max_batches) {
    torch::NoGradGuard no_grad;
    model_->eval();
    const int64_t B = config_.train.batch_size;
    double loss_sum = 0.0, correct = 0.0, count = 0.0;
    DomainLoss by_file(int64_t(domains_.size()));
    int64_t batches = 0;
    for (size_t i = 0; i < starts.size() && batches < max_batches; i += size_t(B), ++batches) {
      auto batch = windows({starts.begin() + long(i), starts.begin() + long(std::min(starts.size(), i + size_t(B)))});
      auto out = model_->forward(batch.input);
      auto logits = out.logits.reshape({-1, out.logits.size(-1)}).to(torch::kFloat32);
      auto target = batch.target.reshape(-1);
      auto token_loss = F::cross_entropy(logits, target, F::CrossEntropyFuncOptions().reduction(torch::kNone));
      loss_sum += token_loss.sum().item<double>();
      by_file.add(token_loss, batch.domain);
      correct += logits.argmax(1).eq(target).sum().item<double>();
      count += double(target.numel());
    }
    model_->train();
    EvalResult r;
    r.loss = count > 0 ? loss_sum / count : std::numeric_limits<double>::quiet_NaN();
    r.accuracy = count > 0 ? correct / count : 0.0;
    r.domain_loss = by_file.means();
    r.samples = batches * B;
    return r;
  }

  Batch windows(const std::vector<std::pair<int64_t, int64_t>>& starts) const {
    const int64_t B = int64_t(starts.size()), S = config_.data.sequence_tokens;
    auto input = torch::empty({B, S}, torch::kInt64);
    auto target = torch::empty({B, S}, torch::kInt64);
    auto domain = torch::empty({B * S}, torch::kInt64);
    auto* in = input.data_ptr<int64_t>();
    auto* tg = target.data_ptr<int64_t>();
    auto* dm = domain.data_ptr<int64_t>();
    for (int64_t b = 0; b < B; ++b) {
      const auto& [f, at] = starts[size_t(b)];
      const int64_t* src = text_[size_t(f)].data() + at;
      for (int64_t s = 0; s < S; ++s) {
        in[b * S + s] = src[s];
        tg[b * S + s] = src[s + 1];
        dm[b * S + s] = f;
      }
    }
    return {input.to(device_), target.to(device_), B * S, domain.to(device_)};
  }

  RunConfig config_;
  torch::Device device_;
  TransformerLM model_{nullptr};
  std::shared_ptr<Tokenizer> tokenizer_;
  std::vector<std::string> domains_;
  std::vector<std::vector<int64_t>> text_;
  std::vector<int64_t> split_;
  std::string summary_;
};

}  // namespace

std::unique_ptr<Task> make_hf_task(const RunConfig& config, torch::Device device) {
  return std::make_unique<HfTextTask>(config, device);
}

}  // namespace moescope
