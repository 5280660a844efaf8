#include "inspect/routing_stats.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace moescope {
namespace {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

std::vector<float> to_vector(const torch::Tensor& t) {
  auto flat = t.to(torch::kCPU, torch::kFloat32).contiguous();
  return std::vector<float>(flat.data_ptr<float>(), flat.data_ptr<float>() + flat.numel());
}

}  // namespace

float extreme_share(const float* load, int64_t experts, double share, bool top) {
  if (experts <= 0) return 0.0f;
  std::vector<float> sorted(load, load + experts);
  if (top) std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  else std::sort(sorted.begin(), sorted.end());
  const auto n = std::max<int64_t>(1, std::llround(share * double(experts)));
  float sum = 0.0f;
  for (int64_t i = 0; i < n; ++i) sum += sorted[size_t(i)];
  return sum;
}

double specialisation(const std::vector<double>& counts, int64_t rows, int64_t cols) {
  std::vector<double> row(size_t(rows), 0.0), col(size_t(cols), 0.0);
  double total = 0.0;
  for (int64_t m = 0; m < rows; ++m)
    for (int64_t e = 0; e < cols; ++e) {
      const double n = counts[size_t(m * cols + e)];
      row[size_t(m)] += n;
      col[size_t(e)] += n;
      total += n;
    }
  if (std::count_if(row.begin(), row.end(), [](double n) { return n > 0.0; }) < 2) return std::nan("");
  double mutual = 0.0, entropy = 0.0;
  for (int64_t m = 0; m < rows; ++m) {
    const double pm = row[size_t(m)] / total;
    if (pm > 0.0) entropy -= pm * std::log(pm);
    for (int64_t e = 0; e < cols; ++e) {
      const double p = counts[size_t(m * cols + e)] / total;
      if (p > 0.0) mutual += p * std::log(p / (pm * col[size_t(e)] / total));
    }
  }
  return std::clamp(mutual / entropy, 0.0, 1.0);
}

namespace {

// One layer's [rows][E] counts (of a [domains][E] block, summed into modalities when
// `modality_of` is given) as shares per row, NaN from `used` on, plus its specialisation.
float add_shares(const float* domain_counts, int64_t domains, int64_t E, int64_t used,
                 const std::vector<int64_t>* modality_of, int64_t rows, std::vector<float>& out) {
  std::vector<double> counts(size_t(rows * used), 0.0);
  for (int64_t d = 0; d < domains; ++d) {
    const int64_t r = modality_of ? (*modality_of)[size_t(d)] : d;
    for (int64_t e = 0; e < used; ++e) counts[size_t(r * used + e)] += domain_counts[d * E + e];
  }
  for (int64_t r = 0; r < rows; ++r) {
    double total = 0.0;
    for (int64_t e = 0; e < used; ++e) total += counts[size_t(r * used + e)];
    for (int64_t e = 0; e < E; ++e) {
      out.push_back(e >= used ? kNaNf : total > 0.0 ? float(counts[size_t(r * used + e)] / total) : 0.0f);
    }
  }
  return float(specialisation(counts, rows, used));
}

}  // namespace

