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
  std::string device;  // "" keeps the first checkpoint's
  int64_t threads = -1;
};

struct ModelMergeReport {
  ModelMergeRequest request;
  std::vector<std::string> domains;  // of the per-domain losses
  std::vector<EvalResult> inputs;    // per checkpoint
  EvalResult base, merged;           // base: only with request.base
  int64_t parameters = 0;
  double seconds = 0.0;
};

// Loads every checkpoint (and the base), checks that their model and router configs are the
// same, merges them into a new session of the first one's config at step 0 and measures
// everything on the held-out split. Throws moescope::Error naming the checkpoint that does not
// fit (another architecture, a missing base) before anything is merged.
std::unique_ptr<Session> merge_model_checkpoints(const ModelMergeRequest& request, ModelMergeReport& report);

nlohmann::json to_json(const ModelMergeReport& report);

}  // namespace moescope
