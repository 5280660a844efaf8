// moescope-cli safetensors: lists a safetensors file's tensors (name, dtype, shape, sum of
// the values) after validating it, and with --copy writes them again with MoE Scope's writer.
#pragma once

#include <string>

namespace moescope {

// Prints one line per tensor; returns the exit status. Throws moescope::Error for a bad file.
int run_safetensors(const std::string& file, const std::string& copy);

}  // namespace moescope
