// Plain value structs that the engine publishes to observers (views, the HDF5 logger, the CLI).
// No tensors and no Qt here: they cross threads by copy, and the replay reader rebuilds the
// very same structs from a log, so a view cannot tell a live run from a replayed one.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "base/model_shape.h"

namespace moescope {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What the routed tokens are: their modalities ("image", "text") and their domains, each
// domain of one modality. lm-fortunes: the four languages (text); vision-fmnist: the ten
// classes (image); fusion-fmnist: the caption languages (text) and the classes (image).
// Routing statistics are kept per modality and per domain (RoutingSnapshot::domain_load).
struct TokenDomains {
  std::vector<std::string> modalities;
  std::vector<std::string> domains;
  std::vector<int64_t> modality_of;  // per domain: its modality

  int64_t size() const { return static_cast<int64_t>(domains.size()); }
  bool valid() const {
    if (modality_of.size() != domains.size()) return false;
    for (auto m : modality_of)
      if (m < 0 || m >= static_cast<int64_t>(modalities.size())) return false;
    return true;
  }
};

// Static facts about a run, published once before the first step.
struct RunInfo {
  std::string preset;         // "lm-fortunes", "vision-fmnist", or "custom"
  std::string task;           // "lm" or "classification"
  std::string config_json;    // the full resolved configuration
  std::string model_summary;  // human-readable one-liner
  std::string device;         // "cpu" or "cuda:0 (NVIDIA H100 ...)"
  std::string start_time;     // ISO 8601, UTC
  int64_t layers = 0;         // MoE layers
  int64_t experts = 0;        // routed experts of the widest MoE layer
  // Routed experts of each layer (size `layers`), when they differ between layers (pruned or
  // merged models, imported checkpoints); empty: every layer has `experts`.
  std::vector<int64_t> layer_experts;
  // The model's shape at the start, per layer: its experts, which expert each router logit
  // points at and the experts' groups (base/model_shape.h). Empty (no layers) when unknown,
  // as in a format-1 log: then every layer has its layer_experts, the identity map, no groups.
  ModelShape shape;
  int64_t top_k = 0;
  int64_t total_steps = 0;
  int64_t parameters = 0;         // all trainable parameters
  int64_t active_parameters = 0;  // parameters one token touches
  std::string router;             // routing method: "top_k", "switch", "expert_choice", ...
  // Kind of each routed expert column, size `experts`: "ffn", "zero", "copy" or "constant"
  // (MoE++ zero-computation experts follow the FFN experts).
  std::vector<std::string> expert_types;
  int64_t shared_experts = 0;  // experts every token visits, outside the routed ones
  // The fixed probe sequence followed by TrajectorySnapshot: its bytes (language model; one
  // byte per probe token) or empty (vision: the probe tokens are image patches).
  std::string probe_text;
  // A model whose tokens are not bytes (a Hugging Face model's subword tokens): each probe
  // token's text, decoded; probe_text is then empty. Empty otherwise.
  std::vector<std::string> probe_token_texts;
  int64_t probe_tokens = 0;
  int64_t probe_slots = 0;  // TrajectorySnapshot::slots of this run
  // The probe image of a model that sees images (vision, fusion): 28 x 28 grey levels, row
  // major; its 49 patches of 4 x 4 pixels are the first probe tokens (the probe text's bytes
  // follow in a fusion model). Empty for a text-only model.
  std::vector<uint8_t> probe_image;
  TokenDomains domains;  // empty for a run that does not tag its tokens (older logs)
};

// The model's shape from `step` on: the start (step 0), or a change mid-run (pruning and
// merging remove experts or point several router logits at one expert). Its layer count is
// the run's; a layer never has more experts or logits than RunInfo::experts.
struct ShapeChange {
  int64_t step = 0;
  ModelShape shape;
};

// One optimizer step.
struct StepMetrics {
  int64_t step = 0;    // 1-based count of finished steps
  int64_t tokens = 0;  // tokens (bytes, or image patches) seen so far
  double loss = kNaN;  // task loss (cross-entropy), without auxiliary terms
  double aux_loss = kNaN;  // load-balancing loss, mean over MoE layers (1.0 = balanced)
  double z_loss = kNaN;    // router z-loss, mean over MoE layers
  double lr = kNaN;
  double grad_norm = kNaN;
  double ms = kNaN;  // wall time of this step
  double tokens_per_s = kNaN;
};

// Per-layer routing state of one step. Matrices are row-major [layers][experts] (or
// [layers][bins]); per-layer series have `layers` values.
struct RoutingSnapshot {
  static constexpr int kGateBins = 20;  // gate-weight histogram bins over [0, 1]
  static constexpr int kKBins = 17;     // experts per token: 0, 1, ..., 15, 16 or more

