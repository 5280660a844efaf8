// moescope-cli prune: expert pruning of a checkpoint, with the preview's predicted cost and
// the measured cost on the held-out split.
#pragma once

#include <cstdint>
#include <string>

namespace moescope {

struct PruneCommand {
  std::string checkpoint, out, report, method = "frequency", device;
  int64_t keep = 0, calibration_tokens = 16384, threads = -1;
};

// Prints the report; returns the exit status. Throws moescope::Error for the user.
int run_prune(const PruneCommand& command);

}  // namespace moescope
