#include "engine/precision.h"

#include <ATen/autocast_mode.h>

namespace moescope {

bool uses_bf16_autocast(const std::string& precision, const torch::Device& device) {
  if (precision == "bf16") return true;
  if (precision == "fp32") return false;
  return device.is_cuda();
}

AutocastScope::AutocastScope(const torch::Device& device, bool enabled)
    : enabled_(enabled), type_(device.type()) {
  if (!enabled_) return;
  was_enabled_ = at::autocast::is_autocast_enabled(type_);
  was_dtype_ = at::autocast::get_autocast_dtype(type_);
  at::autocast::set_autocast_enabled(type_, true);
  at::autocast::set_autocast_dtype(type_, at::kBFloat16);
  at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope() {
  if (!enabled_) return;
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  at::autocast::set_autocast_enabled(type_, was_enabled_);
  at::autocast::set_autocast_dtype(type_, was_dtype_);
}

}  // namespace moescope