  int64_t step = 0;
  int64_t layers = 0;
  // The widest layer's experts: the row length of every [layers][experts] matrix below.
  int64_t experts = 0;
  // Routed experts in use at each layer at this step (size `layers`); a layer's columns from
  // layer_experts[l] on are NaN. Empty: every layer uses all `experts`. A model whose shape
  // changes mid-run (pruning, merging) publishes snapshots with other counts from then on.
  std::vector<int64_t> layer_experts;
  // Share of dispatched (not dropped) assignments per expert; each row sums to 1 (0 when a
  // layer dispatched nothing). Utilisation = load * experts: 1 is ideal, 0 a dead expert.
  std::vector<float> load;
  std::vector<float> importance;  // mean gate probability per expert; each row sums to 1
  std::vector<float> entropy;     // mean gate entropy per layer, in nats
  std::vector<float> dropped;     // share of selected assignments dropped (capacity), per layer
  std::vector<float> mean_k;      // dispatched experts per token, mean per layer
  std::vector<float> margin;      // mean gap between the k-th and (k+1)-th selection score
  std::vector<float> top20_share;     // load share of the 20% most-loaded experts, per layer
  std::vector<float> bottom20_share;  // load share of the 20% least-loaded experts
  std::vector<float> bias;        // aux-loss-free balancing bias [layers][experts] (0 when off)
  // Largest cosine similarity between two FFN experts' outputs on the probe tokens, per
  // layer (NaN when not measured this snapshot). Near 1: representation collapse.
  std::vector<float> similarity;
  // Share of probe tokens whose top-1 expert changed since the previous snapshot, per layer
  // (NaN for the first).
  std::vector<float> stability;
  std::vector<float> gate_hist;  // [layers][kGateBins]: share of dispatched gate weights per bin
  std::vector<float> top1_hist;  // [layers][kGateBins]: the same for each token's largest gate
  std::vector<float> k_hist;     // [layers][kKBins]: share of tokens dispatched to k experts
  // Per modality and per domain (RunInfo::domains): the share of each row's dispatched
  // assignments per expert, [layers][modalities][experts] and [layers][domains][experts];
  // each row sums to 1 (all 0 when none of its tokens was routed; NaN past a layer's
  // experts). Empty when the run does not tag its tokens.
  int64_t modalities = 0;
  int64_t domains = 0;
  std::vector<float> modality_load;
  std::vector<float> domain_load;
  // Per layer: I(M; E) / H(M) over the routed assignments, M the modality (or domain) of the
  // token and E the expert: 0 when routing ignores it, 1 when each has experts of its own.
  // NaN when fewer than two modalities (domains) were routed.
  std::vector<float> modality_specialisation;
  std::vector<float> domain_specialisation;

  int64_t experts_at(int64_t layer) const {
    return layer_experts.empty() ? experts : layer_experts[static_cast<size_t>(layer)];
  }
  float load_at(int64_t layer, int64_t expert) const { return load[layer * experts + expert]; }
};

// The fixed probe tokens followed through every layer (routing trajectories, token view).
// Row-major [layers][tokens][slots]; slot j holds a token's j-th best dispatched expert.
struct TrajectorySnapshot {
  int64_t step = 0;
  int64_t layers = 0;
  int64_t tokens = 0;
  int64_t slots = 0;             // the router's k (its largest k for dynamic-k routers)
  std::vector<int32_t> experts;  // expert id, -1 where the token has fewer experts (dropped)
  std::vector<float> weights;    // gate weight, 0 where experts is -1

