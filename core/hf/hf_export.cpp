#include "hf/hf_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/choices.h"
#include "base/error.h"
#include "data/safetensors.h"

namespace moescope {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// Float32 copies of the tensors to write, kept alive until the file is written.
class TensorList {
 public:
  void add(const std::string& name, const torch::Tensor& t) {
    keep_.push_back(t.detach().to(torch::kCPU, torch::kFloat32).contiguous());
    names_.push_back(name);
  }
  std::vector<SafeTensorData> data() const {
    std::vector<SafeTensorData> out;
    for (size_t i = 0; i < keep_.size(); ++i) {
      out.push_back({names_[i], SafeDtype::F32, keep_[i].sizes().vec(), keep_[i].data_ptr()});
    }
    return out;
  }

 private:
  std::vector<torch::Tensor> keep_;
  std::vector<std::string> names_;
};

json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read");
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw Error(path + ": malformed JSON (" + std::string(e.what()) + ")");
  }
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(path.string() + ": cannot write");
}

// A config.json for a model MoE Scope trained with architecture mixtral.
json mixtral_config(const TransformerLMImpl& model) {
  const auto& m = model.options.moe();
  const auto layers = model.moe_layers();
  json c;
  c["architectures"] = {"MixtralForCausalLM"};
  c["model_type"] = "mixtral";
  c["hidden_size"] = m.d_model;
  c["intermediate_size"] = m.expert_hidden;
  c["num_hidden_layers"] = m.layers;
  c["num_attention_heads"] = m.heads;
  c["num_key_value_heads"] = m.kv_heads > 0 ? m.kv_heads : m.heads;
  c["head_dim"] = m.head_dim > 0 ? m.head_dim : m.d_model / m.heads;
  c["num_local_experts"] = layers.empty() ? m.experts : layers.front()->options.experts();
  c["num_experts_per_tok"] = m.top_k;
  c["vocab_size"] = m.vocab;
  c["max_position_embeddings"] = m.context;
  c["rms_norm_eps"] = m.norm_eps;
  c["rope_theta"] = m.rope_theta;
  c["rope_parameters"] = {{"rope_type", "default"}, {"rope_theta", m.rope_theta}};
  c["sliding_window"] = m.sliding_window > 0 ? json(m.sliding_window) : json(nullptr);
  c["tie_word_embeddings"] = m.tie_embeddings;
  c["hidden_act"] = "silu";
  c["router_aux_loss_coef"] = 0.0;
  c["router_jitter_noise"] = 0.0;
  c["output_router_logits"] = false;
  c["attention_dropout"] = 0.0;
  c["initializer_range"] = 0.02;
  c["bos_token_id"] = nullptr;
  c["eos_token_id"] = nullptr;
  c["dtype"] = "float32";
  c["use_cache"] = true;
  return c;
}

// tokenizer.json of MoE Scope's byte-level models: the 256 bytes as byte-level BPE tokens
// (GPT-2's printable characters), no merges, so token id = byte value.
json byte_tokenizer() {
  std::vector<int> printable;
  for (int b = '!'; b <= '~'; ++b) printable.push_back(b);
  for (int b = 0xA1; b <= 0xAC; ++b) printable.push_back(b);
  for (int b = 0xAE; b <= 0xFF; ++b) printable.push_back(b);
  json vocab = json::object();
  int n = 0;
  for (int b = 0; b < 256; ++b) {
    const bool keep = std::find(printable.begin(), printable.end(), b) != printable.end();
    const uint32_t cp = keep ? uint32_t(b) : uint32_t(256 + n++);
    std::string utf8;
    if (cp < 0x80) {
      utf8 = std::string(1, char(cp));
    } else {
      utf8 += char(0xC0 | (cp >> 6));
      utf8 += char(0x80 | (cp & 0x3F));
    }
    vocab[utf8] = b;
  }
  json t;
  t["version"] = "1.0";
  t["truncation"] = nullptr;
  t["padding"] = nullptr;
  t["added_tokens"] = json::array();
  t["normalizer"] = nullptr;
  t["pre_tokenizer"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}};
  t["post_processor"] = nullptr;
  t["decoder"] = {{"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", false}, {"use_regex", false}};
  t["model"] = {{"type", "BPE"},          {"dropout", nullptr},           {"unk_token", nullptr},
                {"continuing_subword_prefix", nullptr}, {"end_of_word_suffix", nullptr}, {"fuse_unk", false},
                {"byte_fallback", false}, {"ignore_merges", false},       {"vocab", vocab},
                {"merges", json::array()}};
  return t;
}

}  // namespace

