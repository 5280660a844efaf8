#include "model/router.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace moescope {

namespace F = torch::nn::functional;

torch::Tensor expert_counts(const torch::Tensor& indices, int64_t experts,
                            torch::ScalarType dtype) {
  // scatter_add rather than bincount, which first asks the GPU for the largest index (a host
  // sync in every layer). Float32 counts below 2^24 are exact whatever the order.
  const auto flat = indices.reshape(-1);
  return torch::zeros({experts}, flat.options().dtype(dtype))
      .scatter_add_(0, flat, torch::ones_like(flat, dtype));
}

torch::Tensor load_balancing_loss(const torch::Tensor& probs, const torch::Tensor& counts) {
  // f_e is a count (no gradient); the gradient flows through P_e, as in the Switch paper.
  auto f = counts.to(probs.scalar_type()) / counts.sum().clamp_min(1.0);
  return static_cast<double>(probs.size(1)) * (f * probs.mean(0)).sum();
}

torch::Tensor router_z_loss(const torch::Tensor& logits) {
  return torch::logsumexp(logits, /*dim=*/1).pow(2).mean();
}


torch::Tensor sinkhorn(const torch::Tensor& logits, int64_t iterations) {
  auto p = torch::softmax(logits, /*dim=*/1);
  for (int64_t i = 0; i < iterations; ++i) {
    p = p / p.sum(0, /*keepdim=*/true).clamp_min(1e-30);  // every expert gets equal mass
    p = p / p.sum(1, /*keepdim=*/true).clamp_min(1e-30);  // every token distributes 1
  }
  return p;
}

torch::Tensor capacity_keep_mask(const torch::Tensor& expert, const torch::Tensor& score,
                                 const torch::Tensor& token, const torch::Tensor& slot,
                                 int64_t experts, int64_t capacity, DropPolicy policy) {
  const int64_t A = expert.numel();
  // Priority order first, then a stable sort by expert keeps that order inside each expert.
  torch::Tensor order;
  if (policy == DropPolicy::Score) {
    order = torch::argsort(-score.to(torch::kFloat64), /*stable=*/true);
  } else {
    order = torch::argsort(token, /*stable=*/true);
    order = order.index_select(0, torch::argsort(slot.index_select(0, order), /*stable=*/true));
  }
  order = order.index_select(0, torch::argsort(expert.index_select(0, order), /*stable=*/true));
  auto sorted_expert = expert.index_select(0, order);
  auto counts = torch::bincount(expert, {}, experts);
  auto starts = counts.cumsum(0) - counts;
  auto rank = torch::arange(A, expert.options()) - starts.index_select(0, sorted_expert);
  return torch::zeros({A}, expert.options().dtype(torch::kBool))
      .index_put_({order}, rank < capacity);
}

namespace {

torch::Tensor gumbel_noise(const torch::Tensor& like) {
  auto u = torch::empty_like(like).uniform_(1e-10, 1.0);
  return -torch::log(-torch::log(u));
}

}  // namespace

RouterImpl::RouterImpl(int64_t d_model_, int64_t experts_, int64_t top_k_, RouterConfig config_,
                       int64_t vocab_, uint64_t seed_)
    : d_model(d_model_),
      experts(experts_),
      top_k(top_k_),
      vocab(vocab_),
      seed(seed_),
      config(std::move(config_)),
      runtime_(initial_runtime(config)) {
  TORCH_CHECK(top_k >= 1 && top_k <= experts, "top_k (", top_k,
              ") must be between 1 and the number of routed experts (", experts, ")");
  reset();
}

void RouterImpl::reset() {
  weight = register_parameter("weight", torch::randn({experts, d_model}) * config.init_std);
  logit_bias = torch::Tensor();
  if (config.bias) {
    auto bias = torch::zeros({experts});
    bias.narrow(0, 0, top_k).fill_(config.init_skew);
    logit_bias = register_parameter("logit_bias", bias);
  }
  balance_bias = register_buffer("balance_bias", torch::zeros({experts}));
  // Hash routing (THOR, Hash Layers): every vocabulary entry gets k distinct experts, drawn
  // once from a seeded generator so the map is the same in every run and every process.
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL ^ seed);
  auto table = torch::empty({vocab, top_k}, torch::kInt64);
  auto* t = table.data_ptr<int64_t>();
  std::vector<int64_t> ids(static_cast<size_t>(experts));
  for (int64_t v = 0; v < vocab; ++v) {
    std::iota(ids.begin(), ids.end(), 0);
    std::shuffle(ids.begin(), ids.end(), rng);
    for (int64_t j = 0; j < top_k; ++j) t[v * top_k + j] = ids[static_cast<size_t>(j)];
  }
  hash_table = register_buffer("hash_table", table);
  last_selected_counts = torch::Tensor();
}

