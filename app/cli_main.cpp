// moescope-cli: train a MoE model headless, with the same Session the window drives.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#ifdef MOESCOPE_HAVE_PLOT
#include "cli_plot.h"
#endif
#include "cli_progress.h"
#include "cli_hf.h"
#include "cli_safetensors.h"
#include "cli_surgery.h"
#include "engine/device.h"
#include "engine/openmp_policy.h"
#include "engine/run_job.h"
#include "engine/session.h"
#include "base/error.h"
#include "train/checkpoint.h"
#include "train/config.h"
#include "train/memory_estimate.h"
#ifdef MOESCOPE_HAVE_HDF5
#include "csv_export.h"
#include "log_repair.h"
#include "run_log_reader.h"
#include "run_log_writer.h"
#endif

namespace {

std::atomic<bool> g_interrupted{false};
void on_interrupt(int) { g_interrupted = true; }

struct TrainOptions {
  std::string preset, config_file, device, precision, log, checkpoint, resume, router;
  std::string on_pause = "stop";  // what a run that pauses itself does: stop or wait
  bool ignore_memory_estimate = false;
  int64_t steps = 0, threads = -1, checkpoint_every = 0;
  std::vector<std::string> interventions;  // STEP:KIND=VALUE
};

// Parses "120:bias_rate=0.01". Kinds: lr, balance_coef, temperature, capacity_factor,
// bias_rate (0 turns aux-loss-free balancing off), reinit (re-initialise experts under the
// given utilisation).
moescope::ScheduledCommand parse_intervention(const std::string& text) {
  using namespace moescope;
  const auto colon = text.find(':'), equals = text.find('=');
  if (colon == std::string::npos || equals == std::string::npos || equals < colon) {
    throw Error("--intervene " + text + ": expected STEP:KIND=VALUE, e.g. 100:bias_rate=0.01");
  }
  ScheduledCommand s{};
  const std::string kind = text.substr(colon + 1, equals - colon - 1);
  double value = 0.0;
  try {
    s.step = std::stoll(text.substr(0, colon));
    value = std::stod(text.substr(equals + 1));
  } catch (const std::exception&) {
    throw Error("--intervene " + text + ": STEP and VALUE must be numbers");
  }
  if (s.step < 1) throw Error("--intervene " + text + ": STEP must be at least 1");
  if (kind == "lr") s.command = SetLearningRate{value};
  else if (kind == "balance_coef") s.command = SetBalanceCoefficient{value};
  else if (kind == "temperature") s.command = SetRouterTemperature{value};
  else if (kind == "capacity_factor") s.command = SetCapacityFactor{value};
  else if (kind == "bias_rate") s.command = SetBiasBalancing{value > 0.0, value};
  else if (kind == "reinit") s.command = ReinitDeadExperts{value};
  else {
    throw Error("--intervene " + text + ": unknown kind '" + kind +
                "' (lr, balance_coef, temperature, capacity_factor, bias_rate, reinit)");
  }
  return s;
}

// Exit status of a run that paused itself and stopped (see --on-pause).
constexpr int kExitPaused = 3;

int train(const TrainOptions& o) {
  using namespace moescope;
  // Resuming without a config or preset takes the checkpoint's own (a pruned model's too).
  RunConfig config = !o.config_file.empty() ? load_config_file(o.config_file)
                     : !o.preset.empty() || o.resume.empty() ? preset_config(o.preset.empty() ? "lm-fortunes" : o.preset)
                                                             : checkpoint_config(o.resume);
  if (o.steps > 0) config.train.steps = o.steps;
  if (!o.device.empty()) config.device = o.device;
  if (!o.precision.empty()) config.precision = o.precision;
  if (!o.router.empty()) {
    const auto kind = parse_choice<RouterKind>(o.router);
    if (!kind) {
      throw Error("--router " + o.router + ": not a routing method (known: " +
                  choice_list<RouterKind>() + ")");
    }
    config.router.kind = *kind;
  }
  // A config that cannot run, or cannot fit, is refused here with its source named.
  const std::string source = !o.config_file.empty() ? o.config_file
                             : o.preset.empty() && !o.resume.empty() ? o.resume
                                                                     : "preset " + config.preset;
  try {
    validate(config);
    if (!o.ignore_memory_estimate) check_memory(config, describe_device(resolve_device(config.device)));
  } catch (const Error& e) {
    const std::string what = e.what();
    throw Error(what.rfind(source, 0) == 0 ? what : source + ": " + what);
  }
  RunJobSpec spec;
  for (const auto& text : o.interventions) spec.schedule.push_back(parse_intervention(text));
  if (o.threads >= 0) config.threads = o.threads;
  spec.config = config;
  spec.resume_path = o.resume;
  spec.checkpoint_path = o.checkpoint;
  spec.checkpoint_every = o.checkpoint.empty() ? 0 : o.checkpoint_every;
  spec.check_memory = false;  // checked above, naming the config's source

  LogFactory make_log;
  if (!o.log.empty()) {
#ifdef MOESCOPE_HAVE_HDF5
    make_log = [&o](const RunInfo& info) -> std::unique_ptr<SessionObserver> {
      auto log = std::make_unique<RunLogWriter>(o.log, info);
      std::fprintf(stderr, "logging to %s (HDF5, SWMR: readable while the run goes on)\n", o.log.c_str());
      return log;
    };
#else
    throw Error("--log: this build has no HDF5 support (configure with -DMOESCOPE_HDF5=ON)");
#endif
  }
  std::fprintf(stderr, "loading %s ...\n", config.preset.c_str());
  std::fprintf(stderr, "memory estimate: %s at its peak; %s\n", estimate_memory(config).summary().c_str(),
               memory_available("cpu").source.c_str());
  ProgressPrinter progress(stdout);
  // Says where a resumed run starts, once the checkpoint is loaded.
  struct ResumeNote final : SessionObserver {
    const std::string& path;
    const RunJob* job = nullptr;
    explicit ResumeNote(const std::string& p) : path(p) {}
    void on_run_info(const RunInfo&) override {
      if (!path.empty()) {
        std::fprintf(stderr, "resumed from %s at step %lld\n", path.c_str(),
                     static_cast<long long>(job->step()));
      }
    }
  } resume_note(o.resume);
  // A headless run that pauses itself (a non-finite loss, before the update) has nobody to
  // resume it: unless told to wait, it stops there, so the final checkpoint holds the state
  // before the failing step and the exit status says what happened.
  struct PauseStop final : SessionObserver {
    RunJob* job = nullptr;
    bool stop = true;
    std::string message;
    void on_state(const SessionState& s) override {
      if (s.state != RunState::Paused || !message.empty()) return;
      message = s.message.empty() ? "paused" : s.message;
      if (stop) job->post(StopCommand{});
    }
  } pause_stop;
  pause_stop.stop = o.on_pause == "stop";
  RunJob job(std::move(spec), {&resume_note, &progress, &pause_stop}, make_log);
  resume_note.job = &job;
  pause_stop.job = &job;

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done) {
      if (g_interrupted) {
        job.post(StopCommand{});
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  int status = 0;
  try {
    job.run();
  } catch (...) {
    done = true;
    watcher.join();
    throw;
  }
  done = true;
  watcher.join();
  if (!o.checkpoint.empty()) {
    std::fprintf(stderr, "checkpoint saved to %s (step %lld)\n", o.checkpoint.c_str(),
                 static_cast<long long>(job.step()));
  }
  if (g_interrupted) status = 130;
  else if (!pause_stop.message.empty()) {
    std::fprintf(stderr,
                 "moescope-cli: the run paused itself (%s) and stopped at step %lld, since a "
                 "headless run has nobody to resume it (--on-pause wait waits instead)%s\n",
                 pause_stop.message.c_str(), static_cast<long long>(job.step()),
                 o.checkpoint.empty() ? ""
                                      : "; the checkpoint holds the state before the failing "
                                        "step: resume from it once the cause is fixed");
    status = kExitPaused;
  }
  return status;
}

// moescope-cli check: exit status 1 when any checkpoint fails, each failure named on stderr.
int check_checkpoints(const std::vector<std::string>& paths) {
  using namespace moescope;
  int status = 0;
  for (const auto& path : paths) {
    try {
      int64_t format = 0;
      RunConfig config = checkpoint_config(path, nullptr, &format);
      config.threads = 1;
      Session session(config);
      session.load_checkpoint(path);
      std::printf("%s: %s at step %lld, format %lld: %s\n", path.c_str(), config.preset.c_str(),
                  static_cast<long long>(session.step()), static_cast<long long>(format),
                  format >= 3 ? "loads whole, every checksum matches"
                              : "loads whole (no checksums before format 3)");
    } catch (const std::exception& e) {
      std::fprintf(stderr, "moescope-cli: error: %s\n", e.what());
      status = 1;
    }
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  moescope::bound_openmp_spinning(argv);
  CLI::App app{"MoE Scope: train Mixture-of-Experts models and log their routing"};
  app.require_subcommand(1);

  TrainOptions o;
  auto* train_cmd = app.add_subcommand("train", "Train a model from a preset or a JSON config");
  auto* preset = train_cmd->add_option("--preset", o.preset, "Preset: lm-fortunes (default), vision-fmnist or collapse-demo");
  train_cmd->add_option("--config", o.config_file, "JSON config: {\"preset\": ..., \"model\": {...}, \"train\": {...}}")
      ->excludes(preset);
  train_cmd->add_option("--steps", o.steps, "Optimizer steps (overrides the preset)")->check(CLI::Range(int64_t{1}, int64_t{100000000}));
  train_cmd->add_option("--router", o.router,
                        "Routing: " + moescope::choice_list<moescope::RouterKind>() +
                            " (other router options: the \"router\" section of --config; docs/routers.md)");
  train_cmd->add_option("--intervene", o.interventions,
                        "STEP:KIND=VALUE, repeatable: after STEP, set KIND (lr, balance_coef, "
                        "temperature, capacity_factor, bias_rate; 0 = off) or reinit dead experts "
                        "(VALUE = utilisation threshold, e.g. 0.05)");
  train_cmd->add_option("--device", o.device, "auto (CUDA if present), cpu, cuda or cuda:N");
  train_cmd->add_option("--precision", o.precision,
                        "auto (bf16 autocast on CUDA, float32 on the CPU), fp32 or bf16")
      ->check(CLI::IsMember({"auto", "fp32", "bf16"}));
  train_cmd->add_option("--threads", o.threads, "LibTorch intra-op threads (0 = all cores)")->check(CLI::Range(int64_t{0}, int64_t{1024}));
  train_cmd->add_option("--log", o.log, "HDF5 run log to write (see docs/hdf5-log.md)");
  train_cmd->add_option("--checkpoint", o.checkpoint, "Checkpoint to write at the end (and on Ctrl-C)");
  train_cmd->add_option("--checkpoint-every", o.checkpoint_every, "Also write the checkpoint every N steps")->check(CLI::NonNegativeNumber);
  train_cmd->add_option("--resume", o.resume,
                        "Checkpoint to resume from (its own config unless --config or --preset is given)");
  train_cmd->add_option("--on-pause", o.on_pause,
                        "When the run pauses itself (a non-finite loss): stop (default: final "
                        "checkpoint of the last good state, exit status 3) or wait (for Ctrl-C)")
      ->check(CLI::IsMember({"stop", "wait"}));
  train_cmd->add_flag("--ignore-memory-estimate", o.ignore_memory_estimate,
                      "Start even when the estimated peak memory exceeds the memory available");

  std::vector<std::string> check_paths;
  auto* check_cmd = app.add_subcommand(
      "check", "Verify checkpoints: each loads whole into its model and every tensor matches its checksum");
  check_cmd->add_option("checkpoints", check_paths, "Checkpoint files")->required();

  auto* presets_cmd = app.add_subcommand("presets", "List the presets");
  std::string show_preset;
  auto* config_cmd = app.add_subcommand("config", "Print a preset's full JSON config (a starting point for --config)");
  config_cmd->add_option("preset", show_preset, "Preset name")->required();

  // The options every surgery command shares.
  const auto add_files = [](CLI::App* cmd, moescope::SurgeryFiles& f, const std::string& verb) {
    cmd->add_option("--checkpoint", f.checkpoint, "Checkpoint to " + verb);
    cmd->add_option("--model", f.model, "Or a Hugging Face model folder to " + verb + " (--out is then a folder transformers loads)");
    cmd->add_option("--text", f.texts, "With --model: text files to calibrate and measure on, each a domain")->expected(1, 256);
    cmd->add_option("--calibration-tokens", f.calibration_tokens,
                    "Tokens of the training split per layer for the calibration pass")
        ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{10000000}));
    cmd->add_option("--out", f.out, "Checkpoint to write (train --resume continues it)");
    cmd->add_option("--report", f.report, "JSON report to write");
    cmd->add_option("--log", f.log,
                    "HDF5 run log to write the surgery's preview to (plan, expert similarity, clustering, predicted "
                    "and measured cost; draw it with plot --view surgery)");
    cmd->add_option("--device", f.device, "auto, cpu, cuda or cuda:N (default: the checkpoint's)");
    cmd->add_option("--threads", f.threads, "LibTorch intra-op threads (0 = all cores)")
        ->check(CLI::Range(int64_t{0}, int64_t{1024}));
  };
  moescope::PruneCommand prune;
  auto* prune_cmd = app.add_subcommand(
      "prune", "Remove the least important experts of every MoE layer of a checkpoint (docs/surgery.md)");
  add_files(prune_cmd, prune.files, "prune");
  auto* keep = prune_cmd->add_option("--keep", prune.keep, "FFN experts to keep in every MoE layer")
      ->check(CLI::Range(int64_t{1}, int64_t{65536}));
  prune_cmd->add_option("--keep-total", prune.keep_total,
                        "Instead: FFN experts to keep over all layers, spread by score (frequency or reap)")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}))->excludes(keep);
  prune_cmd->add_option("--method", prune.method,
                        "frequency (most routed assignments), reap (mean gate x expert output norm) or subset (the kept set with the lowest layer-output error, NAEE)")
      ->capture_default_str();

  moescope::MergeCommand merge;
  auto* merge_cmd = app.add_subcommand(
      "merge", "Merge the experts of every MoE layer of a checkpoint into fewer (docs/surgery.md)");
  add_files(merge_cmd, merge.files, "merge");
  merge_cmd->add_option("--experts", merge.experts, "FFN experts after merging, in every MoE layer")
      ->required()->check(CLI::Range(int64_t{1}, int64_t{65536}));
  merge_cmd->add_option("--method", merge.method,
                        "hc-smoe (average-linkage clustering of the experts' mean outputs) or mc-smoe (the most-used experts lead, the others join the one whose router logits are most alike)")
      ->capture_default_str();
  merge_cmd->add_flag("--align", merge.align,
                      "Permutation-align each member's hidden units to its group's leader (Hungarian matching) before averaging");
  merge_cmd->add_option("--router", merge.router,
                        "keep: one logit per original expert, pointing at its merged expert; sum: one row per merged expert, the members' rows summed")
      ->capture_default_str()->check(CLI::IsMember({"keep", "sum"}));

  moescope::QuantizeCommand quantize;
  auto* quantize_cmd = app.add_subcommand(
      "quantize", "Round the experts of a checkpoint to int8 / int4 per output channel (simulated; docs/surgery.md)");
  add_files(quantize_cmd, quantize.files, "quantize");
  auto* bits = quantize_cmd->add_option("--bits", quantize.bits, "Bits of every FFN expert: 8 or 4")->capture_default_str();
  quantize_cmd->add_option("--average-bits", quantize.average_bits,
                           "Instead: bits per expert by usage (8, 4 or 2) under this mean, 2 to 8")
      ->excludes(bits);

  moescope::SkipCommand skip;
  auto* skip_cmd = app.add_subcommand(
      "skip", "Skip, at inference, each token's experts whose gate is below BETA x its top gate (docs/surgery.md)");
  add_files(skip_cmd, skip.files, "change");
  skip_cmd->add_option("--beta", skip.beta, "0 skips nothing, 1 keeps only each token's top expert")
      ->required()->check(CLI::Range(0.0, 1.0));

  moescope::SweepCommand sweep;
  auto* sweep_cmd = app.add_subcommand(
      "surgery-sweep",
      "Preview one surgery method at every budget (experts E-1..top-k, beta 0..1, average bits 8..2): predicted and measured cost per point (docs/surgery.md)");
  sweep_cmd->add_option("--checkpoint", sweep.files.checkpoint, "Checkpoint to sweep")->required();
  sweep_cmd->add_option("--method", sweep.method,
                        "reap, frequency or subset (pruning), hc-smoe or mc-smoe (merging), skip or quantize")
      ->capture_default_str()
      ->check(CLI::IsMember({"reap", "frequency", "subset", "hc-smoe", "mc-smoe", "skip", "quantize"}));
  sweep_cmd->add_option("--out", sweep.files.out, "JSON file of the sweep's points")->required();
  sweep_cmd->add_flag("--align", sweep.align, "Merging: permutation-align hidden units before averaging");
  sweep_cmd->add_option("--router", sweep.router, "Merging: keep or sum (see merge --help)")
      ->capture_default_str()->check(CLI::IsMember({"keep", "sum"}));
  sweep_cmd->add_option("--calibration-tokens", sweep.files.calibration_tokens,
                        "Tokens of the training split per layer for the (one) calibration pass")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  sweep_cmd->add_option("--device", sweep.files.device, "auto, cpu, cuda or cuda:N (default: the checkpoint's)");
  sweep_cmd->add_option("--threads", sweep.files.threads, "LibTorch intra-op threads (0 = all cores)")
      ->check(CLI::Range(int64_t{0}, int64_t{1024}));

  moescope::UpcycleCommand upcycle;
  auto* upcycle_cmd = app.add_subcommand(
      "upcycle", "Turn a dense language-model checkpoint into an MoE whose experts start as copies of each block's FFN "
                 "(Sparse Upcycling; Drop-Upcycling with --drop-ratio), measured before any training");
  upcycle_cmd->add_option("--checkpoint", upcycle.checkpoint, "Dense checkpoint (model.ffn = \"dense\") to upcycle")
      ->required();
  upcycle_cmd->add_option("--experts", upcycle.experts, "FFN experts per MoE layer")
      ->required()->check(CLI::Range(int64_t{1}, int64_t{4096}));
  upcycle_cmd->add_option("--top-k", upcycle.top_k,
                          "Experts per token: 1 keeps the dense model's active parameters, 2 doubles the FFN's")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{4096}));
  upcycle_cmd->add_option("--drop-ratio", upcycle.drop_ratio,
                          "Share of each expert's hidden units re-initialised from the weights' statistics (0.5 was "
                          "Drop-Upcycling's best)")
      ->capture_default_str()->check(CLI::Range(0.0, 1.0));
  upcycle_cmd->add_option("--router-init", upcycle.router_init,
                          "random (default), or hidden: each router row from the mean hidden state of training text of "
                          "language e mod 4 (the corpus's; --router-texts gives files instead)")
      ->check(CLI::IsMember({"random", "hidden"}));
  upcycle_cmd->add_option("--router-texts", upcycle.router_texts,
                          "Initialise each router row from the mean hidden state of example texts (mergekit-moe's "
                          "hidden mode): expert e reads file e mod the number of files")
      ->expected(1, 4096)->check(CLI::ExistingFile);
  upcycle_cmd->add_option("--seed", upcycle.seed, "Seed of the dropped units and their new values")->capture_default_str();
  upcycle_cmd->add_option("--out", upcycle.out, "MoE checkpoint to write (train --resume trains it)")->required();
  upcycle_cmd->add_option("--report", upcycle.report, "JSON report to write");
  upcycle_cmd->add_option("--device", upcycle.device, "auto, cpu, cuda or cuda:N (default: the checkpoint's)");
  upcycle_cmd->add_option("--threads", upcycle.threads, "LibTorch intra-op threads (0 = all cores)")
      ->check(CLI::Range(int64_t{0}, int64_t{1024}));

  moescope::MergeModelsCommand merge_models;
  auto* merge_models_cmd = app.add_subcommand(
      "merge-models", "Merge checkpoints of one architecture in weight space: linear average, task arithmetic or TIES "
                      "on their differences from a base (docs/merging.md)");
  merge_models_cmd->add_option("--checkpoints", merge_models.checkpoints, "Two checkpoints or more to merge")
      ->required()->expected(2, 64);
  merge_models_cmd->add_option("--base", merge_models.base,
                               "The models' common start (task_arithmetic and ties merge the differences from it)");
  merge_models_cmd->add_option("--method", merge_models.method, "linear, task_arithmetic or ties")
      ->capture_default_str()->check(CLI::IsMember({"linear", "task_arithmetic", "ties"}));
  merge_models_cmd->add_option("--weights", merge_models.weights, "linear: one weight per checkpoint (default: equal)");
  merge_models_cmd->add_option("--lambda", merge_models.lambda, "task_arithmetic, ties: scale of the merged difference")
      ->capture_default_str();
  merge_models_cmd->add_option("--density", merge_models.density,
                               "ties: share of each difference's entries kept, largest first, per tensor")
      ->capture_default_str()->check(CLI::Range(1e-6, 1.0));
  merge_models_cmd->add_flag("--align", merge_models.align,
                             "Permutation-align every model (and the base) to the first before merging: residual "
                             "channels, attention heads, experts with their router rows, hidden units (weight matching)");
  merge_models_cmd->add_flag("--barrier", merge_models.barrier,
                             "Measure the held-out loss at 11 points on the straight path between the first two "
                             "models (before and, with --align, after alignment)");
  merge_models_cmd->add_option("--out", merge_models.out, "Checkpoint to write (train --resume trains it)")->required();
  merge_models_cmd->add_option("--report", merge_models.report, "JSON report to write");
  merge_models_cmd->add_option("--device", merge_models.device, "auto, cpu, cuda or cuda:N (default: the first checkpoint's)");
  merge_models_cmd->add_option("--threads", merge_models.threads, "LibTorch intra-op threads (0 = all cores)")
      ->check(CLI::Range(int64_t{0}, int64_t{1024}));

  moescope::BtxCommand btx;
  auto* btx_cmd = app.add_subcommand(
      "btx", "Branch-Train-MiX: train one copy of a dense seed per language, mix their FFNs as the experts of one "
             "MoE (attention, embeddings and norms averaged), then train the mixture (docs/merging.md)");
  btx_cmd->add_option("--seed", btx.seed, "Dense language-model checkpoint to branch from")->required()->check(CLI::ExistingFile);
  btx_cmd->add_option("--languages", btx.languages, "One branch per language (default: every language of the corpus)")
      ->expected(1, 64);
  btx_cmd->add_option("--branch-steps", btx.branch_steps, "Optimizer steps of each branch, on its language only")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{100000000}));
  btx_cmd->add_option("--mix-steps", btx.mix_steps, "Optimizer steps of the mixed MoE, on every language")
      ->capture_default_str()->check(CLI::Range(int64_t{0}, int64_t{100000000}));
  btx_cmd->add_option("--top-k", btx.top_k, "Experts per token of the mixed model (one expert per branch)")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{64}));
  btx_cmd->add_option("--router-init", btx.router_init,
                      "hidden: each expert's router row from its branch's mean hidden state on its language; random")
      ->capture_default_str()->check(CLI::IsMember({"hidden", "random"}));
  btx_cmd->add_option("--branches-dir", btx.branches_dir,
                      "Keep the branches (branch_LANG.pt) and the mixed model before training (mixed.pt) here");
  btx_cmd->add_option("--log", btx.log, "HDF5 run log of the mixture's training (the language x expert view reads it)");
  btx_cmd->add_option("--out", btx.out, "Mixed checkpoint to write (train --resume trains it further)")->required();
  btx_cmd->add_option("--report", btx.report, "JSON report to write");
  btx_cmd->add_option("--device", btx.device, "auto, cpu, cuda or cuda:N (default: the seed's)");
  btx_cmd->add_option("--threads", btx.threads, "LibTorch intra-op threads (0 = all cores)")
      ->check(CLI::Range(int64_t{0}, int64_t{1024}));

  std::string safetensors_file, safetensors_copy;
  auto* safetensors_cmd = app.add_subcommand(
      "safetensors", "Check a safetensors file and list its tensors (name, dtype, shape, sum of the values)");
  safetensors_cmd->add_option("file", safetensors_file, "The .safetensors file")->required();
  safetensors_cmd->add_option("--copy", safetensors_copy, "Write the tensors again, with MoE Scope's writer, to this file");

  moescope::ForwardCommand forward;
  auto* forward_cmd = app.add_subcommand(
      "forward", "Run token ids through a Hugging Face MoE model folder; write its logits and router logits (safetensors)");
  forward_cmd->add_option("--model", forward.model, "Model folder: config.json and model.safetensors (or shards)")->required();
  forward_cmd->add_option("--tokens", forward.tokens, "JSON file: a list of equally long lists of token ids")->required();
  forward_cmd->add_option("--out", forward.out, "safetensors file to write: logits [B, S, vocab], router_logits.L [B*S, E]")
      ->required();
  forward_cmd->add_option("--dtype", forward.dtype, "float32 or bf16")->capture_default_str()
      ->check(CLI::IsMember({"float32", "bf16"}));
  forward_cmd->add_option("--device", forward.device, "cpu, cuda or cuda:N")->capture_default_str();

  moescope::InspectCommand inspect;
  auto* inspect_cmd = app.add_subcommand(
      "inspect", "Run text through a Hugging Face MoE model folder: its loss, per-file loss and load balance, and a run log for the views");
  inspect_cmd->add_option("--model", inspect.model, "Model folder: config.json, safetensors, tokenizer.json")->required();
  inspect_cmd->add_option("--text", inspect.texts, "Text files, each a domain named after the file")->required()->expected(1, 256);
  inspect_cmd->add_option("--tokens", inspect.tokens, "At most this many tokens of each file (0: all)")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  inspect_cmd->add_option("--sequence", inspect.sequence, "Tokens per window")->capture_default_str()
      ->check(CLI::Range(int64_t{2}, int64_t{1} << 20));
  inspect_cmd->add_option("--batch-size", inspect.batch_size, "Windows per forward")->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{65536}));
  inspect_cmd->add_option("--log", inspect.log, "HDF5 run log to write: routing snapshots, trajectories, domain x expert load");
  inspect_cmd->add_option("--device", inspect.device, "cpu, cuda or cuda:N")->capture_default_str();
  inspect_cmd->add_option("--precision", inspect.precision, "fp32 or bf16 (autocast)")->capture_default_str()
      ->check(CLI::IsMember({"fp32", "bf16", "auto"}));
  inspect_cmd->add_option("--threads", inspect.threads, "LibTorch intra-op threads (0 = all cores)")
      ->check(CLI::Range(int64_t{0}, int64_t{1024}));

  std::string export_hf_checkpoint, export_hf_out;
  auto* export_hf_cmd = app.add_subcommand(
      "export-hf", "Write a checkpoint of an architecture: mixtral model as a Hugging Face MixtralForCausalLM folder");
  export_hf_cmd->add_option("--checkpoint", export_hf_checkpoint, "Checkpoint of a model.architecture = mixtral run")->required();
  export_hf_cmd->add_option("--out", export_hf_out, "Folder to write (new, or empty)")->required();

  moescope::TokenizeCommand tokenize;
  auto* tokenize_cmd = app.add_subcommand("tokenize", "Encode text with a tokenizer.json (or a model folder's), as the tokenizers library does");
  tokenize_cmd->add_option("--tokenizer", tokenize.tokenizer, "tokenizer.json, or a model folder holding one")->required();
  auto* tokenize_text = tokenize_cmd->add_option("--text", tokenize.text, "UTF-8 text file, encoded whole");
  tokenize_cmd->add_option("--texts", tokenize.texts, "JSON list of strings, each encoded on its own")->excludes(tokenize_text);
  tokenize_cmd->add_option("--out", tokenize.out, "JSON to write: ids, decoded text and token texts of each input");
  tokenize_cmd->add_flag("--no-special", tokenize.no_special, "Leave out the post-processor's special tokens (e.g. <s>)");

