#include "run_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "train/memory_estimate.h"

namespace moescope {

namespace {

// The translated one-line help of each routing method; a switch, so a new kind in the
// registry (base/router_kinds.h) that has no help here is a compiler warning.
QString router_kind_help(RouterKind kind) {
  switch (kind) {
    case RouterKind::TopK: return RunControls::tr("softmax top-k (Mixtral)");
    case RouterKind::Switch: return RunControls::tr("raw gates, with capacity");
    case RouterKind::ExpertChoice: return RunControls::tr("each expert takes its best tokens");
    case RouterKind::Hash: return RunControls::tr("fixed token-id map");
    case RouterKind::DenseToSparse: return RunControls::tr("all experts, annealed to top-k");
    case RouterKind::TopP: return RunControls::tr("experts until their probability reaches p");
  }
  return {};
}

}  // namespace

RunControls::RunControls(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* setup = new QGroupBox(tr("Run"), this);
  auto* form = new QFormLayout(setup);
  preset_ = new QComboBox(setup);
  for (const auto& name : preset_names()) preset_->addItem(QString::fromStdString(name));
  preset_->setToolTip(tr("lm-fortunes: byte-level MoE language model on multilingual fortunes\n"
                         "vision-fmnist: MoE image classifier on Fashion-MNIST\n"
                         "collapse-demo: lm-fortunes built so its router collapses\n"
                         "fusion-fmnist: early-fusion image + caption MoE (which experts each modality uses)"));
  router_ = new QComboBox(setup);
  QString router_help;
  for (const auto& choice : Choices<RouterKind>::entries) {
    const auto name = QString::fromLatin1(choice.name);
    router_->addItem(name, static_cast<int>(choice.value));
    router_help += name + QStringLiteral(": ") + router_kind_help(choice.value) + QLatin1Char('\n');
  }
  router_->setToolTip(router_help + tr("(docs/routers.md)"));
  layout_ = new QComboBox(setup);
  layout_->addItem(tr("shared: one pool of experts"), QStringLiteral("shared"));
  layout_->addItem(tr("moma: image and text groups"), QStringLiteral("moma"));
  layout_->addItem(tr("moiie: groups + cross-modal experts"), QStringLiteral("moiie"));
  layout_->addItem(tr("mot: + per-modality attention"), QStringLiteral("mot"));
  layout_->addItem(tr("dense: one FFN of the same active size"), QStringLiteral("dense"));
  layout_->setToolTip(tr("How the fusion model's experts meet the modalities (fusion presets only; docs/fusion.md):\n"
                         "shared: every token routed among all experts by one router\n"
                         "moma: image tokens routed among image experts, text tokens among text experts\n"
                         "moiie: moma's groups plus cross-modal experts every token may pick\n"
                         "mot: moma's groups plus each modality's own norms and attention projections\n"
                         "dense: a dense SwiGLU FFN of hidden top-k x expert hidden instead of the experts"));
  device_ = new QComboBox(setup);
  device_->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
  device_->setToolTip(tr("auto picks the CUDA GPU when LibTorch sees one"));
  precision_ = new QComboBox(setup);
  precision_->addItems({QStringLiteral("auto"), QStringLiteral("fp32"), QStringLiteral("bf16")});
  precision_->setToolTip(tr("auto: bf16 autocast on CUDA, float32 on the CPU\n"
                            "(weights and optimizer state stay float32)"));
  steps_ = new QSpinBox(setup);
  steps_->setRange(1, 100000000);
  steps_->setGroupSeparatorShown(true);
  form->addRow(tr("&Preset"), preset_);
  form->addRow(tr("&Router"), router_);
  form->addRow(tr("E&xpert layout"), layout_);
  form->addRow(tr("&Device"), device_);
  form->addRow(tr("Pr&ecision"), precision_);
  form->addRow(tr("S&teps"), steps_);
  memory_ = new QLabel(setup);
  memory_->setWordWrap(true);
  form->addRow(tr("Memory"), memory_);
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

  auto* routing = new QGroupBox(tr("Router interventions"), this);
  auto* routing_form = new QFormLayout(routing);
  temperature_ = new QDoubleSpinBox(routing);
  temperature_->setDecimals(2);
  temperature_->setRange(0.05, 20.0);
  temperature_->setSingleStep(0.1);
  temperature_->setKeyboardTracking(false);
  temperature_->setToolTip(tr("Router logits are divided by this; above 1 spreads tokens out"));
  capacity_ = new QDoubleSpinBox(routing);
  capacity_->setDecimals(2);
  capacity_->setRange(0.0, 16.0);
  capacity_->setSingleStep(0.25);
  capacity_->setKeyboardTracking(false);
  capacity_->setSpecialValueText(tr("dropless"));
  capacity_->setToolTip(tr("Slots per expert = factor x tokens x k / experts; tokens beyond are dropped"));
  bias_ = new QCheckBox(tr("&Aux-loss-free bias"), routing);
  bias_->setToolTip(tr("Per-expert selection bias moved towards equal load every step (DeepSeek-V3)"));
  bias_rate_ = new QDoubleSpinBox(routing);
  bias_rate_->setDecimals(4);
  bias_rate_->setRange(0.0001, 0.5);
  bias_rate_->setSingleStep(0.001);
  bias_rate_->setKeyboardTracking(false);
  bias_rate_->setToolTip(tr("Bias step per update; about 0.01 for softmax scores, larger oscillates"));
  reinit_ = new QPushButton(tr("Re-init &dead experts"), routing);
  reinit_->setToolTip(tr("Experts under 5% of their fair share become noisy copies of the "
                         "layer's busiest expert, with its router row (Ctrl+R)"));
  reinit_->setShortcut(QKeySequence(tr("Ctrl+R")));
  routing_form->addRow(tr("&Temperature"), temperature_);
  routing_form->addRow(tr("&Capacity factor"), capacity_);
  routing_form->addRow(bias_);
  routing_form->addRow(tr("Bias &rate"), bias_rate_);
  routing_form->addRow(reinit_);
  layout->addWidget(routing);

  model_ = new QLabel(this);
  model_->setWordWrap(true);
  model_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(model_);
  layout->addStretch(1);

  connect(preset_, &QComboBox::currentTextChanged, this, [this] { load_preset_defaults(); });
  for (auto* box : {layout_, device_, precision_}) {
    connect(box, &QComboBox::currentTextChanged, this, [this] { update_memory_estimate(); });
  }
  connect(start_, &QPushButton::clicked, this, &RunControls::start_requested);
  connect(pause_, &QPushButton::clicked, this, &RunControls::pause_toggled);
  connect(stop_, &QPushButton::clicked, this, &RunControls::stop_requested);
  connect(lr_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (state_ == RunState::Running || state_ == RunState::Paused) Q_EMIT learning_rate_changed(v);
  });
  connect(balance_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (state_ == RunState::Running || state_ == RunState::Paused) Q_EMIT balance_coefficient_changed(v);
  });
  connect(temperature_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (this->live()) Q_EMIT temperature_changed(v);
  });
  connect(capacity_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (this->live()) Q_EMIT capacity_factor_changed(v);
  });
  connect(bias_, &QCheckBox::toggled, this, [this](bool on) {
    if (this->live()) Q_EMIT bias_balancing_changed(on, bias_rate_->value());
  });
  connect(bias_rate_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
    if (this->live() && bias_->isChecked()) Q_EMIT bias_balancing_changed(true, v);
  });
  connect(reinit_, &QPushButton::clicked, this, [this] {
    if (this->live()) Q_EMIT reinit_dead_requested();
  });
  load_preset_defaults();
  set_state(RunState::Finished);
}