  int32_t expert_at(int64_t layer, int64_t token, int64_t slot) const {
    return experts[(layer * tokens + token) * slots + slot];
  }
  float weight_at(int64_t layer, int64_t token, int64_t slot) const {
    return weights[(layer * tokens + token) * slots + slot];
  }
};

// What the collapse detector watches for; docs/router-collapse.md gives the rules. The last,
// LogWriteFailed, is the run's own: the run log could not be written (a full disk) and the
// run goes on without it until a write succeeds again.
enum class AlertKind {
  DeadExpert,
  DominantExpert,
  EntropyCollapse,
  RepresentationCollapse,
  RisingDrops,
  LogWriteFailed
};

inline const char* to_string(AlertKind kind) {
  switch (kind) {
    case AlertKind::DeadExpert: return "dead_expert";
    case AlertKind::DominantExpert: return "dominant_expert";
    case AlertKind::EntropyCollapse: return "entropy_collapse";
    case AlertKind::RepresentationCollapse: return "representation_collapse";
    case AlertKind::RisingDrops: return "rising_drops";
    case AlertKind::LogWriteFailed: return "log_write_failed";
  }
  return "unknown";
}

struct CollapseAlert {
  int64_t step = 0;
  AlertKind kind = AlertKind::DeadExpert;
  int64_t layer = 0;
  std::vector<int64_t> experts;  // the experts concerned (empty for layer-wide alerts)
  double value = kNaN;           // the measured quantity that crossed the threshold
  double threshold = kNaN;
  std::string evidence;          // one sentence for the user, with the numbers
};

// A change the user made while the run goes on (marked on the charts' time axis).
struct InterventionEvent {
  int64_t step = 0;    // steps finished when it took effect
  std::string kind;    // "lr", "balance_coef", "bias_balancing", "temperature",
                       // "capacity_factor", "reinit_experts"
  double value = kNaN;
  std::string detail;  // e.g. "layer 2: experts 3, 5 from expert 0"
};

struct EvalResult {
  int64_t step = 0;
  double loss = kNaN;      // mean cross-entropy on the held-out split, nats
  double accuracy = kNaN;  // top-1 accuracy: class (classification) or next byte (LM)
  int64_t samples = 0;     // held-out sequences or images evaluated
  // Mean loss per domain (RunInfo::domains; e.g. per caption language), NaN for a domain with
  // no evaluated target (fusion's image classes). Empty when the task does not split it.
  std::vector<double> domain_loss;
};

enum class RunState { Loading, Running, Paused, Finished, Stopped, Failed };

inline const char* to_string(RunState state) {
  switch (state) {
    case RunState::Loading: return "loading";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Finished: return "finished";
    case RunState::Stopped: return "stopped";
    case RunState::Failed: return "failed";
  }
  return "unknown";
}

struct SessionState {
  RunState state = RunState::Loading;
  int64_t step = 0;
  int64_t total_steps = 0;
  std::string message;  // why it changed (failure reason, "paused: loss is NaN", ...)
};

// Expert surgery from the window (docs/surgery.md): what to preview, the preview's plan and
// its predicted and measured cost, and the change once applied or undone.
struct SurgeryRequest {
  std::string kind = "prune";   // prune | merge | skip | quantize
  std::string method = "reap";  // prune: frequency | reap | subset; merge: hc-smoe | mc-smoe
  int64_t experts = 6;          // prune, merge: FFN experts kept in every MoE layer ...
  std::vector<int64_t> layer_experts;  // ... or per layer (the plan table's budgets)
  double beta = 0.5;                   // skip
  int64_t bits = 8;                    // quantize: 8 or 4 ...
  double average_bits = 0.0;           // ... or bits by usage under this mean (> 0)
  bool align = false;                  // merge: permutation alignment first
  std::string router = "keep";         // merge: keep (a logit per original expert) | sum
  int64_t calibration_tokens = 16384;
  std::string similarity = "outputs";  // the preview's heatmap: weights | outputs | logits
  int64_t sweep = 0;  // > 0: a point of the sweep whose first preview has this id
};

// One MoE layer of a surgery plan, with what the preview shows of it.
struct SurgeryLayer {
  int64_t layer = 0, experts_before = 0, experts_after = 0;
  std::vector<int64_t> kept;                 // prune: FFN experts kept
  std::vector<std::vector<int64_t>> groups;  // merge: the members of each merged expert
  std::vector<int64_t> bits;                 // quantize: per FFN expert
  double beta = 0.0;                         // skip
  double routed_share = 0.0;      // of the calibration assignments: removed, merged or skipped
  double saliency_removed = 0.0;  // prune: share of the layer's REAP saliency
  double reconstruction_error = 0.0;  // ‖h − ĥ‖² / ‖h‖² on the cache
  double largest_pair_error = 0.0;    // merge: REAP's merge-error term, the worst pair
  double gini = 0.0;                  // of the experts' importance (REAP saliency)
  // Per FFN expert before the change: share of assignments, mean gate, REAP saliency.
  std::vector<double> usage, mean_gate, saliency;
  std::vector<double> similarity;  // [E * E] row-major, SurgeryRequest::similarity
  // Average-linkage clustering on 1 − similarity (HC-SMoE's own for hc-smoe): per step the
  // two clusters (ids >= E are earlier steps), the distance and the size (scipy's linkage).
  std::vector<std::array<double, 4>> dendrogram;
  std::vector<std::array<double, 3>> pair_errors;  // merge: (a, b, merge error) per pair
};

// A layer whose largest pair error (SurgeryLayer::largest_pair_error) is above this gets a
// warning in the preview dock and the CLI: merging it is likely to hurt.
inline constexpr double kMergeErrorWarning = 0.05;

struct SurgeryPreview {
  int64_t id = 0;    // 1, 2, ... in this session; ApplySurgery names it
  int64_t step = 0;  // the model previewed is the one after this many steps
  SurgeryRequest request;
  std::string description;  // "prune reap: 6 of 8 experts per layer"
  std::vector<SurgeryLayer> layers;
  EvalResult before, after;  // measured on the held-out split
  int64_t parameters_before = 0, parameters_after = 0;
  int64_t active_before = 0, active_after = 0;  // parameters one token touches
  double expert_flops_kept = 1.0;  // share of the routed experts' FLOPs per token left
  int64_t calibration_tokens = 0;
  bool calibration_reused = false;  // the cache of an earlier preview at this step
  double calibration_seconds = 0.0, preview_seconds = 0.0, evaluation_seconds = 0.0;
};

// The budget a request sets, the quantity a sweep varies: experts kept (prune, merge), β
// (skip) or bits (quantize: the average under usage-based bits, else every expert's).
inline double surgery_budget(const SurgeryRequest& r) {
  if (r.kind == "skip") return r.beta;
  if (r.kind == "quantize") return r.average_bits > 0.0 ? r.average_bits : double(r.bits);
  return double(r.experts);
}

// A preview's predicted cost over its layers: the means of the routed share, the saliency
// removed and the reconstruction error, and the worst pair merge error.
struct SurgeryMeans {
  double routed_share = 0.0, saliency_removed = 0.0, reconstruction_error = 0.0, largest_pair_error = 0.0;
};
inline SurgeryMeans surgery_means(const SurgeryPreview& p) {
  SurgeryMeans m;
  for (const auto& l : p.layers) {
    m.routed_share += l.routed_share;
    m.saliency_removed += l.saliency_removed;
    m.reconstruction_error += l.reconstruction_error;
    if (l.largest_pair_error > m.largest_pair_error) m.largest_pair_error = l.largest_pair_error;
  }
  const double n = p.layers.empty() ? 1.0 : double(p.layers.size());
  m.routed_share /= n;
  m.saliency_removed /= n;
  m.reconstruction_error /= n;
  return m;
}

// A row of the run log's /surgery table: a preview, or the Apply or Undo of one (with the
// preview it applied; for an Undo `preview.after` is the model measured after the undo).
struct SurgeryRecord {
  std::string action;  // "preview" | "apply" | "undo"
  SurgeryPreview preview;
};

struct SurgeryApplied {
  int64_t id = 0;  // the preview applied (or undone)
  int64_t step = 0;
  bool undone = false;
  std::string description;
  EvalResult after;  // held-out cost of the model as it is now
  int64_t parameters = 0;
};

// The /surgery row of an Apply or Undo: the preview it applied (`last`), with its id, step and
// description, and the model as it is afterwards. The run log and the window's store both
// keep records so, so a live run and its replay show the same history.
inline SurgeryRecord surgery_record(const SurgeryApplied& a, const SurgeryPreview& last) {
  SurgeryRecord r{a.undone ? "undo" : "apply", last};
  r.preview.id = a.id;
  r.preview.step = a.step;
  r.preview.description = a.description;
  r.preview.after = a.after;
  r.preview.parameters_after = a.parameters;
  return r;
}

}  // namespace moescope
