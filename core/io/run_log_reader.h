// Reads a run log (finished, killed, or still being written) back into the event structs,
// so views replay it exactly as they show a live run.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/events.h"

namespace moescope {

struct RunLog {
  RunInfo info;
  std::vector<StepMetrics> steps;
  std::vector<EvalResult> evals;
  std::vector<RoutingSnapshot> routing;
  std::vector<TrajectorySnapshot> trajectories;
  std::vector<CollapseAlert> alerts;
  std::vector<InterventionEvent> interventions;
  // The model's shape at the start (step 0) and at every step it changed (format 2).
  std::vector<ShapeChange> shape_changes;
  // Surgery previews, applications and undos, in order (/surgery; empty in older logs).
  std::vector<SurgeryRecord> surgery;
};

// Told the share of the file read so far (0 to 1, by the datasets' bytes on disk) after each
// dataset, on the reading thread; returning false cancels the read.
using ReadProgress = std::function<bool(double fraction)>;

// Throws moescope::Error naming the file for a missing, truncated, corrupt or foreign file,
// and ReadCancelled when `progress` returned false.
RunLog read_run_log(const std::string& path, const ReadProgress& progress = {});

// What the runs panel lists of a log, read without its series: preset, task, router, start
// time and config from the root attributes, the last step logged, the last evaluation.
struct RunSummary {
  std::string path, preset, task, router, start_time, config_json;
  int64_t steps = 0, total_steps = 0;
  double eval_loss = kNaN, eval_accuracy = kNaN;
};
// Throws moescope::Error naming the file, as read_run_log() does.
RunSummary read_run_summary(const std::string& path);

struct ReadCancelled : Error {
  using Error::Error;
};

}  // namespace moescope
