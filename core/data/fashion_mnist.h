// Fashion-MNIST (Zalando) from Debian's dataset-fashion-mnist package.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

inline const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

struct ImageSplit {
  torch::Tensor images;  // [N, 1, 28, 28] float32 in [0, 1]
  torch::Tensor labels;  // [N] int64 in [0, 10)
};

struct FashionMnist {
  ImageSplit train;
  ImageSplit test;
};

// The mean and standard deviation of a split's pixels: models see (x - mean) / std, with the
// training split's statistics for every split.
struct PixelStats {
  double mean = 0.0, std = 1.0;
  static PixelStats of(const torch::Tensor& images);
  torch::Tensor normalise(const torch::Tensor& images) const { return (images - mean) / std; }
};

// Reads {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz from dir.
FashionMnist load_fashion_mnist(const std::string& dir);
ImageSplit load_image_split(const std::string& images_path, const std::string& labels_path);

// The ten labels in the dataset's order: "T-shirt/top", "Trouser", ..., "Ankle boot".
std::vector<std::string> fashion_mnist_classes();
// One image ([1, 28, 28] or [28, 28] in [0, 1]) as 784 grey levels 0..255, row major.
std::vector<uint8_t> grey_levels(const torch::Tensor& image);

}  // namespace moescope
