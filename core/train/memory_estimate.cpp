#include "train/memory_estimate.h"

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/error.h"

namespace moescope {
namespace {

constexpr double kMiB = 1024.0 * 1024.0, kGiB = 1024.0 * kMiB;

// Measured (docs/reliability.md): the peak resident memory of a run whose model, batch and
// data are negligible, with LibTorch (CUDA build) loaded and its CPU allocator warmed up.
constexpr double kRuntimeBytes = 500.0 * kMiB;

// Bytes of the files under a folder (the fortunes tree), or of a list of files.
double folder_bytes(const std::string& dir) {
  std::error_code ec;
  double total = 0.0;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) total += double(it->file_size(ec));
  }
  return total;
}

double file_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  return ec ? 0.0 : double(size);
}

// One routed expert's hidden size (fine-grained experts split it), and the shared experts'
// together (fine-grained like the routed ones, unless the config gives theirs).
double routed_hidden(const ModelConfig& m) {
  return double(m.expert_hidden) / double(std::max<int64_t>(m.expert_granularity, 1));
}
double shared_hidden(const ModelConfig& m) {
  return m.shared_expert_hidden > 0 ? double(m.shared_expert_hidden) : double(m.shared_experts) * routed_hidden(m);
}

// One MoE layer's parameters: router, FFN experts, shared experts, constant experts.
double moe_parameters(const ModelConfig& m, int64_t layer, double d) {
  const double experts = double(m.layer_ffn_experts(layer));
  const double hidden = routed_hidden(m);
  return double(m.routed_experts()) * d + experts * 3.0 * d * hidden + 3.0 * d * shared_hidden(m) +
         (m.shared_expert_gate ? d : 0.0) + double(m.constant_experts) * d;
}

// Per token and layer, the floats a training step keeps for backward: the block's norms,
// attention (q, k, v and output; fused attention keeps no probabilities, a masked one, for a
// sliding window, keeps them over `context` keys) and the feed-forward (router logits and
// probabilities, each routed copy of the token with its expert's hidden activations). The
// coefficients were fitted to measured peaks (docs/reliability.md).
double activation_floats(const ModelConfig& m, double context, bool moe) {
  const double d = double(m.d_model);
  const double heads = double(std::max<int64_t>(m.heads, 1));
  const double head_dim = m.head_dim > 0 ? double(m.head_dim) : d / heads;
  const double attention = 4.0 * d + 4.0 * heads * head_dim + (m.sliding_window > 0 ? 2.0 * heads * context : heads);
  if (!moe) {
    const double hidden = double(m.dense_hidden > 0 && !m.dense() ? m.dense_hidden : m.expert_hidden);
    return attention + 2.0 * d + 3.0 * hidden;
  }
  const double k = double(m.routed_top_k());
  return attention + 2.0 * d + 3.0 * double(m.routed_experts()) + k * (2.0 * d + 3.0 * routed_hidden(m)) +
         3.0 * shared_hidden(m);
}

}  // namespace

std::string bytes_text(double bytes) {
  char text[32];
  if (bytes >= kGiB) std::snprintf(text, sizeof text, "%.1f GiB", bytes / kGiB);
  else std::snprintf(text, sizeof text, "%.0f MiB", bytes / kMiB);
  return text;
}

std::string MemoryEstimate::summary() const {
  std::string s = bytes_text(total()) + " (weights " + bytes_text(weights);
  if (gradients > 0) s += ", gradients " + bytes_text(gradients);
  if (optimizer > 0) s += ", AdamW " + bytes_text(optimizer);
  s += ", activations " + bytes_text(activations) + ", data " + bytes_text(data) + ", runtime " +
       bytes_text(runtime) + ")";
  return s;
}

int64_t estimate_parameters(const ModelConfig& m) {
  const double d = double(m.d_model);
  const double heads = double(std::max<int64_t>(m.heads, 1));
  const double head_dim = m.head_dim > 0 ? double(m.head_dim) : d / heads;
  const double kv = double(m.kv_heads > 0 ? m.kv_heads : m.heads);
  double total = 0.0;
  if (m.task == "classification") {
    // Convolutional stem (two 3x3 convolutions), positions, then per layer a norm and an MoE.
    const double c = double(m.stem_channels);
    total += 9.0 * c + 9.0 * c * d + 2.0 * c + 2.0 * d + 49.0 * d;
    for (int64_t l = 0; l < m.layers; ++l) total += 2.0 * d + moe_parameters(m, l, d);
    total += 2.0 * d + d * 10.0 + 10.0;
    return int64_t(total);
  }
  const bool fusion = m.task == "fusion";
  // Attention: q and o over the heads, k and v over the key/value heads; norms.
  const double attention = d * head_dim * (2.0 * heads + 2.0 * kv) + (m.qkv_bias ? head_dim * (heads + 2.0 * kv) : 0.0);
  const double modality_copies = fusion && m.layout == "mot" ? 2.0 : 1.0;
  int64_t moe_index = 0;
  for (int64_t b = 0; b < m.layers; ++b) {
    total += modality_copies * (attention + 4.0 * d);
    if (m.dense_block(b)) {
      const double hidden = double(m.dense() || m.dense_hidden == 0 ? m.expert_hidden : m.dense_hidden);
      total += 3.0 * d * hidden;
    } else {
      total += moe_parameters(m, moe_index++, d);
    }
  }
  if (fusion) {
    total += 16.0 * d + d + 256.0 * d + (49.0 + 64.0) * d + 2.0 * d;  // patches, bytes, positions
    return int64_t(total);
  }
  const double vocab = double(m.moescope_decoder() ? 256 : m.vocab);
  total += vocab * d + 2.0 * d;  // embedding, final norm
  if (m.moescope_decoder()) total += double(m.context) * d;  // learned positions; tied head
  else if (!m.tie_embeddings) total += vocab * d;
  return int64_t(total);
}

