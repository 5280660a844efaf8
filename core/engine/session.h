// A training run: builds the task from a RunConfig, runs the loop on the calling thread,
// publishes events to observers and drains commands between steps. The GUI (through
// EngineThread) and the CLI drive the same Session.
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/commands.h"
#include "base/events.h"
#include "base/observer.h"
#include "inspect/collapse_detector.h"
#include "engine/model_state.h"
#include "engine/surgery_preview.h"
#include "model/moe_layer.h"
#include "surgery/merge.h"
#include "train/config.h"

namespace moescope {

struct Batch;  // train/task.h

class Task;

// Sits between a step's backward pass and its optimizer update, with every parameter's
// gradient in grad(): a data-parallel run averages its ranks' gradients here (an all-reduce),
// and observers then run on one rank only. A single process needs none.
class GradientReducer {
 public:
  virtual ~GradientReducer() = default;
  virtual void reduce(const std::vector<torch::Tensor>& parameters) = 0;
};

class Session {
 public:
  // Validates the config, picks the device and thread count, loads the data and builds the
  // model. Throws moescope::Error with a message for the user.
  explicit Session(RunConfig config);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const RunInfo& run_info() const { return info_; }
  const RunConfig& config() const { return config_; }
  void add_observer(SessionObserver* observer);  // not owned; add before run()
  void set_gradient_reducer(GradientReducer* reducer) { reducer_ = reducer; }  // not owned

  void post(Command command);  // any thread
  // Trains until config.train.steps or a stop command. Failures inside the loop are published
  // as SessionState::Failed and rethrown.
  void run();

  // Training-thread only (or before run()).
  void save_checkpoint(const std::string& path);
  void load_checkpoint(const std::string& path);
  int64_t step() const { return step_; }
  int64_t tokens() const { return tokens_; }  // training tokens seen so far
  EvalResult evaluate();
  Task& task() { return *task_; }

  // Runs all of the task's text through the model once, without training (moescope-cli
  // inspect, File > Open model): each batch is a step with its loss, a routing snapshot
  // (with the domain x expert counts), the probe's trajectory and the collapse detector's
  // alerts, as in training; then one evaluation over all of it. progress(done, batches)
  // after each batch. Throws moescope::Error for a task without such text.
  struct InspectResult {
    double loss = 0.0;   // mean nats per predicted token
    int64_t tokens = 0;  // predicted tokens
    std::vector<double> domain_loss;
    std::vector<std::vector<double>> layer_load;  // [MoE layer][expert]: share of the assignments
  };
  // finish: publish Finished at the end (false when the run goes on, paused, to fine-tune).
  InspectResult inspect(const std::function<void(int64_t, int64_t)>& progress = {}, bool finish = true);
  // Cuts the text into its batches and makes them the run's steps (run_info().total_steps),
  // so that a run log created before inspect() knows its length; inspect() does it if not
  // done yet. Throws moescope::Error for a task without such text.
  void prepare_inspect();

  // Expert surgery (training thread, between steps): keeps, per MoE layer, the FFN experts
  // listed in keep[l] (ascending; an empty list keeps the layer as it is), with their
  // optimizer moments. The config (model.layer_experts), the run info and later checkpoints
  // follow the new shape, and observers get a ShapeChange at the current step. Throws
  // moescope::Error, changing nothing, when a layer cannot be pruned so.
  void prune_experts(const std::vector<std::vector<int64_t>>& keep);
  // Merges each MoE layer's experts as plans[l] says (core/surgery/merge.h), with the
  // optimizer's moments; the config (model.layer_experts, model.layer_logit_map), run info,
  // checkpoints and observers follow as for pruning. Throws, changing nothing, when a layer
  // cannot be merged so.
  void merge_experts(const std::vector<LayerMergePlan>& plans, const MergeOptions& options);

