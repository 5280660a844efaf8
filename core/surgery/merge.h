// Expert merging: which FFN experts of a layer become one (MC-SMoE, HC-SMoE), what merging
// them is predicted to cost on the calibration cache, and the change itself (weights, router,
// optimizer moments), applied in place. Optional permutation alignment of hidden units first.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "model/moe_layer.h"
#include "surgery/calibration.h"

namespace moescope {

enum class MergeMethod {
  // MC-SMoE: the most-used experts lead the groups; every other expert joins the leader whose
  // router logits over the calibration tokens are most alike (correlation).
  mc_smoe,
  // HC-SMoE: agglomerative clustering, average linkage, on the Euclidean distance between the
  // experts' mean outputs over all calibration tokens, cut at the target count.
  hc_smoe,
};
MergeMethod parse_merge_method(const std::string& name);  // "mc-smoe" | "hc-smoe"; throws std::invalid_argument
const char* merge_method_name(MergeMethod method);

// What the router of a merged layer does.
enum class MergeRouter {
  // One logit per original expert, pointing at its group's merged expert (the model shape's
  // logit -> expert map): every token keeps its learned preference, and a token whose top-k
  // picks two logits of one merged expert visits it once with their gates summed.
  keep_logits,
  // One logit per merged expert, its row the sum of the members' rows (what a Hugging Face
  // export needs): the router's softmax changes, tokens are re-routed.
  sum_rows,
};
MergeRouter parse_merge_router(const std::string& name);  // "keep" | "sum"
const char* merge_router_name(MergeRouter router);

enum class Similarity { weights, outputs, logits };
Similarity parse_similarity(const std::string& name);  // "weights" | "outputs" | "logits"

// [E, E] cosine similarity of the FFN experts (float64): of their flattened weights, of their
// mean outputs over the calibration tokens, or of their router logits over those tokens
// (centred: the correlation of the logit columns, blind to a constant logit bias).
torch::Tensor expert_similarity(const MoELayerImpl& layer, const LayerCalibration& cache, Similarity kind);

// One step of a hierarchical clustering, scipy's linkage convention: clusters a and b (ids
// below E are experts, E + i the cluster made by step i) join at `distance` into `size` experts.
struct Linkage {
  int64_t a = 0, b = 0;
  double distance = 0.0;
  int64_t size = 0;
};
// Average linkage on a symmetric distance matrix [E, E]: E - 1 steps.
std::vector<Linkage> average_linkage(const torch::Tensor& distance);
// The clusters left after the first E - groups steps, each ascending, ordered by first expert.
std::vector<std::vector<int64_t>> cut_linkage(const std::vector<Linkage>& steps, int64_t experts, int64_t groups);

// REAP's merge-error term for merging experts a and b, over the tokens the cache routed to
// either: E[(g_a+g_b)² · Var(r) · ‖f_a(x) − f_b(x)‖²] with r = g_a / (g_a + g_b) and g the
// router's scores, relative to the mean ‖h‖² of the layer's output on those tokens. Large
// where the two experts' gate mix varies with the input: no single average serves both.
struct PairMergeError {
  int64_t a = 0, b = 0;
  double error = 0.0;
};
double merge_error(const MoELayerImpl& layer, const LayerCalibration& cache, int64_t a, int64_t b);
// kMergeErrorWarning (base/events.h): the pair error above which a layer gets a warning.

struct MergeOptions {
  MergeMethod method = MergeMethod::hc_smoe;
  int64_t experts = 0;  // FFN experts after merging
  bool align = false;   // permutation-align each member's hidden units to its group's leader
  MergeRouter router = MergeRouter::keep_logits;
};

struct LayerMergePlan {
  std::vector<std::vector<int64_t>> groups;  // FFN experts per merged expert, ascending
  std::vector<double> weight;                // [E] each expert's share of its group's merge
  std::vector<Linkage> dendrogram;           // HC-SMoE's clustering (empty for MC-SMoE)
  std::vector<PairMergeError> pair_errors;   // every pair inside a group
  double largest_pair_error = 0.0;
  double routed_share_merged = 0.0;  // of the cache's assignments, to experts that merge
  double reconstruction_error = 0.0;  // ‖h − ĥ‖² / ‖h‖² of the merged copy on the cache
};

// Says why `layer` cannot be merged down to `experts` FFN experts ("" when it can).
std::string merge_refusal(const MoELayerImpl& layer, int64_t experts, MergeRouter router);

// Groups the layer's FFN experts by `options.method`, weights each by its routing count
// (uniform inside a group no token chose), and predicts the cost on a merged copy.
// Throws moescope::Error when the target is out of range.
LayerMergePlan plan_merge(const MoELayer& layer, const LayerCalibration& cache, const MergeOptions& options);

// The permutation p of `expert`'s hidden units that best matches them to `reference`'s (unit
// p[u] of expert goes to place u): Hungarian matching on the dot products of each unit's
// gate row, up row and down column together (SwiGLU), so permuting leaves the expert's
// function unchanged.
std::vector<int64_t> align_hidden_units(const MoELayerImpl& layer, int64_t reference, int64_t expert);
// Applies such a permutation to `expert`'s gate and up columns and down rows, with moments.
void permute_hidden_units(MoELayerImpl& layer, int64_t expert, const std::vector<int64_t>& perm,
                          torch::optim::Optimizer* optimizer = nullptr);

// Merges each group of `plan` into one expert in place: the members' weights (aligned first
// when options.align) and their AdamW moments averaged with the plan's weights; the router
// as options.router says. Zero, copy, constant and shared experts stay.
void merge_experts(MoELayerImpl& layer, const LayerMergePlan& plan, const MergeOptions& options,
                   torch::optim::Optimizer* optimizer = nullptr);

}  // namespace moescope
