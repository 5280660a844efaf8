#include "model/moe_layer.h"

#include <ATen/autocast_mode.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "base/events.h"
#include "model/expert_ffn.h"
#include "model/weight_init.h"

namespace moescope {

MoELayerOptions moe_layer_options(const ModelConfig& m, const RouterConfig& r, int64_t d_model,
                                  double output_init_scale, int64_t layer) {
  const auto seed = static_cast<uint64_t>(layer);
  // Fine-grained experts (DeepSeekMoE): m times as many experts, each 1/m as wide, and m
  // times the top-k, so active compute stays the same.
  return MoELayerOptions(d_model, m.expert_hidden / m.expert_granularity)
      .experts(m.layer_ffn_experts(layer))
      .top_k(m.routed_top_k())
      .output_init_scale(output_init_scale)
      .shared_experts(m.shared_experts)
      .shared_hidden(m.shared_expert_hidden)
      .shared_gate(m.shared_expert_gate)
      .vocab(m.vocab)
      .zero_experts(m.zero_experts)
      .copy_experts(m.copy_experts)
      .constant_experts(m.constant_experts)
      .router(r)
      .seed(seed)
      .expert_kernel(parse_expert_kernel(m.expert_kernel))
      .logit_to_expert(m.logit_map(layer));
}

std::vector<int64_t> MoELayerOptions::expert_groups() const {
  std::vector<int64_t> groups = expert_modality_;
  const int64_t shared = groups.empty() ? 0 : *std::max_element(groups.begin(), groups.end()) + 1;
  for (auto& g : groups)
    if (g < 0) g = shared;
  return groups;
}

ModelShape model_shape(const std::vector<MoELayer>& layers) {
  ModelShape shape;
  for (const auto& layer : layers) shape.layers.push_back(layer->shape());
  return shape;
}

MoELayerImpl::MoELayerImpl(const MoELayerOptions& options_) : options(options_) { reset(); }

void MoELayerImpl::reset() {
  const auto E = options.experts(), d = options.d_model(), h = options.hidden();
  TORCH_CHECK(E >= 1, "an MoE layer needs at least one FFN expert");
  TORCH_CHECK(options.top_k() >= 1 && options.top_k() <= options.routed_experts(), "top_k (",
              options.top_k(), ") must be between 1 and the number of experts (",
              options.routed_experts(), ")");
  const auto map = options.logit_to_expert();
  const auto& groups = options.expert_modality();
  TORCH_CHECK(groups.empty() || int64_t(groups.size()) == options.routed_experts(),
              "expert_modality names ", groups.size(), " experts of a layer of ", options.routed_experts());
  auto router_config = options.router();
  if (options.router_init_std() >= 0.0) router_config.init_std = options.router_init_std();
  router = register_module("router", Router(d, options.router_logits(), options.top_k(),
                                            router_config, options.vocab(), options.seed()));
  shared_in = shared_out = shared_gate = constants = torch::Tensor();
  set_logit_map(map);
  const bool init = !skip_weight_init();  // weights about to be loaded need no random values
  w_in = register_parameter("w_in", init ? torch::randn({E, d, 2 * h}) / std::sqrt(double(d))
                                         : torch::empty({E, d, 2 * h}));
  w_out = register_parameter(
      "w_out", init ? torch::randn({E, h, d}) * (options.output_init_scale() / std::sqrt(double(h)))
                    : torch::empty({E, h, d}));
  if (options.shared_experts() > 0) {
    const int64_t H = options.shared_hidden() > 0 ? options.shared_hidden() : options.shared_experts() * h;
    shared_in = register_parameter("shared_in", torch::randn({1, d, 2 * H}) / std::sqrt(double(d)));
    shared_out = register_parameter(
        "shared_out", torch::randn({1, H, d}) * (options.output_init_scale() / std::sqrt(double(H))));
    if (options.shared_gate()) shared_gate = register_parameter("shared_gate", torch::randn({d}) * 0.02);
  }
  if (options.constant_experts() > 0) {
    constants = register_parameter("constants", torch::randn({options.constant_experts(), d}) * 0.02);
  }
  record_routing = false;
  routing_tags = {};
  last_routing = {};
  record_probe = false;
  last_probe = {};
  capture = nullptr;
}

torch::Tensor dispatch_assignments(const torch::Tensor& x, const torch::Tensor& token,
                                   const torch::Tensor& expert, const torch::Tensor& weight,
                                   const torch::Tensor& w_in, const torch::Tensor& w_out,
                                   int64_t zero_experts, int64_t copy_experts,
                                   const torch::Tensor& constants, ExpertKernel kernel) {
  const int64_t T = x.size(0), d = x.size(1), E = w_in.size(0);
  const int64_t K = constants.defined() ? constants.size(0) : 0;
  const int64_t total = E + zero_experts + copy_experts + K;
  // A stable sort by expert keeps each expert's tokens in order; experts are contiguous.
  auto order = torch::argsort(expert, /*stable=*/true);
  auto sorted_token = token.index_select(0, order);
  auto gates = weight.index_select(0, order).to(x.scalar_type());
  const auto combine = [&](const torch::Tensor& y_sorted) {
    return torch::zeros({T, d}, x.options())
        .index_add(0, sorted_token, y_sorted * gates.unsqueeze(1));
  };
  const bool grouped = resolve_expert_kernel(kernel, x, w_in, w_out) == ExpertKernel::grouped_mm;
  if (grouped && total == E) {  // the counts stay on the device
    return combine(expert_ffn_grouped(x.index_select(0, sorted_token), w_in, w_out,
                                      expert_counts(expert, E, torch::kInt64)));
  }
  auto counts_tensor = expert_counts(expert, total, torch::kInt64).to(torch::kCPU);
  const int64_t* c = counts_tensor.data_ptr<int64_t>();
  const std::vector<int64_t> ffn_counts(c, c + E);
  const int64_t n_ffn = std::accumulate(c, c + E, int64_t{0});
  const int64_t n_zero = std::accumulate(c + E, c + E + zero_experts, int64_t{0});
  const int64_t n_copy =
      std::accumulate(c + E + zero_experts, c + E + zero_experts + copy_experts, int64_t{0});
  const int64_t n_const = std::accumulate(c + E + zero_experts + copy_experts, c + total, int64_t{0});

  std::vector<torch::Tensor> parts;
  parts.push_back(n_ffn > 0 ? expert_ffn(x.index_select(0, sorted_token.narrow(0, 0, n_ffn)),
                                         w_in, w_out, ffn_counts,
                                         grouped ? ExpertKernel::grouped_mm : ExpertKernel::segments)
                            : torch::zeros({0, d}, x.options()));
  if (n_zero > 0) parts.push_back(torch::zeros({n_zero, d}, x.options()));
  if (n_copy > 0) parts.push_back(x.index_select(0, sorted_token.narrow(0, n_ffn + n_zero, n_copy)));
  if (n_const > 0) {
    auto ids = expert.index_select(0, order).narrow(0, n_ffn + n_zero + n_copy, n_const) -
               (E + zero_experts + copy_experts);
    parts.push_back(constants.to(x.scalar_type()).index_select(0, ids));
  }
  return combine(parts.size() == 1 ? parts.front() : torch::cat(parts));
}


namespace {

LayerRouting routing_statistics(const Routing& r, const torch::Tensor& bias, int64_t T,
                                const RoutingTags& tags, int64_t experts) {
  torch::NoGradGuard no_grad;
  constexpr int64_t kGateBins = RoutingSnapshot::kGateBins, kKBins = RoutingSnapshot::kKBins;
  LayerRouting s;
  const auto A = r.expert.numel();
  const auto f32 = r.logits.options().dtype(torch::kFloat32);
  s.counts = r.counts;
  auto probs = r.probs.detach();
  s.importance = probs.mean(0);
  s.entropy = -(probs * torch::log(probs.clamp_min(1e-20))).sum(1).mean();
  s.dropped = r.dropped.detach();
  s.mean_k = torch::full({}, double(A) / double(std::max<int64_t>(T, 1)), f32);
  // Mean gap between the k-th and (k+1)-th selection score over the tokens where it is
  // finite (group-limited routing masks scores to -inf); NaN where it is undefined.
  s.margin = torch::full({}, std::numeric_limits<float>::quiet_NaN(), f32);
  if (r.top_scores.defined() && r.top_scores.size(1) > r.slots) {
    auto gap = (r.top_scores.select(1, r.slots - 1) - r.top_scores.select(1, r.slots)).detach();
    auto finite = torch::isfinite(gap);
    s.margin = torch::where(finite, gap, torch::zeros_like(gap)).sum() / finite.sum().to(gap.scalar_type());
  }
  auto w = r.weight.detach().to(torch::kFloat32);
  s.gate_hist = torch::histc(w, kGateBins, 0.0, 1.0) / double(std::max<int64_t>(A, 1));
  auto per_token = torch::bincount(r.token, {}, T);
  auto has = per_token > 0;
  // A token's largest gate; tokens with no expert fall outside [0, 1] and are not counted.
  auto top1 = torch::zeros({T}, f32).scatter_reduce(0, r.token, w, "amax", /*include_self=*/true);
  top1 = torch::where(has, top1, torch::full_like(top1, -1.0));
  s.top1_hist = torch::histc(top1, kGateBins, 0.0, 1.0) / has.sum().clamp_min(1).to(torch::kFloat32);
  s.k_hist = torch::bincount(per_token.clamp_max(kKBins - 1), {}, kKBins).to(torch::kFloat32) /
             double(std::max<int64_t>(T, 1));
  s.bias = bias.detach().clone();
  s.tokens = T;
  if (tags.domains > 0 && tags.domain.defined() && tags.domain.numel() == T) {
    auto domain = tags.domain.to(r.token.device()).reshape(-1).index_select(0, r.token);
    auto counted = domain >= 0;
    auto key = (domain * experts + r.expert).masked_select(counted);
    s.domain_counts = torch::bincount(key, {}, tags.domains * experts).to(torch::kFloat32).view({tags.domains, experts});
  }
  return s;
}

ProbeRouting probe_routing(const Routing& r, const torch::Tensor& x, int64_t experts) {
  torch::NoGradGuard no_grad;
  const int64_t T = x.size(0);
  auto w = r.weight.detach().to(torch::kFloat32);
  auto gates = torch::full({T, experts}, -1.0, w.options()).index_put_({r.token, r.expert}, w);
  auto [values, ids] = gates.topk(std::min<int64_t>(std::max<int64_t>(r.slots, 1), experts), 1);
  auto valid = values >= 0.0;
  ProbeRouting p;
  p.input = x.detach();
  p.experts = torch::where(valid, ids, torch::full_like(ids, -1));
  p.weights = torch::where(valid, values, torch::zeros_like(values));
  return p;
}

}  // namespace

MoEOutput MoELayerImpl::forward(const torch::Tensor& x, const torch::Tensor& token_ids,
                                int64_t sequence_length, const torch::Tensor& modality) {
  // x: [T, d] -> y: [T, d]
  TORCH_CHECK(x.dim() == 2 && x.size(1) == options.d_model(), "MoE layer expects [tokens, ",
              options.d_model(), "], got ", x.sizes());
  // Autocast does not reach into custom autograd functions, so the layer casts for itself:
  // the router sees x as it comes (routing runs in float32), the experts run in the autocast
  // dtype, as an nn::Linear would.
  const auto device_type = x.device().type();
  const bool cast = at::autocast::is_autocast_enabled(device_type) && x.scalar_type() == torch::kFloat32;
  const auto dtype = cast ? at::autocast::get_autocast_dtype(device_type) : x.scalar_type();
  c10::impl::ExcludeDispatchKeyGuard no_autocast(c10::autocast_dispatch_keyset);
  auto routing = route(x, token_ids, sequence_length, modality);
  if (record_routing) {
    last_routing = routing_statistics(routing, expert_bias(), x.size(0), routing_tags, options.routed_experts());
  }
  if (record_probe) last_probe = probe_routing(routing, x, options.routed_experts());
  if (capture) {
    capture->x.push_back(x.detach());
    capture->token_ids.push_back(token_ids.defined() ? token_ids.detach() : token_ids);
    capture->modality.push_back(modality.defined() ? modality.detach() : modality);
    capture->sequence_length = sequence_length;
  }
  const auto xc = x.to(dtype);
  MoEOutput out;
  out.y = dispatch_assignments(xc, routing.token, routing.expert, routing.weight, w_in.to(dtype),
                               w_out.to(dtype), options.zero_experts(), options.copy_experts(),
                               constants, options.expert_kernel());
  if (shared_in.defined()) {
    auto shared = expert_ffn(xc, shared_in.to(dtype), shared_out.to(dtype), {x.size(0)},
                             options.expert_kernel());
    if (shared_gate.defined()) shared = shared * torch::sigmoid(torch::mv(xc, shared_gate.to(dtype))).unsqueeze(1);
    out.y = out.y + shared;
  }
  out.aux_loss = routing.aux_loss;
  out.z_loss = routing.z_loss;
  out.extra_loss = router->config.seq_aux_coef * routing.seq_aux_loss;
  return out;
}

void MoELayerImpl::set_logit_map(const std::vector<int64_t>& map) {
  for (const auto e : map) {
    TORCH_CHECK(e >= 0 && e < options.routed_experts(), "logit_to_expert points at expert ", e,
                " of a layer of ", options.routed_experts());
  }
  options.logit_to_expert(map);
  logit_map = map.empty() ? torch::Tensor()
                          : torch::tensor(map, torch::kInt64).to(w_in.defined() ? w_in.device() : torch::Device(torch::kCPU));
}

torch::Tensor MoELayerImpl::allowed_experts(const torch::Tensor& modality) const {
  const auto& groups = options.expert_modality();
  if (groups.empty()) return {};
  TORCH_CHECK(modality.defined(), "an MoE layer with modality groups needs each token's modality");
  auto of_expert = torch::tensor(groups, torch::kInt64).to(modality.device()).unsqueeze(0);  // [1, E]
  return (of_expert == modality.reshape({-1, 1})) | (of_expert < 0);
}

torch::Tensor MoELayerImpl::allowed_logits(const torch::Tensor& modality) {
  auto allowed = allowed_experts(modality);
  if (!allowed.defined() || !logit_map.defined()) return allowed;
  if (logit_map.device() != allowed.device()) logit_map = logit_map.to(allowed.device());
  return allowed.index_select(1, logit_map);
}

Routing MoELayerImpl::route(const torch::Tensor& x, const torch::Tensor& token_ids,
                            int64_t sequence_length, const torch::Tensor& modality) {
  auto r = router->forward(x, token_ids, sequence_length, allowed_logits(modality));
  if (!logit_map.defined()) return r;
  // MC-SMoE's merged router: each logit keeps its learned preference and points at its
  // group's expert; a token that picked two logits of one expert visits it once, with the
  // gates summed (the same output as visiting it twice, at half the compute).
  const int64_t E = options.routed_experts();
  if (logit_map.device() != r.expert.device()) logit_map = logit_map.to(r.expert.device());
  const auto& map = logit_map;
  auto key = r.token * E + map.index_select(0, r.expert);
  auto [unique_keys, inverse, counts] = torch::_unique2(key, /*sorted=*/true, /*return_inverse=*/true);
  (void)counts;
  r.weight = torch::zeros({unique_keys.size(0)}, r.weight.options()).index_add(0, inverse, r.weight);
  r.token = unique_keys.div(E, "floor");
  r.expert = unique_keys.remainder(E);
  const auto per_expert = [&](const torch::Tensor& t, int64_t dim) {
    auto shape = t.sizes().vec();
    shape[size_t(dim)] = E;
    return torch::zeros(shape, t.options()).index_add(dim, map.to(t.device()), t);
  };
  r.probs = per_expert(r.probs, 1);
  r.selected_counts = per_expert(r.selected_counts, 0);
  r.counts = expert_counts(r.expert, E);
  return r;
}

torch::Tensor MoELayerImpl::expert_bias() const {
  const auto& bias = router->balance_bias;
  if (!logit_map.defined()) return bias;
  // A merged expert's selection bias: the mean over its logits.
  const int64_t E = options.routed_experts();
  const auto map = logit_map.to(bias.device());
  const auto members = torch::zeros({E}, bias.options()).index_add(0, map, torch::ones_like(bias));
  return torch::zeros({E}, bias.options()).index_add(0, map, bias) / members.clamp_min(1.0);
}

torch::Tensor MoELayerImpl::expert_outputs(const torch::Tensor& x) {
  const int64_t E = options.experts(), T = x.size(0);
  auto y = expert_ffn(x.repeat({E, 1}), w_in.to(x.scalar_type()), w_out.to(x.scalar_type()),
                      std::vector<int64_t>(static_cast<size_t>(E), T));
  return y.view({E, T, x.size(1)});
}

void MoELayerImpl::reinit_experts(const std::vector<int64_t>& to, int64_t from, double noise) {
  torch::NoGradGuard no_grad;
  const int64_t E = options.experts();
  TORCH_CHECK(!logit_map.defined(), "re-initialising experts of a merged layer (several router logits per "
              "expert) is not supported: re-initialise before merging");
  TORCH_CHECK(from >= 0 && from < E, "reinit_experts: donor ", from, " is not an FFN expert");
  const auto perturbed = [noise](const torch::Tensor& t) {
    return t + noise * t.std().clamp_min(1e-8) * torch::randn_like(t);
  };
  for (const int64_t e : to) {
    TORCH_CHECK(e >= 0 && e < E && e != from, "reinit_experts: ", e, " is not another FFN expert");
    w_in[e].copy_(perturbed(w_in[from]));
    w_out[e].copy_(perturbed(w_out[from]));
    router->weight[e].copy_(perturbed(router->weight[from]));
    if (router->logit_bias.defined()) router->logit_bias[e].copy_(router->logit_bias[from]);
    router->balance_bias[e].copy_(router->balance_bias[from]);
  }
}

}  // namespace moescope
