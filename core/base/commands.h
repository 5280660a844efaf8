// Commands travel from the GUI or CLI to the training loop, which drains them between steps.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace moescope {

struct PauseCommand {};
struct ResumeCommand {};
struct StopCommand {};
// Peak learning rate; the warm-up/cosine schedule still scales it.
struct SetLearningRate {
  double lr;
};
// Coefficient of the load-balancing auxiliary loss.
struct SetBalanceCoefficient {
  double coefficient;
};
struct SaveCheckpoint {
  std::string path;
};
// Router temperature (logits are divided by it; the end temperature for dense_to_sparse).
struct SetRouterTemperature {
  double temperature;
};
// Slots per expert = ceil(cf * T * k / E); 0 = dropless.
struct SetCapacityFactor {
  double capacity_factor;
};
// Aux-loss-free balancing on or off, and its bias step per update.
struct SetBiasBalancing {
  bool enabled;
  double rate;
};
// Re-initialises the FFN experts whose utilisation (load x experts) in the last snapshot is
// below `utilisation`: each becomes a noisy copy of its layer's most-loaded expert and takes
// that expert's router row. layer -1 means every layer.
struct ReinitDeadExperts {
  double utilisation = 0.05;
  int64_t layer = -1;
  double noise = 0.01;  // relative to each weight's standard deviation
};

using Command = std::variant<PauseCommand, ResumeCommand, StopCommand, SetLearningRate,
                             SetBalanceCoefficient, SaveCheckpoint, SetRouterTemperature,
                             SetCapacityFactor, SetBiasBalancing, ReinitDeadExperts>;

}  // namespace moescope
