#include "surgery/prune.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "base/error.h"
#include "model/clone.h"
#include "surgery/moments.h"

namespace moescope {

PruneMethod parse_prune_method(const std::string& name) {
  if (name == "frequency") return PruneMethod::frequency;
  if (name == "reap") return PruneMethod::reap;
  if (name == "subset") return PruneMethod::subset;
  throw std::invalid_argument("pruning method must be frequency, reap or subset, got \"" + name + "\"");
}

const char* prune_method_name(PruneMethod method) {
  switch (method) {
    case PruneMethod::reap: return "reap";
    case PruneMethod::subset: return "subset";
    case PruneMethod::frequency: break;
  }
  return "frequency";
}

torch::Tensor prune_scores(const LayerCalibration& cache, PruneMethod method) {
  TORCH_CHECK(method != PruneMethod::subset, "prune_scores: the subset search scores subsets, not experts");
  const int64_t E = cache.ffn_experts();
  const auto counts = cache.counts.narrow(0, 0, E).to(torch::kFloat64);
  if (method == PruneMethod::frequency) return counts;
  // REAP: the mean over the expert's tokens; an expert no token chose scores 0.
  return cache.gated_norm.to(torch::kFloat64) / counts.clamp_min(1.0);
}

double importance_gini(const LayerCalibration& cache) {
  const auto x = prune_scores(cache, PruneMethod::reap);
  const int64_t n = x.numel();
  const double mean = x.mean().item<double>();
  if (n < 2 || mean <= 0.0) return 0.0;
  // G = Σ_i Σ_j |x_i − x_j| / (2 n² mean)
  return (x.unsqueeze(0) - x.unsqueeze(1)).abs().sum().item<double>() / (2.0 * double(n * n) * mean);
}

std::vector<int64_t> distribute_keep(const std::vector<MoELayer>& layers,
                                     const std::vector<LayerCalibration>& caches,
                                     PruneMethod method, int64_t total) {
  if (method == PruneMethod::subset) throw Error("a global target needs a per-expert score: use frequency or reap");
  TORCH_CHECK(layers.size() == caches.size(), "distribute_keep: one cache per layer");
  struct Candidate {
    double share;
    size_t layer;
  };
  std::vector<Candidate> rest;
  std::vector<int64_t> keep;
  int64_t least = 0, most = 0;
  for (size_t l = 0; l < layers.size(); ++l) {
    const auto& o = layers[l]->options;
    const int64_t minimum = fewest_kept_experts(*layers[l]);
    auto scores = prune_scores(caches[l], method);
    scores = (scores / scores.sum().clamp_min(1e-30)).contiguous();
    std::vector<double> shares(scores.data_ptr<double>(), scores.data_ptr<double>() + scores.numel());
    std::sort(shares.begin(), shares.end(), std::greater<double>());
    for (size_t i = size_t(minimum); i < shares.size(); ++i) rest.push_back({shares[i], l});
    keep.push_back(minimum);
    least += minimum;
    most += o.experts();
  }
  if (total < least || total > most) {
    throw Error("cannot keep " + std::to_string(total) + " experts in all: these layers keep between " +
                std::to_string(least) + " and " + std::to_string(most));
  }
  std::stable_sort(rest.begin(), rest.end(), [](const Candidate& a, const Candidate& b) { return a.share > b.share; });
  for (int64_t i = 0; i < total - least; ++i) ++keep[rest[size_t(i)].layer];
  return keep;
}

std::string modality_group_refusal(const std::vector<int64_t>& before, const std::vector<int64_t>& after,
                                   int64_t top_k, bool logits_left) {
  const auto count = [](const std::vector<int64_t>& modality, int64_t g) {
    return int64_t(std::count(modality.begin(), modality.end(), g));
  };
  static const char* const kName[] = {"cross-modal", "image", "text"};
  for (int64_t g = -1; g <= 1; ++g) {
    if (count(before, g) > 0 && count(after, g) == 0) {
      return std::string("surgery stays within the modality groups: the ") + kName[g + 1] +
             " group must keep at least one expert";
    }
  }
  if (logits_left) return {};
  for (int64_t m = 0; m <= 1; ++m) {
    const int64_t reach = count(after, m) + count(after, -1);
    if (count(before, m) > 0 && reach < top_k) {
      return std::string("the ") + kName[m + 1] + " tokens would reach " + std::to_string(reach) +
             " experts, fewer than top-" + std::to_string(top_k) + " routing needs";
    }
  }
  return {};
}

int64_t fewest_kept_experts(const MoELayerImpl& layer) {
  const auto& o = layer.options;
  const int64_t k = o.top_k();
  const auto& groups = o.expert_modality();
  if (groups.empty()) return std::max<int64_t>(1, k - (o.routed_experts() - o.experts()));
  // s cross-modal experts kept (at least one when the layer has that group), each modality
  // group max(1, k - s) of its own.
  const int64_t cross = std::count(groups.begin(), groups.end(), -1);
  int64_t fewest = std::numeric_limits<int64_t>::max();
  for (int64_t s = cross > 0 ? 1 : 0; s <= cross; ++s) {
    int64_t total = s;
    for (int64_t m = 0; m <= 1; ++m)
      if (std::count(groups.begin(), groups.end(), m) > 0) total += std::max<int64_t>(1, k - s);
    fewest = std::min(fewest, total);
  }
  return fewest;
}

std::string prune_refusal(const MoELayerImpl& layer, int64_t keep) {
  const auto& o = layer.options;
  const int64_t extra = o.routed_experts() - o.experts();
  if (layer.router->config.kind == RouterKind::Hash) {
    return "hash routing maps tokens to fixed experts: pruning would send tokens to removed "
           "experts (prune a model with a learned router)";
  }
  if (keep > o.experts()) {
    return "cannot keep " + std::to_string(keep) + " experts of a layer that has " +
           std::to_string(o.experts());
  }
  if (!o.expert_modality().empty() && keep < fewest_kept_experts(layer)) {
    return "cannot keep " + std::to_string(keep) + " experts: pruning stays within the modality groups, each "
           "keeps one and each modality's tokens need top-" + std::to_string(o.top_k()) + ": at least " +
           std::to_string(fewest_kept_experts(layer));
  }
  if (keep < 1 || keep + extra < o.top_k()) {
    return "cannot keep " + std::to_string(keep) + " experts: top-" + std::to_string(o.top_k()) +
           " routing needs at least " + std::to_string(std::max<int64_t>(1, o.top_k() - extra));
  }
  if ((keep + extra) % layer.router->config.groups != 0) {
    return std::to_string(keep + extra) + " routed experts do not divide into the router's " +
           std::to_string(layer.router->config.groups) + " groups";
  }
  return {};
}

namespace {

// ‖h − ĥ‖² / ‖h‖² of `layer` keeping `keep` on the cached inputs.
double error_keeping(const MoELayer& layer, const LayerCalibration& cache, const std::vector<int64_t>& keep) {
  auto copy = clone_model(layer);
  keep_experts(*copy, keep);
  return reconstruction_error(*copy, cache);
}

// Why keeping `keep` (ascending FFN experts) breaks the layer's modality groups ("" when it
// does not, or the layer has none).
std::string group_refusal(const MoELayerImpl& layer, const std::vector<int64_t>& keep) {
  const auto& groups = layer.options.expert_modality();
  if (groups.empty()) return {};
  std::vector<int64_t> after;
  for (auto e : keep) after.push_back(groups[size_t(e)]);
  for (int64_t e = layer.options.experts(); e < layer.options.routed_experts(); ++e) after.push_back(groups[size_t(e)]);
  return modality_group_refusal(groups, after, layer.options.top_k());
}

// With modality groups: ranks the experts by their share of their group's score and removes
// the lowest while the groups allow it, until `keep` are left.
std::vector<int64_t> keep_within_groups(const MoELayerImpl& layer, const torch::Tensor& scores, int64_t keep) {
  const auto& groups = layer.options.expert_modality();
  const int64_t E = layer.options.experts();
  const auto s = scores.to(torch::kCPU, torch::kFloat64).contiguous();
  std::vector<double> share(static_cast<size_t>(E));
  for (int64_t e = 0; e < E; ++e) {
    double total = 0.0;
    for (int64_t f = 0; f < E; ++f)
      if (groups[size_t(f)] == groups[size_t(e)]) total += s.data_ptr<double>()[f];
    share[size_t(e)] = s.data_ptr<double>()[e] / std::max(total, 1e-30);
  }
  std::vector<int64_t> order(static_cast<size_t>(E));
  std::iota(order.begin(), order.end(), 0);
  // Lowest share first; ties remove the higher id, so a plan is reproducible.
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    return share[size_t(a)] < share[size_t(b)] || (share[size_t(a)] == share[size_t(b)] && a > b);
  });
  std::vector<int64_t> current(static_cast<size_t>(E));
  std::iota(current.begin(), current.end(), 0);
  for (auto e : order) {
    if (int64_t(current.size()) == keep) break;
    auto without = current;
    without.erase(std::find(without.begin(), without.end(), e));
    if (group_refusal(layer, without).empty()) current = std::move(without);
  }
  if (int64_t(current.size()) > keep) {
    throw Error("cannot keep " + std::to_string(keep) + " experts within the modality groups: removing the "
                "least used first leaves " + std::to_string(current.size()) + " (choose a larger target)");
  }
  return current;
}

