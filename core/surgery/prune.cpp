#include "surgery/prune.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "base/error.h"
#include "model/clone.h"

namespace moescope {

PruneMethod parse_prune_method(const std::string& name) {
  if (name == "frequency") return PruneMethod::frequency;
  if (name == "reap") return PruneMethod::reap;
  throw std::invalid_argument("pruning method must be frequency or reap, got \"" + name + "\"");
}

const char* prune_method_name(PruneMethod method) {
  return method == PruneMethod::reap ? "reap" : "frequency";
}

torch::Tensor prune_scores(const LayerCalibration& cache, PruneMethod method) {
  const int64_t E = cache.ffn_experts();
  const auto counts = cache.counts.narrow(0, 0, E).to(torch::kFloat64);
  if (method == PruneMethod::frequency) return counts;
  // REAP: the mean over the expert's tokens; an expert no token chose scores 0.
  return cache.gated_norm.to(torch::kFloat64) / counts.clamp_min(1.0);
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

LayerPrunePlan plan_prune(const MoELayer& layer, const LayerCalibration& cache,
                          PruneMethod method, int64_t keep) {
  if (const auto why = prune_refusal(*layer, keep); !why.empty()) throw Error(why);
  const int64_t E = layer->options.experts();
  TORCH_CHECK(cache.ffn_experts() == E, "plan_prune: the cache holds ", cache.ffn_experts(),
              " experts, the layer ", E);
  const auto scores = prune_scores(cache, method).contiguous();
  const double* s = scores.data_ptr<double>();
  std::vector<int64_t> order(static_cast<size_t>(E));
  std::iota(order.begin(), order.end(), 0);
  // Best first; ties keep the lower id, so a plan is reproducible.
  std::stable_sort(order.begin(), order.end(), [s](int64_t a, int64_t b) { return s[a] > s[b]; });
  LayerPrunePlan plan;
  plan.keep.assign(order.begin(), order.begin() + keep);
  plan.removed.assign(order.begin() + keep, order.end());
  std::sort(plan.keep.begin(), plan.keep.end());
  std::sort(plan.removed.begin(), plan.removed.end());

  const auto counts = cache.counts.to(torch::kFloat64);
  const auto saliency = cache.gated_norm.to(torch::kFloat64);
  const double all = counts.sum().item<double>(), all_saliency = saliency.sum().item<double>();
  for (auto e : plan.removed) {
    plan.routed_share_removed += counts[e].item<double>() / std::max(all, 1.0);
    plan.saliency_removed += saliency[e].item<double>() / std::max(all_saliency, 1e-30);
  }
  // The predicted cost: the pruned copy on the cached inputs against the layer's output.
  auto copy = clone_model(layer);
  keep_experts(*copy, plan.keep);
  const auto changed = layer_output(*copy, cache);
  plan.reconstruction_error =
      (changed - cache.output).pow(2).sum().item<double>() / std::max(cache.output.pow(2).sum().item<double>(), 1e-30);
  return plan;
}

namespace {

// Shrinks `param` to the rows `index` along dim 0, with its optimizer moments.
void keep_rows(torch::Tensor& param, const torch::Tensor& index, torch::optim::Optimizer* optimizer) {
  if (!param.defined()) return;
  const auto rows = index.to(param.device());
  if (optimizer) {
    auto& state = optimizer->state();
    auto it = state.find(param.unsafeGetTensorImpl());
    if (it != state.end()) {
      if (auto* adamw = dynamic_cast<torch::optim::AdamWParamState*>(it->second.get())) {
        adamw->exp_avg(adamw->exp_avg().index_select(0, rows));
        adamw->exp_avg_sq(adamw->exp_avg_sq().index_select(0, rows));
        if (adamw->max_exp_avg_sq().defined() && adamw->max_exp_avg_sq().dim() > 0) {
          adamw->max_exp_avg_sq(adamw->max_exp_avg_sq().index_select(0, rows));
        }
      } else if (auto* adam = dynamic_cast<torch::optim::AdamParamState*>(it->second.get())) {
        adam->exp_avg(adam->exp_avg().index_select(0, rows));
        adam->exp_avg_sq(adam->exp_avg_sq().index_select(0, rows));
      } else {
        throw Error("pruning: the optimizer's state of a pruned parameter is of an unknown kind");
      }
    }
  }
  torch::NoGradGuard no_grad;
  param.set_data(param.index_select(0, rows));
  if (param.grad().defined()) param.mutable_grad() = torch::Tensor();
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
  const auto ffn = torch::tensor(keep, torch::kInt64);
  // The router's columns: the kept FFN experts, then every zero, copy and constant expert.
  auto routed = keep;
  for (int64_t e = E; e < R; ++e) routed.push_back(e);
  const auto columns = torch::tensor(routed, torch::kInt64);
  keep_rows(layer.w_in, ffn, optimizer);
  keep_rows(layer.w_out, ffn, optimizer);
  auto& router = *layer.router;
  keep_rows(router.weight, columns, optimizer);
  keep_rows(router.logit_bias, columns, optimizer);
  keep_rows(router.balance_bias, columns, nullptr);
  router.last_selected_counts = torch::Tensor();
  router.experts = int64_t(routed.size());
  layer.options.experts(int64_t(keep.size()));
  layer.last_routing = {};
  layer.last_probe = {};
}

}  // namespace moescope
