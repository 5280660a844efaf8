// The Run dock: what to train (preset, device, steps), start/pause/stop, and the
// hyper-parameters that change live (learning rate, balance coefficient).
#pragma once

#include <QWidget>

#include "engine/events.h"
#include "train/config.h"

class QComboBox;
class QDoubleSpinBox;
class QPushButton;
class QSpinBox;
class QLabel;

namespace moescope {

class RunControls : public QWidget {
  Q_OBJECT
 public:
  explicit RunControls(QWidget* parent = nullptr);

  // The configuration the Start button would run.
  RunConfig config() const;
  void set_preset(const QString& name);
  void set_steps(int steps);
  void set_device(const QString& device);
  void set_state(RunState state);
  void set_run_info(const RunInfo& info);

  QPushButton* start_button() const { return start_; }
  QPushButton* pause_button() const { return pause_; }
  QPushButton* stop_button() const { return stop_; }
  QDoubleSpinBox* lr_box() const { return lr_; }
  QDoubleSpinBox* balance_box() const { return balance_; }

 Q_SIGNALS:
  void start_requested();
  void pause_toggled();
  void stop_requested();
  void learning_rate_changed(double lr);
  void balance_coefficient_changed(double coefficient);

 private:
  void load_preset_defaults();

  QComboBox* preset_;
  QComboBox* device_;
  QSpinBox* steps_;
  QPushButton* start_;
  QPushButton* pause_;
  QPushButton* stop_;
  QDoubleSpinBox* lr_;
  QDoubleSpinBox* balance_;
  QLabel* model_;
  RunState state_ = RunState::Finished;
};

}  // namespace moescope