double binomial(int64_t n, int64_t k) {
  double c = 1.0;
  for (int64_t i = 1; i <= k; ++i) c = c * double(n - k + i) / double(i);
  return c;
}

// NAEE's search: the kept set with the lowest reconstruction error.
std::vector<int64_t> best_subset(const MoELayer& layer, const LayerCalibration& cache, int64_t keep) {
  const int64_t E = layer->options.experts();
  std::vector<int64_t> best;
  double best_error = std::numeric_limits<double>::infinity();
  if (binomial(E, keep) <= double(kSubsetLimit)) {
    std::vector<bool> chosen(size_t(E), false);
    std::fill(chosen.begin(), chosen.begin() + keep, true);
    do {  // every subset of `keep` experts, in lexicographic order of the mask
      std::vector<int64_t> subset;
      for (int64_t e = 0; e < E; ++e)
        if (chosen[size_t(e)]) subset.push_back(e);
      if (!group_refusal(*layer, subset).empty()) continue;
      const double error = error_keeping(layer, cache, subset);
      if (error < best_error) {
        best_error = error;
        best = subset;
      }
    } while (std::prev_permutation(chosen.begin(), chosen.end()));
    return best;
  }
  std::vector<int64_t> current(static_cast<size_t>(E));
  std::iota(current.begin(), current.end(), 0);
  while (int64_t(current.size()) > keep) {
    size_t drop = current.size();
    best_error = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < current.size(); ++i) {
      auto without = current;
      without.erase(without.begin() + long(i));
      if (!group_refusal(*layer, without).empty()) continue;
      const double error = error_keeping(layer, cache, without);
      if (error < best_error) {
        best_error = error;
        drop = i;
      }
    }
    if (drop == current.size()) {
      throw Error("cannot keep " + std::to_string(keep) + " experts within the modality groups: the search "
                  "stops at " + std::to_string(current.size()) + " (choose a larger target)");
    }
    current.erase(current.begin() + long(drop));
  }
  return current;
}

}  // namespace

