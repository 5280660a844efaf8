// Commands travel from the GUI or CLI to the training loop, which drains them between steps.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "base/events.h"

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

// Expert surgery (docs/surgery.md): previewed on the paused model, then applied or undone.
// A preview changes the model, measures it and puts it back exactly; Apply commits the last
// preview's plan (refused when it is not the last one); Undo restores the model, its
// optimizer state and its shape as they were before the last Apply, until training goes on.
struct PreviewSurgery {
  SurgeryRequest request;
};
struct ApplySurgery {
  int64_t preview_id = 0;
};
struct UndoSurgery {};
// Previews the request's method at every budget (engine/surgery_sweep.h), one preview each.
struct SweepSurgery {
  SurgeryRequest request;
};

using Command = std::variant<PauseCommand, ResumeCommand, StopCommand, SetLearningRate,
                             SetBalanceCoefficient, SaveCheckpoint, SetRouterTemperature,
                             SetCapacityFactor, SetBiasBalancing, ReinitDeadExperts,
                             PreviewSurgery, ApplySurgery, UndoSurgery, SweepSurgery>;

}  // namespace moescope
