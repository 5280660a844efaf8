#include "cli_surgery.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <stdexcept>

#include "base/error.h"
#include "engine/session.h"
#include "engine/surgery_run.h"
#include "engine/surgery_sweep.h"
#include "engine/model_merge_run.h"
#include "engine/upcycle_run.h"
#include "engine/btx_run.h"
#include "engine/recipe_config.h"
#include "hf/hf_export.h"
#include "cli_progress.h"
#include "train/checkpoint.h"
#ifdef MOESCOPE_HAVE_HDF5
#include "run_log_writer.h"
#endif

namespace moescope {
namespace {

std::string join(const std::vector<int64_t>& ids) {
  std::string text;
  for (auto id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text.empty() ? "-" : text;
}

// Renames a file written beside `path` onto it; removes it and throws when that fails.
void move_into_place(const std::string& written, const std::string& path, const char* what) {
  std::error_code ec;
  std::filesystem::rename(written, path, ec);
  if (ec) {
    std::filesystem::remove(written, ec);
    throw Error(path + ": cannot move the " + std::string(what) + " into place (" + ec.message() + ")");
  }
}

// Refuses an --out that names one of the inputs, before anything runs.
void refuse_overwrite(const std::string& out, const std::vector<std::string>& inputs) {
  if (out.empty()) return;
  for (const auto& input : inputs) {
    if (std::filesystem::absolute(out) == std::filesystem::absolute(input)) {
      throw Error("--out " + out + ": would overwrite " +
                  (inputs.size() > 1 ? std::string("an input checkpoint") : std::string("the input checkpoint")) +
                  "; choose another file");
    }
  }
}

// The file appears whole or not at all: written beside the target, then renamed.
void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error(path + ": cannot write the report");
    }
  }
  move_into_place(tmp, path, "report");
}

// Loads the checkpoint into a session of its own config; refuses an --out that would
// overwrite it before anything runs.
// What the surgery reads: the checkpoint, or the Hugging Face folder.
const std::string& source_of(const SurgeryFiles& files) {
  return files.checkpoint.empty() ? files.model : files.checkpoint;
}

std::unique_ptr<Session> load_for_surgery(const SurgeryFiles& files) {
  const auto& checkpoint = files.checkpoint;
  if (checkpoint.empty() == files.model.empty()) throw Error("give --checkpoint FILE or --model FOLDER (a Hugging Face model)");
  if (!files.model.empty()) {
    if (files.texts.empty()) throw Error("--model needs --text FILE..., the text to calibrate and measure on");
    refuse_overwrite(files.out, {files.model});
    RunConfig config = hf_run_config(files.model, files.texts);
    if (!files.device.empty()) config.device = files.device;
    if (files.threads >= 0) config.threads = files.threads;
    std::fprintf(stderr, "loading %s ...\n", files.model.c_str());
    return std::make_unique<Session>(config);
  }
  refuse_overwrite(files.out, {checkpoint});
  RunConfig config = checkpoint_config(checkpoint);
  if (!files.device.empty()) config.device = files.device;
  if (files.threads >= 0) config.threads = files.threads;
  std::fprintf(stderr, "loading %s ...\n", checkpoint.c_str());
  auto session = std::make_unique<Session>(config);
  session->load_checkpoint(checkpoint);
  return session;
}

// With --log: previews the surgery on the model as loaded (the window's Surgery dock does the
// same) and writes that preview, with the run's info, to a new run log, so that
// `moescope-cli plot --view surgery` draws it. The log is written beside its path and moved
// into place once complete.
void write_preview_log(Session& session, const SurgeryRequest& request, const SurgeryFiles& files) {
  if (files.log.empty()) return;
#ifdef MOESCOPE_HAVE_HDF5
  std::fprintf(stderr, "previewing the surgery for %s ...\n", files.log.c_str());
  const SurgeryPreview preview = session.preview_surgery(request);
  const std::string part = files.log + ".part";
  try {
    RunLogWriter log(part, session.run_info());
    log.on_surgery_preview(preview);
    log.flush();
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove(part, ec);
    throw;
  }
  move_into_place(part, files.log, "log");
  std::printf("preview written to %s (draw it: moescope-cli plot --log %s --view surgery --out surgery.svg)\n",
              files.log.c_str(), files.log.c_str());
#else
  (void)session;
  (void)request;
  throw Error("--log: this build has no HDF5 support (configure with -DMOESCOPE_HDF5=ON)");
#endif
}

