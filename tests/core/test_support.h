// Small hand-made data for tests: a fortunes tree, a Fashion-MNIST folder and tiny run
// configurations.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <utility>

#include <zlib.h>

#include "train/config.h"

namespace moescope::test {

// A fresh, empty folder under the system temp dir, removed when the object goes.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("moescope-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A fortunes tree shaped like Debian's: English at the top, German in de/, plus the .dat
// index files and symlinks the loader must skip.
inline void write_fortunes_tree(const std::filesystem::path& root, int docs_per_file = 40) {
  std::string en, de;
  for (int i = 0; i < docs_per_file; ++i) {
    en += "The quick brown fox number " + std::to_string(i) + " jumps over the lazy dog.\n%\n";
    de += "Der schnelle braune Fuchs Nummer " + std::to_string(i) + " springt.\n%\n";
  }
  write_file(root / "animals", en);
  write_file(root / "animals.dat", std::string("\x00\x00\x00\x02garbage", 12));
  write_file(root / "de" / "tiere", de);
  std::filesystem::create_symlink(root / "animals", root / "animals.u8");
  std::filesystem::create_symlink(root / "de" / "tiere", root / "tiere");
}

// A language model small enough to train a few steps in well under a second.
// A Fashion-MNIST folder as Debian ships it (gzip IDX files), with `train` and `test` images
// of random pixels whose label is the brightest image quarter (0-3): learnable, tiny.
inline void write_fashion_mnist(const std::filesystem::path& dir, int train, int test) {
  std::filesystem::create_directories(dir);
  std::mt19937 rng(5);
  const auto write_split = [&](const std::string& images_name, const std::string& labels_name, int n) {
    std::string images{'\0', '\0', '\x08', '\x03'}, labels{'\0', '\0', '\x08', '\x01'};
    const auto be32 = [](std::string& s, uint32_t v) {
      for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((v >> shift) & 0xff);
    };
    be32(images, uint32_t(n));
    be32(images, 28);
    be32(images, 28);
    be32(labels, uint32_t(n));
    for (int i = 0; i < n; ++i) {
      const int label = int(rng() % 4);
      for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) {
          const int quarter = (y >= 14) * 2 + (x >= 14);
          images += static_cast<char>(quarter == label ? 200 + rng() % 56 : rng() % 100);
        }
      }
      labels += static_cast<char>(label);
    }
    for (const auto& [name, bytes] : {std::pair{images_name, images}, std::pair{labels_name, labels}}) {
      gzFile f = gzopen((dir / name).string().c_str(), "wb");
      gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
      gzclose(f);
    }
  };
  write_split("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", train);
  write_split("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", test);
}

inline RunConfig tiny_lm_config(const std::string& fortunes_dir) {
  RunConfig c = preset_config("lm-fortunes");
  c.data.fortunes_dir = fortunes_dir;
  c.data.validation_share = 0.1;
  c.model.d_model = 32;
  c.model.heads = 2;
  c.model.layers = 2;
  c.model.context = 16;
  c.model.experts = 4;
  c.model.top_k = 2;
  c.model.expert_hidden = 32;
  c.train.batch_size = 4;
  c.train.steps = 8;
  c.train.warmup_steps = 2;
  c.train.eval_every = 4;
  c.train.eval_batches = 2;
  c.train.snapshot_every = 2;
  c.device = "cpu";
  c.threads = 1;
  return c;
}

// The small MoE the surgery tests change: tiny_lm_config with 4 experts, top-2.
inline RunConfig tiny_surgery_config(const std::string& fortunes_dir, int64_t steps) {
  auto c = tiny_lm_config(fortunes_dir);
  c.model.experts = 4;
  c.model.top_k = 2;
  c.train.steps = steps;
  return c;
}

}  // namespace moescope::test