void RouterImpl::set_runtime(const RouterRuntime& r) {
  TORCH_CHECK(r.temperature > 0.0 && r.temperature <= 100.0,
              "router temperature must be in (0, 100], got ", r.temperature);
  TORCH_CHECK(r.capacity_factor >= 0.0 && r.capacity_factor <= 64.0,
              "capacity factor must be in [0, 64], got ", r.capacity_factor);
  TORCH_CHECK(r.bias_rate >= 0.0 && r.bias_rate <= 1.0, "bias rate must be in [0, 1], got ",
              r.bias_rate);
  TORCH_CHECK(r.skip_beta >= 0.0 && r.skip_beta <= 1.0, "skip beta must be in [0, 1], got ",
              r.skip_beta);
  runtime_ = r;
}

void RouterImpl::set_progress(int64_t step, int64_t total_steps) {
  step_ = step;
  total_steps_ = std::max<int64_t>(total_steps, 1);
}

namespace {
double d2s_progress(const RouterConfig& c, int64_t step, int64_t total) {
  const int64_t span = c.d2s_steps > 0 ? c.d2s_steps : std::max<int64_t>(total / 4, 1);
  return std::min(1.0, double(step) / double(span));
}
}  // namespace

double RouterImpl::effective_temperature() const {
  if (config.kind != RouterKind::DenseToSparse) return runtime_.temperature;
  // Geometric annealing from the start temperature to the configured one (EvoMoE).
  const double p = d2s_progress(config, step_, total_steps_);
  return std::pow(config.d2s_start_temperature, 1.0 - p) * std::pow(runtime_.temperature, p);
}

int64_t RouterImpl::effective_top_k() const {
  if (config.kind != RouterKind::DenseToSparse) return top_k;
  const double p = d2s_progress(config, step_, total_steps_);
  return std::clamp<int64_t>(std::llround(double(experts) - double(experts - top_k) * p), top_k,
                             experts);
}

void RouterImpl::update_balance_bias() {
  if (!runtime_.bias_balancing || !last_selected_counts.defined()) return;
  torch::NoGradGuard no_grad;
  // DeepSeek-V3: b_e += rate * sign(mean load - load_e); only the selection sees b.
  auto error = last_selected_counts.mean() - last_selected_counts;
  balance_bias.add_(runtime_.bias_rate * error.sign().to(balance_bias.dtype()));
}

