#include "engine/model_merge_run.h"

#include <algorithm>
#include <chrono>

#include "base/error.h"
#include "engine/eval_json.h"
#include "model/transformer_lm.h"
#include "surgery/permutation_align.h"
#include "train/checkpoint.h"
#include "engine/recipe_config.h"
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

using Clock = std::chrono::steady_clock;

// The held-out loss of (1 − α)·a + α·b at `points` evenly spaced α, measured in `scratch`.
LossBarrier loss_barrier(Session& scratch, const torch::nn::Module& a, const torch::nn::Module& b, int64_t points) {
  LossBarrier barrier;
  for (int64_t i = 0; i < points; ++i) {
    const double alpha = points == 1 ? 0.0 : double(i) / double(points - 1);
    ModelMergeOptions path;
    path.weights = {1.0 - alpha, alpha};
    merge_modules(*scratch.task().module(), {&a, &b}, nullptr, path);
    barrier.alpha.push_back(alpha);
    barrier.loss.push_back(scratch.evaluate().loss);
  }
  return barrier;
}

nlohmann::json barrier_json(const LossBarrier& b) {
  return {{"alpha", b.alpha}, {"validation_loss", b.loss}, {"height", b.height()}};
}

}  // namespace

double LossBarrier::height() const {
  if (loss.size() < 3) return 0.0;
  double height = 0.0;
  for (size_t i = 1; i + 1 < loss.size(); ++i) {
    const double line = (1.0 - alpha[i]) * loss.front() + alpha[i] * loss.back();
    height = std::max(height, loss[i] - line);
  }
  return height;
}

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
  std::vector<std::string> paths = request.checkpoints;
  if (needs_base) paths.push_back(request.base);
  std::vector<RunConfig> configs;
  std::vector<int64_t> steps(paths.size(), 0);
  for (size_t i = 0; i < paths.size(); ++i) configs.push_back(with_device(checkpoint_config(paths[i], &steps[i])));
  const RunConfig first = configs[0];
  for (size_t i = 1; i < paths.size(); ++i) {
    const auto difference = architecture_difference(first, configs[i]);
    if (!difference.empty()) {
      throw Error(paths[i] + ": another architecture than " + request.checkpoints[0] + " (" + difference +
                  " differ); weight-space merging needs models of one architecture");
    }
  }
  // Every model in a session of the first one's config: one held-out split for all (it
  // depends on train.seed, which runs from different seeds do not share).
  RunConfig shared = first;
  for (auto step : steps) shared.train.steps = std::max(shared.train.steps, step);
  std::vector<std::unique_ptr<Session>> sessions;
  for (size_t i = 0; i < paths.size(); ++i) {
    sessions.push_back(std::make_unique<Session>(shared));
    sessions.back()->load_checkpoint(paths[i]);
  }
  std::vector<const torch::nn::Module*> models;
  for (size_t i = 0; i < request.checkpoints.size(); ++i) models.push_back(sessions[i]->task().module().get());
  const torch::nn::Module* base = needs_base ? sessions.back()->task().module().get() : nullptr;

  report = ModelMergeReport{};
  auto merged = std::make_unique<Session>(first);
  if (request.barrier_points > 0) {
    report.barrier_before = loss_barrier(*merged, *models[0], *models[1], request.barrier_points);
  }
  if (request.align) {
    auto& reference = language_model(*sessions[0], paths[0] + ": --align");
    for (size_t i = 1; i < paths.size(); ++i) {
      const auto align_start = Clock::now();
      auto& model = language_model(*sessions[i], paths[i] + ": --align");
      const auto result = match_weights(reference, model);
      permute_model(model, result.permutation);
      report.alignments.push_back({paths[i], result.rounds, result.units_moved, result.similarity_before,
                                   result.similarity_after,
                                   std::chrono::duration<double>(Clock::now() - align_start).count()});
    }
    if (request.barrier_points > 0) {
      report.barrier_after = loss_barrier(*merged, *models[0], *models[1], request.barrier_points);
    }
  }
  merge_modules(*merged->task().module(), models, base, request.options);

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
  report["align"] = r.request.align;
  if (r.request.align) {
    nlohmann::json alignments = nlohmann::json::array();
    for (const auto& a : r.alignments) {
      alignments.push_back({{"checkpoint", a.checkpoint},
                            {"rounds", a.rounds},
                            {"units_moved", a.units_moved},
                            {"similarity_before", a.similarity_before},
                            {"similarity_after", a.similarity_after},
                            {"seconds", a.seconds}});
    }
    report["alignments"] = alignments;
  }
  if (r.request.barrier_points > 0) {
    report["loss_barrier"] = {{"between", {r.request.checkpoints[0], r.request.checkpoints[1]}},
                              {"before_alignment", barrier_json(r.barrier_before)}};
    if (r.request.align) report["loss_barrier"]["after_alignment"] = barrier_json(r.barrier_after);
  }
  if (!r.request.base.empty() && r.request.options.method != ModelMergeMethod::linear) {
    report["measured"]["base"] = eval_json(r.base, r.domains);
    report["measured"]["base"]["checkpoint"] = r.request.base;
  }
  return report;
}

}  // namespace moescope