// A progress line on stderr, every 10%.
std::function<bool(double)> progress_line(const char* what) {
  const bool tty = isatty(fileno(stderr)) != 0;
  auto last = std::make_shared<double>(-1.0);
  return [=](double share) {
    if (share - *last >= 0.1 || share >= 1.0) {
      std::fprintf(stderr, tty ? "\r%s: %3.0f%%%s" : "%s: %3.0f%%\n%s", what, 100.0 * share,
                   tty && share >= 1.0 ? "\n" : "");
      *last = share;
    }
    return true;
  };
}

std::string loss_text(const RunConfig& config, const EvalResult& e) {
  char text[96];
  if (config.model.task == "lm") std::snprintf(text, sizeof text, "%.4f bits/byte", e.loss / std::log(2.0));
  else std::snprintf(text, sizeof text, "%.4f (accuracy %.2f%%)", e.loss, 100.0 * e.accuracy);
  return text;
}

void print_measured(const RunConfig& config, const SurgeryMeasure& m) {
  std::printf("measured on the held-out split: %s before, %s after\n", loss_text(config, m.before).c_str(),
              loss_text(config, m.after).c_str());
}

void print_time(const SurgeryMeasure& m) {
  std::printf("time: calibration %.2f s, preview %.2f s, evaluation %.2f s\n", m.calibration_seconds,
              m.preview_seconds, m.evaluation_seconds);
}

// Prune and merge reports: all parameters and those one token touches, before and after.
template <class Report>
void print_parameters(const Report& r) {
  std::printf("parameters: %.3fM -> %.3fM (active per token %.3fM -> %.3fM)\n", double(r.parameters_before) / 1e6,
              double(r.parameters_after) / 1e6, double(r.active_before) / 1e6, double(r.active_after) / 1e6);
}

void write_outputs(Session& session, const nlohmann::json& report, const SurgeryFiles& files,
                   const char* what) {
  const auto& report_path = files.report;
  const auto& out = files.out;
  if (!report_path.empty()) {
    write_text_atomically(report_path, report.dump(2) + "\n");
    std::printf("report written to %s\n", report_path.c_str());
  }
  if (!out.empty() && !files.model.empty()) {
    save_hf_model(language_model(session, "saving a Hugging Face folder"), session.config().router, files.model, out);
    std::printf("%s model written to %s (a Hugging Face folder: AutoModelForCausalLM.from_pretrained(\"%s\"))\n", what,
                out.c_str(), out.c_str());
  } else if (!out.empty()) {
    session.save_checkpoint(out);
    std::printf("%s checkpoint written to %s (continue with: moescope-cli train --resume %s --steps N)\n",
                what, out.c_str(), out.c_str());
  }
}

}  // namespace

