#include "engine/surgery_run.h"

#include <chrono>

#include "base/error.h"
#include "train/task.h"

namespace moescope {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

int64_t parameter_count(Session& session) {
  int64_t n = 0;
  for (const auto& p : session.task().module()->parameters()) n += p.numel();
  return n;
}

}  // namespace

CalibrationCache calibrate_session(Session& session, int64_t tokens,
                                   const std::function<bool(double)>& progress) {
  auto& task = session.task();
  const auto sampler = task.sampler_state();
  auto module = task.module();
  const bool training = module->is_training();
  module->eval();
  const auto restore = [&] {
    task.set_sampler_state(sampler);
    module->train(training);
  };
  try {
    auto cache = calibrate(task.moe_layers(), tokens, [&task] {
      auto batch = task.next_batch();
      task.forward(batch.input);
      return batch.tokens;
    }, progress);
    restore();
    return cache;
  } catch (...) {
    restore();
    throw;
  }
}

PruneReport prune_session(Session& session, const PruneRequest& request,
                          const std::function<bool(double)>& progress) {
  const auto layers = session.task().moe_layers();
  if (layers.empty()) throw Error("pruning: a dense model has no experts to prune");
  for (size_t l = 0; l < layers.size(); ++l) {
    if (const auto why = prune_refusal(*layers[l], request.keep); !why.empty()) {
      throw Error("--keep " + std::to_string(request.keep) + ": MoE layer " + std::to_string(l) + ": " + why);
    }
  }
  PruneReport report;
  report.request = request;
  report.parameters_before = parameter_count(session);
  report.active_before = session.run_info().active_parameters;
  auto start = std::chrono::steady_clock::now();
  report.before = session.evaluate();
  report.evaluation_seconds = seconds_since(start);

  const auto scaled = [&](double from, double to) {
    return [=, &progress](double share) { return !progress || progress(from + (to - from) * share); };
  };
  const auto cache = calibrate_session(session, request.calibration_tokens, scaled(0.0, 0.8));
  report.calibration_tokens = cache.tokens;
  report.calibration_seconds = cache.seconds;

  start = std::chrono::steady_clock::now();
  std::vector<std::vector<int64_t>> keep;
  for (size_t l = 0; l < layers.size(); ++l) {
    report.layers.push_back(plan_prune(layers[l], cache.layers[l], request.method, request.keep));
    keep.push_back(report.layers.back().keep);
    if (progress && !progress(0.8 + 0.1 * double(l + 1) / double(layers.size()))) {
      throw Error("pruning cancelled");
    }
  }
  report.preview_seconds = seconds_since(start);

  session.prune_experts(keep);
  report.parameters_after = parameter_count(session);
  report.active_after = session.run_info().active_parameters;
  start = std::chrono::steady_clock::now();
  report.after = session.evaluate();
  report.evaluation_seconds += seconds_since(start);
  if (progress) progress(1.0);
  return report;
}

nlohmann::json to_json(const PruneReport& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const auto& p = r.layers[l];
    layers.push_back({{"layer", l},
                      {"kept", p.keep},
                      {"removed", p.removed},
                      {"routed_share_removed", p.routed_share_removed},
                      {"saliency_removed", p.saliency_removed},
                      {"reconstruction_error", p.reconstruction_error}});
  }
  return {{"method", prune_method_name(r.request.method)},
          {"keep", r.request.keep},
          {"calibration_tokens", r.calibration_tokens},
          {"layers", layers},
          {"measured",
           {{"validation_loss_before", r.before.loss},
            {"validation_loss_after", r.after.loss},
            {"accuracy_before", r.before.accuracy},
            {"accuracy_after", r.after.accuracy},
            {"samples", r.after.samples}}},
          {"parameters", {{"before", r.parameters_before}, {"after", r.parameters_after}}},
          {"active_parameters", {{"before", r.active_before}, {"after", r.active_after}}},
          {"seconds",
           {{"calibration", r.calibration_seconds},
            {"preview", r.preview_seconds},
            {"evaluation", r.evaluation_seconds}}}};
}

}  // namespace moescope
