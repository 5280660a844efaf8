// Session's surgery workflow (preview, apply, undo): the part of the session the window's
// surgery dock drives, apart from the training loop in session.cpp.
#include <chrono>

#include "base/error.h"
#include "engine/session.h"
#include "engine/surgery_run.h"
#include "train/task.h"

namespace moescope {

SurgeryPreview Session::preview_surgery(const SurgeryRequest& request) {
  using clock = std::chrono::steady_clock;
  const auto seconds = [](clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); };
  const auto layers = task_->moe_layers();
  if (layers.empty()) throw Error("surgery: a dense model has no experts");
  if (request.calibration_tokens < 1 || request.calibration_tokens > 10000000) {
    throw Error("calibration tokens must be between 1 and 10 000 000");
  }
  const auto progress = [this](double share, const char* what) {
    for (auto* o : observers_) o->on_surgery_progress(share, what);
    return !cancel_surgery_.load();
  };
  SurgeryPreview p;
  p.request = request;
  p.step = step_;
  p.parameters_before = info_.parameters;
  p.active_before = info_.active_parameters;
  const bool reuse = surgery_cache_ && cache_step_ == step_ && cache_shape_ == info_.shape &&
                     surgery_cache_->tokens == request.calibration_tokens;
  if (!reuse) {
    surgery_cache_.reset();
    auto cache = calibrate_session(*this, request.calibration_tokens,
                                   [&](double share) { return progress(0.8 * share, "calibrating"); });
    surgery_cache_ = std::make_unique<CalibrationCache>(std::move(cache));
    cache_step_ = step_;
    cache_shape_ = info_.shape;
  }
  p.calibration_reused = reuse;
  p.calibration_tokens = surgery_cache_->tokens;
  p.calibration_seconds = reuse ? 0.0 : surgery_cache_->seconds;
  progress(0.8, "planning");
  auto start = clock::now();
  auto planned = std::make_unique<PlannedSurgery>(plan_surgery(*this, request, *surgery_cache_));
  p.preview_seconds = seconds(start);
  p.description = planned->description;
  p.layers = planned->layers;
  p.expert_flops_kept = planned->expert_flops_kept;
  if (!progress(0.9, "measuring")) throw Error("surgery preview cancelled");

  // Measured on the live model, changed and then put back exactly.
  start = clock::now();
  // The model the cache was taken of was measured then (a sweep previews it many times).
  if (!reuse) cache_before_ = evaluate();
  p.before = cache_before_;
  auto saved = save_model_state(*task_->module(), layers, optimizer_.get());
  const RunConfig config = config_;
  const RunInfo info = info_;
  const auto restore = [&] {
    restore_model_state(saved, layers, optimizer_.get());
    config_ = config;
    info_ = info;
    quiet_ = false;
  };
  try {
    quiet_ = true;
    planned->apply(*this);
    p.after = evaluate();
    p.parameters_after = info_.parameters;
    p.active_after = info_.active_parameters;
  } catch (...) {
    restore();
    throw;
  }
  restore();
  p.evaluation_seconds = seconds(start);
  p.id = ++preview_ids_;
  last_preview_ = p;
  planned_ = std::move(planned);
  progress(1.0, "done");
  for (auto* o : observers_) o->on_surgery_preview(p);
  return p;
}

SurgeryApplied Session::apply_surgery(int64_t preview_id) {
  if (!planned_ || preview_id != last_preview_.id || last_preview_.step != step_ ||
      cache_shape_ != info_.shape) {
    throw Error("surgery: preview " + std::to_string(preview_id) +
                " is not the last preview of the model as it is now; preview again, then apply");
  }
  const auto layers = task_->moe_layers();
  auto saved = std::make_unique<ModelState>(save_model_state(*task_->module(), layers, optimizer_.get()));
  const RunConfig config = config_;
  const RunInfo info = info_;
  planned_->apply(*this);
  undo_ = std::move(saved);
  undo_config_ = config;
  undo_info_ = info;
  undo_step_ = step_;
  planned_.reset();
  surgery_cache_.reset();
  last_snapshot_ = {};
  SurgeryApplied a;
  a.id = preview_id;
  a.step = step_;
  a.description = last_preview_.description;
  a.after = last_preview_.after;
  a.parameters = info_.parameters;
  publish_intervention("surgery", double(last_preview_.layers.empty() ? 0 : last_preview_.layers.front().experts_after),
                       a.description);
  for (auto* o : observers_) o->on_surgery_applied(a);
  return a;
}

SurgeryApplied Session::undo_surgery() {
  if (!undo_) throw Error("surgery: nothing to undo");
  if (undo_step_ != step_) {
    throw Error("surgery: training went on since the surgery at step " + std::to_string(undo_step_) +
                "; undo is possible only before the next step");
  }
  restore_model_state(*undo_, task_->moe_layers(), optimizer_.get());
  config_ = undo_config_;
  info_ = undo_info_;
  undo_.reset();
  planned_.reset();
  surgery_cache_.reset();
  last_snapshot_ = {};
  last_trajectory_ = {};
  const ShapeChange change_event{step_, info_.shape};
  for (auto* o : observers_) o->on_shape_change(change_event);
  SurgeryApplied a;
  a.id = last_preview_.id;
  a.step = step_;
  a.undone = true;
  a.description = "undo: " + last_preview_.description;
  a.after = evaluate();
  a.parameters = info_.parameters;
  publish_intervention("surgery_undo", 0.0, a.description);
  for (auto* o : observers_) o->on_surgery_applied(a);
  return a;
}

}  // namespace moescope
