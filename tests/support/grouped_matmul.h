// Grouped matmul over stacked expert weights, as one autograd function.
//
// Rows of x are sorted by expert: rows [o_e, o_e + counts[e]) belong to expert e. The forward
// runs one GEMM per non-empty segment against w[e]; the backward writes each expert's
// gradient straight into its slice of the stacked gradient. Indexing w[e] per expert inside
// autograd instead makes every backward zero-fill a full [E, in, out] gradient per expert.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace moescope {

// x: [N, in], w: [E, in, out], counts: E row counts summing to N -> [N, out]
torch::Tensor grouped_matmul(const torch::Tensor& x, const torch::Tensor& w,
                             const std::vector<int64_t>& counts);

}  // namespace moescope