std::string hf_export_refusal(TransformerLMImpl& model, const RouterConfig& router) {
  const auto& m = model.options.moe();
  if (m.moescope_decoder()) {
    return "the model has MoE Scope's own decoder (LayerNorm, learned positions); only models with a Hugging Face "
           "decoder export: train with model.architecture = \"mixtral\", or open a Hugging Face folder";
  }
  if (m.dense()) return "the model is dense (model.ffn = \"dense\"): a Hugging Face MoE config needs experts";
  if (router.kind != RouterKind::TopK || router.score != ScoreFunction::Softmax || router.bias || router.groups > 1 ||
      router.sinkhorn || router.capacity_factor > 0.0 || router.seq_aux_coef > 0.0 || router.bias_balancing) {
    return "the router (" + std::string(name_of(router.kind)) +
           ", or a score, bias, group, capacity or balancing option) is not the softmax top-k router of " + m.architecture;
  }
  if (m.architecture == "mixtral" && !router.normalize_gates) return "Mixtral renormalises the top-k gates (router.normalize_gates)";
  if (m.architecture == "mixtral" && (m.qkv_bias || m.qk_norm != "none" || m.shared_experts > 0 || !m.dense_layers.empty())) {
    return "Mixtral has no q/k/v biases, QK-norm, shared experts or dense layers";
  }
  const auto layers = model.moe_layers();
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto& o = layers[l]->options;
    if (o.experts() != layers.front()->options.experts()) {
      return "the layers have different expert counts (layer 0: " + std::to_string(layers.front()->options.experts()) +
             ", layer " + std::to_string(l) + ": " + std::to_string(o.experts()) +
             "); a Hugging Face config has one count for all layers: prune to the same count per layer (--keep)";
    }
    if (!o.logit_to_expert().empty()) {
      return "layer " + std::to_string(l) +
             " keeps one router logit per original expert (merged with --router keep); a Hugging Face config has no "
             "logit -> expert map: merge with --router sum";
    }
    if (layers[l]->router->runtime().skip_beta > 0.0) {
      return "dynamic expert skipping (skip_beta) has no Hugging Face equivalent";
    }
    if (o.routed_experts() != o.experts()) return "zero-computation or constant experts have no Hugging Face equivalent";
  }
  return "";
}

