#pragma once

#include <torch/torch.h>

#include <string>

#include "engine/versions.h"

namespace moescope {

// "auto" picks CUDA where LibTorch sees a GPU, else the CPU. Throws moescope::Error for a
// CUDA device that is not there.
torch::Device resolve_device(const std::string& spec);
std::string describe_device(const torch::Device& device);

}  // namespace moescope