void RunControls::load_preset_defaults() {
  const auto c = preset_config(preset_->currentText().toStdString());
  steps_->setValue(static_cast<int>(c.train.steps));
  lr_->setValue(c.train.lr);
  balance_->setValue(c.train.balance_coef);
  router_->setCurrentIndex(router_->findData(static_cast<int>(c.router.kind)));
  layout_->setCurrentIndex(layout_->findData(QString::fromStdString(c.model.dense() ? "dense" : c.model.layout)));
  layout_->setEnabled(c.model.task == "fusion");
  temperature_->setValue(c.router.temperature);
  capacity_->setValue(c.router.capacity_factor);
  bias_->setChecked(c.router.bias_balancing);
  bias_rate_->setValue(c.router.bias_rate);
  update_memory_estimate();
}

void RunControls::update_memory_estimate() { show_memory_estimate(config(), QString()); }

void RunControls::show_memory_estimate(const RunConfig& c, const QString& whose) {
  const auto need = estimate_memory(c);
  // The GUI thread touches neither LibTorch nor CUDA: it compares with the host's memory;
  // the run checks the device it resolves when it starts.
  const auto have = memory_available("cpu");
  const bool gpu = c.device.rfind("cuda", 0) == 0;
  const bool fits = have.bytes <= 0.0 || need.total() <= have.bytes || gpu;
  memory_->setText(whose + (!gpu ? tr("about %1 at its peak; %2")
                                           .arg(QString::fromStdString(bytes_text(need.total())),
                                                QString::fromStdString(have.source))
                                     : tr("about %1 at its peak (a GPU's memory is checked when the run starts)")
                                           .arg(QString::fromStdString(bytes_text(need.total())))));
  memory_->setToolTip(QString::fromStdString(need.summary()));
  memory_->setStyleSheet(fits ? QString() : QStringLiteral("color: #b00020"));
}

