#include "hf/hf_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "base/error.h"

namespace moescope {
namespace {

using json = nlohmann::json;

class Reader {
 public:
  Reader(const json& j, std::string path) : j_(j), path_(std::move(path)) {}

  bool has(const char* key) const { return j_.contains(key) && !j_[key].is_null(); }
  int64_t integer(const char* key, int64_t lo, int64_t hi) const {
    const auto& v = need(key);
    if (!v.is_number_integer()) fail(key, "must be an integer, got " + std::string(v.type_name()));
    const auto x = v.get<int64_t>();
    if (x < lo || x > hi) fail(key, "= " + std::to_string(x) + " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return x;
  }
  int64_t integer_or(const char* key, int64_t fallback, int64_t lo, int64_t hi) const {
    return has(key) ? integer(key, lo, hi) : fallback;
  }
  double number_or(const char* key, double fallback, double lo, double hi) const {
    if (!has(key)) return fallback;
    const auto& v = j_[key];
    if (!v.is_number()) fail(key, "must be a number, got " + std::string(v.type_name()));
    const auto x = v.get<double>();
    if (!(x >= lo && x <= hi)) fail(key, "= " + v.dump() + " is out of range");
    return x;
  }
  bool boolean_or(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_boolean()) fail(key, "must be true or false, got " + std::string(j_[key].type_name()));
    return j_[key].get<bool>();
  }
  std::string string_or(const char* key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    if (!j_[key].is_string()) fail(key, "must be a string, got " + std::string(j_[key].type_name()));
    return j_[key].get<std::string>();
  }
  std::vector<int64_t> integers_or_empty(const char* key, int64_t lo, int64_t hi) const {
    std::vector<int64_t> out;
    if (!has(key)) return out;
    if (!j_[key].is_array()) fail(key, "must be a list of integers");
    for (const auto& v : j_[key]) {
      if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
        fail(key, "must be a list of integers in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
      }
      out.push_back(v.get<int64_t>());
    }
    return out;
  }
  const json& need(const char* key) const {
    if (!has(key)) fail(key, "is missing");
    return j_[key];
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(path_ + ": " + key + " " + what);
  }

