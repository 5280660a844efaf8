#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <cmath>

#include "engine_thread.h"
#include "error.h"
#include "event_bus.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "run_controls.h"
#include "run_log_reader.h"

namespace moescope {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), bus_(new EventBus(this)) {
  setWindowTitle(tr("MoE Scope"));
  resize(1500, 920);

  loss_chart_ = new LossChart(this);
  heatmap_ = new HeatmapWidget(this);
  timeline_ = new LoadTimelineWidget(this);
  auto* routing = new QSplitter(Qt::Horizontal, this);
  routing->addWidget(heatmap_);
  routing->addWidget(timeline_);
  routing->setSizes({600, 700});
  auto* central = new QSplitter(Qt::Vertical, this);
  central->addWidget(loss_chart_);
  central->addWidget(routing);
  central->setSizes({380, 520});
  setCentralWidget(central);

  controls_ = new RunControls(this);
  auto* dock = new QDockWidget(tr("Run"), this);
  dock->setObjectName(QStringLiteral("run_dock"));
  dock->setWidget(controls_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, dock);

  state_label_ = new QLabel(tr("idle"), this);
  step_label_ = new QLabel(this);
  speed_label_ = new QLabel(this);
  eval_label_ = new QLabel(this);
  device_label_ = new QLabel(this);
  for (auto* label : {state_label_, step_label_, speed_label_, eval_label_, device_label_}) {
    statusBar()->addPermanentWidget(label);
  }
  build_menus();

  connect(controls_, &RunControls::start_requested, this, &MainWindow::start_run);
  connect(controls_, &RunControls::pause_toggled, this, &MainWindow::toggle_pause);
  connect(controls_, &RunControls::stop_requested, this, &MainWindow::stop_run);
  connect(controls_, &RunControls::learning_rate_changed, this, [this](double lr) {
    if (engine_) engine_->post(SetLearningRate{lr});
    statusBar()->showMessage(tr("learning rate set to %1").arg(lr), 4000);
  });
  connect(controls_, &RunControls::balance_coefficient_changed, this, [this](double c) {
    if (engine_) engine_->post(SetBalanceCoefficient{c});
    statusBar()->showMessage(tr("balance coefficient set to %1").arg(c), 4000);
  });

  connect(bus_, &EventBus::run_started, this, &MainWindow::on_run_started);
  connect(bus_, &EventBus::step_finished, this, &MainWindow::on_step);
  connect(bus_, &EventBus::eval_finished, this, &MainWindow::on_eval);
  connect(bus_, &EventBus::state_changed, this, &MainWindow::on_state);
  connect(bus_, &EventBus::routing_snapshot, heatmap_, &HeatmapWidget::set_snapshot);
  connect(bus_, &EventBus::routing_snapshot, timeline_, &LoadTimelineWidget::add_snapshot);
}

MainWindow::~MainWindow() {
  if (engine_) engine_->stop_and_wait();
}

void MainWindow::build_menus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* open = file->addAction(tr("&Open run log..."), this, [this] {
    const auto path = QFileDialog::getOpenFileName(this, tr("Open run log"), QString(),
                                                   tr("MoE Scope run logs (*.h5);;All files (*)"));
    if (!path.isEmpty()) open_log(path);
  });
  open->setShortcut(QKeySequence::Open);
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  auto* run = menuBar()->addMenu(tr("&Run"));
  auto* start = run->addAction(tr("&Start"), this, &MainWindow::start_run);
  start->setShortcut(Qt::Key_F5);
  pause_action_ = run->addAction(tr("&Pause / Resume"), this, &MainWindow::toggle_pause);
  pause_action_->setShortcuts({QKeySequence(Qt::Key_F6), QKeySequence(tr("Ctrl+P"))});
  auto* stop = run->addAction(tr("S&top"), this, &MainWindow::stop_run);
  stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  run->addSeparator();
  auto* save = run->addAction(tr("Save &checkpoint..."), this, [this] {
    if (!running()) return;
    const auto path = QFileDialog::getSaveFileName(this, tr("Save checkpoint"), QString(),
                                                   tr("Checkpoints (*.pt)"));
    if (!path.isEmpty()) engine_->post(SaveCheckpoint{path.toStdString()});
  });
  save->setShortcut(QKeySequence::Save);

  auto* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About MoE Scope"), this, [this] {
    QMessageBox::about(this, tr("About MoE Scope"),
                       tr("<b>MoE Scope</b> %1<br>Train Mixture-of-Experts models and watch "
                          "their routers live.<br>Logs: HDF5 (see docs/hdf5-log.md).")
                           .arg(QApplication::applicationVersion()));
  });
}

