#include "engine/surgery_preview.h"

#include <set>
#include <stdexcept>

#include "base/error.h"
#include "engine/session.h"
#include "surgery/merge.h"
#include "surgery/prune.h"
#include "surgery/quantize.h"
#include "surgery/skip.h"
#include "train/task.h"

namespace moescope {
namespace {

std::vector<double> to_vector(const torch::Tensor& t) {
  const auto c = t.to(torch::kCPU, torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + c.numel()};
}

// What the preview shows of a layer whatever the method: usage, mean gate, saliency, the
// similarity heatmap and its clustering.
SurgeryLayer describe_layer(const MoELayerImpl& layer, const LayerCalibration& cache, Similarity similarity,
                            int64_t index) {
  SurgeryLayer s;
  const int64_t E = layer.options.experts();
  s.layer = index;
  s.experts_before = s.experts_after = E;
  const auto counts = cache.counts.narrow(0, 0, E).to(torch::kFloat64);
  s.usage = to_vector(counts / cache.counts.sum().clamp_min(1.0));
  const auto ffn = cache.expert < E;
  const auto gate_sum = torch::zeros({E}, torch::kFloat64)
                            .index_add_(0, cache.expert.masked_select(ffn), cache.gate.masked_select(ffn).to(torch::kFloat64));
  s.mean_gate = to_vector(gate_sum / counts.clamp_min(1.0));
  s.saliency = to_vector(prune_scores(cache, PruneMethod::reap));
  s.gini = importance_gini(cache);
  const auto sim = expert_similarity(layer, cache, similarity);
  s.similarity = to_vector(sim);
  for (const auto& step : average_linkage((1.0 - sim).clamp_min(0.0))) {
    s.dendrogram.push_back({double(step.a), double(step.b), step.distance, double(step.size)});
  }
  return s;
}

template <class Parse>
auto parse_option(const char* option, const std::string& value, Parse&& parse) {
  try {
    return parse(value);
  } catch (const std::invalid_argument& e) {
    throw Error(std::string(option) + ": " + e.what());
  }
}

}  // namespace

PlannedSurgery plan_surgery(Session& session, const SurgeryRequest& request, const CalibrationCache& cache) {
  auto layers = session.task().moe_layers();
  if (layers.empty()) throw Error("surgery: a dense model has no experts");
  if (cache.layers.size() != layers.size()) throw Error("surgery: the calibration cache is of another model");
  const auto similarity = parse_option("similarity", request.similarity, parse_similarity);
  const auto target = [&](size_t l) {
    if (request.layer_experts.empty()) return request.experts;
    if (request.layer_experts.size() != layers.size()) {
      throw Error("per-layer budgets: " + std::to_string(request.layer_experts.size()) + " given for " +
                  std::to_string(layers.size()) + " MoE layers");
    }
    return request.layer_experts[l];
  };
  PlannedSurgery planned;
  std::vector<SurgeryLayer> rows;
  for (size_t l = 0; l < layers.size(); ++l) rows.push_back(describe_layer(*layers[l], cache.layers[l], similarity, int64_t(l)));
  const int64_t E0 = layers.front()->options.experts();

  if (request.kind == "prune") {
    const auto method = parse_option("pruning method", request.method, parse_prune_method);
    std::vector<std::vector<int64_t>> keep;
    for (size_t l = 0; l < layers.size(); ++l) {
      const auto plan = plan_prune(layers[l], cache.layers[l], method, target(l));
      auto& row = rows[l];
      row.kept = plan.keep;
      row.experts_after = int64_t(plan.keep.size());
      row.routed_share = plan.routed_share_removed;
      row.saliency_removed = plan.saliency_removed;
      row.reconstruction_error = plan.reconstruction_error;
      keep.push_back(plan.keep);
    }
    planned.description = "prune " + request.method + ": " +
                          (request.layer_experts.empty() ? std::to_string(request.experts) : std::string("per-layer budgets")) +
                          " of " + std::to_string(E0) + " experts per layer";
    planned.apply = [keep](Session& s) { s.prune_experts(keep); };
  } else if (request.kind == "merge") {
    MergeOptions options;
    options.method = parse_option("merging method", request.method, parse_merge_method);
    options.router = parse_option("merged router", request.router, parse_merge_router);
    options.align = request.align;
    std::vector<LayerMergePlan> plans;
    double assignments = 0.0, visits = 0.0;
    for (size_t l = 0; l < layers.size(); ++l) {
      options.experts = target(l);
      auto plan = plan_merge(layers[l], cache.layers[l], options);
      auto& row = rows[l];
      row.groups = plan.groups;
      row.experts_after = int64_t(plan.groups.size());
      row.routed_share = plan.routed_share_merged;
      row.reconstruction_error = plan.reconstruction_error;
      row.largest_pair_error = plan.largest_pair_error;
      for (const auto& p : plan.pair_errors) row.pair_errors.push_back({double(p.a), double(p.b), p.error});
      if (!plan.dendrogram.empty()) {
        row.dendrogram.clear();
        for (const auto& step : plan.dendrogram) row.dendrogram.push_back({double(step.a), double(step.b), step.distance, double(step.size)});
      }
      // Expert visits left: a token whose logits of one merged expert were both picked visits it once.
      if (options.router == MergeRouter::keep_logits) {
        std::vector<int64_t> group_of(size_t(layers[l]->options.experts()));
        for (size_t g = 0; g < plan.groups.size(); ++g)
          for (auto e : plan.groups[g]) group_of[size_t(e)] = int64_t(g);
        const auto& c = cache.layers[l];
        const auto ffn = c.expert < layers[l]->options.experts();
        const auto token = c.token.masked_select(ffn).contiguous(), expert = c.expert.masked_select(ffn).contiguous();
        std::set<std::pair<int64_t, int64_t>> seen;
        for (int64_t a = 0; a < token.numel(); ++a) {
          seen.insert({token.data_ptr<int64_t>()[a], group_of[size_t(expert.data_ptr<int64_t>()[a])]});
        }
        assignments += double(token.numel());
        visits += double(seen.size());
      }
      plans.push_back(std::move(plan));
    }
    if (assignments > 0.0) planned.expert_flops_kept = visits / assignments;
    options.experts = request.experts;
    planned.description = "merge " + request.method + (request.align ? " aligned" : "") + ": " +
                          (request.layer_experts.empty() ? std::to_string(request.experts) : std::string("per-layer budgets")) +
                          " of " + std::to_string(E0) + " experts per layer, router " + request.router;
    planned.apply = [plans, options](Session& s) { s.merge_experts(plans, options); };
  } else if (request.kind == "skip") {
    if (!(request.beta >= 0.0 && request.beta <= 1.0)) throw Error("skip: beta must be between 0 and 1");
    double skipped = 0.0;
    for (size_t l = 0; l < layers.size(); ++l) {
      const double was = layers[l]->router->runtime().skip_beta;
      set_skip(*layers[l], 0.0);  // predicted against the model without skipping
      const auto plan = plan_skip(layers[l], cache.layers[l], request.beta);
      set_skip(*layers[l], was);
      rows[l].beta = request.beta;
      rows[l].routed_share = plan.skipped_share;
      rows[l].reconstruction_error = plan.reconstruction_error;
      skipped += plan.skipped_share / double(layers.size());
    }
    planned.expert_flops_kept = 1.0 - skipped;
    char text[64];
    std::snprintf(text, sizeof text, "skip: beta %.2f in every layer", request.beta);
    planned.description = text;
    const double beta = request.beta;
    planned.apply = [beta](Session& s) {
      for (auto& layer : s.task().moe_layers()) set_skip(*layer, beta);
    };
  } else if (request.kind == "quantize") {
    if (request.average_bits <= 0.0 && request.bits != 8 && request.bits != 4) {
      throw Error("quantize: experts are quantized to 8 or 4 bits, or by usage under an average");
    }
    std::vector<std::vector<int64_t>> bits;
    for (size_t l = 0; l < layers.size(); ++l) {
      const int64_t E = layers[l]->options.experts();
      const auto b = request.average_bits > 0.0 ? allocate_bits(cache.layers[l].counts.narrow(0, 0, E), request.average_bits)
                                                : std::vector<int64_t>(size_t(E), request.bits);
      const auto plan = plan_quantize(layers[l], cache.layers[l], b);
      rows[l].bits = plan.bits;
      rows[l].reconstruction_error = plan.reconstruction_error;
      bits.push_back(plan.bits);
    }
    char text[80];
    if (request.average_bits > 0.0) std::snprintf(text, sizeof text, "quantize: %.2f bits on average, by usage", request.average_bits);
    else std::snprintf(text, sizeof text, "quantize: int%lld experts", static_cast<long long>(request.bits));
    planned.description = text;
    planned.apply = [bits](Session& s) {
      auto layers = s.task().moe_layers();
      for (size_t l = 0; l < layers.size(); ++l) quantize_experts(*layers[l], bits[l]);
    };
  } else {
    throw Error("surgery: \"" + request.kind + "\" is not one of prune, merge, skip, quantize");
  }
  planned.layers = std::move(rows);
  return planned;
}

}  // namespace moescope
