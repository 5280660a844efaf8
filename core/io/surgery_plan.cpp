#include "surgery_plan.h"

#include <nlohmann/json.hpp>

namespace moescope {

std::string surgery_plan_json(const SurgeryPreview& p) {
  using nlohmann::json;
  const auto& r = p.request;
  json layers = json::array();
  for (const auto& l : p.layers) {
    layers.push_back({{"layer", l.layer}, {"experts_before", l.experts_before}, {"experts_after", l.experts_after},
                      {"kept", l.kept}, {"groups", l.groups}, {"bits", l.bits}, {"beta", l.beta},
                      {"routed_share", l.routed_share}, {"saliency_removed", l.saliency_removed},
                      {"reconstruction_error", l.reconstruction_error}, {"largest_pair_error", l.largest_pair_error},
                      {"gini", l.gini}, {"usage", l.usage}, {"mean_gate", l.mean_gate}, {"saliency", l.saliency},
                      {"similarity", l.similarity}, {"dendrogram", l.dendrogram}, {"pair_errors", l.pair_errors}});
  }
  const json request{{"kind", r.kind}, {"method", r.method}, {"experts", r.experts},
                     {"layer_experts", r.layer_experts}, {"beta", r.beta}, {"bits", r.bits},
                     {"average_bits", r.average_bits}, {"align", r.align}, {"router", r.router},
                     {"calibration_tokens", r.calibration_tokens}, {"similarity", r.similarity}, {"sweep", r.sweep}};
  // Non-finite numbers (a NaN accuracy of a language model) have no JSON form: null.
  return json{{"request", request}, {"layers", layers}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

void parse_surgery_plan(const std::string& text, SurgeryPreview& p) {
  using nlohmann::json;
  const auto j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw BadSurgeryPlan("/surgery/plan holds text that is not JSON");
  try {
    const auto& r = j.at("request");
    auto& q = p.request;
    q.kind = r.at("kind").get<std::string>();
    q.method = r.at("method").get<std::string>();
    q.experts = r.at("experts").get<int64_t>();
    q.layer_experts = r.at("layer_experts").get<std::vector<int64_t>>();
    q.beta = r.at("beta").get<double>();
    q.bits = r.at("bits").get<int64_t>();
    q.average_bits = r.at("average_bits").get<double>();
    q.align = r.at("align").get<bool>();
    q.router = r.at("router").get<std::string>();
    q.calibration_tokens = r.at("calibration_tokens").get<int64_t>();
    q.similarity = r.at("similarity").get<std::string>();
    q.sweep = r.value("sweep", int64_t{0});  // logs before sweeps have none
    p.layers.clear();
    const auto number = [](const json& v) { return v.is_number() ? v.get<double>() : kNaN; };
    const auto numbers = [&](const json& v) {
      std::vector<double> out;
      for (const auto& x : v) out.push_back(number(x));
      return out;
    };
    for (const auto& l : j.at("layers")) {
      SurgeryLayer s;
      s.layer = l.at("layer").get<int64_t>();
      s.experts_before = l.at("experts_before").get<int64_t>();
      s.experts_after = l.at("experts_after").get<int64_t>();
      s.kept = l.at("kept").get<std::vector<int64_t>>();
      s.groups = l.at("groups").get<std::vector<std::vector<int64_t>>>();
      s.bits = l.at("bits").get<std::vector<int64_t>>();
      s.beta = number(l.at("beta"));
      s.routed_share = number(l.at("routed_share"));
      s.saliency_removed = number(l.at("saliency_removed"));
      s.reconstruction_error = number(l.at("reconstruction_error"));
      s.largest_pair_error = number(l.at("largest_pair_error"));
      s.gini = number(l.at("gini"));
      s.usage = numbers(l.at("usage"));
      s.mean_gate = numbers(l.at("mean_gate"));
      s.saliency = numbers(l.at("saliency"));
      s.similarity = numbers(l.at("similarity"));
      for (const auto& d : l.at("dendrogram")) {
        const auto v = numbers(d);
        if (v.size() != 4) throw BadSurgeryPlan("/surgery/plan holds a dendrogram step that is not 4 numbers");
        s.dendrogram.push_back({v[0], v[1], v[2], v[3]});
      }
      for (const auto& e : l.at("pair_errors")) {
        const auto v = numbers(e);
        if (v.size() != 3) throw BadSurgeryPlan("/surgery/plan holds a pair error that is not 3 numbers");
        s.pair_errors.push_back({v[0], v[1], v[2]});
      }
      const auto E = size_t(std::max<int64_t>(s.experts_before, 0));
      if (s.similarity.size() != E * E && !s.similarity.empty()) {
        throw BadSurgeryPlan("/surgery/plan holds a similarity matrix of " + std::to_string(s.similarity.size()) +
                       " values for " + std::to_string(E) + " experts");
      }
      p.layers.push_back(std::move(s));
    }
  } catch (const json::exception& e) {
    throw BadSurgeryPlan(std::string("/surgery/plan is not a surgery plan (") + e.what() + ")");
  }
}

}  // namespace moescope
