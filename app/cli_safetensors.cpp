#include "cli_safetensors.h"

#include <torch/torch.h>

#include <cstdio>
#include <string>

#include "data/safetensors.h"

namespace moescope {
namespace {

torch::Dtype torch_dtype(SafeDtype dtype) {
  switch (dtype) {
    case SafeDtype::F32: return torch::kFloat;
    case SafeDtype::F16: return torch::kHalf;
    case SafeDtype::BF16: return torch::kBFloat16;
  }
  return torch::kFloat;
}

}  // namespace

int run_safetensors(const std::string& file, const std::string& copy) {
  SafetensorsFile in(file);
  std::printf("%s: %zu tensors\n", file.c_str(), in.tensors().size());
  for (const auto& [key, value] : in.metadata()) std::printf("metadata %s = %s\n", key.c_str(), value.c_str());
  std::vector<SafeTensorData> out;
  for (const auto& t : in.tensors()) {
    const auto values = torch::from_blob(const_cast<uint8_t*>(in.data(t)), t.shape,
                                         torch::TensorOptions().dtype(torch_dtype(t.dtype)));
    std::string shape = "[";
    for (size_t i = 0; i < t.shape.size(); ++i) shape += (i ? "," : "") + std::to_string(t.shape[i]);
    std::printf("%s %s %s] %.9g\n", t.name.c_str(), safe_dtype_name(t.dtype), shape.c_str(),
                values.to(torch::kDouble).sum().item<double>());
    out.push_back({t.name, t.dtype, t.shape, in.data(t)});
  }
  if (!copy.empty()) {
    write_safetensors(copy, out, in.metadata());
    std::printf("written to %s\n", copy.c_str());
  }
  return 0;
}

}  // namespace moescope