int run_merge(const MergeCommand& c) {
  MergeRequest request;
  try {
    request.options.method = parse_merge_method(c.method);
    request.options.router = parse_merge_router(c.router);
  } catch (const std::invalid_argument& e) {
    throw Error(std::string("--method/--router: ") + e.what());
  }
  request.options.experts = c.experts;
  request.options.align = c.align;
  request.calibration_tokens = c.files.calibration_tokens;
  auto session = load_for_surgery(c.files);
  SurgeryRequest preview;
  preview.kind = "merge";
  preview.method = c.method;
  preview.experts = c.experts;
  preview.align = c.align;
  preview.router = c.router;
  preview.calibration_tokens = c.files.calibration_tokens;
  write_preview_log(*session, preview, c.files);
  const auto report = merge_session(*session, request, progress_line("merging"));
  std::printf("merging the experts of %s into %lld per layer by %s%s, router: %s, %lld calibration tokens per layer\n",
              source_of(c.files).c_str(), static_cast<long long>(c.experts), merge_method_name(request.options.method),
              c.align ? " with permutation alignment" : "",
              request.options.router == MergeRouter::keep_logits ? "one logit per original expert" : "summed rows",
              static_cast<long long>(report.calibration_tokens));
  std::printf("%-5s  %-32s  %12s  %11s  %6s  %14s\n", "layer", "groups", "routed share", "merge error", "Gini",
              "recon. error");
  bool warned = false;
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const auto& p = report.layers[l];
    std::string groups;
    for (const auto& g : p.groups) {
      if (g.size() < 2) continue;
      std::string members;
      for (auto e : g) members += (members.empty() ? "" : "+") + std::to_string(e);
      groups += (groups.empty() ? "" : " ") + members;
    }
    const bool warn = p.largest_pair_error > kMergeErrorWarning;
    warned |= warn;
    std::printf("%-5zu  %-32s  %11.1f%%  %10.4f%s  %6.3f  %14.4f\n", l, groups.empty() ? "-" : groups.c_str(),
                100.0 * p.routed_share_merged, p.largest_pair_error, warn ? "!" : " ", report.importance_gini[l],
                p.reconstruction_error);
  }
  if (warned) {
    std::printf("! a pair of experts whose gate mix varies with the input (REAP merge error above %.2f): merging "
                "them is known to hurt generation; consider pruning that layer instead\n", kMergeErrorWarning);
  }
  const auto& config = session->config();
  print_measured(config, report);
  print_parameters(report);
  print_time(report);
  write_outputs(*session, to_json(report), c.files, "merged");
  return 0;
}

int run_quantize(const QuantizeCommand& c) {
  QuantizeRequest request;
  request.bits = c.bits;
  request.average_bits = c.average_bits;
  request.calibration_tokens = c.files.calibration_tokens;
  if (request.average_bits <= 0.0 && request.bits != 8 && request.bits != 4) {
    throw Error("--bits " + std::to_string(c.bits) + ": experts are quantized to 8 or 4 bits");
  }
  if (request.average_bits != 0.0 && !(request.average_bits >= 2.0 && request.average_bits <= 8.0)) {
    throw Error("--average-bits must be between 2 and 8");
  }
  auto session = load_for_surgery(c.files);
  SurgeryRequest preview;
  preview.kind = "quantize";
  preview.bits = c.bits;
  preview.average_bits = c.average_bits;
  preview.calibration_tokens = c.files.calibration_tokens;
  write_preview_log(*session, preview, c.files);
  const auto report = quantize_session(*session, request, progress_line("quantizing"));
  if (request.average_bits > 0.0) {
    std::printf("quantizing the experts of %s to %.2f bits on average, by usage, %lld calibration tokens per layer\n",
                source_of(c.files).c_str(), request.average_bits, static_cast<long long>(report.calibration_tokens));
  } else {
    std::printf("quantizing the experts of %s to int%lld per output channel, %lld calibration tokens per layer\n",
                source_of(c.files).c_str(), static_cast<long long>(request.bits),
                static_cast<long long>(report.calibration_tokens));
  }
  std::printf("%-5s  %-24s  %9s  %13s  %14s\n", "layer", "bits per expert", "mean bits", "weight error",
              "recon. error");
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const auto& p = report.layers[l];
    std::printf("%-5zu  %-24s  %9.2f  %13.6f  %14.6f\n", l, join(p.bits).c_str(), p.mean_bits, p.weight_error,
                p.reconstruction_error);
  }
  const auto& config = session->config();
  print_measured(config, report);
  print_time(report);
  write_outputs(*session, to_json(report), c.files, "quantized (weights on the integer grid, stored as float)");
  return 0;
}

