#include "model/rotary_attention.h"

namespace moescope {

torch::Tensor rms_norm(const torch::Tensor& x, const torch::Tensor& weight, double eps) {
  const auto dtype = x.scalar_type();
  const int64_t dim = x.size(-1);
  return weight.to(dtype) * at::rms_norm(x.to(torch::kFloat32), {dim}, {}, eps).to(dtype);
}

torch::Tensor rotary_angles(int64_t positions, int64_t head_dim, double theta, torch::Device device) {
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  // As transformers: inv_freq = 1 / theta^(arange(0, dim, 2) / dim), then position x inv_freq.
  auto inv_freq = 1.0 / torch::pow(torch::tensor(theta, f32.dtype(torch::kFloat64)),
                                   torch::arange(0, head_dim, 2, f32.dtype(torch::kInt64)).to(torch::kFloat32) /
                                       double(head_dim))
                            .to(torch::kFloat32);
  auto freqs = torch::outer(torch::arange(positions, f32), inv_freq);
  auto emb = torch::cat({freqs, freqs}, 1);
  return torch::stack({emb.cos(), emb.sin()});
}

namespace {

torch::Tensor rotate_half(const torch::Tensor& x) {
  const int64_t half = x.size(-1) / 2;
  return torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// x: [B, H, S, hd]; angles [2, S, hd]
torch::Tensor apply_rotary(const torch::Tensor& x, const torch::Tensor& angles) {
  const auto cos = angles[0].to(x.scalar_type()), sin = angles[1].to(x.scalar_type());
  return x * cos + rotate_half(x) * sin;
}

}  // namespace

NormImpl::NormImpl(int64_t dim_, bool rms_, double eps_) : dim(dim_), rms(rms_), eps(eps_) { reset(); }

void NormImpl::reset() {
  weight = register_parameter("weight", torch::ones({dim}));
  bias = rms ? torch::Tensor() : register_parameter("bias", torch::zeros({dim}));
}

torch::Tensor NormImpl::forward(const torch::Tensor& x) {
  if (rms) return rms_norm(x, weight, eps);
  return torch::layer_norm(x, {dim}, weight, bias, eps);
}

RotaryAttentionImpl::RotaryAttentionImpl(const ModelConfig& model_, double output_init_scale_)
    : model(model_), output_init_scale(output_init_scale_) {
  reset();
}

void RotaryAttentionImpl::reset() {
  const int64_t d = model.d_model, hd = head_dim(), H = heads(), KV = kv_heads();
  TORCH_CHECK(H % KV == 0, "heads (", H, ") must be a multiple of kv_heads (", KV, ")");
  const auto linear = [&](int64_t in, int64_t out, bool bias) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
  };
  q = register_module("q", linear(d, H * hd, model.qkv_bias));
  k = register_module("k", linear(d, KV * hd, model.qkv_bias));
  v = register_module("v", linear(d, KV * hd, model.qkv_bias));
  o = register_module("o", linear(H * hd, d, false));
  q_norm = k_norm = torch::Tensor();
  if (model.qk_norm == "projection") {
    q_norm = register_parameter("q_norm", torch::ones({H * hd}));
    k_norm = register_parameter("k_norm", torch::ones({KV * hd}));
  } else if (model.qk_norm == "head") {
    q_norm = register_parameter("q_norm", torch::ones({hd}));
    k_norm = register_parameter("k_norm", torch::ones({hd}));
  }
  torch::NoGradGuard no_grad;
  for (auto* p : {&q, &k, &v}) {
    (*p)->weight.normal_(0.0, 0.02);
    if ((*p)->bias.defined()) (*p)->bias.zero_();
  }
  o->weight.normal_(0.0, 0.02 * output_init_scale);
}

torch::Tensor RotaryAttentionImpl::forward(const torch::Tensor& x, const torch::Tensor& angles) {
  const int64_t B = x.size(0), S = x.size(1), hd = head_dim(), H = heads(), KV = kv_heads();
  auto qs = q->forward(x), ks = k->forward(x), vs = v->forward(x);
  const bool per_head = model.qk_norm == "head";
  if (model.qk_norm == "projection") {
    qs = rms_norm(qs, q_norm, model.norm_eps);
    ks = rms_norm(ks, k_norm, model.norm_eps);
  }
  if (model.clip_qkv > 0.0) {
    qs = qs.clamp(-model.clip_qkv, model.clip_qkv);
    ks = ks.clamp(-model.clip_qkv, model.clip_qkv);
    vs = vs.clamp(-model.clip_qkv, model.clip_qkv);
  }
  qs = qs.view({B, S, H, hd});
  ks = ks.view({B, S, KV, hd});
  if (per_head) {
    qs = rms_norm(qs, q_norm, model.norm_eps);
    ks = rms_norm(ks, k_norm, model.norm_eps);
  }
  qs = apply_rotary(qs.transpose(1, 2), angles);
  ks = apply_rotary(ks.transpose(1, 2), angles);
  auto vh = vs.view({B, S, KV, hd}).transpose(1, 2);
  if (KV != H) {  // each key/value head serves H / KV query heads
    ks = ks.repeat_interleave(H / KV, 1);
    vh = vh.repeat_interleave(H / KV, 1);
  }
  torch::Tensor y;
  if (model.sliding_window > 0 && S > model.sliding_window) {
    auto i = torch::arange(S, x.options().dtype(torch::kInt64));
    auto gap = i.unsqueeze(1) - i.unsqueeze(0);  // query - key
    auto allowed = gap.ge(0).logical_and(gap.lt(model.sliding_window));
    y = at::scaled_dot_product_attention(qs, ks, vh, allowed, 0.0, /*is_causal=*/false);
  } else {
    y = at::scaled_dot_product_attention(qs, ks, vh, {}, 0.0, /*is_causal=*/true);
  }
  return o->forward(y.transpose(1, 2).reshape({B, S, H * hd}));
}

}  // namespace moescope
