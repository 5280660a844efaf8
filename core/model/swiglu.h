#pragma once

#include <torch/torch.h>

namespace moescope {

// SwiGLU on a fused gate|up projection: gate_up [N, 2h] -> silu(gate) * up [N, h].
// One autograd node whose backward writes both halves of the [N, 2h] gradient in place;
// the unfused form (two narrow() views) zero-fills the full gradient once per view.
torch::Tensor swiglu(const torch::Tensor& gate_up);

}  // namespace moescope