RunConfig RunControls::config() const {
  RunConfig c = preset_config(preset_->currentText().toStdString());
  c.device = device_->currentText().toStdString();
  c.precision = precision_->currentText().toStdString();
  c.train.steps = steps_->value();
  c.train.lr = lr_->value();
  c.train.balance_coef = balance_->value();
  c.router.kind = static_cast<RouterKind>(router_->currentData().toInt());
  if (c.model.task == "fusion") {
    const auto layout = layout_->currentData().toString().toStdString();
    if (layout == "dense" && !c.model.dense()) {  // the dense reference of equal active size
      c.model.ffn = "dense";
      c.model.expert_hidden *= c.model.routed_top_k();
      c.model.layout = "shared";
    } else if (layout != "dense") {
      c.model.layout = layout;
    }
  }
  c.router.temperature = temperature_->value();
  c.router.capacity_factor = capacity_->value();
  c.router.bias_balancing = bias_->isChecked();
  c.router.bias_rate = bias_rate_->value();
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
  reinit_->setEnabled(active);
  for (QWidget* w : {static_cast<QWidget*>(preset_), static_cast<QWidget*>(device_),
                     static_cast<QWidget*>(precision_), static_cast<QWidget*>(steps_),
                     static_cast<QWidget*>(router_)}) {
    w->setEnabled(!active);
  }
}

void RunControls::set_run_info(const RunInfo& info) {
  // The run the window shows, live or replayed, names its preset and router here.
  set_preset(QString::fromStdString(info.preset));
  const int router = router_->findText(QString::fromStdString(info.router));
  if (router >= 0) router_->setCurrentIndex(router);
  if (info.total_steps > 0 && info.total_steps <= steps_->maximum()) steps_->setValue(static_cast<int>(info.total_steps));
  // The run's own config (an opened model's, a replayed log's), not the preset's.
  const auto j = nlohmann::json::parse(info.config_json, nullptr, false);
  if (j.is_object()) {
    try {
      RunConfig run;
      apply_json(run, j, "the run's config");
      show_memory_estimate(run, tr("this run: "));
    } catch (const std::exception&) {
      // A log of an older build may hold options this one does not know: keep the preset's.
    }
  }
  model_->setText(tr("%1\n%2 M parameters, %3 M active per token")
                      .arg(QString::fromStdString(info.model_summary))
                      .arg(double(info.parameters) / 1e6, 0, 'f', 2)
                      .arg(double(info.active_parameters) / 1e6, 0, 'f', 2));
}

}  // namespace moescope