 private:
  const json& j_;
  std::string path_;
};

}  // namespace

const std::vector<HfFamily>& hf_families() {
  static const std::vector<HfFamily> families = {
      {"mixtral", "MixtralForCausalLM"},
      {"olmoe", "OlmoeForCausalLM"},
      {"qwen2_moe", "Qwen2MoeForCausalLM"},
      {"qwen3_moe", "Qwen3MoeForCausalLM"},
  };
  return families;
}

std::string hf_family_list() {
  std::string list;
  for (const auto& f : hf_families()) list += (list.empty() ? "" : ", ") + std::string(f.architecture);
  return list;
}

HfConfig read_hf_config(const std::string& dir) {
  namespace fs = std::filesystem;
  HfConfig c;
  c.path = (fs::path(dir) / "config.json").string();
  std::error_code ec;
  const auto size = fs::file_size(c.path, ec);
  if (ec) throw Error(c.path + ": cannot read the model's config (" + ec.message() + ")");
  if (size > (16u << 20)) throw Error(c.path + ": the config is larger than 16 MiB");
  json j;
  try {
    std::ifstream in(c.path);
    j = json::parse(in);
  } catch (const json::exception& e) {
    throw Error(c.path + ": malformed JSON (" + std::string(e.what()) + ")");
  }
  if (!j.is_object()) throw Error(c.path + ": a model config must be a JSON object");
  const Reader r(j, c.path);

  // The family: architectures[0], else model_type.
  std::string architecture, model_type = r.string_or("model_type", "");
  if (r.has("architectures")) {
    const auto& a = j["architectures"];
    if (!a.is_array() || a.empty() || !a[0].is_string()) r.fail("architectures", "must be a list of class names");
    architecture = a[0].get<std::string>();
  }
  const HfFamily* family = nullptr;
  for (const auto& f : hf_families()) {
    if (architecture == f.architecture || (architecture.empty() && model_type == f.model_type)) family = &f;
  }
  if (family == nullptr) {
    throw Error(c.path + ": " + (architecture.empty() ? "model_type \"" + model_type + "\"" : architecture) +
                " is not a supported architecture; MoE Scope opens " + hf_family_list());
  }
  const std::string fam = family->model_type;
  c.architecture = family->architecture;

  const auto act = r.string_or("hidden_act", "silu");
  if (act != "silu") r.fail("hidden_act", "is \"" + act + "\": the experts are SwiGLU (silu) only");

  auto& m = c.model;
  m.task = "lm";
  m.architecture = fam;
  m.ffn = "moe";
  m.d_model = r.integer("hidden_size", 8, 65536);
  m.layers = r.integer("num_hidden_layers", 1, 1024);
  m.heads = r.integer("num_attention_heads", 1, 1024);
  m.kv_heads = r.integer_or("num_key_value_heads", m.heads, 1, m.heads);
  if (m.heads % m.kv_heads != 0) r.fail("num_key_value_heads", "must divide num_attention_heads");
  m.head_dim = r.integer_or("head_dim", 0, 2, 4096);
  if (m.head_dim == 0 && m.d_model % m.heads != 0) r.fail("hidden_size", "must be a multiple of num_attention_heads");
  if (m.head_dim == m.d_model / m.heads && m.d_model % m.heads == 0) m.head_dim = 0;
  m.vocab = r.integer("vocab_size", 2, 1 << 22);
  m.context = r.integer_or("max_position_embeddings", 4096, 2, 1 << 20);
  m.norm_eps = r.number_or("rms_norm_eps", 1e-6, 1e-12, 0.1);
  m.tie_embeddings = r.boolean_or("tie_word_embeddings", false);

  // RoPE: transformers 5's rope_parameters, or rope_theta and rope_scaling before it.
  m.rope_theta = r.number_or("rope_theta", 10000.0, 1.0, 1e12);
  std::string rope_type = "default";
  for (const char* key : {"rope_parameters", "rope_scaling"}) {
    if (!r.has(key)) continue;
    const auto& p = j[key];
    if (!p.is_object()) r.fail(key, "must be an object");
    const Reader rp(p, c.path + ": " + key);
    if (rp.has("rope_theta")) m.rope_theta = rp.number_or("rope_theta", m.rope_theta, 1.0, 1e12);
    rope_type = rp.string_or("rope_type", rp.string_or("type", rope_type));
  }
  if (rope_type != "default") {
    throw Error(c.path + ": rope type \"" + rope_type + "\" (scaled rotary positions) is not supported; only \"default\"");
  }

  // The experts and the router.
  const char* experts_key = fam == "mixtral" ? "num_local_experts" : r.has("num_experts") ? "num_experts" : "num_local_experts";
  m.experts = r.integer(experts_key, 1, 4096);
  m.top_k = r.integer("num_experts_per_tok", 1, m.experts);
  const bool qwen = fam == "qwen2_moe" || fam == "qwen3_moe";
  m.expert_hidden = r.integer(qwen ? "moe_intermediate_size" : "intermediate_size", 1, 1 << 20);
  c.router.kind = RouterKind::TopK;
  c.router.score = ScoreFunction::Softmax;
  c.router.normalize_gates = fam == "mixtral" ? true : r.boolean_or("norm_topk_prob", false);
  c.router.jitter = r.number_or("router_jitter_noise", 0.0, 0.0, 1.0);
  c.router_aux_loss_coef = r.number_or("router_aux_loss_coef", 0.0, 0.0, 1e6);
  if (qwen) {
    const int64_t step = r.integer_or("decoder_sparse_step", 1, 1, 1 << 20);
    const auto only = r.integers_or_empty("mlp_only_layers", 0, m.layers - 1);
    for (int64_t b = 0; b < m.layers; ++b) {
      if (std::find(only.begin(), only.end(), b) != only.end() || (b + 1) % step != 0) m.dense_layers.push_back(b);
    }
    if (!m.dense_layers.empty()) m.dense_hidden = r.integer("intermediate_size", 1, 1 << 20);
    if (int64_t(m.dense_layers.size()) == m.layers) r.fail("mlp_only_layers", "leaves no layer with experts");
    if (r.boolean_or("use_sliding_window", false)) {
      r.fail("use_sliding_window", "is true: a sliding window on some layers only is not supported");
    }
  }
  if (fam == "qwen2_moe") {
    m.qkv_bias = r.boolean_or("qkv_bias", true);
    const int64_t shared = r.integer_or("shared_expert_intermediate_size", 0, 0, 1 << 20);
    if (shared > 0) {
      m.shared_experts = 1;
      m.shared_expert_hidden = shared;
      m.shared_expert_gate = true;
    }
  }
  if (fam == "olmoe" || fam == "qwen3_moe") {
    if (r.boolean_or("attention_bias", false)) r.fail("attention_bias", "is true: biases on the attention projections are not supported");
    m.qk_norm = fam == "olmoe" ? "projection" : "head";
  }
  if (fam == "olmoe") m.clip_qkv = r.number_or("clip_qkv", 0.0, 0.0, 1e6);
  if (fam == "mixtral") m.sliding_window = r.integer_or("sliding_window", 0, 0, 1 << 30);
  if (m.sliding_window >= m.context) m.sliding_window = 0;

  c.bos_token_id = r.integer_or("bos_token_id", -1, -1, 1 << 30);
  c.eos_token_id = r.has("eos_token_id") && j["eos_token_id"].is_number_integer() ? j["eos_token_id"].get<int64_t>() : -1;
  c.dtype = r.string_or("dtype", r.string_or("torch_dtype", "float32"));
  return c;
}

}  // namespace moescope