LayerPrunePlan plan_prune(const MoELayer& layer, const LayerCalibration& cache,
                          PruneMethod method, int64_t keep) {
  if (const auto why = prune_refusal(*layer, keep); !why.empty()) throw Error(why);
  const int64_t E = layer->options.experts();
  TORCH_CHECK(cache.ffn_experts() == E, "plan_prune: the cache holds ", cache.ffn_experts(),
              " experts, the layer ", E);
  LayerPrunePlan plan;
  if (method == PruneMethod::subset) {
    plan.keep = best_subset(layer, cache, keep);
  } else if (!layer->options.expert_modality().empty()) {
    plan.keep = keep_within_groups(*layer, prune_scores(cache, method), keep);
  } else {
    const auto scores = prune_scores(cache, method).contiguous();
    const double* s = scores.data_ptr<double>();
    std::vector<int64_t> order(static_cast<size_t>(E));
    std::iota(order.begin(), order.end(), 0);
    // Best first; ties keep the lower id, so a plan is reproducible.
    std::stable_sort(order.begin(), order.end(), [s](int64_t a, int64_t b) { return s[a] > s[b]; });
    plan.keep.assign(order.begin(), order.begin() + keep);
    std::sort(plan.keep.begin(), plan.keep.end());
  }
  for (int64_t e = 0; e < E; ++e) {
    if (!std::binary_search(plan.keep.begin(), plan.keep.end(), e)) plan.removed.push_back(e);
  }

  const auto counts = cache.counts.to(torch::kFloat64);
  const auto saliency = cache.gated_norm.to(torch::kFloat64);
  const double all = counts.sum().item<double>(), all_saliency = saliency.sum().item<double>();
  for (auto e : plan.removed) {
    plan.routed_share_removed += counts[e].item<double>() / std::max(all, 1.0);
    plan.saliency_removed += saliency[e].item<double>() / std::max(all_saliency, 1e-30);
  }
  // The predicted cost: the pruned copy on the cached inputs against the layer's output.
  plan.reconstruction_error = error_keeping(layer, cache, plan.keep);
  return plan;
}

