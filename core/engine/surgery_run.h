// Expert surgery on a session's model: the calibration pass over training batches, the
// plans of core/surgery, their measured cost on the held-out split, and the change applied.
// The CLI's prune command (and the window's preview) drive these.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "base/events.h"
#include "engine/session.h"
#include "surgery/calibration.h"
#include "surgery/merge.h"
#include "surgery/prune.h"
#include "surgery/quantize.h"
#include "surgery/skip.h"

namespace moescope {

// Runs `tokens` tokens of training batches through the session's model (eval mode, no
// gradients) and caches every MoE layer. The batch sampler's state is restored afterwards,
// so a run that goes on sees the batches it would have seen. progress(share): false cancels.
CalibrationCache calibrate_session(Session& session, int64_t tokens,
                                   const std::function<bool(double)>& progress = {});

// What every surgery run measures: the calibration it read, the held-out loss before and
// after the change, and where the time went.
struct SurgeryMeasure {
  int64_t calibration_tokens = 0;  // tokens the cache holds per layer
  EvalResult before, after;        // measured on the held-out split
  double calibration_seconds = 0.0, preview_seconds = 0.0, evaluation_seconds = 0.0;
};

struct PruneRequest {
  PruneMethod method = PruneMethod::frequency;
  int64_t keep = 0;        // FFN experts kept in every MoE layer ...
  int64_t keep_total = 0;  // ... or, when > 0, this many over all layers (distribute_keep)
  int64_t calibration_tokens = 16384;
};

struct PruneReport : SurgeryMeasure {
  PruneRequest request;
  std::vector<LayerPrunePlan> layers;  // the plans and their predicted cost
  int64_t parameters_before = 0, parameters_after = 0;
  int64_t active_before = 0, active_after = 0;
};

// Calibrates, plans every layer, measures the validation loss before, prunes the session's
// model (Session::prune_experts) and measures it after. Throws moescope::Error, leaving the
// model as it was, when a layer cannot be pruned to request.keep.
PruneReport prune_session(Session& session, const PruneRequest& request,
                          const std::function<bool(double)>& progress = {});

nlohmann::json to_json(const PruneReport& report);

struct MergeRequest {
  MergeOptions options;  // options.experts: FFN experts after merging, in every MoE layer
  int64_t calibration_tokens = 16384;
};

struct MergeReport : SurgeryMeasure {
  MergeRequest request;
  std::vector<LayerMergePlan> layers;
  std::vector<double> importance_gini;  // per layer, before merging
  int64_t parameters_before = 0, parameters_after = 0;
  int64_t active_before = 0, active_after = 0;
};

// Calibrates, plans every layer (groups, weights, pair errors, predicted cost), measures
// before, merges the session's model (Session::merge_experts) and measures after.
MergeReport merge_session(Session& session, const MergeRequest& request,
                          const std::function<bool(double)>& progress = {});

nlohmann::json to_json(const MergeReport& report);

struct QuantizeRequest {
  int64_t bits = 8;           // every FFN expert at this width (8 or 4) ...
  double average_bits = 0.0;  // ... or, when > 0, bits by usage under this mean (8 / 4 / 2)
  int64_t calibration_tokens = 16384;
};

struct QuantizeReport : SurgeryMeasure {
  QuantizeRequest request;
  std::vector<LayerQuantPlan> layers;
};

// Calibrates, plans every layer (bits by usage when a budget is asked), measures before,
// fake-quantizes the session's experts in place (shared experts at 8 bits) and measures after.
QuantizeReport quantize_session(Session& session, const QuantizeRequest& request,
                                const std::function<bool(double)>& progress = {});

nlohmann::json to_json(const QuantizeReport& report);

struct SkipRequest {
  double beta = 0.0;  // the same in every MoE layer
  int64_t calibration_tokens = 16384;
};

struct SkipReport : SurgeryMeasure {
  SkipRequest request;
  std::vector<LayerSkipPlan> layers;
};

// Calibrates, predicts each layer's skipped share and error, measures before, sets every
// router's skip_beta (kept in checkpoints; training ignores it) and measures after.
SkipReport skip_session(Session& session, const SkipRequest& request,
                        const std::function<bool(double)>& progress = {});

nlohmann::json to_json(const SkipReport& report);

}  // namespace moescope
