#include "model/vision_moe.h"

#include <string>

namespace moescope {

namespace nn = torch::nn;

VisionMoEImpl::VisionMoEImpl(const VisionMoEOptions& o) : options(o) { reset(); }

void VisionMoEImpl::reset() {
  const auto& o = options;
  const auto c = o.stem_channels(), d = o.d_model();
  stem = register_module(
      "stem",
      nn::Sequential(nn::Conv2d(nn::Conv2dOptions(1, c, 3).padding(1).bias(false)),
                     nn::BatchNorm2d(c), nn::ReLU(), nn::MaxPool2d(nn::MaxPool2dOptions(2)),
                     nn::Conv2d(nn::Conv2dOptions(c, d, 3).padding(1).bias(false)),
                     nn::BatchNorm2d(d), nn::ReLU(), nn::MaxPool2d(nn::MaxPool2dOptions(2))));
  position = register_parameter("position", torch::randn({kPatches, d}) * 0.02);
  norms = register_module("norms", nn::ModuleList());
  moes.clear();
  for (int64_t i = 0; i < o.layers(); ++i) {
    norms->push_back(nn::LayerNorm(nn::LayerNormOptions({d})));
    moes.push_back(register_module(
        "moe" + std::to_string(i),
        MoELayer(moe_layer_options(o.moe(), o.router(), d, 1.0, int64_t(i)))));
  }
  head_norm = register_module("head_norm", nn::LayerNorm(nn::LayerNormOptions({d})));
  head = register_module("head", nn::Linear(d, o.classes()));
}

ModelOutput VisionMoEImpl::forward(const torch::Tensor& images) {
  // images: [B, 1, 28, 28] -> features [B, d, 7, 7] -> tokens [B, 49, d] -> logits [B, classes]
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 1 && images.size(2) == 28 &&
                  images.size(3) == 28,
              "vision model expects [batch, 1, 28, 28] images, got ", images.sizes());
  const auto B = images.size(0), d = options.d_model();
  auto x = stem->forward(images).flatten(2).transpose(1, 2) + position;  // [B, 49, d]
  // Hash routing keys on the patch position; sequence-level losses see one image per sequence.
  auto patch_ids = torch::arange(kPatches, images.options().dtype(torch::kInt64)).repeat({B});
  RouterLosses losses;
  for (size_t i = 0; i < moes.size(); ++i) {
    auto h = norms[i]->as<nn::LayerNorm>()->forward(x).reshape({B * kPatches, d});
    auto out = moes[i]->forward(h, patch_ids, kPatches);
    x = x + out.y.view({B, kPatches, d});
    losses.add(out);
  }
  ModelOutput result;
  result.logits = head->forward(head_norm->forward(x.mean(1)));
  losses.finish(result);
  return result;
}

std::vector<MoELayer> VisionMoEImpl::moe_layers() const { return moes; }

}  // namespace moescope
