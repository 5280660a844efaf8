#pragma once

namespace moescope {

// LibTorch's OpenMP threads spin at every barrier by default. When another process holds a
// core (a desktop, a build, Xvfb), a spinning team waits out whole scheduler slices at each
// of the thousands of parallel regions of a step: measured 376 vs 5471 tokens/s on lm-fortunes
// with one of two cores busy. libgomp reads OMP_WAIT_POLICY only at load time, so unless the
// user chose a policy, this re-executes the program once with OMP_WAIT_POLICY=PASSIVE.
// Call it first thing in main().
void prefer_passive_openmp_wait(char** argv);

}  // namespace moescope
