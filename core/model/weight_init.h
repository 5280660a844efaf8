// Random initial weights, or none: a model whose weights are overwritten at once by loaded ones
// (a Hugging Face folder) is built inside a SkipWeightInit scope, where the experts' stacked
// weights, most of an MoE's parameters, are left uninitialised instead of drawing hundreds of
// millions of normal samples (3.5 s of the 6 s that a 16 x 64-expert model took to open).
#pragma once

namespace moescope {

inline bool& skip_weight_init() {
  thread_local bool skip = false;
  return skip;
}

// On this thread, for the scope's lifetime.
class SkipWeightInit {
 public:
  SkipWeightInit() : saved_(skip_weight_init()) { skip_weight_init() = true; }
  ~SkipWeightInit() { skip_weight_init() = saved_; }
  SkipWeightInit(const SkipWeightInit&) = delete;
  SkipWeightInit& operator=(const SkipWeightInit&) = delete;

 private:
  bool saved_;
};

}  // namespace moescope
