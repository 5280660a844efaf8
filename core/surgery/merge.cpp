#include "surgery/merge.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "base/error.h"
#include "model/clone.h"
#include "surgery/assignment.h"
#include "surgery/moments.h"
#include "surgery/prune.h"

namespace moescope {

MergeMethod parse_merge_method(const std::string& name) {
  if (name == "mc-smoe") return MergeMethod::mc_smoe;
  if (name == "hc-smoe") return MergeMethod::hc_smoe;
  throw std::invalid_argument("merging method must be mc-smoe or hc-smoe, got \"" + name + "\"");
}

const char* merge_method_name(MergeMethod method) {
  return method == MergeMethod::mc_smoe ? "mc-smoe" : "hc-smoe";
}

MergeRouter parse_merge_router(const std::string& name) {
  if (name == "keep") return MergeRouter::keep_logits;
  if (name == "sum") return MergeRouter::sum_rows;
  throw std::invalid_argument("the merged router must be keep (one logit per original expert) or sum (one "
                              "summed row per merged expert), got \"" + name + "\"");
}

const char* merge_router_name(MergeRouter router) { return router == MergeRouter::sum_rows ? "sum" : "keep"; }

Similarity parse_similarity(const std::string& name) {
  if (name == "weights") return Similarity::weights;
  if (name == "outputs") return Similarity::outputs;
  if (name == "logits") return Similarity::logits;
  throw std::invalid_argument("similarity must be weights, outputs or logits, got \"" + name + "\"");
}

torch::Tensor expert_similarity(const MoELayerImpl& layer, const LayerCalibration& cache, Similarity kind) {
  torch::NoGradGuard no_grad;
  const int64_t E = layer.options.experts();
  torch::Tensor features;
  switch (kind) {
    case Similarity::weights:
      features = torch::cat({layer.w_in.detach().flatten(1), layer.w_out.detach().flatten(1)}, 1);
      break;
    case Similarity::outputs: features = cache.mean_output; break;
    case Similarity::logits: {
      // Centred over the tokens: a logit bias shifts a column without changing which
      // tokens the expert prefers (the similarity is the columns' correlation).
      const auto logits = cache.logits.narrow(1, 0, E).to(torch::kFloat64);
      features = (logits - logits.mean(0, /*keepdim=*/true)).t();
      break;
    }
  }
  const auto f = features.to(torch::kCPU, torch::kFloat64);
  const auto unit = f / f.norm(2, 1, /*keepdim=*/true).clamp_min(1e-30);
  return unit.matmul(unit.t());
}

std::vector<Linkage> average_linkage(const torch::Tensor& distance) {
  const int64_t E = distance.size(0);
  TORCH_CHECK(distance.dim() == 2 && distance.size(1) == E, "average_linkage needs a square matrix");
  const auto d0 = distance.to(torch::kCPU, torch::kFloat64).contiguous();
  // Lance–Williams: the distance from k to i ∪ j is the size-weighted mean of k's distances
  // to i and j, which is the mean over all pairs of members (UPGMA).
  const auto n = static_cast<size_t>(E);
  std::vector<std::vector<double>> d(n, std::vector<double>(n));
  for (int64_t i = 0; i < E; ++i)
    for (int64_t j = 0; j < E; ++j) d[size_t(i)][size_t(j)] = d0.data_ptr<double>()[i * E + j];
  std::vector<int64_t> id(n), size(n, 1);
  std::iota(id.begin(), id.end(), 0);
  std::vector<bool> alive(n, true);
  std::vector<Linkage> steps;
  for (int64_t step = 0; step + 1 < E; ++step) {
    int64_t bi = -1, bj = -1;
    double best = std::numeric_limits<double>::infinity();
    for (int64_t i = 0; i < E; ++i) {
      if (!alive[size_t(i)]) continue;
      for (int64_t j = i + 1; j < E; ++j) {
        if (alive[size_t(j)] && d[size_t(i)][size_t(j)] < best) {
          best = d[size_t(i)][size_t(j)];
          bi = i;
          bj = j;
        }
      }
    }
    const auto ni = double(size[size_t(bi)]), nj = double(size[size_t(bj)]);
    for (int64_t k = 0; k < E; ++k) {
      if (!alive[size_t(k)] || k == bi || k == bj) continue;
      const double merged = (ni * d[size_t(k)][size_t(bi)] + nj * d[size_t(k)][size_t(bj)]) / (ni + nj);
      d[size_t(k)][size_t(bi)] = d[size_t(bi)][size_t(k)] = merged;
    }
    steps.push_back({std::min(id[size_t(bi)], id[size_t(bj)]), std::max(id[size_t(bi)], id[size_t(bj)]), best,
                     size[size_t(bi)] + size[size_t(bj)]});
    size[size_t(bi)] += size[size_t(bj)];
    id[size_t(bi)] = E + step;
    alive[size_t(bj)] = false;
  }
  return steps;
}

std::vector<std::vector<int64_t>> cut_linkage(const std::vector<Linkage>& steps, int64_t experts, int64_t groups) {
  TORCH_CHECK(groups >= 1 && groups <= experts && int64_t(steps.size()) >= experts - groups,
              "cut_linkage: cannot cut ", experts, " experts into ", groups, " groups");
  std::vector<std::vector<int64_t>> members(static_cast<size_t>(experts));
  for (int64_t e = 0; e < experts; ++e) members[size_t(e)] = {e};
  std::vector<bool> alive(size_t(experts), true);
  for (int64_t s = 0; s < experts - groups; ++s) {
    auto joined = members[size_t(steps[size_t(s)].a)];
    const auto& other = members[size_t(steps[size_t(s)].b)];
    joined.insert(joined.end(), other.begin(), other.end());
    std::sort(joined.begin(), joined.end());
    alive[size_t(steps[size_t(s)].a)] = alive[size_t(steps[size_t(s)].b)] = false;
    members.push_back(std::move(joined));  // cluster experts + s
    alive.push_back(true);
  }
  std::vector<std::vector<int64_t>> out;
  for (size_t c = 0; c < members.size(); ++c)
    if (alive[c]) out.push_back(members[c]);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

// How many modality groups (image, text, cross-modal) a layer's experts form; 0 without.
int64_t modality_groups(const std::vector<int64_t>& modality) {
  int64_t groups = 0;
  for (int64_t g = -1; g <= 1; ++g) groups += std::count(modality.begin(), modality.end(), g) > 0;
  return groups;
}

torch::Tensor one_expert(const MoELayerImpl& layer, int64_t e, const torch::Tensor& x) {
  const auto dtype = x.scalar_type();
  return expert_ffn(x, layer.w_in.narrow(0, e, 1).to(dtype), layer.w_out.narrow(0, e, 1).to(dtype), {x.size(0)},
                    layer.options.expert_kernel());
}

// The router's scores per routed expert on the cached tokens (softmax, or sigmoid).
torch::Tensor router_scores(const MoELayerImpl& layer, const LayerCalibration& cache) {
  return layer.router->config.score == ScoreFunction::Sigmoid ? torch::sigmoid(cache.logits)
                                                               : torch::softmax(cache.logits, 1);
}

}  // namespace

double merge_error(const MoELayerImpl& layer, const LayerCalibration& cache, int64_t a, int64_t b) {
  torch::NoGradGuard no_grad;
  const auto routed = (cache.expert == a).logical_or(cache.expert == b);
  const auto tokens = std::get<0>(torch::_unique2(cache.token.masked_select(routed)));
  if (tokens.numel() < 2) return 0.0;
  const auto x = cache.input.index_select(0, tokens);
  const auto scores = router_scores(layer, cache).index_select(0, tokens).to(torch::kFloat64);
  const auto ga = scores.select(1, a), gb = scores.select(1, b);
  const auto sum = ga + gb;
  const auto r = ga / sum.clamp_min(1e-30);
  const auto gap = (one_expert(layer, a, x) - one_expert(layer, b, x)).to(torch::kFloat64).pow(2).sum(1);
  const double term = r.var(/*unbiased=*/false).item<double>() * (sum.pow(2) * gap).mean().item<double>();
  const double scale = cache.output.index_select(0, tokens).to(torch::kFloat64).pow(2).sum(1).mean().item<double>();
  return term / std::max(scale, 1e-30);
}

std::string merge_refusal(const MoELayerImpl& layer, int64_t experts, MergeRouter router) {
  const auto& o = layer.options;
  const int64_t extra = o.routed_experts() - o.experts();
  if (experts < 1 || experts > o.experts()) {
    return "cannot merge the " + std::to_string(o.experts()) + " experts of a layer into " + std::to_string(experts);
  }
  if (const auto groups = modality_groups(o.expert_modality()); experts < groups) {
    return "cannot merge into " + std::to_string(experts) + " experts: merging stays within the " +
           std::to_string(groups) + " modality groups, each keeps one";
  }
  if (router == MergeRouter::sum_rows) {
    if (layer.router->config.kind == RouterKind::Hash) {
      return "hash routing has no router rows to sum (merge with --router keep: the hash table's experts then "
             "point at their groups)";
    }
    if (experts + extra < o.top_k()) {
      return "cannot merge into " + std::to_string(experts) + " experts with one router row each: top-" +
             std::to_string(o.top_k()) + " routing needs at least " + std::to_string(o.top_k() - extra) +
             " (or keep one logit per original expert: --router keep)";
    }
    if ((experts + extra) % layer.router->config.groups != 0) {
      return std::to_string(experts + extra) + " routed experts do not divide into the router's " +
             std::to_string(layer.router->config.groups) + " groups";
    }
  }
  return {};
}

LayerMergePlan plan_merge(const MoELayer& layer, const LayerCalibration& cache, const MergeOptions& options) {
  if (const auto why = merge_refusal(*layer, options.experts, options.router); !why.empty()) throw Error(why);
  const int64_t E = layer->options.experts(), G = options.experts;
  TORCH_CHECK(cache.ffn_experts() == E, "plan_merge: the cache holds ", cache.ffn_experts(), " experts, the layer ", E);
  const auto counts_tensor = cache.counts.narrow(0, 0, E).to(torch::kFloat64).contiguous();
  const double* counts = counts_tensor.data_ptr<double>();
  LayerMergePlan plan;
  // With modality groups an expert merges only inside its group: modality[e] names it.
  auto modality = layer->options.expert_modality();
  const bool grouped = !modality.empty();
  if (!grouped) modality.assign(size_t(E), 0);
  if (options.method == MergeMethod::mc_smoe) {
    // The most-used experts lead (with groups: by their share of their group's tokens, the
    // best of each group first, so that every group keeps one).
    std::vector<double> share(counts, counts + E);
    if (grouped) {
      for (int64_t e = 0; e < E; ++e) {
        double total = 0.0;
        for (int64_t f = 0; f < E; ++f)
          if (modality[size_t(f)] == modality[size_t(e)]) total += counts[f];
        share[size_t(e)] = counts[e] / std::max(total, 1e-30);
      }
    }
    std::vector<int64_t> order(static_cast<size_t>(E));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) { return share[size_t(a)] > share[size_t(b)]; });
    std::vector<int64_t> leaders;
    if (grouped) {
      for (int64_t g = -1; g <= 1; ++g) {
        const auto best = std::find_if(order.begin(), order.end(), [&](int64_t e) { return modality[size_t(e)] == g; });
        if (best != order.end()) leaders.push_back(*best);
      }
    }
    for (auto e : order) {
      if (int64_t(leaders.size()) == G) break;
      if (std::find(leaders.begin(), leaders.end(), e) == leaders.end()) leaders.push_back(e);
    }
    const auto similarity = expert_similarity(*layer, cache, Similarity::logits).contiguous();
    const double* s = similarity.data_ptr<double>();
    plan.groups.assign(size_t(G), {});
    for (int64_t e = 0; e < E; ++e) {
      size_t best = leaders.size();
      const auto is_leader = std::find(leaders.begin(), leaders.end(), e);
      if (is_leader != leaders.end()) {
        best = size_t(is_leader - leaders.begin());
      } else {
        for (size_t g = 0; g < leaders.size(); ++g) {
          if (modality[size_t(leaders[g])] != modality[size_t(e)]) continue;
          if (best == leaders.size() || s[e * E + leaders[g]] > s[e * E + leaders[best]]) best = g;
        }
      }
      plan.groups[best].push_back(e);
    }
    std::sort(plan.groups.begin(), plan.groups.end());
  } else {
    const auto m = cache.mean_output.to(torch::kCPU, torch::kFloat64);
    auto distance = torch::cdist(m.unsqueeze(0), m.unsqueeze(0)).squeeze(0);
    if (grouped) {
      // Experts of different groups are as far apart as can be: the clustering joins every
      // group into one cluster before it crosses a group, and the cut (G >= the number of
      // groups) stops before that.
      const auto g = torch::tensor(modality, torch::kInt64);
      distance = distance.masked_fill(g.unsqueeze(0) != g.unsqueeze(1), 1e30);
    }
    plan.dendrogram = average_linkage(distance);
    plan.groups = cut_linkage(plan.dendrogram, E, G);
  }
  if (grouped) {
    std::vector<int64_t> after;
    for (const auto& group : plan.groups) after.push_back(modality[size_t(group.front())]);
    const auto why = modality_group_refusal(layer->options.expert_modality(), after, layer->options.top_k(),
                                            options.router == MergeRouter::keep_logits);
    if (!why.empty()) throw Error(why + " (merge into more experts, or keep the router's logits: --router keep)");
  }
  plan.weight.assign(size_t(E), 0.0);
  const double all = std::max(std::accumulate(counts, counts + E, 0.0), 1.0);
  for (const auto& group : plan.groups) {
    double total = 0.0;
    for (auto e : group) total += counts[e];
    for (auto e : group) plan.weight[size_t(e)] = total > 0.0 ? counts[e] / total : 1.0 / double(group.size());
    if (group.size() < 2) continue;
    plan.routed_share_merged += total / all;
    for (size_t i = 0; i < group.size(); ++i) {
      for (size_t j = i + 1; j < group.size(); ++j) {
        const double error = merge_error(*layer, cache, group[i], group[j]);
        plan.pair_errors.push_back({group[i], group[j], error});
        plan.largest_pair_error = std::max(plan.largest_pair_error, error);
      }
    }
  }
  auto copy = clone_model(layer);
  merge_experts(*copy, plan, options);
  plan.reconstruction_error = reconstruction_error(*copy, cache);
  return plan;
}

