#pragma once

#include <cstdint>

#include "train/config.h"

namespace moescope {

// Linear warm-up to 1 over warmup_steps, then cosine decay to min_ratio at total_steps.
// step is the 0-based index of the step about to run; returns the factor on the peak lr.
double lr_factor(int64_t step, int64_t warmup_steps, int64_t total_steps, double min_ratio);

// The warm-up a run uses: train.warmup_steps, capped at a fifth of the run so that short
// runs still reach the peak rate.
int64_t effective_warmup(const TrainConfig& train);

}  // namespace moescope
