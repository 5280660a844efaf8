// A surgery sweep: one method previewed at every budget, so its predicted and measured cost
// curves show where it breaks (docs/surgery.md). Pruning and merging go from E − 1 experts
// kept down to top-k, skipping from β = 0 to 1, quantization from 8 average bits down to 2.
// Each point is a Session::preview_surgery, which calibrates once for the whole sweep and
// measures the model before once: the model is put back after every point.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "base/events.h"

namespace moescope {

class Session;

// The requests a sweep previews, from the mildest change to the strongest: `base` with its
// budget (experts, beta or average_bits) set to each point. `experts` is the FFN experts a
// layer has now, `top_k` the router's k. Throws moescope::Error for an unknown kind or a
// model with no budget to sweep (experts <= top_k).
std::vector<SurgeryRequest> sweep_requests(const SurgeryRequest& base, int64_t experts, int64_t top_k);

// (The swept quantity of a point is surgery_budget(point.request), base/events.h.)

struct SurgerySweep {
  SurgeryRequest base;
  std::vector<SurgeryPreview> points;  // in the order of sweep_requests
};

// Previews every point of the sweep on the session's model (Session::preview_surgery, so
// observers see each preview). progress(share, what): false cancels between points.
SurgerySweep sweep_surgery(Session& session, const SurgeryRequest& base,
                           const std::function<bool(double, const std::string&)>& progress = {});

// {"kind", "method", "task", "before": {...}, "points": [{"x", "predicted": {...},
//  "measured": {...}, "parameters", "active_parameters", "expert_flops_kept", "seconds"}]}
nlohmann::json to_json(const SurgerySweep& sweep, const std::string& task);

}  // namespace moescope
