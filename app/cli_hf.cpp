#include "cli_hf.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/error.h"
#include "data/safetensors.h"
#include "data/tokenizer.h"
#include "engine/device.h"
#include "engine/recipe_config.h"
#include "engine/session.h"
#include "hf/hf_export.h"
#include "hf/hf_model.h"
#include "train/checkpoint.h"
#include "train/config.h"
#ifdef MOESCOPE_HAVE_HDF5
#include "run_log_writer.h"
#endif

namespace moescope {
namespace {

// A JSON list of equally long lists of ids below vocab: [B, S] int64.
torch::Tensor read_token_ids(const std::string& path, int64_t vocab) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read the token ids (" + ec.message() + ")");
  if (size > (64u << 20)) throw Error(path + ": the token file is larger than 64 MiB");
  nlohmann::json j;
  try {
    std::ifstream in(path);
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(path + ": malformed JSON (" + std::string(e.what()) + ")");
  }
  const std::string want = ": expected a list of equally long, non-empty lists of token ids";
  if (!j.is_array() || j.empty() || !j[0].is_array() || j[0].empty()) throw Error(path + want);
  const int64_t B = int64_t(j.size()), S = int64_t(j[0].size());
  std::vector<int64_t> ids;
  for (const auto& row : j) {
    if (!row.is_array() || int64_t(row.size()) != S) throw Error(path + want);
    for (const auto& id : row) {
      if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() >= vocab) {
        throw Error(path + ": token id " + id.dump() + " is not in [0, " + std::to_string(vocab) + ")");
      }
      ids.push_back(id.get<int64_t>());
    }
  }
  return torch::tensor(ids, torch::kInt64).view({B, S});
}

}  // namespace

int run_inspect(const InspectCommand& c) {
  if (c.texts.empty()) throw Error("inspect needs --text FILE (one or more)");
  auto config = hf_run_config(c.model, c.texts);
  config.data.text_tokens = c.tokens;
  config.data.sequence_tokens = c.sequence;
  config.train.batch_size = c.batch_size;
  config.device = c.device;
  config.precision = c.precision;
  config.threads = c.threads;
  const auto start = std::chrono::steady_clock::now();
  Session session(config);
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s\nloaded in %.2f s\n", session.run_info().model_summary.c_str(), load_s);
  session.prepare_inspect();
  std::unique_ptr<SessionObserver> log;
  if (!c.log.empty()) {
#ifdef MOESCOPE_HAVE_HDF5
    log = std::make_unique<RunLogWriter>(c.log, session.run_info());
    session.add_observer(log.get());
#else
    throw Error("--log: this build has no HDF5 support (configure with -DMOESCOPE_HDF5=ON)");
#endif
  }
  const auto run_start = std::chrono::steady_clock::now();
  const auto r = session.inspect([](int64_t done, int64_t total) {
    std::fprintf(stderr, "\rinspecting: batch %lld/%lld", (long long)done, (long long)total);
    if (done == total) std::fprintf(stderr, "\n");
  });
  const double run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  std::printf("loss %.4f nats/token, perplexity %.3f over %lld predicted tokens (%.0f tokens/s)\n", r.loss, std::exp(r.loss),
              (long long)r.tokens, double(r.tokens) / std::max(run_s, 1e-9));
  const auto& domains = session.run_info().domains.domains;
  for (size_t d = 0; d < domains.size() && d < r.domain_loss.size(); ++d) {
    std::printf("  %s: loss %.4f, perplexity %.3f\n", domains[d].c_str(), r.domain_loss[d], std::exp(r.domain_loss[d]));
  }
  for (size_t l = 0; l < r.layer_load.size(); ++l) {
    const auto& load = r.layer_load[l];
    const double mean = 1.0 / double(load.size());
    const double hi = *std::max_element(load.begin(), load.end()), lo = *std::min_element(load.begin(), load.end());
    double var = 0.0;
    for (const auto x : load) var += (x - mean) * (x - mean);
    std::printf("layer %zu: busiest expert %.2fx the mean load, idlest %.2fx, coefficient of variation %.3f\n", l, hi / mean,
                lo / mean, std::sqrt(var / double(load.size())) / mean);
  }
  if (!c.log.empty()) std::printf("log written to %s\n", c.log.c_str());
  return 0;
}

