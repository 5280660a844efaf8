#include "train/schedule.h"

#include <algorithm>
#include <cmath>

namespace moescope {

double lr_factor(int64_t step, int64_t warmup_steps, int64_t total_steps, double min_ratio) {
  if (step < warmup_steps) return double(step + 1) / double(warmup_steps);
  const int64_t decay_steps = std::max<int64_t>(1, total_steps - warmup_steps);
  const double progress = std::clamp(double(step - warmup_steps) / double(decay_steps), 0.0, 1.0);
  return min_ratio + (1.0 - min_ratio) * 0.5 * (1.0 + std::cos(M_PI * progress));
}

int64_t effective_warmup(const TrainConfig& t) { return std::min(t.warmup_steps, t.steps / 5); }

}  // namespace moescope
