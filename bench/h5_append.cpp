// Cost of logging one routing snapshot of 24 layers x 64 experts to the HDF5 run log: the
// call on the training thread (buffering) and the write + flush that the flusher thread does.
//   h5_append [--snapshots N]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "run_log_writer.h"

using namespace moescope;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  int snapshots = 10000;
  if (argc == 3 && std::string(argv[1]) == "--snapshots") snapshots = std::stoi(argv[2]);
  const auto path = (std::filesystem::temp_directory_path() / "moescope-h5-append.h5").string();
  RunInfo info;
  info.layers = 24;
  info.experts = 64;
  info.top_k = 2;
  RoutingSnapshot s;
  s.layers = 24;
  s.experts = 64;
  s.load.assign(24 * 64, 1.0f / 64);
  s.importance = s.load;
  s.entropy.assign(24, 4.0f);
  s.dropped.assign(24, 0.0f);

  double call_us = 0, flush_us = 0;
  {
    RunLogWriter writer(path, info);
    const int batch = 100;  // what ~0.5 s of a fast run buffers between flushes
    for (int i = 0; i < snapshots; i += batch) {
      const auto t0 = Clock::now();
      for (int j = 0; j < batch; ++j) {
        s.step = i + j;
        writer.on_routing(s);
      }
      const auto t1 = Clock::now();
      writer.flush();
      const auto t2 = Clock::now();
      call_us += std::chrono::duration<double, std::micro>(t1 - t0).count();
      flush_us += std::chrono::duration<double, std::micro>(t2 - t1).count();
    }
  }
  const auto bytes = std::filesystem::file_size(path);
  std::filesystem::remove(path);
  std::printf("routing snapshot 24 layers x 64 experts, %d snapshots, flushed every 100\n", snapshots);
  std::printf("  on_routing (training thread): %7.2f us per snapshot\n", call_us / snapshots);
  std::printf("  write + flush (flusher)     : %7.2f us per snapshot\n", flush_us / snapshots);
  std::printf("  file: %.1f MB (%.1f KB per snapshot)\n", bytes / 1e6, bytes / 1e3 / snapshots);
  return 0;
}
