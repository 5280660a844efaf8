#include "train/config.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <type_traits>

#include "base/error.h"

namespace moescope {
namespace {

using nlohmann::json;

std::string type_name(const json& v) {
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  return std::string("a ") + v.type_name();
}

// Reads the members of one JSON object into fields; a field table per section keeps the
// names in one place for parsing, unknown-key checks and serialisation.
class Section {
 public:
  Section(const json& object, std::string where, std::string prefix)
      : object_(object), where_(std::move(where)), prefix_(std::move(prefix)) {
    if (!object_.is_object()) fail(prefix_.substr(0, prefix_.size() - 1), "must be an object");
  }

  void field(const char* key, int64_t& out) {
    if (const json* v = take(key)) {
      if (!v->is_number_integer()) fail(key, "must be an integer, got " + type_name(*v));
      out = v->get<int64_t>();
    }
  }
  void field(const char* key, double& out) {
    if (const json* v = take(key)) {
      if (!v->is_number()) fail(key, "must be a number, got " + type_name(*v));
      out = v->get<double>();
    }
  }
  void field(const char* key, std::string& out) {
    if (const json* v = take(key)) {
      if (!v->is_string()) fail(key, "must be a string, got " + type_name(*v));
      out = v->get<std::string>();
    }
  }
  void field(const char* key, std::vector<int64_t>& out) {
    if (const json* v = take(key)) {
      if (!v->is_array()) fail(key, "must be a list of integers, got " + type_name(*v));
      out.clear();
      for (const auto& item : *v) {
        if (!item.is_number_integer()) fail(key, "must be a list of integers, got " + type_name(item) + " in it");
        out.push_back(item.get<int64_t>());
      }
    }
  }
  void field(const char* key, std::vector<std::string>& out) {
    if (const json* v = take(key)) {
      if (!v->is_array()) fail(key, "must be a list of strings, got " + type_name(*v));
      out.clear();
      for (const auto& item : *v) {
        if (!item.is_string()) fail(key, "must be a list of strings, got " + type_name(item) + " in it");
        out.push_back(item.get<std::string>());
      }
    }
  }
  void field(const char* key, std::vector<std::vector<int64_t>>& out) {
    if (const json* v = take(key)) {
      const std::string want = "must be a list of lists of integers";
      if (!v->is_array()) fail(key, want + ", got " + type_name(*v));
      out.clear();
      for (const auto& row : *v) {
        if (!row.is_array()) fail(key, want + ", got " + type_name(row) + " in it");
        auto& ids = out.emplace_back();
        for (const auto& item : row) {
          if (!item.is_number_integer()) fail(key, want + ", got " + type_name(item) + " in it");
          ids.push_back(item.get<int64_t>());
        }
      }
    }
  }
  void field(const char* key, bool& out) {
    if (const json* v = take(key)) {
      if (!v->is_boolean()) fail(key, "must be true or false, got " + type_name(*v));
      out = v->get<bool>();
    }
  }
  // A closed choice, by the name its registry gives it (base/choices.h).
  template <class E, class = std::enable_if_t<std::is_enum_v<E>>>
  void field(const char* key, E& out) {
    if (const json* v = take(key)) {
      if (!v->is_string()) fail(key, "must be a string, got " + type_name(*v));
      const auto parsed = parse_choice<E>(v->get<std::string>());
      if (!parsed) {
        fail(key, "\"" + v->get<std::string>() + "\" is not one of " + choice_list<E>());
      }
      out = *parsed;
    }
  }
  void child(const char* key) { seen_.push_back(key); }
  // Every key of the object must have been read.
  void finish() const {
    for (const auto& item : object_.items()) {
      if (std::find(seen_.begin(), seen_.end(), item.key()) == seen_.end()) {
        fail(item.key(), "is not a known option");
      }
    }
  }

 private:
  const json* take(const char* key) {
    seen_.push_back(key);
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(where_ + ": " + prefix_ + key + " " + what);
  }