int run_forward(const ForwardCommand& c) {
  if (c.dtype != "float32" && c.dtype != "bf16") throw Error("--dtype must be float32 or bf16");
  HfLoadOptions options;
  options.device = resolve_device(c.device);
  options.dtype = c.dtype == "bf16" ? torch::kBFloat16 : torch::kFloat32;
  auto hf = load_hf_model(c.model, options);
  const auto& m = hf.config.model;
  std::printf("%s: %s, %lld layers (%lld with experts), d=%lld, %lld experts top-%lld, vocab %lld; %s experts, %lld shard%s\n",
              c.model.c_str(), hf.config.architecture.c_str(), (long long)m.layers, (long long)m.moe_layers(),
              (long long)m.d_model, (long long)m.experts, (long long)m.top_k, (long long)m.vocab, hf.layout.c_str(),
              (long long)hf.shards, hf.shards == 1 ? "" : "s");
  auto tokens = read_token_ids(c.tokens, m.vocab);
  if (tokens.size(1) > m.context) {
    throw Error(c.tokens + ": " + std::to_string(tokens.size(1)) + " tokens per sequence, more than the model's " +
                std::to_string(m.context) + " positions");
  }
  torch::NoGradGuard no_grad;
  auto layers = hf.model->moe_layers();
  std::vector<CapturedInputs> inputs(layers.size());
  for (size_t l = 0; l < layers.size(); ++l) layers[l]->capture = &inputs[l];
  auto out = hf.model->forward(tokens.to(options.device));
  std::vector<torch::Tensor> keep = {out.logits.to(torch::kCPU, torch::kFloat32).contiguous()};
  std::vector<std::string> names = {"logits"};
  for (size_t l = 0; l < layers.size(); ++l) {
    layers[l]->capture = nullptr;
    auto routing = layers[l]->route(inputs[l].x.at(0));
    keep.push_back(routing.logits.to(torch::kCPU, torch::kFloat32).contiguous());
    names.push_back("router_logits." + std::to_string(l));
    keep.push_back(routing.aux_loss.detach().to(torch::kCPU, torch::kFloat32).reshape({1}).contiguous());
    names.push_back("balance_loss." + std::to_string(l));
    const auto load = routing.counts.to(torch::kCPU, torch::kFloat64) / routing.counts.sum().item<double>();
    std::printf("layer %zu load: max %.3f min %.3f of the assignments\n", l, load.max().item<double>(),
                load.min().item<double>());
  }
  std::vector<SafeTensorData> tensors;
  for (size_t i = 0; i < keep.size(); ++i) {
    tensors.push_back({names[i], SafeDtype::F32, keep[i].sizes().vec(), keep[i].data_ptr()});
  }
  write_safetensors(c.out, tensors, {{"model", c.model}});
  std::printf("written to %s\n", c.out.c_str());
  return 0;
}

int run_export_hf(const std::string& checkpoint, const std::string& out) {
  auto config = checkpoint_config(checkpoint);
  config.device = "cpu";
  Session session(config);
  session.load_checkpoint(checkpoint);
  // A model opened from a Hugging Face folder (and pruned, merged or fine-tuned) goes back the
  // way it came: that folder's config and tokenizer are the base.
  const auto& source = session.config().data.hf_model;
  save_hf_model(language_model(session, "export-hf"), session.config().router, source, out);
  std::printf("%s (step %lld) written to %s as a %s folder (AutoModelForCausalLM.from_pretrained(\"%s\"))\n",
              checkpoint.c_str(), (long long)session.step(), out.c_str(),
              source.empty() ? "MixtralForCausalLM" : read_hf_config(source).architecture.c_str(), out.c_str());
  return 0;
}

int run_tokenize(const TokenizeCommand& c) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto path = fs::is_directory(c.tokenizer, ec) ? (fs::path(c.tokenizer) / "tokenizer.json").string() : c.tokenizer;
  const auto tokenizer = Tokenizer::from_file(path);
  const auto read_text = [](const std::string& file) {
    std::error_code size_error;
    const auto size = fs::file_size(file, size_error);
    if (size_error) throw Error(file + ": cannot read the text (" + size_error.message() + ")");
    if (size > (1ull << 30)) throw Error(file + ": larger than 1 GiB");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error(file + ": cannot open the text");
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  std::vector<std::string> texts;
  if (!c.texts.empty()) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(read_text(c.texts));
    } catch (const nlohmann::json::exception& e) {
      throw Error(c.texts + ": malformed JSON (" + std::string(e.what()) + ")");
    }
    if (!j.is_array()) throw Error(c.texts + ": expected a JSON list of strings");
    for (const auto& t : j) {
      if (!t.is_string()) throw Error(c.texts + ": expected a JSON list of strings");
      texts.push_back(t.get<std::string>());
    }
  } else if (!c.text.empty()) {
    texts.push_back(read_text(c.text));
  } else {
    throw Error("tokenize needs --text FILE or --texts FILE.json");
  }
  nlohmann::json out = {{"ids", nlohmann::json::array()}, {"decoded", nlohmann::json::array()}, {"tokens", nlohmann::json::array()}};
  size_t total = 0;
  for (const auto& t : texts) {
    const auto ids = tokenizer.encode(t, !c.no_special);
    total += ids.size();
    nlohmann::json pieces = nlohmann::json::array();
    for (const auto id : ids) pieces.push_back(tokenizer.token_text(id));
    out["ids"].push_back(ids);
    out["decoded"].push_back(tokenizer.decode(ids));
    out["tokens"].push_back(pieces);
  }
  std::printf("%s: %zu texts, %zu tokens (vocabulary %lld)\n", path.c_str(), texts.size(), total,
              (long long)tokenizer.vocab_size());
  if (!c.out.empty()) {
    const auto tmp = c.out + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary);
      f << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      if (!f) throw Error(c.out + ": cannot write");
    }
    fs::rename(tmp, c.out);
  } else if (texts.size() == 1) {
    std::printf("%s\n", out["ids"][0].dump().c_str());
  }
  return 0;
}

}  // namespace moescope
