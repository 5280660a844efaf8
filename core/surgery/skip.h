// Dynamic expert skipping (NAEE): at inference a token's selected expert whose gate is below
// beta x the token's top gate is not run. No weight changes; reversible (beta = 0).
#pragma once

#include <torch/torch.h>

#include "model/moe_layer.h"
#include "surgery/calibration.h"

namespace moescope {

struct LayerSkipPlan {
  double beta = 0.0;
  double skipped_share = 0.0;  // of the cache's FFN assignments: the expert FLOPs saved
  double reconstruction_error = 0.0;  // ‖h − ĥ‖² / ‖h‖² on the cached inputs
};

// The share of the cached FFN assignments that beta skips, and the layer's output error
// with skipping on (a forward of a copy with the router's skip_beta set).
LayerSkipPlan plan_skip(const MoELayer& layer, const LayerCalibration& cache, double beta);

// Sets the layer's router to skip below beta from the next inference forward on.
void set_skip(MoELayerImpl& layer, double beta);

}  // namespace moescope