std::vector<int64_t> align_hidden_units(const MoELayerImpl& layer, int64_t reference, int64_t expert) {
  torch::NoGradGuard no_grad;
  const int64_t h = layer.options.hidden();
  const auto units = [&](int64_t e) {  // [h, 3d]: each hidden unit's gate row, up row, down column
    const auto w_in = layer.w_in[e].to(torch::kCPU, torch::kFloat64);
    return torch::cat({w_in.narrow(1, 0, h).t(), w_in.narrow(1, h, h).t(),
                       layer.w_out[e].to(torch::kCPU, torch::kFloat64)}, 1);
  };
  return linear_assignment(-units(reference).matmul(units(expert).t()));
}

void permute_hidden_units(MoELayerImpl& layer, int64_t expert, const std::vector<int64_t>& perm,
                          torch::optim::Optimizer* optimizer) {
  const int64_t h = layer.options.hidden();
  TORCH_CHECK(int64_t(perm.size()) == h, "permute_hidden_units: a permutation of ", h, " units, got ", perm.size());
  const auto index = torch::tensor(perm, torch::kInt64);
  const auto both = torch::cat({index, index + h});
  change_parameter(layer.w_in, [&](const torch::Tensor& t) {
    auto out = t.clone();
    out[expert].copy_(t[expert].index_select(1, both.to(t.device())));
    return out;
  }, optimizer);
  change_parameter(layer.w_out, [&](const torch::Tensor& t) {
    auto out = t.clone();
    out[expert].copy_(t[expert].index_select(0, index.to(t.device())));
    return out;
  }, optimizer);
}

