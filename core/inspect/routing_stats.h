#pragma once

#include <vector>

#include "engine/events.h"
#include "model/moe_layer.h"

namespace moescope {

// Reduces the layers' last recorded routing to a small CPU snapshot (one sync per call).
RoutingSnapshot make_routing_snapshot(const std::vector<MoELayer>& layers, int64_t step);

}  // namespace moescope
