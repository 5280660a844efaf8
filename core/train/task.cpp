#include "train/task.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <sstream>

#include "base/error.h"

namespace moescope {

std::string Task::sampler_state() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void Task::set_sampler_state(const std::string& state) {
  std::istringstream in(state);
  in >> rng_;
  if (!in) throw Error("checkpoint holds a corrupt sampler state");
}

int64_t Task::probe_tokens() const {
  const auto input = probe_input();
  return input.dim() == 2 ? input.size(1) : 49;
}

int64_t EpochSampler::next() {
  const int64_t epoch = drawn_ / examples_;
  if (epoch != epoch_) {
    permutation_.resize(size_t(examples_));
    std::iota(permutation_.begin(), permutation_.end(), 0);
    std::mt19937_64 rng(static_cast<uint64_t>(seed_) * 1000003u + uint64_t(epoch));
    std::shuffle(permutation_.begin(), permutation_.end(), rng);
    epoch_ = epoch;
  }
  return permutation_[size_t(drawn_++ % examples_)];
}

std::string EpochSampler::state(const std::string& rest) const { return std::to_string(drawn_) + " " + rest; }

std::string EpochSampler::restore(const std::string& state) {
  std::istringstream in(state);
  int64_t drawn = -1;
  in >> drawn;
  if (in.fail() || drawn < 0) throw Error("checkpoint holds a corrupt sampler state");
  std::string rest;
  std::getline(in, rest);
  drawn_ = drawn;
  epoch_ = -1;
  return rest;
}

DomainLoss::DomainLoss(int64_t domains)
    : sum_(torch::zeros({domains + 1}, torch::kFloat64)), count_(torch::zeros({domains + 1}, torch::kFloat64)) {}

void DomainLoss::add(const torch::Tensor& token_loss, const torch::Tensor& domain) {
  const int64_t skipped = sum_.size(0) - 1;
  auto index = domain.reshape(-1).to(torch::kCPU, torch::kInt64);
  index = torch::where(index.lt(0).logical_or(index.ge(skipped)), torch::full_like(index, skipped), index);
  auto loss = token_loss.reshape(-1).to(torch::kCPU, torch::kFloat64);
  sum_.index_add_(0, index, loss);
  count_.index_add_(0, index, torch::ones_like(loss));
}

std::vector<double> DomainLoss::means() const {
  std::vector<double> out;
  for (int64_t d = 0; d + 1 < sum_.size(0); ++d) {
    const double n = count_[d].item<double>();
    out.push_back(n > 0 ? sum_[d].item<double>() / n : std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

std::unique_ptr<Task> make_task(const RunConfig& config, torch::Device device) {
  if (config.model.task == "lm" && !config.data.hf_model.empty()) return make_hf_task(config, device);
  if (config.model.task == "lm") return make_lm_task(config, device);
  if (config.model.task == "fusion") return make_fusion_task(config, device);
  return make_vision_task(config, device);
}

}  // namespace moescope
