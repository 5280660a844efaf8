// Deep copies of models, e.g. the copy a surgery preview changes while the original trains on.
#pragma once

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include <memory>
#include <mutex>

namespace moescope {

// model->clone() with the global random state left as it was: the copy's reset() draws
// initial weights that clone() then overwrites, and a preview must not shift the random
// stream of the run it was taken from. The copy shares no tensor with the original.
template <class Holder>
Holder clone_model(const Holder& model) {
  using Impl = typename Holder::Impl;
  auto gen = at::detail::getDefaultCPUGenerator();
  torch::Tensor state;
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    state = gen.get_state();
  }
  auto copy = std::dynamic_pointer_cast<Impl>(model->clone());
  {
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(state);
  }
  TORCH_CHECK(copy != nullptr, "clone_model: clone() returned another module type");
  return Holder(copy);
}

}  // namespace moescope
