#pragma once

namespace moescope {

// LibTorch's OpenMP threads wait for work at every parallel region. libgomp's default spins
// 300 000 times first: when another process holds a core, the spinning team loses whole
// scheduler slices at each of the thousands of parallel regions of a step (lm-fortunes on two
// cores with one busy: 376 tokens/s). Never spinning (OMP_WAIT_POLICY=PASSIVE) fixes that
// (9 480 tokens/s) but pays a wake-up per small GEMM on an idle machine (14 800 vs 17 400
// tokens/s). A short spin (GOMP_SPINCOUNT=10000) keeps the idle speed and most of the other:
// 17 400 idle, 6 500 with a core busy. libgomp reads these variables only when it loads, so
// unless the user set either, this re-executes the program once with the short spin.
// Call it first thing in main().
void bound_openmp_spinning(char** argv);

}  // namespace moescope
