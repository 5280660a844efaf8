// Branch-Train-MiX on a dense language-model checkpoint (surgery/btx.h), the whole recipe:
// branch one copy of the seed per language and train each on its language only, mix the
// branches into one MoE model (measured on the held-out split before any training), then
// train the mixture on every language.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/events.h"
#include "base/observer.h"
#include "engine/run_job.h"

namespace moescope {

struct BtxRequest {
  std::string seed;  // dense lm checkpoint
  std::vector<std::string> languages;  // one branch each; empty: every language of the corpus
  int64_t branch_steps = 200;  // optimizer steps of each branch, on its language only
  int64_t mix_steps = 200;     // optimizer steps of the mixed MoE, on every language
  int64_t top_k = 2;           // of the mixed model's one expert per branch
  bool router_hidden = true;   // router rows from each branch's mean hidden state on its language; false: random
  int64_t router_batches = 4;  // training batches of its language per branch for that mean
  uint64_t seed_value = 0;     // of the router rows' noise
  std::string out;             // the mixed model after mix_steps
  std::string branches_dir;    // keeps branch_<lang>.pt and mixed.pt there; empty: a temporary folder, removed
  std::string device;          // "" keeps the seed's
  int64_t threads = -1;
  // Every training phase's observers (not owned), and the mixture's run log.
  std::vector<SessionObserver*> observers;
  LogFactory mix_log;
  // Called as each phase begins: what it does ("branch de (2/4): ...", "mix: ...", "train the
  // mixture: ..."), its index from 0 and the number of phases (branches, the mix, the training).
  std::function<void(const std::string& phase, int64_t index, int64_t phases)> on_phase;
  const std::atomic<bool>* cancel = nullptr;  // when set, the training phase stops at its next step and the recipe fails
};

struct BtxBranch {
  std::string language;
  int64_t steps = 0, tokens = 0;  // trained on its language, after the seed
  EvalResult eval;                 // held-out, every language
  double seconds = 0.0;
};

struct BtxReport {
  std::vector<std::string> domains;
  EvalResult seed, mixed, trained;  // mixed: at step 0 of the MoE; trained: after mix_steps
  std::vector<BtxBranch> branches;
  int64_t seed_steps = 0, seed_tokens = 0, mix_tokens = 0;
  int64_t parameters_dense = 0, active_dense = 0, parameters_moe = 0, active_moe = 0;
  int64_t experts = 0, top_k = 0;
  std::string router_init;
  double branch_seconds = 0.0, mix_seconds = 0.0, train_seconds = 0.0;
  int64_t total_tokens() const;  // every token a model of the recipe has seen, the seed's included
};

// Runs the recipe and writes request.out (the mixed model at the end of its training; with
// mix_steps 0 the mixed model as built). Throws moescope::Error naming the checkpoint or
// option that does not fit (a seed that is not a dense language model, an unknown language,
// top-k above the branches) before anything trains, and for a phase that fails or pauses
// itself (a non-finite loss); then request.out is not written.
void branch_train_mix(const BtxRequest& request, BtxReport& report);

nlohmann::json to_json(const BtxReport& report);

}  // namespace moescope