  // The window's surgery (training thread, between steps; docs/surgery.md). A preview
  // calibrates (or reuses the cache of an earlier preview at this step), plans, changes the
  // model, measures it on the held-out split and puts it back exactly; observers get
  // progress and the SurgeryPreview. Apply commits the last preview (keeping an undo copy of
  // the model and optimizer state); Undo puts that copy back, until the next step. Each
  // throws moescope::Error, changing nothing, when it cannot be done.
  SurgeryPreview preview_surgery(const SurgeryRequest& request);
  SurgeryApplied apply_surgery(int64_t preview_id);
  SurgeryApplied undo_surgery();
  // The id the next preview will have (a sweep is named after its first point).
  int64_t next_preview_id() const { return preview_ids_ + 1; }
  bool can_undo_surgery() const { return undo_ != nullptr && undo_step_ == step_; }
  // Any thread: the running calibration pass (or sweep) stops and fails with "cancelled"; the
  // next surgery command starts afresh.
  void cancel_surgery() { cancel_surgery_ = true; }

 private:
  // Runs change(l, layer, optimizer) on every MoE layer, then brings the config, the run info
  // and the observers up to the new shape.
  void change_experts(const std::function<void(size_t, MoELayerImpl&, torch::optim::Optimizer*)>& change);
  bool drain_commands();  // false when the run must stop
  void apply(const Command& command);
  void publish_state(RunState state, const std::string& message = {});
  // One step: forward_backward (false, with no gradients, when the loss is not finite), the
  // gradient reducer, apply_update (clip and optimizer step; returns the gradient norm, or NaN
  // with no step when the gradient is not finite).
  void train_step();
  bool forward_backward(StepMetrics& metrics, int64_t& tokens);
  // Where a non-finite loss or gradient came from: the first parameter (in the model's order)
  // that is not finite, else the first whose gradient is not finite, else "".
  std::string first_non_finite() const;
  double apply_update();
  // Runs the probe tokens through the model (eval mode, no grad), fills the snapshot's
  // stability and similarity, and returns their trajectories.
  TrajectorySnapshot run_probe(const std::vector<MoELayer>& layers, RoutingSnapshot& snapshot);
  // A snapshot and its probe trajectory to the collapse detector and every observer (with the
  // alerts they raise); the snapshot is kept as the last one.
  void publish_routing(RoutingSnapshot snapshot, const TrajectorySnapshot& trajectory);
  void publish_intervention(const std::string& kind, double value, const std::string& detail);
  std::string reinit_dead_experts(const ReinitDeadExperts& command);

  RunConfig config_;
  RunInfo info_;
  torch::Device device_;
  bool bf16_ = false;  // forward passes under bf16 autocast
  std::unique_ptr<Task> task_;
  std::unique_ptr<torch::optim::AdamW> optimizer_;
  std::vector<SessionObserver*> observers_;
  GradientReducer* reducer_ = nullptr;
  std::unique_ptr<CollapseDetector> detector_;
  torch::Tensor probe_input_;
  RoutingSnapshot last_snapshot_;
  TrajectorySnapshot last_trajectory_;

  double peak_lr_;
  double balance_coef_;
  int64_t step_ = 0;
  int64_t tokens_ = 0;
  std::shared_ptr<std::vector<Batch>> inspect_batches_;  // prepare_inspect()
  bool paused_ = false;
  bool stop_ = false;

  // Surgery: the calibration cache (valid at cache_step_ for the shape it was taken of), the
  // last preview and its plan, and the undo copy of the last Apply.
  std::unique_ptr<CalibrationCache> surgery_cache_;
  int64_t cache_step_ = -1;
  ModelShape cache_shape_;
  EvalResult cache_before_;  // the held-out cost of the model the cache was taken of
  int64_t preview_ids_ = 0;
  SurgeryPreview last_preview_;
  std::unique_ptr<PlannedSurgery> planned_;
  std::unique_ptr<ModelState> undo_;
  RunConfig undo_config_;
  RunInfo undo_info_;
  int64_t undo_step_ = -1;
  bool quiet_ = false;  // a preview's change: no ShapeChange for the observers
  std::atomic<bool> cancel_surgery_{false};

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Command> commands_;
};

}  // namespace moescope