void save_hf_model(TransformerLMImpl& model, const RouterConfig& router, const std::string& source_dir,
                   const std::string& out_dir) {
  if (const auto why = hf_export_refusal(model, router); !why.empty()) throw Error(out_dir + ": cannot export: " + why);
  std::error_code ec;
  if (fs::exists(out_dir, ec) && !(fs::is_directory(out_dir, ec) && fs::is_empty(out_dir, ec))) {
    throw Error(out_dir + ": exists and is not an empty folder; choose a new folder");
  }
  const auto& m = model.options.moe();
  if (source_dir.empty() && m.architecture != "mixtral") {
    throw Error(out_dir + ": cannot export: a " + m.architecture + " model needs the folder it was opened from (its config and tokenizer)");
  }
  const auto layers = model.moe_layers();
  const int64_t experts = layers.front()->options.experts();
  json config;
  if (!source_dir.empty()) {
    config = read_json((fs::path(source_dir) / "config.json").string());
    const bool mixtral = m.architecture == "mixtral";
    if (mixtral || config.contains("num_local_experts")) config["num_local_experts"] = experts;
    if (!mixtral) config["num_experts"] = experts;
    config["num_experts_per_tok"] = m.top_k;
    config["dtype"] = "float32";
    config.erase("torch_dtype");
  } else {
    config = mixtral_config(model);
  }

  const bool mixtral = m.architecture == "mixtral";
  TensorList tensors;
  tensors.add("model.embed_tokens.weight", model.token_embedding->weight);
  if (model.lm_head.defined()) tensors.add("lm_head.weight", model.lm_head);
  tensors.add("model.norm.weight", model.final_norm->weight);
  for (size_t b = 0; b < model.blocks->size(); ++b) {
    auto& block = *(*model.blocks)[b]->as<MoEBlock>();
    const auto p = "model.layers." + std::to_string(b) + ".";
    tensors.add(p + "input_layernorm.weight", block.norm1->weight);
    tensors.add(p + "post_attention_layernorm.weight", block.norm2->weight);
    auto& a = *block.rotary;
    const std::pair<const char*, torch::nn::Linear*> projections[] = {{"q_proj", &a.q}, {"k_proj", &a.k}, {"v_proj", &a.v}, {"o_proj", &a.o}};
    for (const auto& [name, linear] : projections) {
      tensors.add(p + "self_attn." + name + ".weight", (*linear)->weight);
      if ((*linear)->bias.defined()) tensors.add(p + "self_attn." + name + ".bias", (*linear)->bias);
    }
    if (a.q_norm.defined()) {
      tensors.add(p + "self_attn.q_norm.weight", a.q_norm);
      tensors.add(p + "self_attn.k_norm.weight", a.k_norm);
    }
    if (block.ffn) {
      tensors.add(p + "mlp.gate_proj.weight", block.ffn->gate);
      tensors.add(p + "mlp.up_proj.weight", block.ffn->up);
      tensors.add(p + "mlp.down_proj.weight", block.ffn->down);
      continue;
    }
    auto& layer = *block.moe;
    const auto q = p + (mixtral ? "block_sparse_moe." : "mlp.");
    tensors.add(q + "gate.weight", layer.router->weight);
    const int64_t h = layer.options.hidden();
    for (int64_t e = 0; e < layer.options.experts(); ++e) {
      const auto x = q + "experts." + std::to_string(e) + ".";
      const auto in = layer.w_in[e];  // [d, 2h]: gate | up
      tensors.add(x + (mixtral ? "w1" : "gate_proj") + ".weight", in.narrow(1, 0, h).t());
      tensors.add(x + (mixtral ? "w3" : "up_proj") + ".weight", in.narrow(1, h, h).t());
      tensors.add(x + (mixtral ? "w2" : "down_proj") + ".weight", layer.w_out[e].t());
    }
    if (layer.shared_in.defined()) {
      const int64_t sh = layer.shared_out.size(1);
      const auto in = layer.shared_in[0];
      tensors.add(q + "shared_expert.gate_proj.weight", in.narrow(1, 0, sh).t());
      tensors.add(q + "shared_expert.up_proj.weight", in.narrow(1, sh, sh).t());
      tensors.add(q + "shared_expert.down_proj.weight", layer.shared_out[0].t());
      if (layer.shared_gate.defined()) tensors.add(q + "shared_expert_gate.weight", layer.shared_gate.unsqueeze(0));
    }
  }

  // Written beside out_dir, renamed into place once whole.
  const fs::path out(out_dir);
  const fs::path part = out.parent_path() / (out.filename().string() + ".part");
  fs::remove_all(part, ec);
  fs::create_directories(part, ec);
  if (ec) throw Error(part.string() + ": cannot create the folder (" + ec.message() + ")");
  try {
    write_safetensors((part / "model.safetensors").string(), tensors.data(), {{"format", "pt"}});
    write_text(part / "config.json", config.dump(2) + "\n");
    if (!source_dir.empty()) {
      for (const char* name : {"tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
                               "tokenizer.model", "vocab.json", "merges.txt"}) {
        const auto from = fs::path(source_dir) / name;
        if (fs::exists(from, ec)) {
          fs::copy_file(from, part / name, fs::copy_options::overwrite_existing, ec);
          if (ec) throw Error(from.string() + ": cannot copy (" + ec.message() + ")");
        }
      }
    } else {
      write_text(part / "tokenizer.json", byte_tokenizer().dump() + "\n");
      write_text(part / "tokenizer_config.json",
                 json{{"tokenizer_class", "PreTrainedTokenizerFast"}, {"model_max_length", m.context}}.dump(2) + "\n");
    }
    if (fs::exists(out, ec)) fs::remove(out, ec);  // an empty folder
    fs::rename(part, out, ec);
    if (ec) throw Error(out_dir + ": cannot move the finished folder into place (" + ec.message() + ")");
  } catch (...) {
    fs::remove_all(part, ec);
    throw;
  }
}

}  // namespace moescope
