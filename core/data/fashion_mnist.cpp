#include "data/fashion_mnist.h"

#include <algorithm>

#include <filesystem>

#include "data/idx_reader.h"
#include "base/error.h"

namespace moescope {

ImageSplit load_image_split(const std::string& images_path, const std::string& labels_path) {
  auto images = read_idx(images_path);
  auto labels = read_idx(labels_path);
  if (images.dims.size() != 3 || images.dims[1] != 28 || images.dims[2] != 28) {
    throw Error(images_path + ": expected [N, 28, 28] images");
  }
  if (labels.dims.size() != 1 || labels.dims[0] != images.dims[0]) {
    throw Error(labels_path + ": expected " + std::to_string(images.dims[0]) +
                " labels to match " + images_path);
  }
  for (uint8_t label : labels.data) {
    if (label >= 10) throw Error(labels_path + ": label " + std::to_string(label) + " out of range [0, 10)");
  }
  // Images of one grey level carry nothing to learn, and their standard deviation of 0 would
  // turn the normalised pixels into NaN: a zeroed or damaged file.
  if (!images.data.empty() &&
      std::all_of(images.data.begin(), images.data.end(), [&](uint8_t v) { return v == images.data.front(); })) {
    throw Error(images_path + ": every pixel of every image is " + std::to_string(images.data.front()) +
                " (a zeroed or damaged file; reinstall dataset-fashion-mnist)");
  }
  const int64_t n = images.dims[0];
  ImageSplit split;
  split.images = torch::from_blob(images.data.data(), {n, 1, 28, 28}, torch::kUInt8)
                     .to(torch::kFloat32)
                     .div_(255.0);
  split.labels = torch::from_blob(labels.data.data(), {n}, torch::kUInt8).to(torch::kInt64);
  return split;
}

FashionMnist load_fashion_mnist(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) {
    throw Error(dir + ": Fashion-MNIST not found; install it with: sudo apt install dataset-fashion-mnist");
  }
  const auto file = [&](const char* name) { return (fs::path(dir) / name).string(); };
  FashionMnist data;
  data.train = load_image_split(file("train-images-idx3-ubyte.gz"), file("train-labels-idx1-ubyte.gz"));
  data.test = load_image_split(file("t10k-images-idx3-ubyte.gz"), file("t10k-labels-idx1-ubyte.gz"));
  return data;
}

std::vector<std::string> fashion_mnist_classes() {
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
}

std::vector<uint8_t> grey_levels(const torch::Tensor& image) {
  auto bytes = image.detach().to(torch::kCPU, torch::kFloat32).reshape({28 * 28}).mul(255.0).round().clamp(0, 255)
                   .to(torch::kUInt8).contiguous();
  return std::vector<uint8_t>(bytes.data_ptr<uint8_t>(), bytes.data_ptr<uint8_t>() + bytes.numel());
}

PixelStats PixelStats::of(const torch::Tensor& images) {
  return {images.mean().item<double>(), images.std().item<double>()};
}

}  // namespace moescope
