#include "engine/model_merge_run.h"

#include <chrono>

#include "base/error.h"
#include "engine/eval_json.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace {

// The keys of the model and router configs whose values differ, "" when none do.
std::string architecture_difference(const RunConfig& a, const RunConfig& b) {
  const auto ja = to_json(a), jb = to_json(b);
  std::string keys;
  for (const char* section : {"model", "router"}) {
    const auto& sa = ja.at(section);
    const auto& sb = jb.at(section);
    for (auto it = sa.begin(); it != sa.end(); ++it) {
      if (it.key() == "expert_kernel") continue;  // a kernel choice, not the model
      if (!sb.contains(it.key()) || sb.at(it.key()) != it.value()) {
        keys += (keys.empty() ? "" : ", ") + std::string(section) + "." + it.key();
      }
    }
  }
  return keys;
}

}  // namespace

std::unique_ptr<Session> merge_model_checkpoints(const ModelMergeRequest& request, ModelMergeReport& report) {
  const auto start = std::chrono::steady_clock::now();
  if (request.checkpoints.size() < 2) throw Error("model merging needs two checkpoints or more");
  const bool needs_base = request.options.method != ModelMergeMethod::linear;
  if (needs_base && request.base.empty()) {
    throw Error(std::string(model_merge_method_name(request.options.method)) +
                " merges the models' differences from a base model: give --base");
  }
  const auto with_device = [&](RunConfig config) {
    if (!request.device.empty()) config.device = request.device;
    if (request.threads >= 0) config.threads = request.threads;
    return config;
  };
  const RunConfig first = with_device(checkpoint_config(request.checkpoints[0]));
  std::vector<std::string> paths = request.checkpoints;
  if (needs_base) paths.push_back(request.base);
  std::vector<RunConfig> configs{first};
  for (size_t i = 1; i < paths.size(); ++i) configs.push_back(with_device(checkpoint_config(paths[i])));
  for (size_t i = 1; i < paths.size(); ++i) {
    const auto difference = architecture_difference(first, configs[i]);
    if (!difference.empty()) {
      throw Error(paths[i] + ": another architecture than " + request.checkpoints[0] + " (" + difference +
                  " differ); weight-space merging needs models of one architecture");
    }
  }
  std::vector<std::unique_ptr<Session>> sessions;
  for (size_t i = 0; i < paths.size(); ++i) {
    sessions.push_back(std::make_unique<Session>(configs[i]));
    sessions.back()->load_checkpoint(paths[i]);
  }
  std::vector<const torch::nn::Module*> models;
  for (size_t i = 0; i < request.checkpoints.size(); ++i) models.push_back(sessions[i]->task().module().get());
  const torch::nn::Module* base = needs_base ? sessions.back()->task().module().get() : nullptr;

  auto merged = std::make_unique<Session>(first);
  merge_modules(*merged->task().module(), models, base, request.options);

  report = ModelMergeReport{};
  report.request = request;
  report.domains = merged->run_info().domains.domains;
  report.parameters = merged->run_info().parameters;
  for (size_t i = 0; i < request.checkpoints.size(); ++i) report.inputs.push_back(sessions[i]->evaluate());
  if (needs_base) report.base = sessions.back()->evaluate();
  report.merged = merged->evaluate();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return merged;
}

nlohmann::json to_json(const ModelMergeReport& r) {
  nlohmann::json inputs = nlohmann::json::array();
  for (size_t i = 0; i < r.inputs.size(); ++i) {
    auto entry = eval_json(r.inputs[i], r.domains);
    entry["checkpoint"] = r.request.checkpoints[i];
    inputs.push_back(entry);
  }
  nlohmann::json report = {{"method", model_merge_method_name(r.request.options.method)},
                           {"weights", r.request.options.weights},
                           {"lambda", r.request.options.lambda},
                           {"density", r.request.options.density},
                           {"parameters", r.parameters},
                           {"measured", {{"inputs", inputs}, {"merged", eval_json(r.merged, r.domains)}}},
                           {"seconds", r.seconds}};
  if (!r.request.base.empty() && r.request.options.method != ModelMergeMethod::linear) {
    report["measured"]["base"] = eval_json(r.base, r.domains);
    report["measured"]["base"]["checkpoint"] = r.request.base;
  }
  return report;
}

}  // namespace moescope