  const json& object_;
  std::string where_, prefix_;
  std::vector<std::string> seen_;
};

template <class Visit>
void visit_model(ModelConfig& m, Visit&& f) {
  f("task", m.task);
  f("d_model", m.d_model);
  f("layers", m.layers);
  f("ffn", m.ffn);
  f("heads", m.heads);
  f("context", m.context);
  f("stem_channels", m.stem_channels);
  f("experts", m.experts);
  f("top_k", m.top_k);
  f("expert_hidden", m.expert_hidden);
  f("shared_experts", m.shared_experts);
  f("expert_granularity", m.expert_granularity);
  f("zero_experts", m.zero_experts);
  f("copy_experts", m.copy_experts);
  f("constant_experts", m.constant_experts);
  f("expert_kernel", m.expert_kernel);
  f("layer_experts", m.layer_experts);
  f("layer_logit_map", m.layer_logit_map);
  f("layer_expert_modality", m.layer_expert_modality);
  f("layout", m.layout);
  f("cross_modal_experts", m.cross_modal_experts);
  f("architecture", m.architecture);
  f("vocab", m.vocab);
  f("kv_heads", m.kv_heads);
  f("head_dim", m.head_dim);
  f("rope_theta", m.rope_theta);
  f("norm_eps", m.norm_eps);
  f("qkv_bias", m.qkv_bias);
  f("qk_norm", m.qk_norm);
  f("clip_qkv", m.clip_qkv);
  f("sliding_window", m.sliding_window);
  f("tie_embeddings", m.tie_embeddings);
  f("dense_layers", m.dense_layers);
  f("dense_hidden", m.dense_hidden);
  f("shared_expert_hidden", m.shared_expert_hidden);
  f("shared_expert_gate", m.shared_expert_gate);
}

template <class Visit>
void visit_router(RouterConfig& r, Visit&& f) {
  f("kind", r.kind);
  f("score", r.score);
  f("normalize_gates", r.normalize_gates);
  f("temperature", r.temperature);
  f("jitter", r.jitter);
  f("gumbel", r.gumbel);
  f("groups", r.groups);
  f("group_top_k", r.group_top_k);
  f("capacity_factor", r.capacity_factor);
  f("drop_policy", r.drop_policy);
  f("top_p", r.top_p);
  f("max_k", r.max_k);
  f("d2s_steps", r.d2s_steps);
  f("d2s_start_temperature", r.d2s_start_temperature);
  f("bias_balancing", r.bias_balancing);
  f("bias_rate", r.bias_rate);
  f("seq_aux_coef", r.seq_aux_coef);
  f("sinkhorn", r.sinkhorn);
  f("sinkhorn_iters", r.sinkhorn_iters);
  f("bias", r.bias);
  f("init_skew", r.init_skew);
  f("init_std", r.init_std);
}

template <class Visit>
void visit_train(TrainConfig& t, Visit&& f) {
  f("steps", t.steps);
  f("batch_size", t.batch_size);
  f("lr", t.lr);
  f("warmup_steps", t.warmup_steps);
  f("min_lr_ratio", t.min_lr_ratio);
  f("weight_decay", t.weight_decay);
  f("grad_clip", t.grad_clip);
  f("balance_coef", t.balance_coef);
  f("z_loss_coef", t.z_loss_coef);
  f("eval_every", t.eval_every);
  f("eval_batches", t.eval_batches);
  f("snapshot_every", t.snapshot_every);
  f("seed", t.seed);
  f("trainable", t.trainable);
}

template <class Visit>
void visit_data(DataConfig& d, Visit&& f) {
  f("fortunes_dir", d.fortunes_dir);
  f("fashion_mnist_dir", d.fashion_mnist_dir);
  f("validation_share", d.validation_share);
  f("augment", d.augment);
  f("caption_eval_images", d.caption_eval_images);
  f("train_languages", d.train_languages);
  f("hf_model", d.hf_model);
  f("text_files", d.text_files);
  f("sequence_tokens", d.sequence_tokens);
  f("text_tokens", d.text_tokens);
}

void check(bool ok, const std::string& message) {
  if (!ok) throw Error("invalid configuration: " + message);
}

template <class T>
void in_range(const char* name, T value, T lo, T hi) {
  std::ostringstream s;
  s << name << " = " << value << " is out of range [" << lo << ", " << hi << "]";
  check(value >= lo && value <= hi, s.str());
}

// The decoder fields (base/options.h): the Hugging Face families' only.
void validate_decoder(const ModelConfig& m) {
  const std::vector<std::string> known = {"moescope", "mixtral", "olmoe", "qwen2_moe", "qwen3_moe"};
  check(std::find(known.begin(), known.end(), m.architecture) != known.end(),
        "model.architecture must be moescope, mixtral, olmoe, qwen2_moe or qwen3_moe, got \"" +
            m.architecture + "\"");
  if (m.moescope_decoder()) {
    check(m.vocab == 256, "model.vocab is 256 (bytes) for architecture moescope; the Hugging Face families take other vocabularies");
    check(m.context <= 8192, "model.context = " + std::to_string(m.context) + " is out of range [2, 8192] for architecture moescope");
    const ModelConfig defaults;
    check(m.kv_heads == 0 && m.head_dim == 0 && !m.qkv_bias && m.qk_norm == "none" && m.clip_qkv == 0.0 &&
              m.sliding_window == 0 && !m.tie_embeddings && m.dense_layers.empty() && m.dense_hidden == 0 &&
              m.shared_expert_hidden == 0 && !m.shared_expert_gate && m.rope_theta == defaults.rope_theta &&
              m.norm_eps == defaults.norm_eps,
          "model.kv_heads, head_dim, rope_theta, norm_eps, qkv_bias, qk_norm, clip_qkv, sliding_window, "
          "tie_embeddings, dense_layers, dense_hidden, shared_expert_hidden and shared_expert_gate are for the "
          "Hugging Face architectures (mixtral, olmoe, qwen2_moe, qwen3_moe), not moescope");
    return;
  }
  check(m.task == "lm", "model.architecture = " + m.architecture + " is a language model: model.task must be \"lm\"");
  in_range<int64_t>("model.vocab", m.vocab, 2, 1 << 22);
  in_range<int64_t>("model.kv_heads", m.kv_heads, 0, m.heads);
  check(m.kv_heads == 0 || m.heads % m.kv_heads == 0,
        "model.heads = " + std::to_string(m.heads) + " must be a multiple of model.kv_heads = " +
            std::to_string(m.kv_heads));
  in_range<int64_t>("model.head_dim", m.head_dim, 0, 1024);
  const int64_t head_dim = m.head_dim > 0 ? m.head_dim : m.d_model / m.heads;
  check(head_dim % 2 == 0, "the head size (" + std::to_string(head_dim) + ") must be even for rotary positions");
  check(m.rope_theta > 1.0 && m.rope_theta <= 1e12, "model.rope_theta must be in (1, 1e12]");
  check(m.norm_eps > 0.0 && m.norm_eps <= 0.1, "model.norm_eps must be in (0, 0.1]");
  check(m.qk_norm == "none" || m.qk_norm == "projection" || m.qk_norm == "head",
        "model.qk_norm must be none, projection or head, got \"" + m.qk_norm + "\"");
  in_range("model.clip_qkv", m.clip_qkv, 0.0, 1e6);
  in_range<int64_t>("model.sliding_window", m.sliding_window, 0, 1 << 20);
  for (const auto b : m.dense_layers) {
    check(b >= 0 && b < m.layers, "model.dense_layers names block " + std::to_string(b) + " of a model of " +
                                      std::to_string(m.layers));
  }
  check(m.dense_layers.empty() || (m.dense_hidden >= 1 && m.dense_hidden <= 1 << 20),
        "model.dense_layers needs model.dense_hidden, the hidden size of their dense FFN");
  in_range<int64_t>("model.shared_expert_hidden", m.shared_expert_hidden, 0, 1 << 20);
  check(!m.shared_expert_gate || m.shared_experts > 0, "model.shared_expert_gate needs model.shared_experts");
  check(m.expert_granularity == 1 && m.zero_experts + m.copy_experts + m.constant_experts == 0,
        "model.architecture = " + m.architecture + " has plain FFN experts: no expert_granularity, zero, copy or constant experts");
}

}  // namespace

void apply_json(RunConfig& config, const json& j, const std::string& where) {
  Section root(j, where, "");
  std::string preset;
  root.field("preset", preset);
  if (preset == "custom") config.preset = preset;
  else if (!preset.empty()) {
    try {
      config = preset_config(preset);
    } catch (const Error& e) {
      throw Error(where + ": " + e.what());
    }
  }
  root.field("device", config.device);
  root.field("precision", config.precision);
  root.field("threads", config.threads);
  const auto section = [&](const char* key, auto visit) {
    root.child(key);
    auto it = j.find(key);
    if (it == j.end()) return;
    Section s(*it, where, std::string(key) + ".");
    visit([&](const char* name, auto& value) { s.field(name, value); });
    s.finish();
  };
  section("model", [&](auto f) { visit_model(config.model, f); });
  section("router", [&](auto f) { visit_router(config.router, f); });
  section("train", [&](auto f) { visit_train(config.train, f); });
  section("data", [&](auto f) { visit_data(config.data, f); });
  root.finish();
}

RunConfig load_config_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read config file (" + ec.message() + ")");
  if (size > (1u << 20)) throw Error(path + ": config file is larger than 1 MiB");
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open config file");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    // Syntax errors and numbers out of range (1e400 overflows a double) alike.
    throw Error(path + ": malformed JSON (" + std::string(e.what()) + ")");
  }
  RunConfig config;
  if (!j.is_object() || !j.contains("preset")) {
    throw Error(path + ": a config must be a JSON object naming its base \"preset\" (" +
                preset_names().front() + ", ...)");
  }
  apply_json(config, j, path);
  return config;
}