void merge_experts(MoELayerImpl& layer, const LayerMergePlan& plan, const MergeOptions& options,
                   torch::optim::Optimizer* optimizer) {
  const int64_t E = layer.options.experts(), R = layer.options.routed_experts(), G = int64_t(plan.groups.size());
  if (const auto why = merge_refusal(layer, G, options.router); !why.empty()) throw Error(why);
  std::vector<int64_t> group_of(size_t(R), -1);
  for (int64_t g = 0; g < G; ++g) {
    for (auto e : plan.groups[size_t(g)]) {
      TORCH_CHECK(e >= 0 && e < E && group_of[size_t(e)] < 0, "merge_experts: expert ", e,
                  " is not an FFN expert or is in two groups");
      group_of[size_t(e)] = g;
    }
  }
  TORCH_CHECK(std::none_of(group_of.begin(), group_of.begin() + E, [](int64_t g) { return g < 0; }),
              "merge_experts: every FFN expert must be in a group");
  TORCH_CHECK(int64_t(plan.weight.size()) == E, "merge_experts: one weight per expert");
  for (int64_t e = E; e < R; ++e) group_of[size_t(e)] = G + (e - E);

  if (options.align) {
    for (const auto& group : plan.groups) {
      if (group.size() < 2) continue;
      const int64_t leader = *std::max_element(group.begin(), group.end(), [&](int64_t a, int64_t b) {
        return plan.weight[size_t(a)] < plan.weight[size_t(b)];
      });
      for (auto e : group)
        if (e != leader) permute_hidden_units(layer, e, align_hidden_units(layer, leader, e), optimizer);
    }
  }
  std::vector<int64_t> merged_modality;
  if (const auto& modality = layer.options.expert_modality(); !modality.empty()) {
    for (const auto& group : plan.groups) {
      for (auto e : group) {
        TORCH_CHECK(modality[size_t(e)] == modality[size_t(group.front())], "merge_experts: experts ", group.front(),
                    " and ", e, " are in different modality groups");
      }
      merged_modality.push_back(modality[size_t(group.front())]);
    }
    for (int64_t e = E; e < R; ++e) merged_modality.push_back(modality[size_t(e)]);
  }
  auto mix = torch::zeros({G, E}, torch::kFloat64);
  for (int64_t e = 0; e < E; ++e) mix[group_of[size_t(e)]][e] = plan.weight[size_t(e)];
  const auto combine = [](const torch::Tensor& m) {
    return [m](const torch::Tensor& t) {
      auto rows = m.to(t.device(), t.scalar_type()).matmul(t.reshape({t.size(0), -1}));
      auto shape = t.sizes().vec();
      shape[0] = m.size(0);
      return rows.view(shape);
    };
  };
  change_parameter(layer.w_in, combine(mix), optimizer);
  change_parameter(layer.w_out, combine(mix), optimizer);

  auto& router = *layer.router;
  const int64_t logits = layer.options.router_logits();
  const auto& old_map = layer.options.logit_to_expert();
  std::vector<int64_t> map(static_cast<size_t>(logits));
  for (int64_t i = 0; i < logits; ++i) map[size_t(i)] = group_of[size_t(old_map.empty() ? i : old_map[size_t(i)])];
  if (options.router == MergeRouter::sum_rows) {
    const int64_t rows = G + (R - E);
    auto sum = torch::zeros({rows, logits}, torch::kFloat64);
    for (int64_t i = 0; i < logits; ++i) sum[map[size_t(i)]][i] = 1.0;
    change_parameter(router.weight, combine(sum), optimizer);
    change_parameter(router.logit_bias, combine(sum), optimizer);
    change_parameter(router.balance_bias, combine(sum / sum.sum(1, /*keepdim=*/true)), nullptr);
    router.experts = rows;
    map.clear();  // one row per expert: the identity
  }
  router.last_selected_counts = torch::Tensor();
  layer.options.experts(G);
  if (!merged_modality.empty()) layer.options.expert_modality(merged_modality);
  layer.set_logit_map(map);
  layer.last_routing = {};
  layer.last_probe = {};
}

}  // namespace moescope
