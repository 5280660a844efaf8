#include "model/transformer_lm.h"

#include <algorithm>
#include <cmath>

#include "model/weight_init.h"

namespace moescope {

namespace F = torch::nn::functional;

CausalSelfAttentionImpl::CausalSelfAttentionImpl(int64_t d_model_, int64_t heads_,
                                                 double output_init_scale_)
    : d_model(d_model_), heads(heads_), output_init_scale(output_init_scale_) {
  reset();
}

void CausalSelfAttentionImpl::reset() {
  TORCH_CHECK(d_model % heads == 0, "d_model (", d_model, ") must be a multiple of heads (",
              heads, ")");
  qkv = register_module("qkv", torch::nn::Linear(torch::nn::LinearOptions(d_model, 3 * d_model).bias(false)));
  proj = register_module("proj", torch::nn::Linear(torch::nn::LinearOptions(d_model, d_model).bias(false)));
  torch::NoGradGuard no_grad;
  qkv->weight.normal_(0.0, 0.02);
  proj->weight.normal_(0.0, 0.02 * output_init_scale);
}

torch::Tensor CausalSelfAttentionImpl::forward(const torch::Tensor& x) {
  // x: [B, S, d] -> [B, S, d]
  const auto B = x.size(0), S = x.size(1), d = x.size(2);
  auto parts = qkv->forward(x).view({B, S, 3, heads, d / heads}).permute({2, 0, 3, 1, 4});
  auto y = at::scaled_dot_product_attention(parts[0], parts[1], parts[2], {}, 0.0,
                                            /*is_causal=*/true);
  return proj->forward(y.transpose(1, 2).reshape({B, S, d}));
}

MoEBlockImpl::MoEBlockImpl(const TransformerLMOptions& o, double output_init_scale_, int64_t block_,
                           int64_t moe_index_)
    : options(o), output_init_scale(output_init_scale_), block(block_), moe_index(moe_index_) {
  reset();
}

void MoEBlockImpl::reset() {
  const auto& o = options;
  const auto& m = o.moe();
  const bool rms = !m.moescope_decoder();
  norm1 = register_module("norm1", Norm(o.d_model(), rms, rms ? m.norm_eps : 1e-5));
  norm2 = register_module("norm2", Norm(o.d_model(), rms, rms ? m.norm_eps : 1e-5));
  attention = nullptr;
  rotary = nullptr;
  if (rms) {
    rotary = register_module("attention", RotaryAttention(m, output_init_scale));
  } else {
    attention = register_module("attention",
                                CausalSelfAttention(o.d_model(), o.heads(), output_init_scale));
  }
  moe = nullptr;
  ffn = nullptr;
  if (m.dense_block(block)) {
    const int64_t hidden = m.dense() ? m.expert_hidden : m.dense_hidden;
    ffn = register_module("ffn", DenseFFN(o.d_model(), hidden, output_init_scale));
  } else {
    moe = register_module("moe", MoELayer(moe_layer_options(m, o.router(), o.d_model(),
                                                            output_init_scale, moe_index)));
  }
}

torch::Tensor MoEBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& tokens,
                                    RouterLosses& losses, const torch::Tensor& angles) {
  auto a = norm1->forward(x);
  auto h = x + (rotary ? rotary->forward(a, angles) : attention->forward(a));
  if (!moe) return h + ffn->forward(norm2->forward(h));
  auto moe_out = moe->forward(norm2->forward(h).reshape({-1, h.size(2)}), tokens.reshape(-1),
                              h.size(1));
  losses.add(moe_out);
  return h + moe_out.y.view(h.sizes());
}

void RouterLosses::add(const MoEOutput& out) {
  const auto sum = [](torch::Tensor& total, const torch::Tensor& t) {
    total = total.defined() ? total + t : t;
  };
  sum(aux, out.aux_loss);
  sum(z, out.z_loss);
  sum(extra, out.extra_loss);
  ++layers;
}

void RouterLosses::finish(ModelOutput& m) const {
  if (layers == 0) {  // a dense model: no router, no router losses
    m.aux_loss = m.z_loss = m.extra_loss = torch::zeros({}, m.logits.options().dtype(torch::kFloat32));
    return;
  }
  const double n = double(std::max<int64_t>(layers, 1));
  m.aux_loss = aux / n;
  m.z_loss = z / n;
  m.extra_loss = extra / n;
}

TransformerLMImpl::TransformerLMImpl(const TransformerLMOptions& o) : options(o) { reset(); }

void TransformerLMImpl::reset() {
  const auto& o = options;
  const auto& m = o.moe();
  const bool families = !m.moescope_decoder();
  const int64_t vocab = families ? m.vocab : o.vocab();
  token_embedding = register_module("token_embedding", torch::nn::Embedding(vocab, o.d_model()));
  position_embedding = nullptr;
  lm_head = torch::Tensor();
  {
    torch::NoGradGuard no_grad;
    token_embedding->weight.normal_(0.0, 0.02);
  }
  if (!families) {
    position_embedding =
        register_module("position_embedding", torch::nn::Embedding(o.context(), o.d_model()));
    torch::NoGradGuard no_grad;
    position_embedding->weight.normal_(0.0, 0.01);
  } else if (!m.tie_embeddings) {
    lm_head = register_parameter("lm_head", skip_weight_init() ? torch::empty({vocab, o.d_model()})
                                                               : torch::randn({vocab, o.d_model()}) * 0.02);
  }
  blocks = register_module("blocks", torch::nn::ModuleList());
  const double residual_scale = 1.0 / std::sqrt(2.0 * double(o.layers()));
  int64_t moe_index = 0;
  for (int64_t i = 0; i < o.layers(); ++i) {
    blocks->push_back(MoEBlock(o, residual_scale, i, moe_index));
    if (!m.dense_block(i)) ++moe_index;
  }
  final_norm = register_module("final_norm", Norm(o.d_model(), families, families ? m.norm_eps : 1e-5));
}

ModelOutput TransformerLMImpl::forward(const torch::Tensor& tokens) {
  // tokens: [B, S] -> logits [B, S, vocab]
  TORCH_CHECK(tokens.dim() == 2 && tokens.size(1) <= options.context(),
              "language model expects [batch, <= ", options.context(), "] tokens, got ",
              tokens.sizes());
  const auto& m = options.moe();
  auto x = token_embedding->forward(tokens);
  torch::Tensor angles;
  if (position_embedding) {
    x = x + position_embedding->forward(torch::arange(tokens.size(1), tokens.options()));
  } else {
    const int64_t head_dim = m.head_dim > 0 ? m.head_dim : m.d_model / m.heads;
    angles = rotary_angles(tokens.size(1), head_dim, m.rope_theta, tokens.device());
  }
  RouterLosses losses;
  for (const auto& block : *blocks) x = block->as<MoEBlock>()->forward(x, tokens, losses, angles);
  x = final_norm->forward(x);
  ModelOutput out;
  // The moescope decoder ties its output head to the input embedding.
  out.logits = F::linear(x, lm_head.defined() ? lm_head : token_embedding->weight);
  losses.finish(out);
  return out;
}

std::vector<torch::Tensor> TransformerLMImpl::embeddings() const {
  if (!position_embedding) return {token_embedding->weight};
  return {token_embedding->weight, position_embedding->weight};
}

std::vector<MoELayer> TransformerLMImpl::moe_layers() const {
  std::vector<MoELayer> layers;
  for (const auto& block : *blocks) {
    if (auto moe = block->as<MoEBlock>()->moe) layers.push_back(moe);
  }
  return layers;
}

}  // namespace moescope
