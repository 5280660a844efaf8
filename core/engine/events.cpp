#include "engine/events.h"

namespace moescope {

const char* to_string(RunState state) {
  switch (state) {
    case RunState::Loading: return "loading";
    case RunState::Running: return "running";
    case RunState::Paused: return "paused";
    case RunState::Finished: return "finished";
    case RunState::Stopped: return "stopped";
    case RunState::Failed: return "failed";
  }
  return "unknown";
}

}  // namespace moescope
