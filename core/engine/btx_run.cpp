#include "engine/btx_run.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>

#include "base/error.h"
#include "engine/eval_json.h"
#include "engine/recipe_config.h"
#include "engine/session.h"
#include "model/transformer_lm.h"
#include "surgery/btx.h"
#include "train/checkpoint.h"
#include "train/task.h"

namespace moescope {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// A headless phase that pauses itself (a non-finite loss) has nobody to resume it: it stops,
// and the recipe fails with the reason. So does a phase whose recipe is cancelled.
struct PauseStop final : SessionObserver {
  RunJob* job = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  bool cancelled = false;
  std::string message;
  void on_state(const SessionState& s) override {
    if (s.state != RunState::Paused || !message.empty()) return;
    message = s.message.empty() ? "paused" : s.message;
    job->post(StopCommand{});
  }
  void on_step(const StepMetrics&) override {
    if (cancel != nullptr && *cancel && !cancelled) {
      cancelled = true;
      job->post(StopCommand{});
    }
  }
};

// Trains one phase to completion; throws naming the phase when it paused itself or was cancelled.
void train_phase(RunJobSpec spec, const BtxRequest& request, const LogFactory& log, const std::string& phase) {
  if (request.cancel != nullptr && *request.cancel) throw Error("Branch-Train-MiX: cancelled");
  PauseStop pause;
  pause.cancel = request.cancel;
  auto observers = request.observers;
  observers.push_back(&pause);
  RunJob job(std::move(spec), observers, log);
  pause.job = &job;
  job.run();
  if (pause.cancelled) throw Error("Branch-Train-MiX: cancelled during " + phase);
  if (!pause.message.empty()) {
    throw Error("Branch-Train-MiX: " + phase + " paused itself at step " + std::to_string(job.step()) + " (" +
                pause.message + ")");
  }
}

// The folder of the branches' checkpoints: the one asked for, or a temporary one beside the
// output (so the result moves into place by a rename) that goes away with this object.
class WorkDir {
 public:
  WorkDir(const std::string& asked, const std::string& out) {
    if (!asked.empty()) {
      std::error_code ec;
      fs::create_directories(asked, ec);
      if (ec || !fs::is_directory(asked)) throw Error("--branches-dir " + asked + ": cannot create the folder (" + ec.message() + ")");
      path_ = asked;
      return;
    }
    const fs::path target = fs::absolute(out);
    std::string pattern = (target.parent_path() / ("." + target.filename().string() + ".btx-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) throw Error(out + ": cannot create a working folder beside it");
    path_ = pattern;
    temporary_ = true;
  }
  ~WorkDir() {
    if (!temporary_) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  std::string file(const std::string& name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
  bool temporary_ = false;
};

// Puts `from` at `to` whole or not at all: a rename, or (keeping `from`, or across file
// systems) a copy beside the target renamed onto it.
void move_into_place(const std::string& from, const std::string& to, bool keep_source) {
  std::error_code ec;
  if (!keep_source) {
    fs::rename(from, to, ec);
    if (!ec) return;
  }
  const std::string tmp = to + ".tmp";
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(to + ": cannot write the mixed model (" + ec.message() + ")");
  }
}

}  // namespace

int64_t BtxReport::total_tokens() const {
  int64_t total = seed_tokens + mix_tokens;
  for (const auto& b : branches) total += b.tokens;
  return total;
}

void branch_train_mix(const BtxRequest& request, BtxReport& report) {
  const auto& seed_path = request.seed;
  RunConfig config = dense_lm_config(seed_path, "Branch-Train-MiX", request.device, request.threads);
  if (request.out.empty()) throw Error("Branch-Train-MiX: no output checkpoint given (--out)");
  if (request.branch_steps < 0 || request.mix_steps < 0) throw Error("Branch-Train-MiX: steps cannot be negative");
  if (request.router_batches < 1) throw Error("Branch-Train-MiX: the router needs at least one batch per branch");
  config.data.train_languages.clear();

  report = BtxReport{};
  Session seed(config);
  seed.load_checkpoint(seed_path);
  report.domains = seed.run_info().domains.domains;
  std::vector<std::string> languages = request.languages.empty() ? report.domains : request.languages;
  for (size_t i = 0; i < languages.size(); ++i) {
    if (std::find(report.domains.begin(), report.domains.end(), languages[i]) == report.domains.end()) {
      std::string known;
      for (const auto& d : report.domains) known += (known.empty() ? "" : ", ") + d;
      throw Error("--languages: '" + languages[i] + "' is not a language of the corpus (" + known + ")");
    }
    if (std::find(languages.begin(), languages.begin() + static_cast<long>(i), languages[i]) !=
        languages.begin() + static_cast<long>(i)) {
      throw Error("--languages: '" + languages[i] + "' is named twice");
    }
  }
  const auto n = static_cast<int64_t>(languages.size());
  if (request.top_k < 1 || request.top_k > n) {
    throw Error("Branch-Train-MiX: top-k " + std::to_string(request.top_k) + " of " + std::to_string(n) +
                " experts (one per branch) does not fit; give 1 <= top-k <= " + std::to_string(n));
  }
  report.experts = n;
  report.top_k = request.top_k;
  report.router_init = request.router_hidden ? "hidden" : "random";
  report.seed = seed.evaluate();
  report.seed_steps = seed.step();
  report.seed_tokens = seed.tokens();
  report.parameters_dense = seed.run_info().parameters;
  report.active_dense = seed.run_info().active_parameters;

  WorkDir work(request.branches_dir, request.out);
  const int64_t phases = n + 1 + (request.mix_steps > 0 ? 1 : 0);
  int64_t phase_index = 0;
  const auto phase = [&](const std::string& text) {
    if (request.on_phase) request.on_phase(text, phase_index, phases);
    ++phase_index;
  };

  // Branch: each language trains its own copy of the seed.
  std::vector<RunConfig> branch_configs;
  std::vector<std::string> branch_paths;
  const auto branch_start = Clock::now();
  for (int64_t i = 0; i < n; ++i) {
    const auto& language = languages[static_cast<size_t>(i)];
    RunConfig branch = config;
    branch.data.train_languages = {language};
    branch.train.steps = report.seed_steps + request.branch_steps;
    branch_configs.push_back(branch);
    branch_paths.push_back(work.file("branch_" + language + ".pt"));
    const std::string name = "branch " + language + " (" + std::to_string(i + 1) + "/" + std::to_string(n) + ")";
    phase(name + ": " + std::to_string(request.branch_steps) + " steps on " + language + " only");
    const auto start = Clock::now();
    RunJobSpec spec;
    spec.config = branch;
    spec.resume_path = seed_path;
    spec.checkpoint_path = branch_paths.back();
    train_phase(std::move(spec), request, {}, name);
    BtxBranch record;
    record.language = language;
    record.steps = request.branch_steps;
    record.seconds = seconds_since(start);
    report.branches.push_back(record);
  }
  report.branch_seconds = seconds_since(branch_start);

  // Mix: the branches' FFNs become the experts, the rest is averaged.
  phase("mix: " + std::to_string(n) + " branches into " + std::to_string(n) + " experts top-" +
        std::to_string(request.top_k) + " per block, router " + report.router_init);
  const auto mix_start = Clock::now();
  RunConfig mixed_config = moe_config_of(config, n, request.top_k);
  // With no mix steps, the mixed model keeps the seed's step count for whoever trains it on.
  mixed_config.train.steps = request.mix_steps > 0 ? request.mix_steps : config.train.steps;
  const std::string mixed_path = work.file("mixed.pt");
  {
    std::vector<std::unique_ptr<Session>> branches;
    std::vector<const TransformerLMImpl*> models;
    BtxMixOptions options;
    options.seed = request.seed_value;
    for (int64_t i = 0; i < n; ++i) {
      auto session = std::make_unique<Session>(branch_configs[static_cast<size_t>(i)]);
      session->load_checkpoint(branch_paths[static_cast<size_t>(i)]);
      auto& record = report.branches[static_cast<size_t>(i)];
      record.tokens = session->tokens() - report.seed_tokens;
      record.eval = session->evaluate();
      if (request.router_hidden) {
        // Training batches of the branch's own language (its task draws from nothing else).
        std::vector<torch::Tensor> inputs;
        for (int64_t b = 0; b < request.router_batches; ++b) inputs.push_back(session->task().next_batch().input);
        options.router_tokens.push_back(torch::cat(inputs));
      }
      models.push_back(&language_model(*session, "Branch-Train-MiX"));
      branches.push_back(std::move(session));
    }
    Session mixed(mixed_config);
    btx_mix(models, language_model(mixed, "Branch-Train-MiX"), options);
    report.mixed = mixed.evaluate();
    report.parameters_moe = mixed.run_info().parameters;
    report.active_moe = mixed.run_info().active_parameters;
    mixed.save_checkpoint(mixed_path);
  }
  report.mix_seconds = seconds_since(mix_start);

  // Train the mixture on every language.
  const auto train_start = Clock::now();
  std::string result = mixed_path;
  if (request.mix_steps > 0) {
    phase("train the mixture: " + std::to_string(request.mix_steps) + " steps on every language");
    result = work.file("trained.pt");
    RunJobSpec spec;
    spec.config = mixed_config;
    spec.resume_path = mixed_path;
    spec.checkpoint_path = result;
    train_phase(std::move(spec), request, request.mix_log, "training the mixture");
  }
  {
    Session trained(mixed_config);
    trained.load_checkpoint(result);
    report.trained = request.mix_steps > 0 ? trained.evaluate() : report.mixed;
    report.mix_tokens = trained.tokens();
  }
  report.train_seconds = seconds_since(train_start);
  // A kept branches folder keeps mixed.pt too.
  move_into_place(result, request.out, result == mixed_path && !request.branches_dir.empty());
}

nlohmann::json to_json(const BtxReport& r) {
  nlohmann::json branches = nlohmann::json::array();
  for (const auto& b : r.branches) {
    branches.push_back({{"language", b.language},
                        {"steps", b.steps},
                        {"tokens", b.tokens},
                        {"seconds", b.seconds},
                        {"measured", eval_json(b.eval, r.domains)}});
  }
  return {{"recipe", "branch-train-mix"},
          {"experts", r.experts},
          {"top_k", r.top_k},
          {"router_init", r.router_init},
          {"seed_checkpoint", {{"steps", r.seed_steps}, {"tokens", r.seed_tokens}}},
          {"branches", branches},
          {"tokens", {{"seed", r.seed_tokens},
                      {"branches", r.total_tokens() - r.seed_tokens - r.mix_tokens},
                      {"after_mix", r.mix_tokens},
                      {"total", r.total_tokens()}}},
          {"parameters", {{"dense", r.parameters_dense}, {"moe", r.parameters_moe}}},
          {"active_parameters", {{"dense", r.active_dense}, {"moe", r.active_moe}}},
          {"measured", {{"seed", eval_json(r.seed, r.domains)},
                        {"mixed", eval_json(r.mixed, r.domains)},
                        {"trained", eval_json(r.trained, r.domains)}}},
          {"seconds", {{"branches", r.branch_seconds}, {"mix", r.mix_seconds}, {"train", r.train_seconds}}}};
}

}  // namespace moescope