int run_skip(const SkipCommand& c) {
  if (!(c.beta >= 0.0 && c.beta <= 1.0)) throw Error("--beta must be between 0 and 1");
  SkipRequest request;
  request.beta = c.beta;
  request.calibration_tokens = c.files.calibration_tokens;
  auto session = load_for_surgery(c.files);
  SurgeryRequest preview;
  preview.kind = "skip";
  preview.beta = c.beta;
  preview.calibration_tokens = c.files.calibration_tokens;
  write_preview_log(*session, preview, c.files);
  const auto report = skip_session(*session, request, progress_line("skipping"));
  std::printf("skipping each token's experts below %.2f x its top gate in %s, %lld calibration tokens per layer\n",
              c.beta, source_of(c.files).c_str(), static_cast<long long>(report.calibration_tokens));
  std::printf("%-5s  %26s  %14s\n", "layer", "assignments (FLOPs) skipped", "recon. error");
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const auto& p = report.layers[l];
    std::printf("%-5zu  %25.1f%%  %14.4f\n", l, 100.0 * p.skipped_share, p.reconstruction_error);
  }
  const auto& config = session->config();
  print_measured(config, report);
  print_time(report);
  write_outputs(*session, to_json(report), c.files, "skipping (router setting, inference only)");
  return 0;
}

int run_prune(const PruneCommand& c) {
  PruneRequest request;
  try {
    request.method = parse_prune_method(c.method);
  } catch (const std::invalid_argument& e) {
    throw Error(std::string("--method: ") + e.what());
  }
  request.keep = c.keep;
  request.keep_total = c.keep_total;
  request.calibration_tokens = c.files.calibration_tokens;
  if ((c.keep > 0) == (c.keep_total > 0)) throw Error("give --keep (per layer) or --keep-total (over all layers)");
  if (!c.files.log.empty() && c.keep_total > 0) {
    throw Error("--log previews a budget per layer: give --keep instead of --keep-total");
  }
  auto session = load_for_surgery(c.files);
  SurgeryRequest preview;
  preview.kind = "prune";
  preview.method = c.method;
  preview.experts = c.keep;
  preview.calibration_tokens = c.files.calibration_tokens;
  write_preview_log(*session, preview, c.files);
  const auto report = prune_session(*session, request, progress_line("pruning"));
  const auto& config = session->config();
  std::printf("pruning %s to %lld FFN experts %s by %s, %lld calibration tokens per layer (training split)\n",
              source_of(c.files).c_str(), static_cast<long long>(c.keep > 0 ? c.keep : c.keep_total),
              c.keep > 0 ? "per layer" : "over all layers", prune_method_name(request.method),
              static_cast<long long>(report.calibration_tokens));
  std::printf("%-5s  %-24s  %-16s  %13s  %13s  %14s\n", "layer", "kept", "removed", "routed share",
              "REAP saliency", "recon. error");
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const auto& p = report.layers[l];
    std::printf("%-5zu  %-24s  %-16s  %12.1f%%  %12.1f%%  %14.4f\n", l, join(p.keep).c_str(),
                join(p.removed).c_str(), 100.0 * p.routed_share_removed, 100.0 * p.saliency_removed,
                p.reconstruction_error);
  }
  print_measured(config, report);
  print_parameters(report);
  print_time(report);

  write_outputs(*session, to_json(report), c.files, "pruned");
  return 0;
}