bool MainWindow::running() const {
  return engine_ && engine_->isRunning();
}

void MainWindow::clear_views() {
  loss_chart_->clear();
  timeline_->clear();
  smoothed_tokens_per_s_ = 0.0;
  for (auto* label : {step_label_, speed_label_, eval_label_}) label->clear();
}

void MainWindow::start_run() {
  if (running()) return;
  engine_.reset();
  EngineJob job;
  try {
    job.config = controls_->config();
    validate(job.config);
  } catch (const Error& e) {
    QMessageBox::warning(this, tr("Cannot start"), QString::fromUtf8(e.what()));
    return;
  }
  log_path_ = next_log_path_;
  next_log_path_.clear();
  if (log_path_.isEmpty()) {
    const QDir runs(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/runs");
    runs.mkpath(QStringLiteral("."));
    log_path_ = runs.filePath(QString::fromStdString(job.config.preset) + "-" +
                              QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) + ".h5");
  }
  job.log_path = log_path_.toStdString();
  clear_views();
  engine_ = std::make_unique<EngineThread>(std::move(job), bus_);
  engine_->start();
}

void MainWindow::toggle_pause() {
  if (!running()) return;
  if (state_ == RunState::Paused) engine_->post(ResumeCommand{});
  else if (state_ == RunState::Running) engine_->post(PauseCommand{});
}

void MainWindow::stop_run() {
  if (!running()) return;
  state_label_->setText(tr("stopping..."));
  engine_->post(StopCommand{});
}

void MainWindow::on_run_started(const RunInfo& info) {
  info_ = info;
  timeline_->set_layers(static_cast<int>(info.layers));
  controls_->set_run_info(info);
  device_label_->setText(QString::fromStdString(info.device));
  setWindowTitle(tr("MoE Scope - %1").arg(QString::fromStdString(info.preset)));
  statusBar()->showMessage(tr("logging to %1").arg(log_path_), 10000);
}

void MainWindow::on_step(const StepMetrics& m) {
  loss_chart_->add_step(m);
  smoothed_tokens_per_s_ = smoothed_tokens_per_s_ == 0.0 ? m.tokens_per_s
                                                         : 0.9 * smoothed_tokens_per_s_ + 0.1 * m.tokens_per_s;
  step_label_->setText(tr("step %1 / %2").arg(m.step).arg(info_.total_steps));
  speed_label_->setText(tr("%1 tokens/s").arg(smoothed_tokens_per_s_, 0, 'f', 0));
}

void MainWindow::on_eval(const EvalResult& e) {
  loss_chart_->add_eval(e);
  if (info_.task == "lm") {
    eval_label_->setText(tr("validation %1 bits/byte").arg(e.loss / std::log(2.0), 0, 'f', 3));
  } else {
    eval_label_->setText(tr("test accuracy %1%").arg(100.0 * e.accuracy, 0, 'f', 2));
  }
}

void MainWindow::on_state(const SessionState& s) {
  state_ = s.state;
  controls_->set_state(s.state);
  state_label_->setText(QString::fromUtf8(to_string(s.state)));
  if (!s.message.empty()) statusBar()->showMessage(QString::fromStdString(s.message), 15000);
  if (s.state == RunState::Failed) {
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Run failed"),
                                QString::fromStdString(s.message), QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
}

bool MainWindow::open_log(const QString& path) {
  if (running()) {
    QMessageBox::information(this, tr("Run in progress"), tr("Stop the current run before opening a log."));
    return false;
  }
  try {
    replay(read_run_log(path.toStdString()));
  } catch (const Error& e) {
    QMessageBox::warning(this, tr("Cannot open run log"), QString::fromUtf8(e.what()));
    return false;
  }
  log_path_ = path;
  statusBar()->showMessage(tr("replaying %1").arg(path), 10000);
  return true;
}

void MainWindow::replay(const RunLog& log) {
  clear_views();
  on_run_started(log.info);
  for (const auto& m : log.steps) on_step(m);
  for (const auto& e : log.evals) on_eval(e);
  for (const auto& s : log.routing) {
    heatmap_->set_snapshot(s);
    timeline_->add_snapshot(s);
  }
  state_label_->setText(tr("replay"));
  setWindowTitle(tr("MoE Scope - %1 (replay)").arg(QString::fromStdString(log.info.preset)));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (running()) {
    state_label_->setText(tr("stopping..."));
    QApplication::setOverrideCursor(Qt::WaitCursor);
    engine_->stop_and_wait();  // at most one training step; the log is flushed and closed
    QApplication::restoreOverrideCursor();
  }
  event->accept();
}

}  // namespace moescope
