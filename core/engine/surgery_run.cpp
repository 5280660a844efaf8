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

namespace {

// The flow every method shares: the loss before, the calibration pass (80% of the progress),
// one plan per layer from the cache (the next 10%), the change, the loss after.
// plan(l, cache) returns layer l's plan; apply(plans) changes the session's model.
template <class Plan, class PlanLayer, class Apply>
std::vector<Plan> run_surgery(Session& session, int64_t tokens, const char* what,
                              const std::function<bool(double)>& progress, SurgeryMeasure& m,
                              PlanLayer&& plan, Apply&& apply) {
  auto start = std::chrono::steady_clock::now();
  m.before = session.evaluate();
  m.evaluation_seconds = seconds_since(start);
  const auto cache = calibrate_session(session, tokens, [&progress](double share) {
    return !progress || progress(0.8 * share);
  });
  m.calibration_tokens = cache.tokens;
  m.calibration_seconds = cache.seconds;
  start = std::chrono::steady_clock::now();
  std::vector<Plan> plans;
  for (size_t l = 0; l < cache.layers.size(); ++l) {
    plans.push_back(plan(l, cache));
    if (progress && !progress(0.8 + 0.1 * double(l + 1) / double(cache.layers.size()))) {
      throw Error(std::string(what) + " cancelled");
    }
  }
  m.preview_seconds = seconds_since(start);
  apply(plans);
  start = std::chrono::steady_clock::now();
  m.after = session.evaluate();
  m.evaluation_seconds += seconds_since(start);
  if (progress) progress(1.0);
  return plans;
}

std::vector<MoELayer> experts_or_refuse(Session& session, const char* what) {
  auto layers = session.task().moe_layers();
  if (layers.empty()) throw Error(std::string(what) + ": a dense model has no experts");
  return layers;
}

nlohmann::json with_measure(nlohmann::json report, const SurgeryMeasure& m, nlohmann::json layers) {
  report["calibration_tokens"] = m.calibration_tokens;
  report["layers"] = std::move(layers);
  report["measured"] = {{"validation_loss_before", m.before.loss},
                        {"validation_loss_after", m.after.loss},
                        {"accuracy_before", m.before.accuracy},
                        {"accuracy_after", m.after.accuracy},
                        {"samples", m.after.samples}};
  report["seconds"] = {{"calibration", m.calibration_seconds},
                       {"preview", m.preview_seconds},
                       {"evaluation", m.evaluation_seconds}};
  return report;
}

}  // namespace

PruneReport prune_session(Session& session, const PruneRequest& request,
                          const std::function<bool(double)>& progress) {
  const auto layers = experts_or_refuse(session, "pruning");
  for (size_t l = 0; l < layers.size() && request.keep_total == 0; ++l) {
    if (const auto why = prune_refusal(*layers[l], request.keep); !why.empty()) {
      throw Error("--keep " + std::to_string(request.keep) + ": MoE layer " + std::to_string(l) + ": " + why);
    }
  }
  if (request.keep_total > 0 && request.method == PruneMethod::subset) {
    throw Error("--keep-total: a global target needs a per-expert score: use --method frequency or reap");
  }
  PruneReport report;
  report.request = request;
  report.parameters_before = parameter_count(session);
  report.active_before = session.run_info().active_parameters;
  std::vector<int64_t> counts(layers.size(), request.keep);
  report.layers = run_surgery<LayerPrunePlan>(
      session, request.calibration_tokens, "pruning", progress, report,
      [&](size_t l, const CalibrationCache& cache) {
        if (l == 0 && request.keep_total > 0) {
          counts = distribute_keep(layers, cache.layers, request.method, request.keep_total);
        }
        return plan_prune(layers[l], cache.layers[l], request.method, counts[l]);
      },
      [&](const std::vector<LayerPrunePlan>& plans) {
        std::vector<std::vector<int64_t>> keep;
        for (const auto& p : plans) keep.push_back(p.keep);
        session.prune_experts(keep);
      });
  report.parameters_after = parameter_count(session);
  report.active_after = session.run_info().active_parameters;
  return report;
}

MergeReport merge_session(Session& session, const MergeRequest& request,
                          const std::function<bool(double)>& progress) {
  const auto layers = experts_or_refuse(session, "merging");
  for (size_t l = 0; l < layers.size(); ++l) {
    if (const auto why = merge_refusal(*layers[l], request.options.experts, request.options.router); !why.empty()) {
      throw Error("--experts " + std::to_string(request.options.experts) + ": MoE layer " + std::to_string(l) + ": " + why);
    }
  }
  MergeReport report;
  report.request = request;
  report.parameters_before = parameter_count(session);
  report.active_before = session.run_info().active_parameters;
  report.layers = run_surgery<LayerMergePlan>(
      session, request.calibration_tokens, "merging", progress, report,
      [&](size_t l, const CalibrationCache& cache) {
        report.importance_gini.push_back(importance_gini(cache.layers[l]));
        return plan_merge(layers[l], cache.layers[l], request.options);
      },
      [&](const std::vector<LayerMergePlan>& plans) { session.merge_experts(plans, request.options); });
  report.parameters_after = parameter_count(session);
  report.active_after = session.run_info().active_parameters;
  return report;
}