int run_sweep(const SweepCommand& c) {
  SurgeryRequest base;
  const std::string& m = c.method;
  base.kind = m == "skip" ? "skip" : m == "quantize" ? "quantize" : (m == "hc-smoe" || m == "mc-smoe") ? "merge" : "prune";
  base.method = m;
  base.align = c.align;
  base.router = c.router;
  base.calibration_tokens = c.files.calibration_tokens;
  const auto& out = c.files.out;
  refuse_overwrite(out, {c.files.checkpoint});
  SurgeryFiles files = c.files;
  files.out.clear();  // the JSON, not a checkpoint
  auto session = load_for_surgery(files);
  const auto& config = session->config();
  const bool tty = isatty(fileno(stderr)) != 0;
  const auto sweep = sweep_surgery(*session, base, [&](double share, const std::string& what) {
    std::fprintf(stderr, tty ? "\rsweep: %3.0f%% (%s)   %s" : "sweep: %3.0f%% (%s)\n%s", 100.0 * share, what.c_str(),
                 tty && share >= 1.0 ? "\n" : "");
    return true;
  });
  const bool lm = config.model.task == "lm";
  const auto& first = sweep.points.front();
  std::printf("sweep of %s on %s, %lld calibration tokens per layer (one pass, %.2f s); before: %s\n", m.c_str(),
              c.files.checkpoint.c_str(), static_cast<long long>(first.calibration_tokens), first.calibration_seconds,
              loss_text(config, first.before).c_str());
  const char* x = base.kind == "skip" ? "beta" : base.kind == "quantize" ? "avg bits" : "experts";
  std::printf("%8s  %12s  %13s  %14s  %16s  %11s  %10s  %9s\n", x, "routed share", "saliency rem.", "recon. error",
              lm ? "bits/byte" : "accuracy", "parameters", "FLOPs kept", "preview");
  for (const auto& p : sweep.points) {
    const SurgeryMeans means = surgery_means(p);
    char cost[48];
    if (lm) std::snprintf(cost, sizeof cost, "%.4f (%+.4f)", p.after.loss / std::log(2.0), (p.after.loss - p.before.loss) / std::log(2.0));
    else std::snprintf(cost, sizeof cost, "%.2f%% (%+.2f)", 100.0 * p.after.accuracy, 100.0 * (p.after.accuracy - p.before.accuracy));
    char removed[16] = "-";  // saliency is removed by pruning only
    if (base.kind == "prune") std::snprintf(removed, sizeof removed, "%.1f%%", 100.0 * means.saliency_removed);
    std::printf("%8.3g  %11.1f%%  %13s  %14.4f  %16s  %10.3fM  %9.1f%%  %7.2f s\n", surgery_budget(p.request),
                100.0 * means.routed_share, removed, means.reconstruction_error, cost, double(p.parameters_after) / 1e6,
                100.0 * p.expert_flops_kept, p.preview_seconds);
  }
  write_text_atomically(out, to_json(sweep, config.model.task).dump(2) + "\n");
  std::printf("sweep written to %s\n", out.c_str());
  return 0;
}

int run_upcycle(const UpcycleCommand& c) {
  refuse_overwrite(c.out, {c.checkpoint});
  UpcycleRequest request;
  request.experts = c.experts;
  request.top_k = c.top_k;
  request.options.drop_ratio = c.drop_ratio;
  request.options.seed = c.seed;
  request.router_texts = c.router_texts;
  if (c.router_init == "random" && !c.router_texts.empty()) {
    throw Error("--router-init random: --router-texts are for the hidden initialisation; give one or the other");
  }
  request.router_hidden = c.router_init == "hidden" || !c.router_texts.empty();
  request.device = c.device;
  request.threads = c.threads;
  std::fprintf(stderr, "loading %s ...\n", c.checkpoint.c_str());
  UpcycleReport report;
  auto session = upcycle_checkpoint(c.checkpoint, request, report);
  const auto& config = session->config();
  std::printf("upcycling %s (dense, %lld steps, %lld tokens) into %lld experts top-%lld per block%s\n",
              c.checkpoint.c_str(), static_cast<long long>(report.dense_steps),
              static_cast<long long>(report.dense_tokens), static_cast<long long>(c.experts),
              static_cast<long long>(c.top_k),
              c.drop_ratio > 0.0 ? (", " + std::to_string(report.layers.empty() ? 0 : report.layers[0].dropped_units) +
                                    " of " + std::to_string(report.layers.empty() ? 0 : report.layers[0].hidden) +
                                    " hidden units re-initialised per expert (Drop-Upcycling)").c_str()
                                 : ", every expert a full copy (Sparse Upcycling)");
  if (report.router_sources.empty()) {
    std::printf("router: random initialisation (%s)\n", session->run_info().router.c_str());
  } else {
    std::printf("router (%s) initialised from the mean hidden states of example texts:", session->run_info().router.c_str());
    for (size_t e = 0; e < report.router_sources.size(); ++e) {
      std::printf(" %zu<-%s", e, std::filesystem::path(report.router_sources[e]).filename().c_str());
    }
    std::printf("\n");
  }
  std::printf("parameters: %.3fM -> %.3fM (active per token %.3fM -> %.3fM)\n", double(report.parameters_dense) / 1e6,
              double(report.parameters_moe) / 1e6, double(report.active_dense) / 1e6, double(report.active_moe) / 1e6);
  std::printf("measured on the held-out split before training: %s dense, %s upcycled\n",
              loss_text(config, report.dense).c_str(), loss_text(config, report.upcycled).c_str());
  if (!report.domains.empty() && report.dense.domain_loss.size() == report.domains.size() &&
      report.upcycled.domain_loss.size() == report.domains.size()) {
    std::printf("  bits/byte by domain (dense -> upcycled):");
    for (size_t d = 0; d < report.domains.size(); ++d) {
      std::printf(" %s %.3f -> %.3f", report.domains[d].c_str(), report.dense.domain_loss[d] / std::log(2.0),
                  report.upcycled.domain_loss[d] / std::log(2.0));
    }
    std::printf("\n");
  }
  std::printf("time: %.2f s\n", report.seconds);
  SurgeryFiles files;
  files.out = c.out;
  files.report = c.report;
  write_outputs(*session, to_json(report), files, "upcycled");
  return 0;
}

