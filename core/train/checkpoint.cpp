#include "train/checkpoint.h"

#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <system_error>
#include <zlib.h>

#include "base/durable_file.h"
#include "base/error.h"

namespace moescope {
namespace {

// 1: model, optimizer, step, lr, balance coefficient, parameter shapes.
// 2: also buffer shapes, each router's live settings and the model shape.
// 3: also the collapse detector's state and checksums of every tensor and of the metadata.
constexpr int64_t kCheckpointFormat = 3;

torch::Tensor string_tensor(const std::string& s) {
  return torch::from_blob(const_cast<char*>(s.data()), {int64_t(s.size())}, torch::kUInt8).clone();
}

std::string tensor_string(const torch::Tensor& t) {
  auto bytes = t.to(torch::kCPU).contiguous();
  return std::string(reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()), bytes.numel());
}

// One line per parameter, "name 8x32", then (format 2) one per buffer, "buffer name 8".
std::string shape_manifest(const torch::nn::Module& model, bool buffers) {
  std::ostringstream out;
  const auto line = [&out](const std::string& prefix, const std::string& name, const torch::Tensor& t) {
    out << prefix << name << ' ';
    for (size_t i = 0; i < t.sizes().size(); ++i) out << (i ? "x" : "") << t.size(i);
    out << '\n';
  };
  for (const auto& item : model.named_parameters()) line("", item.key(), item.value());
  if (buffers) {
    for (const auto& item : model.named_buffers()) line("buffer ", item.key(), item.value());
  }
  return out.str();
}

uint32_t crc_of(const void* data, size_t bytes, uint32_t crc = 0) {
  return uint32_t(crc32_z(crc, static_cast<const Bytef*>(data), bytes));
}

uint32_t crc_of(const torch::Tensor& t) {
  const auto bytes = t.detach().to(torch::kCPU).contiguous();
  return crc_of(bytes.data_ptr(), bytes.nbytes());
}

// One line per tensor, "name crc32": every parameter and buffer, then each parameter's
// optimizer state (Adam's and AdamW's moments). Computed from the live model and optimizer, so
// a loaded checkpoint is checked by computing it again.
std::string checksum_manifest(torch::nn::Module& model, torch::optim::Optimizer& optimizer) {
  std::ostringstream out;
  out << std::hex;
  const auto line = [&out](const std::string& name, const torch::Tensor& t) {
    if (t.defined()) out << name << ' ' << crc_of(t) << '\n';
  };
  for (const auto& item : model.named_parameters()) line(item.key(), item.value());
  for (const auto& item : model.named_buffers()) line(item.key(), item.value());
  const auto& states = optimizer.state();
  for (const auto& item : model.named_parameters()) {
    const auto it = states.find(item.value().unsafeGetTensorImpl());
    if (it == states.end()) continue;
    const std::string name = "optimizer state of " + item.key();
    if (const auto* a = dynamic_cast<const torch::optim::AdamWParamState*>(it->second.get())) {
      line(name + " (exp_avg)", a->exp_avg());
      line(name + " (exp_avg_sq)", a->exp_avg_sq());
      line(name + " (max_exp_avg_sq)", a->max_exp_avg_sq());
      out << name << " (step) " << a->step() << '\n';
    } else if (const auto* b = dynamic_cast<const torch::optim::AdamParamState*>(it->second.get())) {
      line(name + " (exp_avg)", b->exp_avg());
      line(name + " (exp_avg_sq)", b->exp_avg_sq());
      line(name + " (max_exp_avg_sq)", b->max_exp_avg_sq());
      out << name << " (step) " << b->step() << '\n';
    }
  }
  return out.str();
}

// The first line where two texts of one line per tensor differ (nothing for a missing one);
// false when every line agrees.
bool first_differing_lines(const std::string& a_text, const std::string& b_text, std::string& a_line,
                           std::string& b_line) {
  std::istringstream a(a_text), b(b_text);
  while (true) {
    const bool ga = bool(std::getline(a, a_line)), gb = bool(std::getline(b, b_line));
    if (!ga && !gb) return false;
    if (a_line != b_line || ga != gb) {
      if (!ga) a_line.clear();
      if (!gb) b_line.clear();
      return true;
    }
  }
}

// The tensor whose checksum line differs first ("name crc"), or "" when none does.
std::string first_bad_tensor(const std::string& stored, const std::string& computed) {
  std::string a, b;
  if (!first_differing_lines(stored, computed, a, b)) return {};
  const std::string& line = a.empty() ? b : a;
  return line.substr(0, line.rfind(' '));
}

using nlohmann::json;

// Settings a resumed run may change: the live router settings (restored from the checkpoint)
// and the expert kernel (the same model computed another way).
bool may_differ(const std::string& key) {
  return key == "/router/temperature" || key == "/router/capacity_factor" ||
         key == "/router/bias_balancing" || key == "/router/bias_rate" ||
         key == "/model/expert_kernel";
}

// The first model or router option in which two configs differ, or "" when none does.
std::string config_difference(const std::string& stored_json, const std::string& asked_json) {
  const auto stored = json::parse(stored_json, nullptr, false);
  const auto asked = json::parse(asked_json, nullptr, false);
  if (stored.is_discarded() || asked.is_discarded()) return "its configuration cannot be read";
  // An option the checkpoint does not name is newer than it: it ran with today's default.
  const json defaults = to_json(RunConfig{});
  for (const char* section : {"model", "router"}) {
    const auto a = stored.value(section, json::object()), b = asked.value(section, json::object());
    const auto d = defaults.value(section, json::object());
    for (const auto& item : b.items()) {
      const std::string key = std::string("/") + section + "/" + item.key();
      if (may_differ(key)) continue;
      const json* saved_value = nullptr;
      if (auto it = a.find(item.key()); it != a.end()) saved_value = &*it;
      else if (auto def = d.find(item.key()); def != d.end()) saved_value = &*def;
      const std::string saved = saved_value ? saved_value->dump() : "nothing";
      if (!saved_value || *saved_value != item.value()) {
        return std::string(section) + "." + item.key() + " is " + saved +
               " in the checkpoint, " + item.value().dump() + " in this run";
      }
    }
  }
  return {};
}

std::string runtime_json(const std::vector<RouterRuntime>& routers) {
  auto list = json::array();
  for (const auto& r : routers) {
    list.push_back({{"temperature", r.temperature},
                    {"capacity_factor", r.capacity_factor},
                    {"bias_balancing", r.bias_balancing},
                    {"bias_rate", r.bias_rate},
                    {"skip_beta", r.skip_beta}});
  }
  return list.dump();
}

std::string shape_json(const ModelShape& shape) {
  auto layers = json::array();
  for (const auto& l : shape.layers) {
    layers.push_back({{"experts", l.experts},
                      {"logit_to_expert", l.logit_to_expert},
                      {"expert_group", l.expert_group}});
  }
  return layers.dump();
}

ModelShape parse_shape(const std::string& path, const std::string& text) {
  const auto layers = json::parse(text, nullptr, false);
  const std::string corrupt = path + ": the checkpoint's model shape is unreadable (corrupt checkpoint)";
  if (!layers.is_array()) throw Error(corrupt);
  ModelShape shape;
  try {
    for (const auto& l : layers) {
      shape.layers.push_back({l.at("experts").get<int64_t>(),
                              l.at("logit_to_expert").get<std::vector<int64_t>>(),
                              l.at("expert_group").get<std::vector<int64_t>>()});
    }
  } catch (const json::exception&) {
    throw Error(corrupt);
  }
  return shape;
}

std::vector<RouterRuntime> parse_runtime(const std::string& path, const std::string& text) {
  const auto list = json::parse(text, nullptr, false);
  const std::string corrupt = path + ": the checkpoint's router settings are unreadable (corrupt checkpoint)";
  if (!list.is_array()) throw Error(corrupt);
  std::vector<RouterRuntime> routers;
  try {
    for (const auto& r : list) {
      // skip_beta came later: older checkpoints skip nothing.
      routers.push_back({r.at("temperature").get<double>(), r.at("capacity_factor").get<double>(),
                         r.at("bias_balancing").get<bool>(), r.at("bias_rate").get<double>(),
                         r.value("skip_beta", 0.0)});
    }
  } catch (const json::exception&) {
    throw Error(corrupt);
  }
  return routers;
}

std::string first_difference(const std::string& stored, const std::string& expected) {
  std::string a, b;
  if (!first_differing_lines(stored, expected, a, b)) return "same shapes";
  return "checkpoint: '" + (a.empty() ? std::string("nothing") : a) + "', this model: '" +
         (b.empty() ? std::string("nothing") : b) + "'";
}

// Of everything but the tensors: step, counters, configuration, sampler, router settings,
// shape, the collapse detector and the random state.
uint32_t meta_checksum(const CheckpointMeta& meta, const torch::Tensor& rng) {
  std::ostringstream text;
  text.precision(17);
  text << meta.step << ' ' << meta.tokens << ' ' << meta.peak_lr << ' ' << meta.balance_coef << '\n'
       << meta.config_json << '\n' << meta.sampler_state << '\n' << runtime_json(meta.routers) << '\n'
       << shape_json(meta.shape) << '\n' << meta.detector_state << '\n';
  const std::string all = text.str();
  return crc_of(all.data(), all.size(), crc_of(rng));
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
  archive.write("shapes", string_tensor(shape_manifest(model, /*buffers=*/true)));
  archive.write("routers", string_tensor(runtime_json(meta.routers)));
  archive.write("model_shape", string_tensor(shape_json(meta.shape)));
  archive.write("detector", string_tensor(meta.detector_state));
  torch::Tensor rng;
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    rng = gen.get_state();
  }
  archive.write("torch_rng", rng);
  archive.write("checksums", string_tensor(checksum_manifest(model, optimizer)));
  archive.write("meta_checksum", torch::tensor(int64_t(meta_checksum(meta, rng))));

