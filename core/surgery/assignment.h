// The linear assignment problem (Hungarian method): permutation alignment of experts'
// hidden units before they are merged.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace moescope {

// For a square cost matrix [n, n], the permutation p (row i gets column p[i]) of least
// total cost, exactly (Kuhn–Munkres with potentials, O(n³) in float64).
std::vector<int64_t> linear_assignment(const torch::Tensor& cost);

}  // namespace moescope