RoutingSnapshot make_routing_snapshot(const std::vector<MoELayer>& layers, int64_t step,
                                      const TokenDomains& domains) {
  torch::NoGradGuard no_grad;
  constexpr int64_t G = RoutingSnapshot::kGateBins, K = RoutingSnapshot::kKBins;
  RoutingSnapshot snap;
  snap.step = step;
  snap.layers = static_cast<int64_t>(layers.size());
  std::vector<int64_t> counts;  // routed experts per layer (pruned layers have fewer)
  for (const auto& layer : layers) counts.push_back(layer->options.routed_experts());
  snap.experts = counts.empty() ? 0 : *std::max_element(counts.begin(), counts.end());
  const int64_t L = snap.layers, E = snap.experts;
  if (L == 0) return snap;
  if (std::any_of(counts.begin(), counts.end(), [E](int64_t n) { return n != E; })) snap.layer_experts = counts;
  // Per layer, one flat row: counts, importance, bias [E each; a narrower layer's padded
  // with NaN], entropy, dropped, mean_k, margin, gate_hist, top1_hist [G each], k_hist [K];
  // one copy to the host for all layers.
  // Per-domain statistics when every layer counted the run's domains.
  const bool tagged = domains.size() > 0 && domains.valid() &&
                      std::all_of(layers.begin(), layers.end(), [&](const MoELayer& layer) {
                        const auto& c = layer->last_routing.domain_counts;
                        return c.defined() && c.size(0) == domains.size();
                      });
  std::vector<torch::Tensor> rows;
  for (const auto& layer : layers) {
    const auto& r = layer->last_routing;
    TORCH_CHECK(r.counts.defined(), "routing snapshot asked before a recorded forward");
    const int64_t pad = E - layer->options.routed_experts();
    const auto f = [](const torch::Tensor& t) { return t.reshape(-1).to(torch::kFloat32); };
    const auto padded = [&](const torch::Tensor& t) { return torch::constant_pad_nd(f(t), {0, pad}, kNaNf); };
    std::vector<torch::Tensor> parts{padded(r.counts), padded(r.importance), padded(r.bias), f(r.entropy),
                                     f(r.dropped), f(r.mean_k), f(r.margin), f(r.gate_hist), f(r.top1_hist),
                                     f(r.k_hist)};
    if (tagged) parts.push_back(torch::constant_pad_nd(r.domain_counts.to(torch::kFloat32), {0, pad}, 0.0f).reshape(-1));
    rows.push_back(torch::cat(parts));
  }
  const auto all = to_vector(torch::stack(rows));
  const int64_t D = tagged ? domains.size() : 0, M = tagged ? int64_t(domains.modalities.size()) : 0;
  const int64_t width = 3 * E + 4 + 2 * G + K + D * E;
  snap.load.resize(size_t(L * E));
  snap.importance.resize(size_t(L * E));
  snap.bias.resize(size_t(L * E));
  snap.gate_hist.resize(size_t(L * G));
  snap.top1_hist.resize(size_t(L * G));
  snap.k_hist.resize(size_t(L * K));
  for (int64_t l = 0; l < L; ++l) {
    const float* row = all.data() + l * width;
    const int64_t used = counts[size_t(l)];
    float total = 0.0f;
    for (int64_t e = 0; e < used; ++e) total += row[e];
    for (int64_t e = 0; e < E; ++e) {
      snap.load[size_t(l * E + e)] = e >= used ? kNaNf : total > 0.0f ? row[e] / total : 0.0f;
      snap.importance[size_t(l * E + e)] = row[E + e];
      snap.bias[size_t(l * E + e)] = row[2 * E + e];
    }
    const float* tail = row + 3 * E;
    snap.entropy.push_back(tail[0]);
    snap.dropped.push_back(tail[1]);
    snap.mean_k.push_back(tail[2]);
    snap.margin.push_back(tail[3]);
    std::copy(tail + 4, tail + 4 + G, snap.gate_hist.begin() + l * G);
    std::copy(tail + 4 + G, tail + 4 + 2 * G, snap.top1_hist.begin() + l * G);
    std::copy(tail + 4 + 2 * G, tail + 4 + 2 * G + K, snap.k_hist.begin() + l * K);
    snap.top20_share.push_back(extreme_share(snap.load.data() + l * E, used, 0.2, true));
    snap.bottom20_share.push_back(extreme_share(snap.load.data() + l * E, used, 0.2, false));
    if (tagged) {
      const float* counts = tail + 4 + 2 * G + K;
      snap.domain_specialisation.push_back(add_shares(counts, D, E, used, nullptr, D, snap.domain_load));
      snap.modality_specialisation.push_back(
          add_shares(counts, D, E, used, &domains.modality_of, M, snap.modality_load));
    }
  }
  snap.domains = D;
  snap.modalities = M;
  snap.similarity.assign(size_t(L), kNaNf);
  snap.stability.assign(size_t(L), kNaNf);
  return snap;
}

TrajectorySnapshot make_trajectory(const std::vector<MoELayer>& layers, int64_t step,
                                   int64_t slots) {
  torch::NoGradGuard no_grad;
  TrajectorySnapshot t;
  t.step = step;
  t.layers = static_cast<int64_t>(layers.size());
  if (layers.empty()) return t;
  const auto& first = layers.front()->last_probe;
  TORCH_CHECK(first.experts.defined(), "trajectory asked before a probe forward");
  t.tokens = first.experts.size(0);
  t.slots = slots;
  for (const auto& layer : layers) t.slots = std::max(t.slots, layer->last_probe.experts.size(1));
  std::vector<torch::Tensor> experts, weights;
  for (const auto& layer : layers) {
    const auto& p = layer->last_probe;
    const int64_t pad = t.slots - p.experts.size(1);
    experts.push_back(torch::constant_pad_nd(p.experts, {0, pad}, -1));
    weights.push_back(torch::constant_pad_nd(p.weights, {0, pad}, 0.0));
  }
  auto e = torch::stack(experts).to(torch::kCPU, torch::kInt32).contiguous();
  t.experts.assign(e.data_ptr<int32_t>(), e.data_ptr<int32_t>() + e.numel());
  t.weights = to_vector(torch::stack(weights));
  return t;
}

std::vector<float> routing_change(const TrajectorySnapshot& before, const TrajectorySnapshot& now) {
  std::vector<float> change(size_t(now.layers), kNaNf);
  if (before.layers != now.layers || before.tokens != now.tokens || now.tokens == 0 ||
      before.experts.size() != size_t(before.layers * before.tokens * before.slots)) {
    return change;
  }
  for (int64_t l = 0; l < now.layers; ++l) {
    int64_t changed = 0;
    for (int64_t i = 0; i < now.tokens; ++i) {
      changed += before.expert_at(l, i, 0) != now.expert_at(l, i, 0);
    }
    change[size_t(l)] = float(changed) / float(now.tokens);
  }
  return change;
}

std::vector<float> expert_similarity(std::vector<MoELayer> layers) {
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> per_layer;
  for (auto& layer : layers) {
    const auto& input = layer->last_probe.input;
    if (!input.defined() || layer->options.experts() < 2) {
      per_layer.push_back(torch::full({}, kNaNf, torch::kFloat32));
      continue;
    }
    auto y = layer->expert_outputs(input).flatten(1).to(torch::kFloat32);  // [E, T*d]
    y = y / y.norm(2, 1, /*keepdim=*/true).clamp_min(1e-12);
    auto cosine = y.mm(y.t());
    cosine.fill_diagonal_(-2.0);
    per_layer.push_back(cosine.max().cpu());
  }
  std::vector<float> out;
  for (const auto& v : per_layer) out.push_back(v.item<float>());
  return out;
}

}  // namespace moescope
