#include "recipe_runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>

#include "base/error.h"
#include "base/observer.h"
#include "engine/btx_run.h"
#include "engine/model_merge_run.h"
#include "engine/session.h"
#include "engine/upcycle_run.h"
#include "surgery/model_merge.h"
#include "train/checkpoint.h"

namespace moescope {
namespace {

using Progress = std::function<void(double, const std::string&)>;

// 2 FLOPs per multiply-add of every weight a token touches, plus the attention scores and
// their weighted sum (2 · 2 · context · d per layer, causal: half of it on average).
double flops_per_token(const RunConfig& config, int64_t active_parameters) {
  const auto& m = config.model;
  return 2.0 * double(active_parameters) + 2.0 * double(m.layers) * double(m.context) * double(m.d_model);
}

RecipeRow row(const std::string& name, const EvalResult& e, const RunConfig& config, int64_t parameters,
              int64_t active) {
  RecipeRow r;
  r.name = name;
  r.loss = e.loss;
  r.domain_loss = e.domain_loss;
  r.parameters = parameters;
  r.active_parameters = active;
  r.flops_per_token = flops_per_token(config, active);
  r.experts = config.model.dense() ? 0 : config.model.experts;
  r.top_k = config.model.dense() ? 0 : config.model.top_k;
  return r;
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

// The steps of every Branch-Train-MiX phase as one share of the whole recipe.
class PhaseProgress final : public SessionObserver {
 public:
  explicit PhaseProgress(const Progress& progress) : progress_(progress) {}
  void begin(const std::string& phase, int64_t index, int64_t phases) {
    phase_ = index;
    phases_ = phases;
    phase_text_ = phase;
    report(0.0);
  }
  void on_run_info(const RunInfo& info) override {
    total_ = info.total_steps;
    first_ = -1;
  }
  void on_step(const StepMetrics& m) override {
    if (first_ < 0) first_ = m.step - 1;
    const double span = double(total_ - first_);
    report(span > 0 ? double(m.step - first_) / span : 1.0);
  }

 private:
  void report(double within) {
    if (progress_) progress_((double(phase_) + within) / double(std::max<int64_t>(phases_, 1)), phase_text_);
  }
  const Progress& progress_;
  int64_t phases_ = 1, phase_ = 0, total_ = 0, first_ = -1;
  std::string phase_text_;
};

}  // namespace

RecipeSummary run_recipe(const RecipeRequest& request, const Progress& progress, const std::atomic<bool>* cancel) {
  const auto start = std::chrono::steady_clock::now();
  if (request.out.empty()) throw Error("the recipe has no output checkpoint");
  RecipeSummary summary;
  summary.out = request.out;
  if (request.checkpoints.empty() || request.checkpoints[0].empty()) throw Error("choose the checkpoint to start from");
  const auto say = [&](double share, const std::string& what) {
    if (progress) progress(share, what);
  };
  if (request.kind == RecipeKind::upcycle) {
    say(0.0, "loading " + file_name(request.checkpoints[0]));
    UpcycleRequest up;
    up.experts = request.experts;
    up.top_k = request.top_k;
    up.options.drop_ratio = request.drop_ratio;
    up.router_hidden = request.router_hidden;
    UpcycleReport report;
    auto session = upcycle_checkpoint(request.checkpoints[0], up, report);
    const auto& config = session->config();
    summary.title = std::string(request.drop_ratio > 0.0 ? "Drop-Upcycling" : "Sparse Upcycling") + ": " +
                    std::to_string(request.experts) + " experts, top-" + std::to_string(request.top_k);
    summary.task = config.model.task;
    summary.domains = report.domains;
    RunConfig dense_config = config;
    dense_config.model.ffn = "dense";
    summary.rows.push_back(row(file_name(request.checkpoints[0]), report.dense, dense_config, report.parameters_dense,
                               report.active_dense));
    summary.rows.push_back(row("upcycled", report.upcycled, config, report.parameters_moe, report.active_moe));
    summary.report_json = to_json(report).dump(2);
    say(0.9, "writing " + file_name(request.out));
    session->save_checkpoint(request.out);
  } else if (request.kind == RecipeKind::btx) {
    BtxRequest btx;
    btx.seed = request.checkpoints[0];
    btx.branch_steps = request.branch_steps;
    btx.mix_steps = 0;  // the window trains the mixture as its run
    btx.top_k = request.top_k;
    btx.router_hidden = request.router_hidden;
    btx.out = request.out;
    btx.cancel = cancel;
    PhaseProgress phases(progress);
    btx.observers = {&phases};
    btx.on_phase = [&phases](const std::string& phase, int64_t index, int64_t count) { phases.begin(phase, index, count); };
    BtxReport report;
    branch_train_mix(btx, report);
    summary.title = "Branch-Train-MiX: " + std::to_string(report.experts) + " branches into " +
                    std::to_string(report.experts) + " experts, top-" + std::to_string(report.top_k) + ", router " +
                    report.router_init;
    summary.task = "lm";
    summary.domains = report.domains;
    RunConfig config = checkpoint_config(request.out);
    RunConfig dense_config = config;
    dense_config.model.ffn = "dense";
    summary.rows.push_back(row("seed " + file_name(btx.seed), report.seed, dense_config, report.parameters_dense,
                               report.active_dense));
    for (const auto& b : report.branches) {
      summary.rows.push_back(row("branch " + b.language, b.eval, dense_config, report.parameters_dense, report.active_dense));
    }
    summary.rows.push_back(row("mixed", report.mixed, config, report.parameters_moe, report.active_moe));
    summary.report_json = to_json(report).dump(2);
  } else {
    ModelMergeRequest merge;
    merge.checkpoints = request.checkpoints;
    merge.base = request.base;
    merge.align = request.align;
    merge.barrier_points = request.checkpoints.size() == 2 ? 11 : 0;
    try {
      merge.options.method = parse_model_merge_method(request.method);
    } catch (const std::invalid_argument& e) {
      throw Error(e.what());
    }
    merge.options.lambda = request.lambda;
    merge.options.density = request.density;
    if (merge.options.method == ModelMergeMethod::linear) merge.base.clear();
    say(0.0, "loading and merging " + std::to_string(request.checkpoints.size()) + " checkpoints");
    ModelMergeReport report;
    auto session = merge_model_checkpoints(merge, report);
    const auto& config = session->config();
    const auto active = session->run_info().active_parameters;
    summary.title = std::string("Weight-space merge: ") + model_merge_method_name(merge.options.method) +
                    (request.align ? ", aligned" : "");
    summary.task = config.model.task;
    summary.domains = report.domains;
    for (size_t i = 0; i < report.inputs.size(); ++i) {
      summary.rows.push_back(row(file_name(request.checkpoints[i]), report.inputs[i], config, report.parameters, active));
    }
    if (!merge.base.empty()) summary.rows.push_back(row("base " + file_name(merge.base), report.base, config, report.parameters, active));
    summary.rows.push_back(row("merged", report.merged, config, report.parameters, active));
    summary.barrier_alpha = report.barrier_before.alpha;
    summary.barrier_before = report.barrier_before.loss;
    summary.barrier_after = report.barrier_after.loss;
    summary.report_json = to_json(report).dump(2);
    say(0.9, "writing " + file_name(request.out));
    session->save_checkpoint(request.out);
  }
  say(1.0, "done");
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace moescope
