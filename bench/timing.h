// A small timing harness: candidates run interleaved (A B C A B C ...) so drift in clock
// speed or background load hits all of them alike; medians are reported.
#pragma once

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace moescope::bench {

struct Candidate {
  std::string name;
  std::function<void()> run;
  std::vector<double> ms;
  double median() const {
    auto v = ms;
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
  }
};

inline void synchronize(const torch::Device& device) {
  if (device.is_cuda()) torch::cuda::synchronize();
}

inline void measure(std::vector<Candidate>& candidates, int warmup, int reps, const torch::Device& device) {
  for (int i = 0; i < warmup; ++i)
    for (auto& c : candidates) c.run();
  synchronize(device);
  for (int r = 0; r < reps; ++r) {
    for (auto& c : candidates) {
      const auto start = std::chrono::steady_clock::now();
      c.run();
      synchronize(device);
      c.ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
  }
}

}  // namespace moescope::bench
