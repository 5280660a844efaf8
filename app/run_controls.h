// The Run dock: what to train (preset, router, expert layout, device, steps), start/pause/stop, the
// hyper-parameters that change live (learning rate, balance coefficient) and the router
// interventions (temperature, capacity factor, aux-loss-free bias balancing, re-initialising
// dead experts).
#pragma once

#include <QWidget>

#include "base/events.h"
#include "train/config.h"

class QCheckBox;
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
  QComboBox* router_box() const { return router_; }
  QComboBox* layout_box() const { return layout_; }
  QDoubleSpinBox* temperature_box() const { return temperature_; }
  QDoubleSpinBox* capacity_box() const { return capacity_; }
  QCheckBox* bias_check() const { return bias_; }
  QDoubleSpinBox* bias_rate_box() const { return bias_rate_; }
  QPushButton* reinit_button() const { return reinit_; }
  QLabel* memory_label() const { return memory_; }

 Q_SIGNALS:
  void start_requested();
  void pause_toggled();
  void stop_requested();
  void learning_rate_changed(double lr);
  void balance_coefficient_changed(double coefficient);
  void temperature_changed(double temperature);
  void capacity_factor_changed(double capacity_factor);
  void bias_balancing_changed(bool enabled, double rate);
  void reinit_dead_requested();

 private:
  void load_preset_defaults();
  // The Memory row: the estimated peak of `c` (the Start button's config(), or the run's own)
  // against what the host has.
  void update_memory_estimate();
  void show_memory_estimate(const RunConfig& c, const QString& whose);
  bool live() const { return state_ == RunState::Running || state_ == RunState::Paused; }

  QComboBox* preset_;
  QComboBox* device_;
  QComboBox* precision_;
  QSpinBox* steps_;
  QPushButton* start_;
  QPushButton* pause_;
  QPushButton* stop_;
  QDoubleSpinBox* lr_;
  QDoubleSpinBox* balance_;
  QComboBox* router_;
  QComboBox* layout_;
  QDoubleSpinBox* temperature_;
  QDoubleSpinBox* capacity_;
  QCheckBox* bias_;
  QDoubleSpinBox* bias_rate_;
  QPushButton* reinit_;
  QLabel* model_;
  QLabel* memory_;
  RunState state_ = RunState::Finished;
};

}  // namespace moescope
