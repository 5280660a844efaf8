#include "surgery/model_merge.h"

#include <cmath>
#include <stdexcept>

#include "base/error.h"

namespace moescope {

ModelMergeMethod parse_model_merge_method(const std::string& name) {
  if (name == "linear") return ModelMergeMethod::linear;
  if (name == "task_arithmetic" || name == "task-arithmetic") return ModelMergeMethod::task_arithmetic;
  if (name == "ties") return ModelMergeMethod::ties;
  throw std::invalid_argument("unknown model merge method '" + name + "' (linear, task_arithmetic or ties)");
}

const char* model_merge_method_name(ModelMergeMethod method) {
  switch (method) {
    case ModelMergeMethod::linear: return "linear";
    case ModelMergeMethod::task_arithmetic: return "task_arithmetic";
    case ModelMergeMethod::ties: return "ties";
  }
  return "?";
}

namespace {

// The `density` share of t's entries largest in magnitude, the others zero (ties at the
// threshold kept).
torch::Tensor trimmed(const torch::Tensor& t, double density) {
  const int64_t n = t.numel();
  const int64_t keep = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(density * static_cast<double>(n))));
  if (keep >= n) return t;
  const auto magnitude = t.abs().flatten();
  const auto threshold = std::get<0>(magnitude.kthvalue(n - keep + 1));
  return t * (t.abs() >= threshold).to(t.scalar_type());
}

}  // namespace

torch::Tensor merge_tensors(const std::string& name, const std::vector<torch::Tensor>& models,
                            const torch::Tensor& base, const ModelMergeOptions& options) {
  if (models.empty()) throw Error("model merging: no models");
  for (const auto& m : models) {
    if (!m.sizes().equals(models[0].sizes())) {
      throw Error("model merging: " + name + " is " + c10::str(models[0].sizes()) + " in the first model but " +
                  c10::str(m.sizes()) + " in another");
    }
  }
  const double n = static_cast<double>(models.size());
  const auto wide = [](const torch::Tensor& t) { return t.detach().to(torch::kDouble); };
  if (!models[0].is_floating_point()) return models[0].detach().clone();  // counters, index buffers
  if (options.method == ModelMergeMethod::linear) {
    if (!options.weights.empty() && options.weights.size() != models.size()) {
      throw Error("model merging: " + std::to_string(options.weights.size()) + " weights for " +
                  std::to_string(models.size()) + " models");
    }
    auto sum = torch::zeros_like(wide(models[0]));
    for (size_t i = 0; i < models.size(); ++i) {
      sum += wide(models[i]) * (options.weights.empty() ? 1.0 / n : options.weights[i]);
    }
    return sum.to(models[0].scalar_type());
  }
  if (!base.defined()) throw Error("model merging: " + std::string(model_merge_method_name(options.method)) + " needs a base model");
  if (!base.sizes().equals(models[0].sizes())) {
    throw Error("model merging: " + name + " is " + c10::str(models[0].sizes()) + " in the models but " +
                c10::str(base.sizes()) + " in the base");
  }
  const auto b = wide(base);
  std::vector<torch::Tensor> tasks;
  for (const auto& m : models) tasks.push_back(wide(m) - b);
  torch::Tensor merged;
  if (options.method == ModelMergeMethod::task_arithmetic) {
    merged = torch::zeros_like(b);
    for (const auto& t : tasks) merged += t;
  } else {
    if (!(options.density > 0.0 && options.density <= 1.0)) throw Error("TIES: the density must be in (0, 1]");
    auto sum = torch::zeros_like(b);
    for (auto& t : tasks) {
      t = trimmed(t, options.density);
      sum += t;
    }
    const auto sign = torch::sign(sum);
    auto agreeing = torch::zeros_like(b), count = torch::zeros_like(b);
    for (const auto& t : tasks) {
      const auto agrees = ((torch::sign(t) == sign) & (t != 0)).to(torch::kDouble);
      agreeing += t * agrees;
      count += agrees;
    }
    merged = agreeing / count.clamp_min(1.0);
  }
  return (b + options.lambda * merged).to(models[0].scalar_type());
}

void merge_modules(torch::nn::Module& target, const std::vector<const torch::nn::Module*>& models,
                   const torch::nn::Module* base, const ModelMergeOptions& options) {
  if (models.empty()) throw Error("model merging: no models");
  const auto merge_all = [&](auto named) {
    auto into = named(target);
    std::vector<torch::OrderedDict<std::string, torch::Tensor>> from;
    for (const auto* m : models) from.push_back(named(*m));
    torch::OrderedDict<std::string, torch::Tensor> base_tensors;
    if (base != nullptr) base_tensors = named(*base);
    std::vector<std::pair<torch::Tensor, torch::Tensor>> results;  // computed first: target stays as it is on error
    for (const auto& item : into) {
      std::vector<torch::Tensor> values;
      for (size_t i = 0; i < from.size(); ++i) {
        const auto* value = from[i].find(item.key());
        if (value == nullptr) throw Error("model merging: model " + std::to_string(i + 1) + " has no " + item.key());
        values.push_back(*value);
      }
      torch::Tensor b;
      if (base != nullptr) {
        const auto* value = base_tensors.find(item.key());
        if (value == nullptr) throw Error("model merging: the base model has no " + item.key());
        b = *value;
      }
      auto merged = merge_tensors(item.key(), values, b, options);
      if (!merged.sizes().equals(item.value().sizes())) {
        throw Error("model merging: " + item.key() + " is " + c10::str(merged.sizes()) + " in the models but " +
                    c10::str(item.value().sizes()) + " in the result");
      }
      results.emplace_back(item.value(), std::move(merged));
    }
    for (size_t i = 0; i < from.size(); ++i) {
      if (from[i].size() != into.size()) {
        throw Error("model merging: model " + std::to_string(i + 1) + " has " + std::to_string(from[i].size()) +
                    " tensors, the result " + std::to_string(into.size()));
      }
    }
    return results;
  };
  auto parameters = merge_all([](const torch::nn::Module& m) { return m.named_parameters(true); });
  auto buffers = merge_all([](const torch::nn::Module& m) { return m.named_buffers(true); });
  torch::NoGradGuard no_grad;
  for (auto& [slot, value] : parameters) slot.copy_(value);
  for (auto& [slot, value] : buffers) slot.copy_(value);
}

}  // namespace moescope
