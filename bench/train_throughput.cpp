// Training throughput of a preset in tokens/s, measured as the wall time between step events
// (so asynchronous GPU work is counted where it is waited for), after warm-up steps.
// Routing snapshots stay on as the preset sets them; evaluation is off. Core only (no Qt, no
// HDF5): this is what runs on a GPU server.
//   train_throughput [--preset lm-fortunes] [--device cpu|cuda] [--precision auto|fp32|bf16]
//                    [--steps 60] [--threads N] [--fortunes DIR] [--kernel auto|segments|grouped_mm]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/openmp_policy.h"
#include "engine/session.h"
#include "base/error.h"
#include "train/config.h"

using namespace moescope;

namespace {

struct Clock : SessionObserver {
  int64_t warmup = 10;
  std::vector<double> period_ms;
  std::chrono::steady_clock::time_point last;
  double loss = 0.0;
  int64_t tokens_per_step = 0;
  void on_step(const StepMetrics& m) override {
    const auto now = std::chrono::steady_clock::now();
    if (m.step > warmup) period_ms.push_back(std::chrono::duration<double, std::milli>(now - last).count());
    last = now;
    loss = m.loss;
    tokens_per_step = m.tokens / m.step;
  }
};

}  // namespace

int main(int argc, char** argv) {
  bound_openmp_spinning(argv);
  std::string preset = "lm-fortunes", device = "auto", precision = "auto", fortunes, kernel = "auto";
  int64_t steps = 60, threads = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const bool v = i + 1 < argc;
    if (a == "--preset" && v) preset = argv[++i];
    else if (a == "--device" && v) device = argv[++i];
    else if (a == "--precision" && v) precision = argv[++i];
    else if (a == "--steps" && v) steps = std::stoll(argv[++i]);
    else if (a == "--threads" && v) threads = std::stoll(argv[++i]);
    else if (a == "--fortunes" && v) fortunes = argv[++i];
    else if (a == "--kernel" && v) kernel = argv[++i];
    else {
      std::fprintf(stderr, "usage: train_throughput [--preset P] [--device D] [--precision auto|fp32|bf16] "
                           "[--steps N] [--threads N] [--fortunes DIR] [--kernel K]\n");
      return 2;
    }
  }
  try {
    RunConfig c = preset_config(preset);
    c.device = device;
    c.precision = precision;
    c.threads = threads;
    c.model.expert_kernel = kernel;
    if (!fortunes.empty()) c.data.fortunes_dir = fortunes;
    c.train.steps = steps;
    c.train.eval_every = 0;
    Clock clock;
    clock.warmup = std::min<int64_t>(10, steps / 3);
    Session session(c);
    session.add_observer(&clock);
    std::printf("%s on %s: %s\n", preset.c_str(), session.run_info().device.c_str(),
                session.run_info().model_summary.c_str());
    session.run();
    auto v = clock.period_ms;
    std::sort(v.begin(), v.end());
    const double ms = v.empty() ? 0.0 : v[v.size() / 2];
    std::printf("%lld steps, median %.2f ms/step over steps %lld..%lld, %.0f tokens/s, loss %.3f\n",
                (long long)steps, ms, (long long)clock.warmup + 1, (long long)steps,
                double(clock.tokens_per_step) / (ms * 1e-3), clock.loss);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_throughput: %s\n", e.what());
    return 1;
  }
  return 0;
}
