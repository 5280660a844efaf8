#include "engine/upcycle_run.h"

#include <chrono>

#include "base/error.h"
#include "model/transformer_lm.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace {

TransformerLMImpl& language_model(Session& session, const std::string& path, const char* which) {
  auto* model = dynamic_cast<TransformerLMImpl*>(session.task().module().get());
  if (model == nullptr) {
    throw Error(path + ": upcycling works on language models (lm presets); the " + std::string(which) +
                " model is a " + session.config().model.task + " model");
  }
  return *model;
}

nlohmann::json eval_json(const EvalResult& e, const std::vector<std::string>& domains) {
  nlohmann::json by_domain = nlohmann::json::object();
  for (size_t d = 0; d < e.domain_loss.size() && d < domains.size(); ++d) by_domain[domains[d]] = e.domain_loss[d];
  return {{"validation_loss", e.loss}, {"accuracy", e.accuracy}, {"samples", e.samples},
          {"loss_by_domain", by_domain}};
}

}  // namespace

std::unique_ptr<Session> upcycle_checkpoint(const std::string& path, const UpcycleRequest& request,
                                            UpcycleReport& report) {
  const auto start = std::chrono::steady_clock::now();
  RunConfig config = checkpoint_config(path);
  if (!request.device.empty()) config.device = request.device;
  if (request.threads >= 0) config.threads = request.threads;
  if (config.model.task != "lm") {
    throw Error(path + ": upcycling works on language models (lm presets); this checkpoint is a " +
                config.model.task + " model");
  }
  if (!config.model.dense()) {
    throw Error(path + ": upcycling needs a dense checkpoint (model.ffn = \"dense\"); this one is already an MoE "
                "model (" + config.model.experts_text() + ")");
  }
  if (request.experts < 1 || request.top_k < 1 || request.top_k > request.experts) {
    throw Error("upcycling: top-k " + std::to_string(request.top_k) + " of " + std::to_string(request.experts) +
                " experts does not fit; give 1 <= top-k <= experts");
  }
  if (!(request.options.drop_ratio >= 0.0 && request.options.drop_ratio <= 1.0)) {
    throw Error("upcycling: the drop ratio must be between 0 and 1");
  }
  Session dense(config);
  dense.load_checkpoint(path);

  RunConfig moe_config = config;
  auto& m = moe_config.model;
  m.ffn = "moe";
  m.experts = request.experts;
  m.top_k = request.top_k;
  m.expert_granularity = 1;
  m.shared_experts = m.zero_experts = m.copy_experts = m.constant_experts = 0;
  m.layer_experts.clear();
  m.layer_logit_map.clear();
  m.layer_expert_modality.clear();
  auto session = std::make_unique<Session>(moe_config);

  report = UpcycleReport{};
  report.request = request;
  report.layers = upcycle_model(language_model(dense, path, "dense"), language_model(*session, path, "MoE"),
                                request.options);
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
          {"router_init", "random"},
          {"dense_checkpoint", {{"steps", r.dense_steps}, {"tokens", r.dense_tokens}}},
          {"parameters", {{"dense", r.parameters_dense}, {"moe", r.parameters_moe}}},
          {"active_parameters", {{"dense", r.active_dense}, {"moe", r.active_moe}}},
          {"measured", {{"dense", eval_json(r.dense, r.domains)}, {"upcycled", eval_json(r.upcycled, r.domains)}}},
          {"layers", layers},
          {"seconds", r.seconds}};
}

}  // namespace moescope
