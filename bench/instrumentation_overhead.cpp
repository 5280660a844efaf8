// lm-fortunes training throughput with the HDF5 run log and routing snapshots on, against
// both off. Runs alternate (off, on, off, on, ...) and the median step time of each side is
// compared. Target: <= 5% slower.
//   instrumentation_overhead [--rounds N] [--steps N] [--threads N]
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/openmp_policy.h"
#include "engine/session.h"
#include "run_log_writer.h"
#include "train/config.h"

using namespace moescope;

namespace {

struct StepTimes : SessionObserver {
  std::vector<double> ms;
  void on_step(const StepMetrics& m) override {
    if (m.step > 3) ms.push_back(m.ms);  // skip warm-up steps
  }
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0.0 : sum / double(v.size());
}

}  // namespace

int main(int argc, char** argv) {
  bound_openmp_spinning(argv);
  int rounds = 3, steps = 30, threads = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--rounds") rounds = std::stoi(argv[i + 1]);
    else if (a == "--steps") steps = std::stoi(argv[i + 1]);
    else if (a == "--threads") threads = std::stoi(argv[i + 1]);
  }
  const auto log = (std::filesystem::temp_directory_path() / "moescope-overhead.h5").string();
  std::vector<double> off, on;
  for (int r = 0; r < rounds; ++r) {
    for (bool instrumented : {false, true}) {
      auto config = preset_config("lm-fortunes");
      config.train.steps = steps;
      config.train.eval_every = 0;  // evaluation is not instrumentation
      config.train.snapshot_every = instrumented ? 5 : 0;
      config.device = "cpu";
      config.threads = threads;
      Session session(config);
      StepTimes times;
      session.add_observer(&times);
      std::unique_ptr<RunLogWriter> writer;
      if (instrumented) {
        writer = std::make_unique<RunLogWriter>(log, session.run_info());
        session.add_observer(writer.get());
      }
      session.run();
      auto& side = instrumented ? on : off;
      side.insert(side.end(), times.ms.begin(), times.ms.end());
    }
  }
  std::filesystem::remove(log);
  // The mean counts the snapshot steps (one in five); the median shows the typical step.
  const double a = mean(off), b = mean(on);
  std::printf("lm-fortunes step time over %zu steps each (%d rounds x %d steps, alternating)\n",
              off.size(), rounds, steps);
  std::printf("  log + snapshots off: mean %8.2f ms/step (%.0f tokens/s), median %8.2f ms\n", a,
              4096.0 / (a / 1000), median(off));
  std::printf("  log + snapshots on : mean %8.2f ms/step (%.0f tokens/s), median %8.2f ms\n", b,
              4096.0 / (b / 1000), median(on));
  std::printf("  throughput cost: %+.1f%% (mean), %+.1f%% (median); target <= 5%%\n",
              100.0 * (b / a - 1.0), 100.0 * (median(on) / median(off) - 1.0));
  return 0;
}