MemoryEstimate estimate_memory(const RunConfig& c) {
  const auto& m = c.model;
  MemoryEstimate e;
  e.parameters = estimate_parameters(m);
  const bool hf = !c.data.hf_model.empty();
  const double P = double(e.parameters);
  // An opened model trains its experts and routers only when asked; their share of P.
  double trainable = P;
  if (c.train.trainable == "experts") {
    trainable = 0.0;
    for (int64_t l = 0; l < m.moe_layers(); ++l) trainable += moe_parameters(m, l, double(m.d_model));
  }
  const double bytes = c.precision == "bf16" && hf ? 2.0 : 4.0;
  e.weights = P * bytes;
  e.gradients = trainable * bytes;
  e.optimizer = 2.0 * trainable * 4.0;

  const double B = double(c.train.batch_size);
  double context = double(m.context), vocab = 256.0;
  if (m.task == "classification") context = 49.0, vocab = 10.0;
  if (m.task == "fusion") context = 49.0 + 64.0, vocab = 256.0;
  if (hf) context = double(c.data.sequence_tokens), vocab = double(m.vocab);
  double per_token = 0.0;
  for (int64_t b = 0; b < m.layers; ++b) {
    const bool moe = m.task == "classification" || !m.dense_block(b);
    per_token += activation_floats(m, m.task == "classification" ? 0.0 : context, moe);
  }
  // Embedding output and the logits with their softmax and gradient.
  per_token += 2.0 * double(m.d_model) + 3.0 * vocab;
  e.activations = 4.0 * B * context * per_token;

  if (hf) {
    for (const auto& f : c.data.text_files) e.data += 12.0 * file_bytes(f);  // text, ids, windows
  } else if (m.task == "lm") {
    e.data = 10.0 * folder_bytes(c.data.fortunes_dir);  // text, and one int64 id per byte
  } else {
    e.data = 70000.0 * 784.0 * 5.0;  // Fashion-MNIST: bytes and float32 pixels
  }
  e.runtime = kRuntimeBytes;
  return e;
}

namespace {

// The first number after `key` in /proc/meminfo, in bytes (it lists kB).
double meminfo(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name, unit;
  double value = 0.0;
  while (in >> name >> value) {
    std::getline(in, unit);
    if (name == key + ":") return value * 1024.0;
  }
  return 0.0;
}

double read_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return -1.0;
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    return -1.0;
  }
}

// cudaMemGetInfo of the CUDA runtime LibTorch has loaded (no CUDA headers needed here).
double cuda_free_bytes(int device) {
  using SetDevice = int (*)(int);
  using MemGetInfo = int (*)(size_t*, size_t*);
  auto set_device = reinterpret_cast<SetDevice>(dlsym(RTLD_DEFAULT, "cudaSetDevice"));
  auto mem_get_info = reinterpret_cast<MemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
  if (!set_device || !mem_get_info || set_device(device) != 0) return 0.0;
  size_t free = 0, total = 0;
  return mem_get_info(&free, &total) == 0 ? double(free) : 0.0;
}

}  // namespace

MemoryAvailable memory_available(const std::string& device) {
  MemoryAvailable a;
  if (device.rfind("cuda", 0) == 0) {
    const auto colon = device.find(':');
    const int index = colon == std::string::npos ? 0 : std::atoi(device.c_str() + colon + 1);
    a.bytes = cuda_free_bytes(index);
    a.source = "free memory of " + device + " " + bytes_text(a.bytes);
    return a;
  }
  a.bytes = meminfo("MemAvailable");
  a.source = "available memory " + bytes_text(a.bytes);
  // cgroup v2, then v1: the limit less what the group already uses.
  double limit = read_number("/sys/fs/cgroup/memory.max"), used = read_number("/sys/fs/cgroup/memory.current");
  std::string name = "cgroup memory.max";
  if (limit < 0) {
    limit = read_number("/sys/fs/cgroup/memory/memory.limit_in_bytes");
    used = read_number("/sys/fs/cgroup/memory/memory.usage_in_bytes");
    name = "cgroup memory limit";
  }
  if (limit > 0 && limit < 1e18) {
    const double room = limit - std::max(used, 0.0);
    if (room < a.bytes) {
      a.bytes = room;
      a.source = name + " " + bytes_text(limit) + ", of which " + bytes_text(room) + " free";
    }
  }
  return a;
}

void check_memory(const RunConfig& config, const std::string& device) {
  auto need = estimate_memory(config);
  const auto have = memory_available(device);
  if (device.rfind("cuda", 0) == 0) need.data = need.runtime = 0.0;  // those stay on the host
  if (have.bytes <= 0.0 || need.total() <= have.bytes) return;
  throw Error("this run needs about " + need.summary() + " at its peak, more than there is (" +
              have.source + "); make the model or the batch smaller (experts, expert_hidden, "
              "d_model, layers, batch_size), or pass --ignore-memory-estimate to try anyway");
}

}  // namespace moescope
