// moescope-cli plot and export: publication figures and CSV tables from a run log, with no
// window (the offscreen platform when there is no display). Built with the GUI only.
#pragma once

#include <cstdint>
#include <string>

namespace moescope {

struct PlotCommand {
  std::string log, view, out, out_dir, steps, size;
  int64_t layer = -1, step = -1, dpi = 300, fps = 10;
  bool all = false;
};

// Figures of plot's views: one (--view, --out), all at the last step (--all, --out-dir), or
// an animation over --steps A:B (numbered PNG frames in --out-dir, or --out .mp4 / .gif
// through ffmpeg). Returns the exit status; errors go to stderr, naming the file.
int run_plot(const PlotCommand& command, int argc, char** argv);

}  // namespace moescope