#ifdef MOESCOPE_HAVE_HDF5
  std::string export_log, export_what, export_out;
  int64_t export_step = -1;
  auto* export_cmd = app.add_subcommand("export", "A run log's series or routing tables as CSV, in long form (pandas.read_csv reads them as written)");
  export_cmd->add_option("--log", export_log, "HDF5 run log")->required();
  export_cmd->add_option("--what", export_what, "Table:\n" + moescope::csv_table_help())->required()
      ->check(CLI::IsMember(moescope::csv_tables()));
  export_cmd->add_option("--step", export_step, "Routing tables: only the snapshot of this step; series: rows up to it")
      ->check(CLI::NonNegativeNumber);
  export_cmd->add_option("--out", export_out, "CSV file to write")->required();
  std::vector<std::string> repair_logs;
  bool repair_force = false;
  auto* repair_cmd = app.add_subcommand(
      "repair", "Make a killed run's log open in every HDF5 reader (h5py's File(path, \"r\"), h5ls, HDFView): "
                "clears the consistency flags a writer that died left set; a log still being written is refused");
  repair_cmd->add_option("logs", repair_logs, "HDF5 run logs")->required();
  repair_cmd->add_flag("--force", repair_force, "Repair even though its writer mark names a live process");
#endif
#ifdef MOESCOPE_HAVE_PLOT
  moescope::PlotCommand plot;
  auto* plot_cmd = app.add_subcommand(
      "plot", "Publication figures of a run log's views, with no window: PNG, SVG or PDF by the --out suffix; an animation "
              "over --steps A:B as numbered PNG frames in --out-dir, or --out .mp4 / .gif (encoding needs ffmpeg)");
  plot_cmd->add_option("--log", plot.log, "HDF5 run log to draw")->required();
  plot_cmd->add_option("--view", plot.view,
                       "loss, heatmap, timeline, gating, trajectories, tokens, modality, alerts or surgery");
  plot_cmd->add_flag("--all", plot.all, "Every view at the last step (or --step) into --out-dir, as .svg (or --out's suffix)");
  plot_cmd->add_option("--layer", plot.layer, "MoE layer of the per-layer views (default: the first)")
      ->check(CLI::Range(int64_t{0}, int64_t{4096}));
  auto* plot_step = plot_cmd->add_option("--step", plot.step, "Step to show (default: the last)")->check(CLI::NonNegativeNumber);
  plot_cmd->add_option("--steps", plot.steps, "A:B: one frame per routing snapshot in these steps (an animation)")
      ->excludes(plot_step);
  plot_cmd->add_option("--size", plot.size, "WxH in inches (default: the view's own, 3.3 in wide for one column)");
  plot_cmd->add_option("--dpi", plot.dpi, "PNG resolution; curves are decimated to it in every format")
      ->capture_default_str()->check(CLI::Range(int64_t{30}, int64_t{2400}));
  plot_cmd->add_option("--fps", plot.fps, "Frames per second of an .mp4 or .gif")
      ->capture_default_str()->check(CLI::Range(int64_t{1}, int64_t{120}));
  plot_cmd->add_option("--out", plot.out, "Figure to write: .svg, .png or .pdf (an animation: .mp4 or .gif)");
  plot_cmd->add_option("--out-dir", plot.out_dir, "Folder for --all, or for an animation's PNG frames");
