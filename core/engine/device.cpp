#include "engine/device.h"

#include "base/error.h"

#include <torch/version.h>

namespace moescope {

torch::Device resolve_device(const std::string& spec) {
  if (spec == "auto") return torch::cuda::is_available() ? torch::Device("cuda:0") : torch::Device("cpu");
  if (spec == "cpu") return torch::Device("cpu");
  if (spec.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw Error("device '" + spec + "': LibTorch sees no CUDA GPU on this machine; use --device cpu or auto");
    }
    torch::Device device = spec == "cuda" ? torch::Device("cuda:0") : torch::Device("cpu");
    try {
      if (spec != "cuda") device = torch::Device(spec);
    } catch (const c10::Error&) {
      throw Error("device '" + spec + "' is not a device name (auto, cpu, cuda, cuda:N)");
    }
    if (device.index() >= static_cast<int>(torch::cuda::device_count())) {
      throw Error("device '" + spec + "': only " + std::to_string(torch::cuda::device_count()) + " CUDA GPU(s) here");
    }
    return device;
  }
  throw Error("device '" + spec + "' is not a device name (auto, cpu, cuda, cuda:N)");
}

std::string libtorch_version() { return TORCH_VERSION; }

std::string available_devices() {
  std::string text = "CPU, " + std::to_string(torch::get_num_threads()) + " threads; ";
  const auto gpus = torch::cuda::is_available() ? torch::cuda::device_count() : 0;
  return text + (gpus == 0 ? std::string("no CUDA GPU") : "CUDA: " + std::to_string(gpus) + " GPU(s)");
}

std::string describe_device(const torch::Device& device) {
  if (device.is_cpu()) return "cpu (" + std::to_string(torch::get_num_threads()) + " threads)";
  return device.str();
}

}  // namespace moescope
