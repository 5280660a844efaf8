// What this build runs on, for Help > About and bug reports. No LibTorch in this header: the
// window includes it.
#pragma once

#include <string>

namespace moescope {

// The LibTorch release ("2.11.0").
std::string libtorch_version();
// The devices this process can train on: "CPU, 2 threads; no CUDA GPU" or "CPU, 16 threads;
// CUDA: 1 GPU(s)".
std::string available_devices();

}  // namespace moescope
