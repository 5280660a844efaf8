// The small run every run-log test writes and reads: two MoE layers of three experts.
#pragma once

#include <string>

#include "base/events.h"
#include "run_log_writer.h"

namespace moescope {

inline RunInfo info_2x3() {
  RunInfo info;
  info.preset = "lm-fortunes";
  info.task = "lm";
  info.config_json = R"({"preset": "lm-fortunes"})";
  info.model_summary = "tiny";
  info.device = "cpu";
  info.start_time = "2026-01-01T00:00:00Z";
  info.layers = 2;
  info.experts = 3;
  info.top_k = 1;
  info.total_steps = 100;
  info.parameters = 1000;
  info.active_parameters = 500;
  return info;
}

inline RoutingSnapshot snapshot(int64_t step) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = 2;
  s.experts = 3;
  s.load = {0.5f, 0.25f, 0.25f, 0.1f, 0.2f, 0.7f};
  s.importance = {0.4f, 0.3f, 0.3f, 0.2f, 0.2f, 0.6f};
  s.entropy = {1.0f, float(step)};
  s.dropped = {0.0f, 0.0f};
  return s;
}

// Every field different from every other, so a reader that swaps two columns fails.
inline StepMetrics metrics(int i) {
  return {i, i * 64, 5.0 / i, 1.01 + i, 0.2 + i / 100.0, 1e-3 * i, 0.5 + i, 12.0 + i, 5000.0 + i};
}

inline void write_run(const std::string& path, int steps) {
  RunLogWriter log(path, info_2x3());
  for (int i = 1; i <= steps; ++i) {
    log.on_step(metrics(i));
    if (i % 5 == 0) log.on_routing(snapshot(i));
    if (i % 10 == 0) log.on_eval({i, 4.0 / i, 0.1 * i / 10, 32 + i, {}});
  }
}

}  // namespace moescope