void validate(const RunConfig& c) {
  const auto& m = c.model;
  const auto& t = c.train;
  check(m.task == "lm" || m.task == "classification" || m.task == "fusion",
        "model.task must be \"lm\", \"classification\" or \"fusion\", got \"" + m.task + "\"");
  check(m.layout == "shared" || m.layout == "moma" || m.layout == "moiie" || m.layout == "mot",
        "model.layout must be shared, moma, moiie or mot, got \"" + m.layout + "\"");
  check(m.layout == "shared" || m.task == "fusion",
        "model.layout = \"" + m.layout + "\" is for the fusion task (its tokens have two modalities)");
  if (m.task == "fusion" && m.layout != "shared") {
    const bool cross = m.layout == "moiie";
    if (cross) in_range<int64_t>("model.cross_modal_experts", m.cross_modal_experts, 1, m.ffn_experts() - 2);
    const int64_t grouped = m.ffn_experts() - (cross ? m.cross_modal_experts : 0);
    check(m.ffn == "dense" || (grouped >= 2 && grouped % 2 == 0),
          "model.layout = " + m.layout + " splits " + std::to_string(grouped) +
              " experts into an image and a text group: it needs an even number, at least 2");
    check(m.ffn == "dense" || grouped / 2 + (cross ? m.cross_modal_experts : 0) >= m.routed_top_k(),
          "model.layout = " + m.layout + ": a token chooses among " +
              std::to_string(grouped / 2 + (cross ? m.cross_modal_experts : 0)) +
              " experts, fewer than model.top_k = " + std::to_string(m.routed_top_k()));
    check(m.zero_experts + m.copy_experts + m.constant_experts == 0 && m.shared_experts == 0,
          "model.layout = " + m.layout + " groups FFN experts only: no zero, copy, constant or shared experts");
    check(c.router.kind != RouterKind::Hash && c.router.groups <= 1,
          "model.layout = " + m.layout + " routes within modality groups: not with hash or group-limited routing");
    check(m.ffn == "moe" || m.layout == "mot",
          "model.ffn = \"dense\" has no experts to group: use layout shared (one FFN) or mot (one per modality)");
    const bool changed = !m.layer_experts.empty() || !m.layer_logit_map.empty();
    check(!changed || m.ffn == "dense" || !m.layer_expert_modality.empty(),
          "model.layout = " + m.layout + ": pruned or merged layers need model.layer_expert_modality "
          "(the modality of each layer's experts, which surgery writes)");
    for (size_t l = 0; l < m.layer_expert_modality.size(); ++l) {
      const auto& row = m.layer_expert_modality[l];
      const std::string name = "model.layer_expert_modality[" + std::to_string(l) + "]";
      check(int64_t(m.layer_expert_modality.size()) == m.layers,
            "model.layer_expert_modality lists " + std::to_string(m.layer_expert_modality.size()) +
                " layers, the model has " + std::to_string(m.layers));
      check(int64_t(row.size()) == m.layer_ffn_experts(int64_t(l)),
            name + " names " + std::to_string(row.size()) + " experts of a layer of " +
                std::to_string(m.layer_ffn_experts(int64_t(l))));
      int64_t image = 0, text = 0, all = 0;
      for (const auto g : row) {
        check(g >= -1 && g <= 1, name + " holds " + std::to_string(g) + ": 0 image, 1 text, -1 cross-modal");
        (g == 0 ? image : g == 1 ? text : all) += 1;
      }
      check(image > 0 && text > 0 && (cross ? all > 0 : all == 0),
            name + " must keep an image group, a text group" + (cross ? " and a cross-modal group" : "") +
                " (" + std::to_string(image) + ", " + std::to_string(text) + ", " + std::to_string(all) + ")");
      check(!m.layer_logit_map.empty() || std::min(image, text) + all >= m.routed_top_k(),
            name + ": a token chooses among " + std::to_string(std::min(image, text) + all) +
                " experts, fewer than model.top_k = " + std::to_string(m.routed_top_k()));
    }
  }
  check(m.layer_expert_modality.empty() || (m.task == "fusion" && m.layout != "shared"),
        "model.layer_expert_modality is for fusion models with modality groups (layout moma, moiie or mot)");
  in_range<int64_t>("model.d_model", m.d_model, 8, 8192);
  in_range<int64_t>("model.layers", m.layers, 1, 128);
  check(m.ffn == "moe" || m.ffn == "dense",
        "model.ffn must be \"moe\" or \"dense\", got \"" + m.ffn + "\"");
  check(m.ffn == "moe" || m.task != "classification",
        "model.ffn = \"dense\" is for the lm and fusion tasks; classification models are MoE only");
  in_range<int64_t>("model.experts", m.experts, 1, 1024);
  in_range<int64_t>("model.expert_hidden", m.expert_hidden, 1, 65536);
  check(m.top_k >= 1 && m.top_k <= m.experts,
        "model.top_k = " + std::to_string(m.top_k) + " must be between 1 and model.experts = " +
            std::to_string(m.experts));
  in_range<int64_t>("model.shared_experts", m.shared_experts, 0, 64);
  in_range<int64_t>("model.expert_granularity", m.expert_granularity, 1, 64);
  check(m.expert_hidden % m.expert_granularity == 0,
        "model.expert_hidden = " + std::to_string(m.expert_hidden) +
            " must be a multiple of model.expert_granularity = " +
            std::to_string(m.expert_granularity));
  in_range<int64_t>("model.zero_experts", m.zero_experts, 0, 64);
  in_range<int64_t>("model.copy_experts", m.copy_experts, 0, 64);
  in_range<int64_t>("model.constant_experts", m.constant_experts, 0, 64);
  const auto& r = c.router;
  if (!m.layer_experts.empty()) {
    check(int64_t(m.layer_experts.size()) == m.moe_layers(),
          "model.layer_experts lists " + std::to_string(m.layer_experts.size()) +
              " layers, the model has " + std::to_string(m.moe_layers()) + " MoE layers");
    const int64_t extra = m.zero_experts + m.copy_experts + m.constant_experts;
    for (const auto n : m.layer_experts) {
      check(n >= 1 && n <= m.ffn_experts() && n + extra >= m.routed_top_k(),
            "model.layer_experts holds " + std::to_string(n) + ": each layer needs between " +
                std::to_string(std::max<int64_t>(1, m.routed_top_k() - extra)) + " and " +
                std::to_string(m.ffn_experts()) + " FFN experts");
      check((n + extra) % r.groups == 0,
            "model.layer_experts holds " + std::to_string(n) + ", whose routed experts do not divide into router.groups = " +
                std::to_string(r.groups));
    }
  }
  if (!m.layer_logit_map.empty()) {
    check(int64_t(m.layer_logit_map.size()) == m.moe_layers(),
          "model.layer_logit_map lists " + std::to_string(m.layer_logit_map.size()) +
              " layers, the model has " + std::to_string(m.moe_layers()) + " MoE layers");
    const int64_t extra = m.zero_experts + m.copy_experts + m.constant_experts;
    for (int64_t l = 0; l < m.moe_layers(); ++l) {
      const auto& map = m.layer_logit_map[size_t(l)];
      if (map.empty()) continue;
      const int64_t routed = m.layer_ffn_experts(l) + extra;
      check(int64_t(map.size()) >= routed && int64_t(map.size()) <= 64 * 64,
            "model.layer_logit_map[" + std::to_string(l) + "] has " + std::to_string(map.size()) +
                " router logits for " + std::to_string(routed) + " routed experts");
      std::vector<bool> hit(size_t(routed), false);
      for (const auto e : map) {
        check(e >= 0 && e < routed, "model.layer_logit_map[" + std::to_string(l) + "] points at expert " +
                                        std::to_string(e) + " of a layer of " + std::to_string(routed));
        hit[size_t(e)] = true;
      }
      check(std::all_of(hit.begin(), hit.end(), [](bool h) { return h; }),
            "model.layer_logit_map[" + std::to_string(l) + "] leaves an expert no router logit");
    }
  }
  check(r.temperature > 0.0 && r.temperature <= 100.0, "router.temperature must be in (0, 100]");
  in_range("router.jitter", r.jitter, 0.0, 1.0);
  in_range("router.gumbel", r.gumbel, 0.0, 10.0);
  const int64_t routed = m.routed_experts();
  in_range<int64_t>("router.groups", r.groups, 1, routed);
  check(routed % r.groups == 0, "router.groups = " + std::to_string(r.groups) +
                                    " must divide the routed experts (" + std::to_string(routed) +
                                    ")");
  in_range<int64_t>("router.group_top_k", r.group_top_k, 0, r.groups);
  if (r.group_top_k > 0) {
    check(r.group_top_k * (routed / r.groups) >= m.routed_top_k(),
          "router.group_top_k groups hold fewer experts than top_k");
  }
  in_range("router.capacity_factor", r.capacity_factor, 0.0, 64.0);
  check(r.top_p > 0.0 && r.top_p <= 1.0, "router.top_p must be in (0, 1]");
  in_range<int64_t>("router.max_k", r.max_k, 1, r.kind == RouterKind::TopP ? routed : 1024);
  in_range<int64_t>("router.d2s_steps", r.d2s_steps, 0, 100'000'000);
  check(r.d2s_start_temperature > 0.0 && r.d2s_start_temperature <= 100.0,
        "router.d2s_start_temperature must be in (0, 100]");
  in_range("router.bias_rate", r.bias_rate, 0.0, 1.0);
  in_range("router.seq_aux_coef", r.seq_aux_coef, 0.0, 100.0);
  in_range<int64_t>("router.sinkhorn_iters", r.sinkhorn_iters, 1, 100);
  in_range("router.init_skew", r.init_skew, -20.0, 20.0);
  check(r.init_skew == 0.0 || r.bias, "router.init_skew needs router.bias = true");
  in_range("router.init_std", r.init_std, 0.0, 10.0);
  if (m.task != "classification") {
    in_range<int64_t>("model.heads", m.heads, 1, 256);
    check(m.head_dim > 0 || m.d_model % m.heads == 0,
          "model.d_model = " + std::to_string(m.d_model) + " must be a multiple of model.heads = " +
              std::to_string(m.heads));
    in_range<int64_t>("model.context", m.context, 2, 1 << 20);
    validate_decoder(m);
  } else {
    in_range<int64_t>("model.stem_channels", m.stem_channels, 1, 1024);
  }
  in_range<int64_t>("data.caption_eval_images", c.data.caption_eval_images, 1, 10'000);
  in_range<int64_t>("train.steps", t.steps, 1, 100'000'000);
  in_range<int64_t>("train.batch_size", t.batch_size, 1, 65536);
  check(t.lr > 0.0 && t.lr <= 1.0, "train.lr must be in (0, 1]");
  in_range<int64_t>("train.warmup_steps", t.warmup_steps, 0, 100'000'000);
  in_range("train.min_lr_ratio", t.min_lr_ratio, 0.0, 1.0);
  in_range("train.weight_decay", t.weight_decay, 0.0, 10.0);
  in_range("train.grad_clip", t.grad_clip, 0.0, 1e6);
  in_range("train.balance_coef", t.balance_coef, 0.0, 100.0);
  in_range("train.z_loss_coef", t.z_loss_coef, 0.0, 100.0);
  in_range<int64_t>("train.eval_every", t.eval_every, 0, 100'000'000);
  in_range<int64_t>("train.eval_batches", t.eval_batches, 1, 100'000);
  in_range<int64_t>("train.snapshot_every", t.snapshot_every, 0, 100'000'000);
  check(c.data.validation_share > 0.0 && c.data.validation_share < 0.5,
        "data.validation_share must be in (0, 0.5)");
  check(c.data.train_languages.empty() || c.model.task == "lm",
        "data.train_languages is for language models (model.task = \"lm\")");
  if (!c.data.hf_model.empty()) {
    check(!c.model.moescope_decoder(), "data.hf_model needs the model's architecture (mixtral, olmoe, qwen2_moe, qwen3_moe) "
                                       "from the folder's config.json");
    check(!c.data.text_files.empty(), "data.hf_model needs data.text_files, the text to run through the model");
    in_range<int64_t>("data.sequence_tokens", c.data.sequence_tokens, 2, c.model.context);
    in_range<int64_t>("data.text_tokens", c.data.text_tokens, 0, int64_t(1) << 40);
  }
  check(t.trainable == "all" || t.trainable == "experts",
        "train.trainable must be \"all\" or \"experts\" (the MoE layers' experts and routers), got \"" + t.trainable + "\"");
  in_range<int64_t>("threads", c.threads, 0, 1024);
  check(c.device == "auto" || c.device == "cpu" || c.device.rfind("cuda", 0) == 0,
        "device must be auto, cpu, cuda or cuda:N, got \"" + c.device + "\"");
  check(c.precision == "auto" || c.precision == "fp32" || c.precision == "bf16",
        "precision must be auto, fp32 or bf16, got \"" + c.precision + "\"");
  check(m.expert_kernel == "auto" || m.expert_kernel == "segments" ||
            m.expert_kernel == "grouped_mm",
        "model.expert_kernel must be auto, segments or grouped_mm, got \"" + m.expert_kernel + "\"");
}

namespace {
template <class T>
json json_value(const T& v) {
  if constexpr (std::is_enum_v<T>) {
    return name_of(v);
  } else {
    return v;
  }
}
}  // namespace

json to_json(const RunConfig& config) {
  RunConfig c = config;
  json j;
  j["preset"] = c.preset;
  j["device"] = c.device;
  j["precision"] = c.precision;
  j["threads"] = c.threads;
  visit_model(c.model, [&](const char* k, const auto& v) { j["model"][k] = v; });
  visit_router(c.router, [&](const char* k, const auto& v) { j["router"][k] = json_value(v); });
  visit_train(c.train, [&](const char* k, const auto& v) { j["train"][k] = v; });
  visit_data(c.data, [&](const char* k, const auto& v) { j["data"][k] = v; });
  return j;
}

std::string to_json_string(const RunConfig& config) { return to_json(config).dump(2); }

}  // namespace moescope
