#include "train/task.h"

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

std::unique_ptr<Task> make_task(const RunConfig& config, torch::Device device) {
  if (config.model.task == "lm") return make_lm_task(config, device);
  if (config.model.task == "fusion") return make_fusion_task(config, device);
  return make_vision_task(config, device);
}

}  // namespace moescope