int run_merge_models(const MergeModelsCommand& c) {
  refuse_overwrite(c.out, c.checkpoints);
  ModelMergeRequest request;
  request.checkpoints = c.checkpoints;
  request.base = c.base;
  try {
    request.options.method = parse_model_merge_method(c.method);
  } catch (const std::invalid_argument& e) {
    throw Error(std::string("--method: ") + e.what());
  }
  request.options.weights = c.weights;
  request.options.lambda = c.lambda;
  request.options.density = c.density;
  request.align = c.align;
  request.barrier_points = c.barrier ? 11 : 0;
  request.device = c.device;
  request.threads = c.threads;
  if (!c.weights.empty() && c.weights.size() != c.checkpoints.size()) {
    throw Error("--weights: " + std::to_string(c.weights.size()) + " weights for " +
                std::to_string(c.checkpoints.size()) + " checkpoints");
  }
  std::fprintf(stderr, "loading %zu checkpoints ...\n", c.checkpoints.size() + (c.base.empty() ? 0 : 1));
  ModelMergeReport report;
  auto session = merge_model_checkpoints(request, report);
  const auto& config = session->config();
  const auto method = request.options.method;
  std::printf("merging %zu models by %s", c.checkpoints.size(), model_merge_method_name(method));
  if (method != ModelMergeMethod::linear) std::printf(" (base %s, lambda %g", c.base.c_str(), c.lambda);
  if (method == ModelMergeMethod::ties) std::printf(", density %g", c.density);
  std::printf("%s, %.3fM parameters\n", method != ModelMergeMethod::linear ? ")" : "", double(report.parameters) / 1e6);
  std::printf("measured on the held-out split:\n");
  const auto row = [&](const std::string& name, const EvalResult& e) {
    std::printf("  %-32s %s", name.c_str(), loss_text(config, e).c_str());
    if (e.domain_loss.size() == report.domains.size() && config.model.task != "classification") {
      for (size_t d = 0; d < report.domains.size(); ++d) {
        std::printf("  %s %.3f", report.domains[d].c_str(), e.domain_loss[d] / std::log(2.0));
      }
    }
    std::printf("\n");
  };
  for (const auto& a : report.alignments) {
    std::printf("aligned %s to %s: %lld units moved in %lld rounds, weight similarity %.4g -> %.4g (%.2f s)\n",
                a.checkpoint.c_str(), c.checkpoints[0].c_str(), static_cast<long long>(a.units_moved),
                static_cast<long long>(a.rounds), a.similarity_before, a.similarity_after, a.seconds);
  }
  const auto curve = [&](const char* name, const LossBarrier& b) {
    std::printf("  %-17s", name);
    for (double loss : b.loss) std::printf(" %.3f", config.model.task == "lm" ? loss / std::log(2.0) : loss);
    std::printf("  (barrier %.3f)\n", config.model.task == "lm" ? b.height() / std::log(2.0) : b.height());
  };
  if (c.barrier) {
    std::printf("held-out %s along (1 - a) %s + a %s, a = 0, 0.1, ..., 1:\n",
                config.model.task == "lm" ? "bits/byte" : "loss", c.checkpoints[0].c_str(), c.checkpoints[1].c_str());
    curve("before alignment", report.barrier_before);
    if (c.align) curve("after alignment", report.barrier_after);
  }
  for (size_t i = 0; i < c.checkpoints.size(); ++i) row(c.checkpoints[i], report.inputs[i]);
  if (method != ModelMergeMethod::linear) row(c.base + " (base)", report.base);
  row("merged", report.merged);
  std::printf("time: %.2f s\n", report.seconds);
  SurgeryFiles files;
  files.out = c.out;
  files.report = c.report;
  write_outputs(*session, to_json(report), files, "merged");
  return 0;
}