Routing RouterImpl::forward(const torch::Tensor& x, const torch::Tensor& token_ids,
                            int64_t sequence_length, const torch::Tensor& allowed) {
  TORCH_CHECK(x.dim() == 2 && x.size(1) == weight.size(1), "router expects [tokens, ",
              weight.size(1), "], got ", x.sizes());
  const int64_t T = x.size(0), E = experts;
  const auto& kind = config.kind;
  auto xr = x;
  if (is_training() && config.jitter > 0.0) {
    xr = x * torch::empty_like(x).uniform_(1.0 - config.jitter, 1.0 + config.jitter);
  }
  auto raw = F::linear(xr, weight.to(x.scalar_type()));
  if (logit_bias.defined()) raw = raw + logit_bias.to(raw.scalar_type());

  Routing r;
  // Route in at least float32 (bf16 logits lose the ordering of close experts).
  const auto dtype = x.scalar_type() == torch::kDouble ? torch::kDouble : torch::kFloat32;
  r.logits = raw.to(dtype) / effective_temperature();
  const bool masked = allowed.defined();
  if (masked) {
    TORCH_CHECK(allowed.dim() == 2 && allowed.size(0) == T && allowed.size(1) == E,
                "router: allowed experts must be [", T, ", ", E, "], got ", allowed.sizes());
    TORCH_CHECK(kind != RouterKind::Hash, "hash routing does not route within expert groups");
    TORCH_CHECK(config.groups <= 1, "group-limited routing does not combine with modality groups");
    r.logits = r.logits.masked_fill(~allowed, -std::numeric_limits<double>::infinity());
  }
  const bool sigmoid = config.score == ScoreFunction::Sigmoid;
  torch::Tensor scores;  // the values gates are taken from
  if (sigmoid) {
    scores = torch::sigmoid(r.logits);
    r.probs = scores / scores.sum(1, /*keepdim=*/true);
  } else {
    scores = torch::softmax(r.logits, /*dim=*/1);
    r.probs = scores;
  }
  const auto zero = torch::zeros({}, r.logits.options());
  r.z_loss = router_z_loss(r.logits);
  r.seq_aux_loss = zero;
  r.dropped = zero;

  if (kind == RouterKind::Hash) {
    TORCH_CHECK(token_ids.defined() && token_ids.numel() == T,
                "hash routing needs the id of every token");
    auto idx = hash_table.to(x.device()).index_select(0, token_ids.reshape(-1).remainder(
                                                             hash_table.size(0)));
    r.token = torch::arange(T, idx.options()).repeat_interleave(top_k);
    r.expert = idx.reshape(-1);
    r.weight = torch::full({T * top_k}, 1.0 / double(top_k), r.logits.options());
    r.counts = r.selected_counts = expert_counts(r.expert, E);
    // The router's scores play no part: report the dispatch itself as the distribution.
    r.probs = torch::zeros({T, E}, r.logits.options()).index_put_({r.token, r.expert}, r.weight);
    r.aux_loss = zero;
    r.z_loss = zero;
    r.slots = top_k;
    return r;
  }

  if (kind == RouterKind::ExpertChoice) {
    // Each expert takes its C best tokens (Zhou et al. 2022); a token may get 0..E experts.
    const double cf = runtime_.capacity_factor > 0.0 ? runtime_.capacity_factor : 1.0;
    const int64_t C = std::clamp<int64_t>(
        static_cast<int64_t>(std::ceil(cf * double(T * top_k) / double(E))), 1, T);
    if (masked) {
      // Within groups: expert e takes cf * T * k * T_e / sum(T_e) tokens, T_e the tokens
      // allowed to it (MoMa: each group's experts share its modality's tokens, k per token).
      auto allowed_tokens = allowed.sum(0).to(torch::kDouble);  // [E]
      auto capacity = (allowed_tokens * (cf * double(T * top_k)) / allowed_tokens.sum().clamp_min(1.0))
                          .ceil().clamp(1.0, double(T)).minimum(allowed_tokens).to(torch::kInt64);
      const int64_t widest = std::max<int64_t>(capacity.max().item<int64_t>(), 1);
      auto masked_scores = scores.detach().masked_fill(~allowed, -1.0).t();  // [E, T]
      auto idx = std::get<1>(masked_scores.topk(widest, /*dim=*/1));        // [E, widest]
      auto keep = torch::arange(widest, idx.options()).unsqueeze(0) < capacity.unsqueeze(1);
      r.token = idx.masked_select(keep);
      r.expert = torch::arange(E, idx.options()).unsqueeze(1).expand({E, widest}).masked_select(keep);
    } else {
      auto idx = std::get<1>(scores.detach().t().topk(C, /*dim=*/1));  // [E, C]
      r.token = idx.reshape(-1);
      r.expert = torch::arange(E, idx.options()).repeat_interleave(C);
    }
    r.weight = scores.index({r.token, r.expert});
    r.counts = r.selected_counts = expert_counts(r.expert, E);
    auto per_token = torch::bincount(r.token, {}, T);
    r.dropped = (per_token == 0).sum().to(dtype) / double(T);
    r.aux_loss = zero;  // balanced by construction
    r.slots = max_slots(kind, top_k, E, config.max_k);
    return r;
  }

  // Token choice: top_k, switch, dense_to_sparse, top_p.
  torch::Tensor selection;
  {
    torch::NoGradGuard no_grad;
    const bool noisy = is_training() && config.gumbel > 0.0;
    if (noisy || config.sinkhorn) {
      auto sel_logits = r.logits.detach();
      if (noisy) sel_logits = sel_logits + config.gumbel * gumbel_noise(sel_logits);
      if (config.sinkhorn) selection = sinkhorn(sel_logits, config.sinkhorn_iters);
      else selection = sigmoid ? torch::sigmoid(sel_logits) : torch::softmax(sel_logits, 1);
    } else {
      selection = scores.detach();  // the gates' own scores: no second softmax
    }
    if (runtime_.bias_balancing) selection = selection + balance_bias.to(selection.options());
    if (masked) selection = selection.masked_fill(~allowed, -std::numeric_limits<double>::infinity());
    if (config.groups > 1 && config.group_top_k > 0 && config.group_top_k < config.groups) {
      // Group-limited routing (DeepSeek-V3, Pangu MoGE): rank groups by the sum of their two
      // best scores and keep the best group_top_k groups eligible.
      const int64_t G = config.groups, n = E / G;
      auto grouped = selection.view({T, G, n});
      auto group_score = std::get<0>(grouped.topk(std::min<int64_t>(2, n), 2)).sum(2);
      auto best_groups = std::get<1>(group_score.topk(config.group_top_k, 1));
      auto eligible = torch::zeros({T, G}, selection.options().dtype(torch::kBool))
                          .scatter_(1, best_groups, true);
      selection = selection.masked_fill(
          ~eligible.unsqueeze(2).expand({T, G, n}).reshape({T, E}),
          -std::numeric_limits<double>::infinity());
    }
  }
  const int64_t k = kind == RouterKind::DenseToSparse ? effective_top_k()
                                                     : max_slots(kind, top_k, E, config.max_k);
  auto [top_values, top_indices] = selection.topk(std::min(k + 1, E), /*dim=*/1);
  auto idx = top_indices.narrow(1, 0, k);
  r.top_scores = top_values;

  auto gates = scores.gather(1, idx);  // [T, k]
  auto token = torch::arange(T, idx.options()).unsqueeze(1).expand({T, k});
  auto slot = torch::arange(k, idx.options()).unsqueeze(0).expand({T, k});
  torch::Tensor keep;  // [T, k], top_p only
  if (kind == RouterKind::TopP) {
    // The smallest prefix of the ranked experts whose probability reaches p.
    auto p = r.probs.detach().gather(1, idx);
    keep = (p.cumsum(1) - p) < config.top_p;
    gates = gates * keep.to(gates.dtype());
  }
  const bool normalize = kind != RouterKind::Switch && config.normalize_gates;
  if (normalize) gates = gates / gates.sum(1, /*keepdim=*/true).clamp_min(1e-20);
  if (keep.defined()) {
    r.token = token.masked_select(keep);
    r.expert = idx.masked_select(keep);
    r.weight = gates.masked_select(keep);
    slot = slot.masked_select(keep);
  } else {
    r.token = token.reshape(-1);
    r.expert = idx.reshape(-1);
    r.weight = gates.reshape(-1);
    slot = slot.reshape(-1);
  }
  r.slots = k;

  // Balance losses on the selection the router made (before capacity drops), against the
  // same single softmax (or normalised sigmoid) the gates come from.
  r.selected_counts = expert_counts(r.expert, E);
  r.aux_loss = load_balancing_loss(r.probs, r.selected_counts);
  if (config.seq_aux_coef > 0.0 && sequence_length > 0 && T % sequence_length == 0) {
    const int64_t S = sequence_length, B = T / S;
    auto chosen = torch::zeros({T, E}, r.probs.options())
                      .index_put_({r.token, r.expert}, torch::ones_like(r.weight.detach()));
    const double per_token = double(r.expert.numel()) / double(T);
    auto f = chosen.view({B, S, E}).sum(1) * (double(E) / (per_token * double(S)));
    r.seq_aux_loss = (f * r.probs.view({B, S, E}).mean(1)).sum(1).mean();
  }
  if (is_training() && runtime_.bias_balancing) last_selected_counts = r.selected_counts.detach();

  if (runtime_.capacity_factor > 0.0) {
    const int64_t capacity = std::max<int64_t>(
        1, static_cast<int64_t>(std::ceil(runtime_.capacity_factor * double(T * top_k) / double(E))));
    auto kept = capacity_keep_mask(r.expert, r.weight.detach(), r.token, slot, E, capacity,
                                   config.drop_policy);
    const auto selected = r.expert.numel();
    r.token = r.token.masked_select(kept);
    r.expert = r.expert.masked_select(kept);
    r.weight = r.weight.masked_select(kept);
    r.dropped = torch::full({}, double(selected - r.expert.numel()) / double(std::max<int64_t>(selected, 1)),
                            r.logits.options());
  }
  r.counts = runtime_.capacity_factor > 0.0 ? expert_counts(r.expert, E) : r.selected_counts;
  if (!is_training() && runtime_.skip_beta > 0.0 && r.token.numel() > 0) {
    // NAEE's dynamic skipping: each token's selected experts below beta x its top gate go.
    const auto w = r.weight.detach().to(torch::kFloat32);
    const auto top = torch::zeros({T}, w.options()).scatter_reduce(0, r.token, w, "amax", /*include_self=*/false);
    const auto kept = w >= top.index_select(0, r.token) * runtime_.skip_beta;
    const auto dispatched = r.expert.numel();
    r.token = r.token.masked_select(kept);
    r.expert = r.expert.masked_select(kept);
    r.weight = r.weight.masked_select(kept);
    r.skipped = torch::full({}, double(dispatched - r.expert.numel()) / double(dispatched), r.logits.options());
    r.counts = expert_counts(r.expert, E);
  }
  return r;
}

}  // namespace moescope