QuantizeReport quantize_session(Session& session, const QuantizeRequest& request,
                                const std::function<bool(double)>& progress) {
  auto layers = experts_or_refuse(session, "quantization");
  if (request.average_bits <= 0.0 && request.bits != 8 && request.bits != 4) {
    throw Error("--bits " + std::to_string(request.bits) + ": experts are quantized to 8 or 4 bits");
  }
  if (request.average_bits > 0.0) allocate_bits(torch::zeros({1}), request.average_bits);  // checks the range
  QuantizeReport report;
  report.request = request;
  report.layers = run_surgery<LayerQuantPlan>(
      session, request.calibration_tokens, "quantization", progress, report,
      [&](size_t l, const CalibrationCache& cache) {
        const int64_t E = layers[l]->options.experts();
        const auto bits = request.average_bits > 0.0
                              ? allocate_bits(cache.layers[l].counts.narrow(0, 0, E), request.average_bits)
                              : std::vector<int64_t>(size_t(E), request.bits);
        return plan_quantize(layers[l], cache.layers[l], bits);
      },
      [&](const std::vector<LayerQuantPlan>& plans) {
        for (size_t l = 0; l < layers.size(); ++l) quantize_experts(*layers[l], plans[l].bits);
      });
  return report;
}

SkipReport skip_session(Session& session, const SkipRequest& request,
                        const std::function<bool(double)>& progress) {
  auto layers = experts_or_refuse(session, "skipping");
  if (!(request.beta >= 0.0 && request.beta <= 1.0)) throw Error("--beta must be between 0 and 1");
  for (auto& layer : layers) set_skip(*layer, 0.0);  // "before" is the model without skipping
  SkipReport report;
  report.request = request;
  report.layers = run_surgery<LayerSkipPlan>(
      session, request.calibration_tokens, "skipping", progress, report,
      [&](size_t l, const CalibrationCache& cache) { return plan_skip(layers[l], cache.layers[l], request.beta); },
      [&](const std::vector<LayerSkipPlan>&) {
        for (auto& layer : layers) set_skip(*layer, request.beta);
      });
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
  return with_measure({{"method", prune_method_name(r.request.method)},
                       {"keep", r.request.keep},
                       {"keep_total", r.request.keep_total},
                       {"parameters", {{"before", r.parameters_before}, {"after", r.parameters_after}}},
                       {"active_parameters", {{"before", r.active_before}, {"after", r.active_after}}}},
                      r, layers);
}

nlohmann::json to_json(const MergeReport& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const auto& p = r.layers[l];
    nlohmann::json pairs = nlohmann::json::array(), dendrogram = nlohmann::json::array();
    for (const auto& e : p.pair_errors) pairs.push_back({{"a", e.a}, {"b", e.b}, {"merge_error", e.error}});
    for (const auto& s : p.dendrogram) dendrogram.push_back({s.a, s.b, s.distance, s.size});
    layers.push_back({{"layer", l},
                      {"groups", p.groups},
                      {"weights", p.weight},
                      {"routed_share_merged", p.routed_share_merged},
                      {"pair_merge_errors", pairs},
                      {"largest_pair_merge_error", p.largest_pair_error},
                      {"merge_error_warning", p.largest_pair_error > kMergeErrorWarning},
                      {"importance_gini", l < r.importance_gini.size() ? r.importance_gini[l] : 0.0},
                      {"dendrogram", dendrogram},
                      {"reconstruction_error", p.reconstruction_error}});
  }
  const auto& o = r.request.options;
  return with_measure({{"method", merge_method_name(o.method)},
                       {"experts", o.experts},
                       {"align", o.align},
                       {"router", merge_router_name(o.router)},
                       {"parameters", {{"before", r.parameters_before}, {"after", r.parameters_after}}},
                       {"active_parameters", {{"before", r.active_before}, {"after", r.active_after}}}},
                      r, layers);
}

nlohmann::json to_json(const QuantizeReport& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const auto& p = r.layers[l];
    layers.push_back({{"layer", l},
                      {"bits", p.bits},
                      {"mean_bits", p.mean_bits},
                      {"weight_error", p.weight_error},
                      {"reconstruction_error", p.reconstruction_error}});
  }
  return with_measure({{"method", r.request.average_bits > 0.0 ? "bits_by_usage" : "uniform"},
                       {"bits", r.request.bits},
                       {"average_bits", r.request.average_bits}},
                      r, layers);
}

nlohmann::json to_json(const SkipReport& r) {
  nlohmann::json layers = nlohmann::json::array();
  for (size_t l = 0; l < r.layers.size(); ++l) {
    const auto& p = r.layers[l];
    layers.push_back({{"layer", l},
                      {"beta", p.beta},
                      {"skipped_share", p.skipped_share},
                      {"reconstruction_error", p.reconstruction_error}});
  }
  return with_measure({{"method", "skip"}, {"beta", r.request.beta}}, r, layers);
}

}  // namespace moescope