int run_btx(const BtxCommand& c) {
  refuse_overwrite(c.out, {c.seed});
  BtxRequest request;
  request.seed = c.seed;
  request.languages = c.languages;
  request.branch_steps = c.branch_steps;
  request.mix_steps = c.mix_steps;
  request.top_k = c.top_k;
  request.router_hidden = c.router_init == "hidden";
  request.out = c.out;
  request.branches_dir = c.branches_dir;
  request.device = c.device;
  request.threads = c.threads;
  ProgressPrinter progress(stdout);
  request.observers = {&progress};
  request.on_phase = [](const std::string& phase, int64_t, int64_t) {
    std::printf("== %s\n", phase.c_str());
    std::fflush(stdout);
  };
  if (!c.log.empty()) {
#ifdef MOESCOPE_HAVE_HDF5
    request.mix_log = [&c](const RunInfo& info) -> std::unique_ptr<SessionObserver> {
      auto log = std::make_unique<RunLogWriter>(c.log, info);
      std::fprintf(stderr, "logging the mixture's training to %s\n", c.log.c_str());
      return log;
    };
#else
    throw Error("--log: this build has no HDF5 support (configure with -DMOESCOPE_HDF5=ON)");
#endif
  }
  std::fprintf(stderr, "loading %s ...\n", c.seed.c_str());
  BtxReport report;
  branch_train_mix(request, report);
  std::printf("Branch-Train-MiX: %lld branches into %lld experts top-%lld per block, router %s\n",
              static_cast<long long>(report.experts), static_cast<long long>(report.experts),
              static_cast<long long>(report.top_k), report.router_init.c_str());
  std::printf("parameters: %.3fM dense -> %.3fM MoE (active per token %.3fM -> %.3fM)\n",
              double(report.parameters_dense) / 1e6, double(report.parameters_moe) / 1e6,
              double(report.active_dense) / 1e6, double(report.active_moe) / 1e6);
  std::printf("measured on the held-out split, bits/byte:\n  %-22s %-9s", "model", "overall");
  for (const auto& d : report.domains) std::printf(" %-7s", d.c_str());
  std::printf("\n");
  const auto row = [&](const std::string& name, const EvalResult& e) {
    std::printf("  %-22s %-9.4f", name.c_str(), e.loss / std::log(2.0));
    for (size_t d = 0; d < report.domains.size(); ++d) {
      std::printf(" %-7.4f", d < e.domain_loss.size() ? e.domain_loss[d] / std::log(2.0) : std::nan(""));
    }
    std::printf("\n");
  };
  row("seed", report.seed);
  for (const auto& b : report.branches) row("branch " + b.language, b.eval);
  row("mixed, before training", report.mixed);
  if (c.mix_steps > 0) row("mixed, trained", report.trained);
  std::printf("tokens: %lld seed + %lld branches + %lld after the mix = %lld in all\n",
              static_cast<long long>(report.seed_tokens),
              static_cast<long long>(report.total_tokens() - report.seed_tokens - report.mix_tokens),
              static_cast<long long>(report.mix_tokens), static_cast<long long>(report.total_tokens()));
  std::printf("time: branches %.1f s, mix %.1f s, training %.1f s\n", report.branch_seconds, report.mix_seconds,
              report.train_seconds);
  if (!c.report.empty()) {
    write_text_atomically(c.report, to_json(report).dump(2) + "\n");
    std::printf("report written to %s\n", c.report.c_str());
  }
  std::printf("mixed checkpoint written to %s (continue with: moescope-cli train --resume %s --steps N)\n",
              c.out.c_str(), c.out.c_str());
  return 0;
}

}  // namespace moescope
