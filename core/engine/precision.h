// Mixed precision for a run: bf16 autocast (weights and optimizer state stay float32).
#pragma once

#include <torch/torch.h>

#include <string>

namespace moescope {

// Whether a run of `precision` (auto | fp32 | bf16) on `device` trains under bf16 autocast:
// auto means bf16 on CUDA and float32 on the CPU.
bool uses_bf16_autocast(const std::string& precision, const torch::Device& device);

// Turns bf16 autocast on for `device`'s type on this thread for the scope's lifetime (when
// `enabled`), restoring the previous state after; the outermost scope clears the cast cache.
class AutocastScope {
 public:
  AutocastScope(const torch::Device& device, bool enabled);
  ~AutocastScope();
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool enabled_;
  c10::DeviceType type_;
  bool was_enabled_ = false;
  at::ScalarType was_dtype_ = at::kFloat;
};

}  // namespace moescope