#endif

  CLI11_PARSE(app, argc, argv);
  try {
    if (*check_cmd) return check_checkpoints(check_paths);
    if (*presets_cmd) {
      for (const auto& name : moescope::preset_names()) std::printf("%s\n", name.c_str());
      return 0;
    }
    if (*config_cmd) {
      std::printf("%s\n", moescope::to_json_string(moescope::preset_config(show_preset)).c_str());
      return 0;
    }
#ifdef MOESCOPE_HAVE_HDF5
    if (*export_cmd) {
      const auto rows = moescope::write_csv(moescope::read_run_log(export_log), export_what, export_out, export_step);
      std::printf("%s: %lld rows of %s\n", export_out.c_str(), static_cast<long long>(rows), export_what.c_str());
      return 0;
    }
    if (*repair_cmd) {
      int status = 0;
      for (const auto& log : repair_logs) {
        try {
          std::printf("%s\n", moescope::repair_run_log(log, repair_force).message.c_str());
        } catch (const moescope::Error& e) {
          std::fprintf(stderr, "moescope-cli: error: %s\n", e.what());
          status = 1;
        }
      }
      return status;
    }
#endif
#ifdef MOESCOPE_HAVE_PLOT
    if (*plot_cmd) return moescope::run_plot(plot, argc, argv);
#endif
    if (*prune_cmd) return moescope::run_prune(prune);
    if (*merge_cmd) return moescope::run_merge(merge);
    if (*quantize_cmd) return moescope::run_quantize(quantize);
    if (*skip_cmd) return moescope::run_skip(skip);
    if (*sweep_cmd) return moescope::run_sweep(sweep);
    if (*upcycle_cmd) return moescope::run_upcycle(upcycle);
    if (*merge_models_cmd) return moescope::run_merge_models(merge_models);
    if (*btx_cmd) return moescope::run_btx(btx);
    if (*safetensors_cmd) return moescope::run_safetensors(safetensors_file, safetensors_copy);
    if (*forward_cmd) return moescope::run_forward(forward);
    if (*tokenize_cmd) return moescope::run_tokenize(tokenize);
    if (*inspect_cmd) return moescope::run_inspect(inspect);
    if (*export_hf_cmd) return moescope::run_export_hf(export_hf_checkpoint, export_hf_out);
    return train(o);
  } catch (const moescope::Error& e) {
    std::fprintf(stderr, "moescope-cli: error: %s\n", e.what());
    return 1;
  } catch (const c10::Error& e) {
    std::fprintf(stderr, "moescope-cli: LibTorch error: %s\n", e.what_without_backtrace());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "moescope-cli: error: %s\n", e.what());
    return 1;
  }
}
