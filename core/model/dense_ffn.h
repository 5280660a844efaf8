// The dense SwiGLU feed-forward of a transformer block: down(silu(gate(x)) * up(x)).
#pragma once

#include <torch/torch.h>

#include <vector>

namespace moescope {

// Three projections in the nn.Linear layout (weight [out, in], y = x Wᵀ), as Mixtral's and
// every Hugging Face expert is written: of the dense formulations bench/moe_vs_dense times,
// the fastest on the CPU (bench/README.md). A dense language model's blocks use it, and its
// weights are what upcycling copies into experts.
struct DenseFFNImpl : torch::nn::Cloneable<DenseFFNImpl> {
  DenseFFNImpl(int64_t d_model, int64_t hidden, double output_init_scale);
  void reset() override;
  // x: [..., d] -> [..., d]
  torch::Tensor forward(const torch::Tensor& x);

  int64_t d_model, hidden;
  double output_init_scale;
  torch::Tensor gate, up, down;  // [hidden, d], [hidden, d], [d, hidden]
  // While set, forward appends its input, flattened to [T, d] and detached (the hidden states
  // Branch-Train-MiX initialises routers from). Not owned, not cloned.
  std::vector<torch::Tensor>* capture = nullptr;
};
TORCH_MODULE(DenseFFN);

}  // namespace moescope
