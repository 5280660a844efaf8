// moescope-cli prune, merge, quantize, skip: expert surgery on a checkpoint, with the preview's predicted cost and
// the measured cost on the held-out split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

// What every surgery command reads and writes.
struct SurgeryFiles {
  std::string checkpoint, out, report, device;
  // Or a Hugging Face model folder and the text to calibrate on (docs/hf-models.md); --out is
  // then a folder transformers loads.
  std::string model;
  std::vector<std::string> texts;
  std::string log;  // the preview of the surgery, as a run log's /surgery row (plot --view surgery)
  int64_t calibration_tokens = 16384, threads = -1;
};

struct PruneCommand {
  SurgeryFiles files;
  std::string method = "frequency";
  int64_t keep = 0, keep_total = 0;
};

struct MergeCommand {
  SurgeryFiles files;
  std::string method = "hc-smoe", router = "keep";
  int64_t experts = 0;
  bool align = false;
};

struct QuantizeCommand {
  SurgeryFiles files;
  int64_t bits = 8;
  double average_bits = 0.0;
};

struct SkipCommand {
  SurgeryFiles files;
  double beta = 0.0;
};

// surgery-sweep: one method at every budget; files.out is the sweep's JSON.
struct SweepCommand {
  SurgeryFiles files;
  std::string method = "reap", router = "keep";
  bool align = false;
};

// upcycle: a dense checkpoint becomes an MoE checkpoint (engine/upcycle_run.h).
struct UpcycleCommand {
  std::string checkpoint, out, report, device, router_init;
  std::vector<std::string> router_texts;
  int64_t experts = 8, top_k = 1, threads = -1;
  double drop_ratio = 0.0;
  uint64_t seed = 0;
};

// merge-models: checkpoints of one architecture merged in weight space (engine/model_merge_run.h).
struct MergeModelsCommand {
  std::vector<std::string> checkpoints;
  std::string base, method = "linear", out, report, device;
  std::vector<double> weights;
  double lambda = 1.0, density = 0.2;
  bool align = false, barrier = false;
  int64_t threads = -1;
};

// btx: Branch-Train-MiX from a dense seed checkpoint (engine/btx_run.h).
struct BtxCommand {
  std::string seed, out, report, log, branches_dir, router_init = "hidden", device;
  std::vector<std::string> languages;
  int64_t branch_steps = 200, mix_steps = 200, top_k = 2, threads = -1;
};

// Each prints its report; returns the exit status. Throws moescope::Error for the user, and
// then writes no file.
int run_prune(const PruneCommand& command);
int run_merge(const MergeCommand& command);
int run_quantize(const QuantizeCommand& command);
int run_skip(const SkipCommand& command);
int run_sweep(const SweepCommand& command);
int run_upcycle(const UpcycleCommand& command);
int run_merge_models(const MergeModelsCommand& command);
int run_btx(const BtxCommand& command);

}  // namespace moescope
