// Weight-space merging of checkpoints of one architecture (surgery/model_merge.h), with every
// input's and the result's cost measured on the held-out split.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "base/events.h"
#include "engine/session.h"
#include "surgery/model_merge.h"

namespace moescope {

struct ModelMergeRequest {
  std::vector<std::string> checkpoints;  // two or more
  std::string base;                      // task arithmetic and TIES: the models' common start
  ModelMergeOptions options;
  // Permutation alignment (surgery/permutation_align.h) of every other model, and the base,
  // to the first before merging (language models).
  bool align = false;
  // Points of the loss-barrier curve between the first two models (0: none; 11 gives α = 0,
  // 0.1, ..., 1): the held-out loss of (1 − α)·θ₁ + α·θ₂, before and, with align, after the
  // alignment.
  int64_t barrier_points = 0;
  std::string device;  // "" keeps the first checkpoint's
  int64_t threads = -1;
};

// What aligning one model to the first did.
struct ModelAlignment {
  std::string checkpoint;
  int64_t rounds = 0, units_moved = 0;
  double similarity_before = 0.0, similarity_after = 0.0, seconds = 0.0;
};

// The held-out loss along the straight path between the first two models.
struct LossBarrier {
  std::vector<double> alpha, loss;  // nats
  // The largest rise above the straight line between the ends, (1 − α)·loss(0) + α·loss(1).
  double height() const;
};

struct ModelMergeReport {
  ModelMergeRequest request;
  std::vector<std::string> domains;  // of the per-domain losses
  std::vector<EvalResult> inputs;    // per checkpoint
  EvalResult base, merged;           // base: only with request.base
  std::vector<ModelAlignment> alignments;  // with request.align: one per model after the first (then the base)
  LossBarrier barrier_before, barrier_after;  // with request.barrier_points (after: with align too)
  int64_t parameters = 0;
  double seconds = 0.0;
};

// Loads every checkpoint (and the base), checks that their model and router configs are the
// same, merges them into a new session of the first one's config at step 0 and measures
// everything on the first one's held-out split (one split for all: it depends on
// train.seed). Throws moescope::Error naming the checkpoint that does not
// fit (another architecture, a missing base) before anything is merged.
std::unique_ptr<Session> merge_model_checkpoints(const ModelMergeRequest& request, ModelMergeReport& report);

nlohmann::json to_json(const ModelMergeReport& report);

}  // namespace moescope
