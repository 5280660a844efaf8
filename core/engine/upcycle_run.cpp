#include "engine/upcycle_run.h"

#include <chrono>
#include <fstream>
#include <iterator>

#include "base/error.h"
#include "engine/eval_json.h"
#include "engine/recipe_config.h"
#include "model/transformer_lm.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace {

// Up to `sequences` non-overlapping byte sequences of `context` bytes from a text file: [N, S].
torch::Tensor text_sequences(const std::string& path, int64_t context, int64_t sequences) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read the router text");
  std::string bytes;
  bytes.reserve(static_cast<size_t>(context * sequences));
  std::istreambuf_iterator<char> it(in), end;
  for (; it != end && static_cast<int64_t>(bytes.size()) < context * sequences; ++it) bytes.push_back(*it);
  const int64_t n = static_cast<int64_t>(bytes.size()) / context;
  if (n == 0) {
    throw Error(path + ": the router text has " + std::to_string(bytes.size()) + " bytes, fewer than the model's context of " +
                std::to_string(context));
  }
  auto tokens = torch::empty({n, context}, torch::kLong);
  auto* data = tokens.data_ptr<int64_t>();
  for (int64_t i = 0; i < n * context; ++i) data[i] = static_cast<unsigned char>(bytes[static_cast<size_t>(i)]);
  return tokens;
}

}  // namespace

std::unique_ptr<Session> upcycle_checkpoint(const std::string& path, const UpcycleRequest& request,
                                            UpcycleReport& report) {
  const auto start = std::chrono::steady_clock::now();
  const RunConfig config = dense_lm_config(path, "upcycling", request.device, request.threads);
  if (request.experts < 1 || request.top_k < 1 || request.top_k > request.experts) {
    throw Error("upcycling: top-k " + std::to_string(request.top_k) + " of " + std::to_string(request.experts) +
                " experts does not fit; give 1 <= top-k <= experts");
  }
  if (!(request.options.drop_ratio >= 0.0 && request.options.drop_ratio <= 1.0)) {
    throw Error("upcycling: the drop ratio must be between 0 and 1");
  }
  if (static_cast<int64_t>(request.router_texts.size()) > request.experts) {
    throw Error("--router-texts: " + std::to_string(request.router_texts.size()) + " files for " +
                std::to_string(request.experts) + " experts; give at most one per expert");
  }
  UpcycleOptions options = request.options;
  options.router_tokens.clear();
  std::vector<std::string> sources;
  if (!request.router_texts.empty()) {
    std::vector<torch::Tensor> per_file;
    for (const auto& file : request.router_texts) {
      per_file.push_back(text_sequences(file, config.model.context, request.router_sequences));
    }
    for (int64_t e = 0; e < request.experts; ++e) {
      options.router_tokens.push_back(per_file[e % per_file.size()]);
      sources.push_back(request.router_texts[e % per_file.size()]);
    }
  }
  Session dense(config);
  dense.load_checkpoint(path);
  if (request.router_hidden && request.router_texts.empty()) {
    // Each language's training text, drawn as training batches by a task that reads that
    // language only (the held-out split stays unseen).
    const auto languages = dense.run_info().domains.domains;
    std::vector<torch::Tensor> per_language;
    for (const auto& language : languages) {
      RunConfig one = config;
      one.data.train_languages = {language};
      Session reader(one);
      std::vector<torch::Tensor> batches;
      int64_t rows = 0;
      while (rows < request.router_sequences) {
        batches.push_back(reader.task().next_batch().input);
        rows += batches.back().size(0);
      }
      per_language.push_back(torch::cat(batches).narrow(0, 0, request.router_sequences));
    }
    for (int64_t e = 0; e < request.experts; ++e) {
      options.router_tokens.push_back(per_language[e % per_language.size()]);
      sources.push_back(languages[e % languages.size()]);
    }
  }

  auto session = std::make_unique<Session>(moe_config_of(config, request.experts, request.top_k));

  report = UpcycleReport{};
  report.request = request;
  report.router_sources = sources;
  report.layers = upcycle_model(language_model(dense, path + ": upcycling"), language_model(*session, path + ": upcycling"),
                                options);
  report.domains = dense.run_info().domains.domains;
  report.dense_steps = dense.step();
  report.dense_tokens = dense.tokens();
  report.parameters_dense = dense.run_info().parameters;
  report.active_dense = dense.run_info().active_parameters;
  report.parameters_moe = session->run_info().parameters;
  report.active_moe = session->run_info().active_parameters;
  report.dense = dense.evaluate();
  report.upcycled = session->evaluate();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return session;
}

nlohmann::json to_json(const UpcycleReport& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : r.layers) {
    layers.push_back({{"layer", l.layer}, {"experts", l.experts}, {"hidden", l.hidden},
                      {"dropped_units_per_expert", l.dropped_units}});
  }
  return {{"recipe", r.request.options.drop_ratio > 0.0 ? "drop-upcycling" : "sparse-upcycling"},
          {"experts", r.request.experts},
          {"top_k", r.request.top_k},
          {"drop_ratio", r.request.options.drop_ratio},
          {"seed", r.request.options.seed},
          {"router_init", r.router_sources.empty() ? "random" : "hidden"},
          {"router_texts", r.request.router_texts},
          {"router_sources", r.router_sources},
          {"dense_checkpoint", {{"steps", r.dense_steps}, {"tokens", r.dense_tokens}}},
          {"parameters", {{"dense", r.parameters_dense}, {"moe", r.parameters_moe}}},
          {"active_parameters", {{"dense", r.active_dense}, {"moe", r.active_moe}}},
          {"measured", {{"dense", eval_json(r.dense, r.domains)}, {"upcycled", eval_json(r.upcycled, r.domains)}}},
          {"layers", layers},
          {"seconds", r.seconds}};
}

}  // namespace moescope
