#pragma once

#include <cstdint>
#include <vector>

namespace moescope {

// A change of the model's shape in a run log: from `step` on, layer l has layer_experts[l]
// routed experts (pruning and merging remove experts mid-run).
struct ShapeChange {
  int64_t step = 0;
  std::vector<int64_t> layer_experts;
};

}  // namespace moescope
