// Times the surgery previews of one 64-expert MoE layer (d = 256, expert hidden 512, top-2)
// on 16 384 cached tokens against the calibration pass that fills the cache: the target of
// the surgery issue is under 2 s per preview on the 2-core CPU. Merging is planned with its
// pair merge errors and predicted cost, with and without Hungarian alignment.
//   surgery_preview [--threads N] [--reps N] [--tokens T] [--experts E] [--keep K]
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "surgery/calibration.h"
#include "surgery/merge.h"
#include "surgery/prune.h"
#include "surgery/quantize.h"
#include "surgery/skip.h"
#include "timing.h"

using namespace moescope;

int main(int argc, char** argv) {
  int threads = 2, reps = 3;
  int64_t tokens = 16384, experts = 64, keep = 48, d = 256, hidden = 512;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (flag == "--threads") threads = int(v);
    else if (flag == "--reps") reps = int(v);
    else if (flag == "--tokens") tokens = v;
    else if (flag == "--experts") experts = v;
    else if (flag == "--keep") keep = v;
    else {
      std::fprintf(stderr, "usage: surgery_preview [--threads N] [--reps N] [--tokens T] [--experts E] [--keep K]\n");
      return 2;
    }
  }
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  RouterConfig router;
  router.init_std = 0.5;
  auto layer = MoELayer(MoELayerOptions(d, hidden).experts(experts).top_k(2).router(router));
  layer->eval();
  const int64_t batch = 4096;
  const auto calibrate_once = [&] {
    int64_t done = 0;
    return calibrate({layer}, tokens, [&]() -> int64_t {
      if (done >= tokens) return 0;
      torch::NoGradGuard no_grad;
      layer->forward(torch::randn({batch, d}));
      done += batch;
      return batch;
    });
  };
  auto cache = calibrate_once();
  const auto& c = cache.layers[0];
  const auto usage = c.counts.narrow(0, 0, experts);
  const auto merge_options = [&](MergeMethod method, bool align) {
    MergeOptions o;
    o.method = method;
    o.experts = keep;
    o.align = align;
    return o;
  };
  std::vector<bench::Candidate> candidates = {
      {"calibration pass", [&] { cache = calibrate_once(); }, {}},
      {"prune frequency", [&] { plan_prune(layer, cache.layers[0], PruneMethod::frequency, keep); }, {}},
      {"prune reap", [&] { plan_prune(layer, cache.layers[0], PruneMethod::reap, keep); }, {}},
      {"merge hc-smoe", [&] { plan_merge(layer, cache.layers[0], merge_options(MergeMethod::hc_smoe, false)); }, {}},
      {"merge mc-smoe", [&] { plan_merge(layer, cache.layers[0], merge_options(MergeMethod::mc_smoe, false)); }, {}},
      {"merge hc-smoe aligned", [&] { plan_merge(layer, cache.layers[0], merge_options(MergeMethod::hc_smoe, true)); }, {}},
      {"skip beta 0.5", [&] { plan_skip(layer, cache.layers[0], 0.5); }, {}},
      {"quantize int4", [&] { plan_quantize(layer, cache.layers[0], std::vector<int64_t>(size_t(experts), 4)); }, {}},
      {"quantize 5 bits by usage", [&] { plan_quantize(layer, cache.layers[0], allocate_bits(usage, 5.0)); }, {}},
  };
  bench::measure(candidates, 1, reps, torch::kCPU);
  std::printf("surgery previews of one MoE layer: %lld experts, d=%lld, expert hidden %lld, top-2, %lld cached tokens, "
              "%d threads, median of %d interleaved runs\n",
              static_cast<long long>(experts), static_cast<long long>(d), static_cast<long long>(hidden),
              static_cast<long long>(tokens), threads, reps);
  const double calibration = candidates[0].median();
  for (const auto& candidate : candidates) {
    std::printf("  %-26s %9.1f ms  %5.2fx the calibration pass\n", candidate.name.c_str(), candidate.median(),
                candidate.median() / calibration);
  }
  return 0;
}