namespace {

// Shrinks `param` to the rows `index` along dim 0, with its optimizer moments.
void keep_rows(torch::Tensor& param, const torch::Tensor& index, torch::optim::Optimizer* optimizer) {
  change_parameter(param, [&index](const torch::Tensor& t) { return t.index_select(0, index.to(t.device())); },
                   optimizer);
}

}  // namespace

void keep_experts(MoELayerImpl& layer, const std::vector<int64_t>& keep,
                  torch::optim::Optimizer* optimizer) {
  const int64_t E = layer.options.experts(), R = layer.options.routed_experts();
  if (const auto why = prune_refusal(layer, int64_t(keep.size())); !why.empty()) throw Error(why);
  for (size_t i = 0; i < keep.size(); ++i) {
    TORCH_CHECK(keep[i] >= 0 && keep[i] < E && (i == 0 || keep[i] > keep[i - 1]),
                "keep_experts: expert ids must be ascending FFN experts below ", E);
  }
  if (const auto why = group_refusal(layer, keep); !why.empty()) throw Error(why);
  const auto ffn = torch::tensor(keep, torch::kInt64);
  // Each routed expert's new id (-1: removed): the kept FFN experts, then every zero, copy
  // and constant expert. The router keeps the logits that point at a kept expert.
  std::vector<int64_t> rank(size_t(R), -1);
  for (size_t i = 0; i < keep.size(); ++i) rank[size_t(keep[i])] = int64_t(i);
  for (int64_t e = E; e < R; ++e) rank[size_t(e)] = int64_t(keep.size()) + (e - E);
  const auto& map = layer.options.logit_to_expert();
  std::vector<int64_t> columns, new_map;
  for (int64_t i = 0; i < layer.options.router_logits(); ++i) {
    const int64_t e = map.empty() ? i : map[size_t(i)];
    if (rank[size_t(e)] < 0) continue;
    columns.push_back(i);
    new_map.push_back(rank[size_t(e)]);
  }
  const auto column_index = torch::tensor(columns, torch::kInt64);
  keep_rows(layer.w_in, ffn, optimizer);
  keep_rows(layer.w_out, ffn, optimizer);
  auto& router = *layer.router;
  keep_rows(router.weight, column_index, optimizer);
  keep_rows(router.logit_bias, column_index, optimizer);
  keep_rows(router.balance_bias, column_index, nullptr);
  router.last_selected_counts = torch::Tensor();
  router.experts = int64_t(columns.size());
  if (const auto& groups = layer.options.expert_modality(); !groups.empty()) {
    std::vector<int64_t> kept(keep.size() + size_t(R - E));
    for (int64_t e = 0; e < R; ++e)
      if (rank[size_t(e)] >= 0) kept[size_t(rank[size_t(e)])] = groups[size_t(e)];
    layer.options.expert_modality(kept);
  }
  layer.options.experts(int64_t(keep.size()));
  if (!map.empty()) layer.set_logit_map(new_map);
  layer.last_routing = {};
  layer.last_probe = {};
}

}  // namespace moescope
