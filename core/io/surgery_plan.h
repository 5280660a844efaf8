// The per-layer plan of a surgery preview as the JSON the run log's /surgery/plan holds.
#pragma once

#include <stdexcept>
#include <string>

#include "base/events.h"

namespace moescope {

struct BadSurgeryPlan : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The request and every layer's plan (non-finite numbers as null).
std::string surgery_plan_json(const SurgeryPreview& preview);
// Fills preview.request and preview.layers; throws BadSurgeryPlan for text that is not such a plan.
void parse_surgery_plan(const std::string& json, SurgeryPreview& preview);

}  // namespace moescope
