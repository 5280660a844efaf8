#include "focus_state.h"

namespace moescope {

FocusState::FocusState(QObject* parent) : QObject(parent) {}

void FocusState::focus(int layer, qint64 step) {
  const int new_layer = layer < 0 ? layer_ : layer;
  const qint64 new_step = step < 0 ? -1 : step;
  const bool layer_moved = new_layer != layer_;
  const bool step_moved = new_step != step_;
  layer_ = new_layer;
  step_ = new_step;
  if (layer_moved) Q_EMIT layer_changed(layer_);
  if (step_moved) Q_EMIT step_changed(step_);
  // Views re-apply the focus even when it did not move (the user clicked the same alert
  // after choosing another layer in one view).
  Q_EMIT focused(layer < 0 ? -1 : layer, step_);
  Q_EMIT changed();
}

void FocusState::set_layer(int layer) { focus(layer, step_); }

void FocusState::set_step(qint64 step) { focus(-1, step); }

void FocusState::follow_live() {
  const bool layer_moved = layer_ != -1;
  const bool step_moved = step_ != -1;
  layer_ = -1;
  step_ = -1;
  if (layer_moved) Q_EMIT layer_changed(layer_);
  if (step_moved) Q_EMIT step_changed(step_);
  Q_EMIT focused(-1, -1);
  Q_EMIT changed();
}

}  // namespace moescope
