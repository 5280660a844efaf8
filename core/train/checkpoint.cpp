#include "train/checkpoint.h"

#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <filesystem>
#include <mutex>
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
    torch::Tensor t;
    archive.read("format", t);
    if (t.item<int64_t>() != kCheckpointFormat) {
      throw Error(path + ": checkpoint format " + std::to_string(t.item<int64_t>()) +
                  " is not supported (expected " + std::to_string(kCheckpointFormat) + ")");
    }
    archive.read("step", t);
    meta.step = t.item<int64_t>();
    archive.read("tokens", t);
    meta.tokens = t.item<int64_t>();
    archive.read("peak_lr", t);
    meta.peak_lr = t.item<double>();
    archive.read("balance_coef", t);
    meta.balance_coef = t.item<double>();
    archive.read("config", t);
    meta.config_json = tensor_string(t);
    archive.read("sampler", t);
    meta.sampler_state = tensor_string(t);
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    model.load(model_archive);
    optimizer.load(optimizer_archive);
    archive.read("torch_rng", t);
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(t);
  } catch (const c10::Error& e) {
    throw Error(path + ": checkpoint does not fit this model (" +
                std::string(e.what_without_backtrace()).substr(0, 300) + ")");
  }
  return meta;
}

}  // namespace moescope
