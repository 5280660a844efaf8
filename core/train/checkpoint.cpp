#include "train/checkpoint.h"

#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <filesystem>
#include <mutex>
#include <sstream>
#include <system_error>

#include "error.h"

namespace moescope {
namespace {

constexpr int64_t kCheckpointFormat = 1;

torch::Tensor string_tensor(const std::string& s) {
  return torch::from_blob(const_cast<char*>(s.data()), {int64_t(s.size())}, torch::kUInt8).clone();
}

std::string tensor_string(const torch::Tensor& t) {
  auto bytes = t.to(torch::kCPU).contiguous();
  return std::string(reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()), bytes.numel());
}

// One line per parameter: "name 8x32".
std::string shape_manifest(const torch::nn::Module& model) {
  std::ostringstream out;
  for (const auto& item : model.named_parameters()) {
    out << item.key() << ' ';
    for (size_t i = 0; i < item.value().sizes().size(); ++i) out << (i ? "x" : "") << item.value().size(i);
    out << '\n';
  }
  return out.str();
}

std::string first_difference(const std::string& stored, const std::string& expected) {
  std::istringstream a(stored), b(expected);
  std::string la, lb;
  while (true) {
    const bool ga = bool(std::getline(a, la)), gb = bool(std::getline(b, lb));
    if (!ga && !gb) return "same shapes";
    if (la != lb || ga != gb) {
      return "checkpoint: '" + (ga ? la : std::string("nothing")) + "', this model: '" +
             (gb ? lb : std::string("nothing")) + "'";
    }
  }
}

}  // namespace

void save_checkpoint(const std::string& path, torch::nn::Module& model,
                     torch::optim::Optimizer& optimizer, const CheckpointMeta& meta) {
  namespace fs = std::filesystem;
  torch::serialize::OutputArchive archive, model_archive, optimizer_archive;
  model.save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  archive.write("format", torch::tensor(kCheckpointFormat));
  archive.write("step", torch::tensor(meta.step));
  archive.write("tokens", torch::tensor(meta.tokens));
  archive.write("peak_lr", torch::tensor(meta.peak_lr, torch::kFloat64));
  archive.write("balance_coef", torch::tensor(meta.balance_coef, torch::kFloat64));
  archive.write("config", string_tensor(meta.config_json));
  archive.write("sampler", string_tensor(meta.sampler_state));
  archive.write("shapes", string_tensor(shape_manifest(model)));
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    archive.write("torch_rng", gen.get_state());
  }

  const std::string tmp = path + ".tmp";
  try {
    archive.save_to(tmp);
  } catch (const c10::Error& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error(path + ": cannot write checkpoint (" + e.what_without_backtrace() + ")");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(path + ": cannot move the checkpoint into place (" + ec.message() + ")");
  }
}

CheckpointMeta load_checkpoint(const std::string& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": checkpoint file not found");
  CheckpointMeta meta;
  torch::serialize::InputArchive archive, model_archive, optimizer_archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error& e) {
    throw Error(path + ": not a readable MoE Scope checkpoint (truncated or corrupt)");
  }
  try {
    // A fresh tensor per entry: read() into a defined tensor would set_() its storage.
    const auto read = [&](const char* key) {
      torch::Tensor t;
      archive.read(key, t);
      return t;
    };
    const auto format = read("format").item<int64_t>();
    if (format != kCheckpointFormat) {
      throw Error(path + ": checkpoint format " + std::to_string(format) +
                  " is not supported (expected " + std::to_string(kCheckpointFormat) + ")");
    }
    meta.step = read("step").item<int64_t>();
    meta.tokens = read("tokens").item<int64_t>();
    meta.peak_lr = read("peak_lr").item<double>();
    meta.balance_coef = read("balance_coef").item<double>();
    meta.config_json = tensor_string(read("config"));
    meta.sampler_state = tensor_string(read("sampler"));
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    // Module::load resizes parameters to whatever the archive holds: compare shapes first.
    const auto stored = tensor_string(read("shapes"));
    const auto expected = shape_manifest(model);
    if (stored != expected) {
      throw Error(path + ": checkpoint holds a model of another shape (" + first_difference(stored, expected) +
                  "); resume with the config it was trained with");
    }
    model.load(model_archive);
    optimizer.load(optimizer_archive);
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(read("torch_rng"));
  } catch (const c10::Error& e) {
    throw Error(path + ": checkpoint does not fit this model (" +
                std::string(e.what_without_backtrace()).substr(0, 300) + ")");
  }
  return meta;
}

}  // namespace moescope
