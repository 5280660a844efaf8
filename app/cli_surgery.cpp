#include "cli_surgery.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "base/error.h"
#include "engine/session.h"
#include "engine/surgery_run.h"
#include "train/checkpoint.h"

namespace moescope {
namespace {

std::string join(const std::vector<int64_t>& ids) {
  std::string text;
  for (auto id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text.empty() ? "-" : text;
}

// The file appears whole or not at all: written beside the target, then renamed.
void write_text_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error(path + ": cannot write the report");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error(path + ": cannot move the report into place (" + ec.message() + ")");
  }
}

}  // namespace

int run_prune(const PruneCommand& c) {
  PruneRequest request;
  try {
    request.method = parse_prune_method(c.method);
  } catch (const std::invalid_argument& e) {
    throw Error(std::string("--method: ") + e.what());
  }
  request.keep = c.keep;
  request.calibration_tokens = c.calibration_tokens;
  // Everything that can be refused is refused before anything is written.
  if (!c.out.empty() && std::filesystem::absolute(c.out) == std::filesystem::absolute(c.checkpoint)) {
    throw Error("--out " + c.out + ": would overwrite the input checkpoint; choose another file");
  }
  RunConfig config = checkpoint_config(c.checkpoint);
  if (!c.device.empty()) config.device = c.device;
  if (c.threads >= 0) config.threads = c.threads;
  std::fprintf(stderr, "loading %s ...\n", c.checkpoint.c_str());
  Session session(config);
  session.load_checkpoint(c.checkpoint);
  const bool tty = isatty(fileno(stderr)) != 0;
  double last_share = -1.0;
  const auto progress = [&](double share) {
    if (share - last_share >= 0.1 || share >= 1.0) {
      std::fprintf(stderr, tty ? "\rpruning: %3.0f%%" : "pruning: %3.0f%%\n", 100.0 * share);
      last_share = share;
    }
    return true;
  };
  const auto report = prune_session(session, request, progress);
  if (tty) std::fprintf(stderr, "\n");

  const bool lm = config.model.task == "lm";
  std::printf("pruning %s to %lld FFN experts per layer by %s, %lld calibration tokens per layer (training split)\n",
              c.checkpoint.c_str(), static_cast<long long>(c.keep), prune_method_name(request.method),
              static_cast<long long>(report.calibration_tokens));
  std::printf("%-5s  %-24s  %-16s  %13s  %13s  %14s\n", "layer", "kept", "removed", "routed share",
              "REAP saliency", "recon. error");
  for (size_t l = 0; l < report.layers.size(); ++l) {
    const auto& p = report.layers[l];
    std::printf("%-5zu  %-24s  %-16s  %12.1f%%  %12.1f%%  %14.4f\n", l, join(p.keep).c_str(),
                join(p.removed).c_str(), 100.0 * p.routed_share_removed, 100.0 * p.saliency_removed,
                p.reconstruction_error);
  }
  const auto loss_text = [lm](const EvalResult& e) {
    char text[96];
    if (lm) std::snprintf(text, sizeof text, "%.4f bits/byte", e.loss / std::log(2.0));
    else std::snprintf(text, sizeof text, "%.4f (accuracy %.2f%%)", e.loss, 100.0 * e.accuracy);
    return std::string(text);
  };
  std::printf("measured on the held-out split: %s before, %s after\n", loss_text(report.before).c_str(),
              loss_text(report.after).c_str());
  std::printf("parameters: %.3fM -> %.3fM (active per token %.3fM -> %.3fM)\n",
              double(report.parameters_before) / 1e6, double(report.parameters_after) / 1e6,
              double(report.active_before) / 1e6, double(report.active_after) / 1e6);
  std::printf("time: calibration %.2f s, preview %.2f s, evaluation %.2f s\n", report.calibration_seconds,
              report.preview_seconds, report.evaluation_seconds);

  if (!c.report.empty()) {
    write_text_atomically(c.report, to_json(report).dump(2) + "\n");
    std::printf("report written to %s\n", c.report.c_str());
  }
  if (!c.out.empty()) {
    session.save_checkpoint(c.out);
    std::printf("pruned checkpoint written to %s (continue with: moescope-cli train --resume %s --steps N)\n",
                c.out.c_str(), c.out.c_str());
  }
  return 0;
}

}  // namespace moescope