  const std::string tmp = path + ".tmp";
  try {
    archive.save_to(tmp);
  } catch (const c10::Error& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error(path + ": cannot write checkpoint (" + e.what_without_backtrace() + ")");
  }
  replace_durably(tmp, path, "checkpoint");
}

RunConfig checkpoint_config(const std::string& path, int64_t* step, int64_t* format) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": checkpoint file not found");
  torch::serialize::InputArchive archive;
  torch::Tensor text, steps;
  try {
    archive.load_from(path);
    archive.read("config", text);
    if (step) {
      archive.read("step", steps);
      *step = steps.item<int64_t>();
    }
    if (format) {
      torch::Tensor number;
      archive.read("format", number);
      *format = number.item<int64_t>();
    }
  } catch (const std::exception&) {
    // c10::Error, and the TorchScript parser's errors from a damaged code section of the zip.
    throw Error(path + ": not a readable MoE Scope checkpoint (truncated or corrupt)");
  }
  const auto j = json::parse(tensor_string(text), nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw Error(path + ": the checkpoint's configuration is unreadable (corrupt checkpoint)");
  RunConfig config;
  apply_json(config, j, path + " (its configuration)");
  return config;
}

CheckpointMeta load_checkpoint(const std::string& path, torch::nn::Module& model,
                               torch::optim::Optimizer& optimizer, const std::string& config_json,
                               const ModelShape& shape) {
  if (!std::filesystem::is_regular_file(path)) throw Error(path + ": checkpoint file not found");
  CheckpointMeta meta;
  torch::serialize::InputArchive archive, model_archive, optimizer_archive;
  try {
    archive.load_from(path);
  } catch (const std::exception&) {
    // c10::Error, and the TorchScript parser's errors from a damaged code section of the zip.
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
    if (format < 1 || format > kCheckpointFormat) {
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
    if (format >= 2) {
      meta.routers = parse_runtime(path, tensor_string(read("routers")));
      meta.shape = parse_shape(path, tensor_string(read("model_shape")));
    }
    torch::Tensor rng = read("torch_rng");
    if (format >= 3) {
      meta.detector_state = tensor_string(read("detector"));
      if (uint32_t(read("meta_checksum").item<int64_t>()) != meta_checksum(meta, rng)) {
        throw Error(path + ": corrupt checkpoint: its metadata (step, configuration, sampler, router "
                    "settings or random state) does not match its checksum");
      }
    }
    // Module::load resizes parameters to whatever the archive holds: compare shapes first.
    const auto stored = tensor_string(read("shapes"));
    const auto expected = shape_manifest(model, /*buffers=*/format >= 2);
    if (stored != expected) {
      throw Error(path + ": checkpoint holds a model of another shape (" + first_difference(stored, expected) +
                  "); resume with the config it was trained with");
    }
    if (format >= 2) {
      for (size_t l = 0; l < std::max(meta.shape.layers.size(), shape.layers.size()); ++l) {
        const auto* a = l < meta.shape.layers.size() ? &meta.shape.layers[l] : nullptr;
        const auto* b = l < shape.layers.size() ? &shape.layers[l] : nullptr;
        if (a && b && *a == *b) continue;
        const auto describe = [](const LayerShape* s) {
          return s ? std::to_string(s->experts) + " experts" +
                         (s->logit_to_expert.empty() ? "" : " with a merged logit map")
                   : std::string("no layer");
        };
        throw Error(path + ": checkpoint holds a model of another shape (MoE layer " +
                    std::to_string(l) + ": " + describe(a) + " in the checkpoint, " + describe(b) +
                    " in this model); resume with the config it was trained with");
      }
    }
    // Same shapes, another model: a different router or expert kind must not load silently.
    const auto difference = config_difference(meta.config_json, config_json);
    if (!difference.empty()) {
      throw Error(path + ": checkpoint was trained with another model (" + difference +
                  "); resume with the config it was trained with");
    }
    model.load(model_archive);
    optimizer.load(optimizer_archive);
    if (format >= 3) {
      const auto bad = first_bad_tensor(tensor_string(read("checksums")), checksum_manifest(model, optimizer));
      if (!bad.empty()) {
        throw Error(path + ": corrupt checkpoint: tensor '" + bad +
                    "' does not match its checksum (the file was damaged after it was written; "
                    "use an earlier checkpoint)");
      }
    }
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(rng);
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Error(path + ": checkpoint does not fit this model (" +
                std::string(e.what_without_backtrace()).substr(0, 300) + ")");
  } catch (const std::exception&) {
    // The TorchScript parser, on a damaged code section of a submodule.
    throw Error(path + ": not a readable MoE Scope checkpoint (truncated or corrupt)");
  }
  return meta;
}

}  // namespace moescope
