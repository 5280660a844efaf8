#include "hf/hf_model.h"

#include <unistd.h>

#include <cstring>
#include <optional>
#include <set>

#include "base/error.h"
#include "data/safetensors.h"
#include "model/weight_init.h"

namespace moescope {
namespace {

torch::Dtype torch_dtype(SafeDtype dtype) {
  switch (dtype) {
    case SafeDtype::F32: return torch::kFloat32;
    case SafeDtype::F16: return torch::kFloat16;
    case SafeDtype::BF16: return torch::kBFloat16;
  }
  return torch::kFloat32;
}

std::string shape_text(at::IntArrayRef shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// Takes the folder's tensors by their Hugging Face names, checking each one's shape, and
// remembers which were taken so that a tensor the family does not have is an error too.
class Weights {
 public:
  Weights(const std::string& dir, std::string family) : folder_(dir), family_(std::move(family)) {}

  bool has(const std::string& name) const { return folder_.find(name) != nullptr; }

  // The tensor `name` of shape `shape`, copied out of the mapped file in its own dtype.
  torch::Tensor take(const std::string& name, at::IntArrayRef shape) {
    const auto* entry = folder_.find(name);
    if (entry == nullptr) {
      throw Error(folder_.dir() + ": tensor " + name + " is missing (a " + family_ + " model of this config has it)");
    }
    const auto& t = *entry->tensor;
    if (!std::equal(t.shape.begin(), t.shape.end(), shape.begin(), shape.end())) {
      throw Error(entry->file->path() + ": tensor " + name + " has shape " + shape_text(t.shape) + ", config.json implies " +
                  shape_text(shape));
    }
    auto out = torch::empty(shape, torch::TensorOptions().dtype(torch_dtype(t.dtype)));
    std::memcpy(out.data_ptr(), entry->file->data(t), size_t(t.end - t.begin));
    taken_.insert(name);
    return out;
  }

  // param <- the tensor (any float dtype), transposed first when asked.
  void load(torch::Tensor& param, const std::string& name, at::IntArrayRef shape, bool transpose = false) {
    auto t = take(name, shape);
    param.copy_(transpose ? t.t() : t);
  }

  void check_all_taken() const {
    for (const auto& [name, entry] : folder_.tensors()) {
      if (taken_.count(name) != 0) continue;
      // Older checkpoints store the rotary frequencies, which MoE Scope computes.
      const std::string inv_freq = "rotary_emb.inv_freq";
      if (name.size() >= inv_freq.size() && name.compare(name.size() - inv_freq.size(), inv_freq.size(), inv_freq) == 0) continue;
      throw Error(entry.file->path() + ": tensor " + name + " is not part of a " + family_ +
                  " model of this config (MoE Scope would ignore it; refusing instead)");
    }
  }

  size_t shards() const { return folder_.shards(); }

 private:
  SafetensorsFolder folder_;
  std::string family_;
  std::set<std::string> taken_;
};

// The experts of one MoE layer: per-expert tensors or the fused pair. Returns the layout.
std::string load_experts(Weights& w, MoELayerImpl& layer, const std::string& p, bool mixtral) {
  const int64_t E = layer.options.experts(), d = layer.options.d_model(), h = layer.options.hidden();
  const bool per_expert = w.has(p + "experts.0." + (mixtral ? "w1" : "gate_proj") + ".weight");
  if (!per_expert) {
    layer.w_in.copy_(w.take(p + "experts.gate_up_proj", {E, 2 * h, d}).transpose(1, 2));
    layer.w_out.copy_(w.take(p + "experts.down_proj", {E, d, h}).transpose(1, 2));
    return "fused";
  }
  for (int64_t e = 0; e < E; ++e) {
    const auto q = p + "experts." + std::to_string(e) + ".";
    auto in = layer.w_in[e];  // [d, 2h]: gate | up
    in.narrow(1, 0, h).copy_(w.take(q + (mixtral ? "w1" : "gate_proj") + ".weight", {h, d}).t());
    in.narrow(1, h, h).copy_(w.take(q + (mixtral ? "w3" : "up_proj") + ".weight", {h, d}).t());
    layer.w_out[e].copy_(w.take(q + (mixtral ? "w2" : "down_proj") + ".weight", {d, h}).t());
  }
  return "per-expert";
}

// The model, built on the CPU in the dtype it loads in, must fit in memory; a hostile or
// huge config is refused here rather than by the kernel's OOM killer.
void check_fits_memory(const HfConfig& c, torch::Dtype dtype) {
  const auto& m = c.model;
  const double hd = double(m.head_dim > 0 ? m.head_dim : m.d_model / m.heads);
  const double d = double(m.d_model), kv = double(m.kv_heads > 0 ? m.kv_heads : m.heads);
  const double attention = d * hd * (2.0 * double(m.heads) + 2.0 * kv);
  const double moe = double(m.experts) * 3.0 * d * double(m.expert_hidden) + double(m.experts) * d +
                     3.0 * d * double(m.shared_expert_hidden);
  const double dense = 3.0 * d * double(m.dense_hidden);
  const double moe_blocks = double(m.moe_layers()), dense_blocks = double(m.layers) - moe_blocks;
  const double params = double(m.layers) * attention + moe_blocks * moe + dense_blocks * dense +
                        2.0 * double(m.vocab) * d;
  const double need = params * (dtype == torch::kBFloat16 ? 2.0 : 4.0);
  const double pages = double(sysconf(_SC_PHYS_PAGES)), page = double(sysconf(_SC_PAGE_SIZE));
  const double have = pages * page;
  if (need > have) {
    throw Error(c.path + ": the model has about " + std::to_string(int64_t(params / 1e6)) + " M parameters; building it needs " +
                std::to_string(int64_t(need / double(1 << 30))) + " GiB, more than this machine's " +
                std::to_string(int64_t(have / double(1 << 30))) + " GiB");
  }
}

}  // namespace

HfModel load_hf_model(const std::string& dir, const HfLoadOptions& options) {
  if (options.dtype != torch::kFloat32 && options.dtype != torch::kBFloat16) {
    throw Error(dir + ": weights load in float32 or bfloat16");
  }
  HfModel out;
  out.config = read_hf_config(dir);
  const auto& m = out.config.model;
  Weights w(dir, out.config.architecture);
  check_fits_memory(out.config, options.dtype);
  out.shards = int64_t(w.shards());
  // Built in the dtype it loads in (a bf16 model never exists in float32 too).
  struct DefaultDtype {
    caffe2::TypeMeta saved = torch::get_default_dtype();
    explicit DefaultDtype(torch::Dtype d) { torch::set_default_dtype(caffe2::scalarTypeToTypeMeta(d)); }
    ~DefaultDtype() { torch::set_default_dtype(saved); }
  } default_dtype(options.dtype);
  std::optional<SkipWeightInit> no_init(std::in_place);  // every weight is loaded below
  auto model = TransformerLM(TransformerLMOptions()
                                 .vocab(m.vocab)
                                 .context(m.context)
                                 .d_model(m.d_model)
                                 .heads(m.heads)
                                 .layers(m.layers)
                                 .moe(m)
                                 .router(out.config.router));
  no_init.reset();
  torch::NoGradGuard no_grad;
  const int64_t d = m.d_model, V = m.vocab;
  w.load(model->token_embedding->weight, "model.embed_tokens.weight", {V, d});
  if (model->lm_head.defined()) w.load(model->lm_head, "lm_head.weight", {V, d});
  w.load(model->final_norm->weight, "model.norm.weight", {d});
  const bool mixtral = m.architecture == "mixtral";
  std::set<std::string> layouts;
  for (int64_t b = 0; b < m.layers; ++b) {
    auto& block = *(*model->blocks)[size_t(b)]->as<MoEBlock>();
    const auto p = "model.layers." + std::to_string(b) + ".";
    w.load(block.norm1->weight, p + "input_layernorm.weight", {d});
    w.load(block.norm2->weight, p + "post_attention_layernorm.weight", {d});
    auto& a = *block.rotary;
    const int64_t hd = a.head_dim(), H = a.heads(), KV = a.kv_heads();
    const std::pair<torch::nn::Linear*, std::pair<const char*, int64_t>> projections[] = {
        {&a.q, {"q_proj", H * hd}}, {&a.k, {"k_proj", KV * hd}}, {&a.v, {"v_proj", KV * hd}}};
    for (const auto& [linear, spec] : projections) {
      const auto name = p + "self_attn." + spec.first;
      w.load((*linear)->weight, name + ".weight", {spec.second, d});
      if ((*linear)->bias.defined()) w.load((*linear)->bias, name + ".bias", {spec.second});
    }
    w.load(a.o->weight, p + "self_attn.o_proj.weight", {d, H * hd});
    if (a.q_norm.defined()) {
      w.load(a.q_norm, p + "self_attn.q_norm.weight", a.q_norm.sizes());
      w.load(a.k_norm, p + "self_attn.k_norm.weight", a.k_norm.sizes());
    }
    if (block.ffn) {  // a dense block
      const int64_t h = block.ffn->hidden;
      w.load(block.ffn->gate, p + "mlp.gate_proj.weight", {h, d});
      w.load(block.ffn->up, p + "mlp.up_proj.weight", {h, d});
      w.load(block.ffn->down, p + "mlp.down_proj.weight", {d, h});
      continue;
    }
    auto& layer = *block.moe;
    // Mixtral's checkpoints call the MoE block block_sparse_moe; transformers 5 calls it mlp.
    const auto q = p + (mixtral && w.has(p + "block_sparse_moe.gate.weight") ? "block_sparse_moe." : "mlp.");
    w.load(layer.router->weight, q + "gate.weight", {layer.options.experts(), d});
    layouts.insert(load_experts(w, layer, q, mixtral));
    if (layer.shared_in.defined()) {
      const int64_t sh = layer.shared_out.size(1);
      auto in = layer.shared_in[0];
      in.narrow(1, 0, sh).copy_(w.take(q + "shared_expert.gate_proj.weight", {sh, d}).t());
      in.narrow(1, sh, sh).copy_(w.take(q + "shared_expert.up_proj.weight", {sh, d}).t());
      layer.shared_out[0].copy_(w.take(q + "shared_expert.down_proj.weight", {d, sh}).t());
      if (layer.shared_gate.defined()) layer.shared_gate.copy_(w.take(q + "shared_expert_gate.weight", {1, d})[0]);
    }
  }
  w.check_all_taken();
  out.layout = layouts.size() == 1 ? *layouts.begin() : "mixed";
  model->to(options.device);  // built in its dtype already; to(dtype) would cast the integer buffers too
  model->eval();
  out.model = model;
  return out;
}

}  // namespace moescope
