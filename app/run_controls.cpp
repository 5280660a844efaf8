#include "run_controls.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace moescope {

RunControls::RunControls(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* setup = new QGroupBox(tr("Run"), this);
  auto* form = new QFormLayout(setup);
  preset_ = new QComboBox(setup);
  for (const auto& name : preset_names()) preset_->addItem(QString::fromStdString(name));
  preset_->setToolTip(tr("lm-fortunes: byte-level MoE language model on multilingual fortunes\n"
                         "vision-fmnist: MoE image classifier on Fashion-MNIST"));
  device_ = new QComboBox(setup);
  device_->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
  device_->setToolTip(tr("auto picks the CUDA GPU when LibTorch sees one"));
  steps_ = new QSpinBox(setup);
  steps_->setRange(1, 100000000);
  steps_->setGroupSeparatorShown(true);
  form->addRow(tr("&Preset"), preset_);
  form->addRow(tr("&Device"), device_);
  form->addRow(tr("S&teps"), steps_);
  layout->addWidget(setup);

  auto* buttons = new QHBoxLayout;
  start_ = new QPushButton(tr("Start"), this);
  pause_ = new QPushButton(tr("Pause"), this);
  stop_ = new QPushButton(tr("Stop"), this);
  start_->setToolTip(tr("Start a new run (F5)"));
  pause_->setToolTip(tr("Pause or resume between steps (F6)"));
  stop_->setToolTip(tr("Stop the run; the log is flushed and closed (Shift+F5)"));
  for (auto* b : {start_, pause_, stop_}) buttons->addWidget(b);
  layout->addLayout(buttons);

  auto* live = new QGroupBox(tr("Live hyper-parameters"), this);
  auto* live_form = new QFormLayout(live);
  lr_ = new QDoubleSpinBox(live);
  lr_->setDecimals(6);
  lr_->setRange(1e-6, 1.0);
  lr_->setSingleStep(1e-4);
  lr_->setKeyboardTracking(false);  // apply on Enter or focus-out, not per keystroke
  lr_->setToolTip(tr("Peak learning rate; warm-up and cosine decay still scale it"));
  balance_ = new QDoubleSpinBox(live);
  balance_->setDecimals(4);
  balance_->setRange(0.0, 10.0);
  balance_->setSingleStep(0.005);
  balance_->setKeyboardTracking(false);
  balance_->setToolTip(tr("Coefficient of the load-balancing auxiliary loss (0 = off)"));
  live_form->addRow(tr("&Learning rate"), lr_);
  live_form->addRow(tr("&Balance coef."), balance_);
  layout->addWidget(live);

  model_ = new QLabel(this);
  model_->setWordWrap(true);
  model_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(model_);
  layout->addStretch(1);

  connect(preset_, &QComboBox::currentTextChanged, this, [this] { load_preset_defaults(); });
  connect(start_, &QPushButton::clicked, this, &RunControls::start_requested);
  connect(pause_, &QPushButton::clicked, this, &RunControls::pause_toggled);
  connect(stop_, &QPushButton::clicked, this, &RunControls::stop_requested);
  connect(lr_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (state_ == RunState::Running || state_ == RunState::Paused) Q_EMIT learning_rate_changed(v);
  });
  connect(balance_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (state_ == RunState::Running || state_ == RunState::Paused) Q_EMIT balance_coefficient_changed(v);
  });
  load_preset_defaults();
  set_state(RunState::Finished);
}

void RunControls::load_preset_defaults() {
  const auto c = preset_config(preset_->currentText().toStdString());
  steps_->setValue(static_cast<int>(c.train.steps));
  lr_->setValue(c.train.lr);
  balance_->setValue(c.train.balance_coef);
}

RunConfig RunControls::config() const {
  RunConfig c = preset_config(preset_->currentText().toStdString());
  c.device = device_->currentText().toStdString();
  c.train.steps = steps_->value();
  c.train.lr = lr_->value();
  c.train.balance_coef = balance_->value();
  return c;
}

void RunControls::set_preset(const QString& name) {
  const int index = preset_->findText(name);
  if (index >= 0) preset_->setCurrentIndex(index);
}

void RunControls::set_steps(int steps) { steps_->setValue(steps); }

void RunControls::set_device(const QString& device) {
  if (device_->findText(device) < 0) device_->addItem(device);
  device_->setCurrentText(device);
}

void RunControls::set_state(RunState state) {
  state_ = state;
  const bool active = state == RunState::Loading || state == RunState::Running || state == RunState::Paused;
  start_->setEnabled(!active);
  pause_->setEnabled(state == RunState::Running || state == RunState::Paused);
  pause_->setText(state == RunState::Paused ? tr("Resume") : tr("Pause"));
  stop_->setEnabled(active);
  for (QWidget* w : {static_cast<QWidget*>(preset_), static_cast<QWidget*>(device_),
                     static_cast<QWidget*>(steps_)}) {
    w->setEnabled(!active);
  }
}

void RunControls::set_run_info(const RunInfo& info) {
  model_->setText(tr("%1\n%2 M parameters, %3 M active per token")
                      .arg(QString::fromStdString(info.model_summary))
                      .arg(double(info.parameters) / 1e6, 0, 'f', 2)
                      .arg(double(info.active_parameters) / 1e6, 0, 'f', 2));
}

}  // namespace moescope
