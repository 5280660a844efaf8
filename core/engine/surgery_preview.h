// The window's surgery workflow on a session: a request planned on the calibration cache,
// previewed on the live model (changed, measured, put back exactly), applied, undone.
// Session::preview_surgery / apply_surgery / undo_surgery drive these.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/events.h"
#include "surgery/calibration.h"

namespace moescope {

class Session;

// A plan for every MoE layer of the session's model and how to apply it.
struct PlannedSurgery {
  std::string description;
  std::vector<SurgeryLayer> layers;
  double expert_flops_kept = 1.0;
  std::function<void(Session&)> apply;  // changes the session's model as planned
};

// Plans `request` from `cache` (one LayerCalibration per MoE layer of the session's model).
// Throws moescope::Error naming the option when the request cannot be met.
PlannedSurgery plan_surgery(Session& session, const SurgeryRequest& request, const CalibrationCache& cache);

}  // namespace moescope
