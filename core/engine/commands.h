// Commands travel from the GUI or CLI to the training loop, which drains them between steps.
#pragma once

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

using Command = std::variant<PauseCommand, ResumeCommand, StopCommand, SetLearningRate,
                             SetBalanceCoefficient, SaveCheckpoint>;

}  // namespace moescope
