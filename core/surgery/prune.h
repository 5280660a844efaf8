// Expert pruning: which FFN experts of a layer to keep, what removing the others is predicted
// to cost on the calibration cache, and the change itself (weights, router rows and the
// optimizer's moments of the kept experts), applied in place.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "model/moe_layer.h"
#include "surgery/calibration.h"

namespace moescope {

enum class PruneMethod {
  frequency,  // keep the experts with the most routed assignments
  reap,       // keep the largest REAP saliency: mean over an expert's tokens of gate · ‖f(x)‖₂
  // NAEE: the subset whose layer output on the cache is closest to the layer's (the lowest
  // reconstruction error), every subset tried while there are at most kSubsetLimit, else
  // greedy elimination (remove the expert whose removal costs least, until `keep` are left).
  subset,
};
constexpr int64_t kSubsetLimit = 256;
PruneMethod parse_prune_method(const std::string& name);  // throws std::invalid_argument
const char* prune_method_name(PruneMethod method);

// One score per FFN expert (higher = more worth keeping) from the cache (frequency, reap).
torch::Tensor prune_scores(const LayerCalibration& cache, PruneMethod method);

// The Gini coefficient of the layer's expert importance (REAP saliency): 0 when every expert
// matters alike, towards 1 when a few carry the layer. A sharp pruning "cliff" goes with a
// high value; the preview shows it as a hint for per-layer budgets.
double importance_gini(const LayerCalibration& cache);

// The plan for one layer and its predicted cost.
struct LayerPrunePlan {
  std::vector<int64_t> keep;     // FFN experts kept, ascending
  std::vector<int64_t> removed;  // FFN experts removed, ascending
  double routed_share_removed = 0.0;  // of the cache's dispatched assignments
  double saliency_removed = 0.0;      // share of the layer's total gate · ‖f(x)‖₂
  // ‖h − ĥ‖² / ‖h‖² of the layer's output on the cached inputs, the pruned layer re-routing
  // them (a full forward of the changed layer, not an estimate).
  double reconstruction_error = 0.0;
};

// Keeps the `keep` best FFN experts by `method`; zero, copy and constant experts and the
// shared experts stay. With modality groups the experts are ranked by their share of their
// group's score and each group keeps what its modality's routing needs. Throws moescope::Error when `keep` is out of range (below what top-k
// needs, above the layer's experts) or the router cannot lose experts (hash routing).
LayerPrunePlan plan_prune(const MoELayer& layer, const LayerCalibration& cache,
                          PruneMethod method, int64_t keep);

// A global target: how many FFN experts each layer keeps when `total` are kept over all
// layers. Every expert's score (frequency or reap) is taken as its share of its layer's
// total, each layer first keeps the fewest its top-k needs (its best experts), and the rest
// of the budget goes to the best shares anywhere. Throws moescope::Error when `total` is out
// of range or the method has no per-expert score (subset).
std::vector<int64_t> distribute_keep(const std::vector<MoELayer>& layers,
                                     const std::vector<LayerCalibration>& caches,
                                     PruneMethod method, int64_t total);

// Says why `layer` cannot lose experts down to `keep` FFN experts ("" when it can).
std::string prune_refusal(const MoELayerImpl& layer, int64_t keep);

// Layers with modality groups (fusion layouts moma, moiie, mot) are pruned and merged within
// their groups: an expert stays in its group, every group keeps at least one expert, and each
// modality's tokens still reach top_k experts (`logits_left` true: a merged router keeps its
// logits, so top-k has as many choices as before). Says why `after`, the modality of each
// expert left (MoELayerOptions::expert_modality), breaks that ("" when it does not).
std::string modality_group_refusal(const std::vector<int64_t>& before, const std::vector<int64_t>& after,
                                   int64_t top_k, bool logits_left = false);
// The fewest FFN experts `layer` can keep: top-k's need, and with modality groups one per
// group and top-k per modality.
int64_t fewest_kept_experts(const MoELayerImpl& layer);

// Removes every FFN expert not in `keep` (ascending, distinct) from `layer` in place: its
// stacked weights, its router rows (logit weight and bias, aux-loss-free bias), and, when
// `optimizer` holds the layer's parameters, their moments, so training continues from the
// kept experts' state. The tensors stay the same objects (their data shrinks), so an
// optimizer keeps its parameter list. Top-k then runs over the survivors and the gates are
// renormalised as the router always does; expert choice shares its capacity among them.
void keep_experts(MoELayerImpl& layer, const std::vector<int64_t>& keep,
                  torch::optim::Optimizer* optimizer = nullptr);

}  // namespace moescope
