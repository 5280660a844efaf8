// What every view of one run is looking at: a layer (an alert's, or the user's choice) and a
// step (-1: follow the run live). One object shared by all views of a run, like Hotspot's
// FilterAndZoomStack: clicking an alert sets it, Esc follows live again, and every view
// reads it instead of being told one by one.
#pragma once

#include <QObject>

namespace moescope {

class FocusState : public QObject {
  Q_OBJECT
 public:
  explicit FocusState(QObject* parent = nullptr);

  // The focused layer, -1 for none (each view keeps its own layer choice then).
  int layer() const { return layer_; }
  // The step the views show, -1 while following the run.
  qint64 step() const { return step_; }
  bool following_live() const { return step_ < 0; }

 public Q_SLOTS:
  // Moves every view to this layer (when >= 0) and step (-1 follows the run again).
  void focus(int layer, qint64 step);
  void set_layer(int layer);
  void set_step(qint64 step);
  // Forgets the layer and follows the run (Esc).
  void follow_live();

 Q_SIGNALS:
  // Every focus() and follow_live(), after both are set, with what was asked: `layer` -1 when
  // the request named no layer (views keep their own choice then), `step` -1 to follow live.
  void focused(int layer, qint64 step);
  // After every request, moved or not.
  void changed();
  void layer_changed(int layer);
  void step_changed(qint64 step);

 private:
  int layer_ = -1;
  qint64 step_ = -1;
};

}  // namespace moescope
