// The window's side of the merging recipes (docs/merging.md): upcycling, Branch-Train-MiX and
// weight-space merging, run on the dock's worker thread and summed up as the rows the Recipes
// dock shows. Plain C++ types only: the dock's sources, which the translation scanner reads,
// include no LibTorch header.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace moescope {

enum class RecipeKind { upcycle, btx, merge };

struct RecipeRequest {
  RecipeKind kind = RecipeKind::upcycle;
  std::vector<std::string> checkpoints;  // upcycle, btx: the dense model; merge: two or more
  std::string base;                      // merge: task_arithmetic and ties
  std::string out;                       // the result's checkpoint
  // upcycle
  int64_t experts = 8, top_k = 1;
  double drop_ratio = 0.0;
  // upcycle and btx: router rows from mean hidden states per language (else random)
  bool router_hidden = true;
  // btx (top_k too)
  int64_t branch_steps = 100;
  // merge
  std::string method = "linear";  // linear, task_arithmetic, ties
  double lambda = 1.0, density = 0.2;
  bool align = false;
};

// One model of the preview: an input or the result, measured on the held-out split.
struct RecipeRow {
  std::string name;
  double loss = 0.0;                // nats per token (bits per byte = loss / ln 2)
  std::vector<double> domain_loss;  // per RecipeSummary::domains
  int64_t parameters = 0, active_parameters = 0;
  double flops_per_token = 0.0;     // forward: 2 × active parameters + attention scores
  int64_t experts = 0, top_k = 0;   // 0 experts: dense
};

struct RecipeSummary {
  std::string title;                // "Sparse Upcycling: 8 experts, top-1"
  std::string task;                 // lm, classification, fusion
  std::vector<std::string> domains;
  std::vector<RecipeRow> rows;      // inputs first, the result last
  std::vector<double> barrier_alpha, barrier_before, barrier_after;  // merge of two: the loss-barrier curves
  std::string report_json;          // the CLI's report
  std::string out;                  // the result's checkpoint
  double seconds = 0.0;
};

// Runs the recipe on the calling thread and writes request.out. `progress` (share 0..1 and
// what is happening) is called from that thread; `cancel`, when set, ends a Branch-Train-MiX
// phase at its next step. Throws moescope::Error with a message for the user (nothing is
// written then).
RecipeSummary run_recipe(const RecipeRequest& request, const std::function<void(double, const std::string&)>& progress,
                         const std::atomic<bool>* cancel);

}  // namespace moescope
