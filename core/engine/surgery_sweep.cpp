#include "engine/surgery_sweep.h"

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "engine/session.h"
#include "train/task.h"

namespace moescope {

std::vector<SurgeryRequest> sweep_requests(const SurgeryRequest& base, int64_t experts, int64_t top_k) {
  std::vector<SurgeryRequest> points;
  SurgeryRequest r = base;
  r.layer_experts.clear();
  if (base.kind == "prune" || base.kind == "merge") {
    const int64_t lowest = std::max<int64_t>(1, top_k);
    if (experts <= lowest) {
      throw Error("sweep: the layers have " + std::to_string(experts) + " experts and route to " +
                  std::to_string(top_k) + ": there is nothing to " + base.kind);
    }
    for (int64_t e = experts - 1; e >= lowest; --e) {
      r.experts = e;
      points.push_back(r);
    }
  } else if (base.kind == "skip") {
    for (int i = 0; i <= 10; ++i) {
      r.beta = 0.1 * i;
      points.push_back(r);
    }
  } else if (base.kind == "quantize") {
    for (int bits = 8; bits >= 2; --bits) {
      r.average_bits = bits;
      points.push_back(r);
    }
  } else {
    throw Error("sweep: unknown surgery '" + base.kind + "' (prune, merge, skip or quantize)");
  }
  return points;
}

SurgerySweep sweep_surgery(Session& session, const SurgeryRequest& base,
                           const std::function<bool(double, const std::string&)>& progress) {
  const auto layers = session.task().moe_layers();
  if (layers.empty()) throw Error("sweep: a dense model has no experts");
  const auto requests = sweep_requests(base, layers.front()->options.experts(), session.run_info().top_k);
  SurgerySweep sweep;
  sweep.base = base;
  const int64_t id = session.next_preview_id();
  for (size_t i = 0; i < requests.size(); ++i) {
    char what[64];
    std::snprintf(what, sizeof what, "%zu of %zu (%g)", i + 1, requests.size(), surgery_budget(requests[i]));
    if (progress && !progress(double(i) / double(requests.size()), what)) throw Error("surgery sweep cancelled");
    SurgeryRequest point = requests[i];
    point.sweep = id;
    sweep.points.push_back(session.preview_surgery(point));
  }
  if (progress) progress(1.0, "done");
  return sweep;
}

nlohmann::json to_json(const SurgerySweep& sweep, const std::string& task) {
  const bool lm = task == "lm";
  const auto cost = [lm](const EvalResult& e) {
    nlohmann::json j = {{"validation_loss", e.loss}, {"accuracy", e.accuracy}};
    if (lm) j["bits_per_byte"] = e.loss / std::log(2.0);
    return j;
  };
  nlohmann::json points = nlohmann::json::array();
  for (const auto& p : sweep.points) {
    const SurgeryMeans m = surgery_means(p);
    points.push_back({{"x", surgery_budget(p.request)},
                      {"description", p.description},
                      {"predicted",
                       {{"routed_share", m.routed_share},
                        {"saliency_removed", m.saliency_removed},
                        {"reconstruction_error", m.reconstruction_error},
                        {"largest_pair_merge_error", m.largest_pair_error}}},
                      {"measured", cost(p.after)},
                      {"parameters", p.parameters_after},
                      {"active_parameters", p.active_after},
                      {"expert_flops_kept", p.expert_flops_kept},
                      {"seconds", {{"calibration", p.calibration_seconds},
                                   {"preview", p.preview_seconds},
                                   {"evaluation", p.evaluation_seconds}}}});
  }
  const SurgeryPreview* first = sweep.points.empty() ? nullptr : &sweep.points.front();
  return {{"kind", sweep.base.kind},
          {"method", sweep.base.kind == "prune" || sweep.base.kind == "merge" ? sweep.base.method : sweep.base.kind},
          {"align", sweep.base.align},
          {"router", sweep.base.router},
          {"task", task},
          {"x", sweep.base.kind == "skip" ? "beta" : sweep.base.kind == "quantize" ? "average_bits" : "experts"},
          {"calibration_tokens", first ? first->calibration_tokens : 0},
          {"before", first ? cost(first->before) : nlohmann::json()},
          {"parameters_before", first ? first->parameters_before : 0},
          {"points", points}};
}

}  // namespace moescope
