#include "model/dense_ffn.h"

#include <cmath>

namespace moescope {

namespace F = torch::nn::functional;

DenseFFNImpl::DenseFFNImpl(int64_t d_model_, int64_t hidden_, double output_init_scale_)
    : d_model(d_model_), hidden(hidden_), output_init_scale(output_init_scale_) {
  reset();
}

void DenseFFNImpl::reset() {
  capture = nullptr;
  TORCH_CHECK(d_model >= 1 && hidden >= 1, "a dense FFN needs d_model and hidden >= 1");
  // The same scales as the experts' stacked weights (model/moe_layer.cpp), so a dense model
  // and its MoE counterpart start alike.
  const double in_scale = 1.0 / std::sqrt(double(d_model));
  gate = register_parameter("gate", torch::randn({hidden, d_model}) * in_scale);
  up = register_parameter("up", torch::randn({hidden, d_model}) * in_scale);
  down = register_parameter("down", torch::randn({d_model, hidden}) *
                                        (output_init_scale / std::sqrt(double(hidden))));
}

torch::Tensor DenseFFNImpl::forward(const torch::Tensor& x) {
  TORCH_CHECK(x.size(-1) == d_model, "dense FFN expects [..., ", d_model, "], got ", x.sizes());
  if (capture != nullptr) capture->push_back(x.detach().reshape({-1, d_model}));
  const auto dtype = x.scalar_type();
  return F::linear(torch::silu(F::linear(x, gate.to(dtype))) * F::linear(x, up.to(dtype)),
                   down.to(dtype));
}

}  // namespace moescope
