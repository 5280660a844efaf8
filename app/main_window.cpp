#include "main_window.h"

#include "export_figure_dialog.h"
#include "figure_set.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QEventLoop>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <optional>

#include "alerts_panel.h"
#include "engine_thread.h"
#include "base/error.h"
#include "event_bus.h"
#include "focus_state.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "app_settings.h"
#include "compare_window.h"
#include "loss_chart.h"
#include "modality_view.h"
#include "run_controls.h"
#include "csv_export.h"
#include "run_log_reader.h"
#include "run_store.h"
#include "runs_panel.h"
#include "recipe_dock.h"
#include "surgery_dock.h"
#include "surgery_view.h"
#include "token_view.h"
#include "trajectory_view.h"

namespace moescope {

namespace {
// Steps a checkpoint that had finished its run gets when opened: room for a fine-tune.
constexpr int64_t kFineTuneSteps = 200;
}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), bus_(new EventBus(this)), store_(new RunStore(this)), focus_(new FocusState(this)) {
  setWindowTitle(tr("MoE Scope"));
  // Fill most of the screen: the window holds eight views.
  const QRect screen = QGuiApplication::primaryScreen() ? QGuiApplication::primaryScreen()->availableGeometry()
                                                        : QRect(0, 0, 1600, 1000);
  resize(std::min(1800, screen.width() * 19 / 20), std::min(1100, screen.height() * 19 / 20));

  loss_chart_ = new LossChart(this);
  gating_ = new GatingView(this);
  heatmap_ = new HeatmapWidget(this);
  timeline_ = new LoadTimelineWidget(this);
  auto* top = new QSplitter(Qt::Horizontal, this);
  top->addWidget(loss_chart_);
  top->addWidget(gating_);
  top->setSizes({560, 640});
  auto* routing = new QSplitter(Qt::Horizontal, this);
  routing->addWidget(heatmap_);
  routing->addWidget(timeline_);
  routing->setSizes({560, 640});
  auto* central = new QSplitter(Qt::Vertical, this);
  central->addWidget(top);
  central->addWidget(routing);
  central->setSizes({450, 520});
  setCentralWidget(central);

  const auto add_dock = [this](const QString& title, const char* name, QWidget* widget,
                               Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(QString::fromLatin1(name));
    dock->setWidget(widget);
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                      QDockWidget::DockWidgetClosable);
    addDockWidget(area, dock);
    return dock;
  };
  controls_ = new RunControls(this);
  alerts_ = new AlertsPanel(this);
  trajectories_ = new TrajectoryView(this);
  tokens_ = new TokenView(this);
  surgery_ = new SurgeryDock(this);
  modality_ = new ModalityView(this);
  docks_ = {add_dock(tr("Run"), "run_dock", controls_, Qt::LeftDockWidgetArea),
            add_dock(tr("Alerts"), "alerts_dock", alerts_, Qt::BottomDockWidgetArea),
            add_dock(tr("Routing trajectories"), "trajectory_dock", trajectories_, Qt::RightDockWidgetArea),
            add_dock(tr("Probe tokens"), "token_dock", tokens_, Qt::RightDockWidgetArea),
            add_dock(tr("Surgery"), "surgery_dock", surgery_, Qt::RightDockWidgetArea),
            add_dock(tr("Modality x expert"), "modality_dock", modality_, Qt::RightDockWidgetArea)};
  runs_ = new RunsPanel(this);
  docks_.push_back(add_dock(tr("Runs"), "runs_dock", runs_, Qt::BottomDockWidgetArea));
  recipes_ = new RecipeDock(this);
  recipes_->set_output_folder([this] { return log_folder_; });
  docks_.push_back(add_dock(tr("Recipes"), "recipes_dock", recipes_, Qt::RightDockWidgetArea));
  connect(recipes_, &RecipeDock::train_requested, this, [this](const QString& path) {
    if (open_checkpoint_run(path, false)) {
      statusBar()->showMessage(tr("training the model built by the recipe: %1").arg(path), 15000);
    }
  });
  connect(runs_, &RunsPanel::open_requested, this, [this](const QString& path) { open_file(path); });
  connect(runs_, &RunsPanel::compare_requested, this, &MainWindow::compare_runs);
  connect(runs_, &RunsPanel::folders_changed, this, [this](const QStringList& folders) {
    run_folders_ = folders.mid(1);  // the first is the log folder
  });
  // The surgery and modality docks share the trajectories' place; Run > Expert surgery raises
  // the one, a fusion run the other.
  tabifyDockWidget(docks_[2], docks_[4]);
  tabifyDockWidget(docks_[2], docks_[5]);
  docks_[2]->raise();
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  resizeDocks({docks_[0], docks_[2]}, {290, width() * 3 / 10}, Qt::Horizontal);
  resizeDocks({docks_[2], docks_[3]}, {height() * 11 / 20, height() * 7 / 20}, Qt::Vertical);
  resizeDocks({docks_[1]}, {170}, Qt::Vertical);
  // The runs panel shares the alerts' place (View > Runs, or its tab).
  tabifyDockWidget(docks_[1], docks_[6]);
  docks_[1]->raise();
  // The recipes share the trajectories' place too (Run > Merging recipes).
  tabifyDockWidget(docks_[2], docks_[7]);
  docks_[2]->raise();

  state_label_ = new QLabel(tr("idle"), this);
  step_label_ = new QLabel(this);
  speed_label_ = new QLabel(this);
  eval_label_ = new QLabel(this);
  device_label_ = new QLabel(this);
  for (auto* label : {state_label_, step_label_, speed_label_, eval_label_, device_label_}) {
    statusBar()->addPermanentWidget(label);
  }
  build_menus();
  // Right-click on any view: Export figure...; the view last clicked is File > Export
  // figure's.
  active_figure_ = heatmap_;
  const std::vector<std::pair<QWidget*, const Figure*>> figure_widgets{
      {loss_chart_, loss_chart_}, {heatmap_, heatmap_},   {timeline_, timeline_},
      {gating_, gating_},         {trajectories_, trajectories_}, {tokens_, tokens_},
      {modality_, modality_},     {alerts_, alerts_},     {surgery_->view(), surgery_->view()}};
  for (const auto& [widget, figure] : figure_widgets) {
    widget->setContextMenuPolicy(Qt::CustomContextMenu);
    if (widget->focusPolicy() == Qt::NoFocus) widget->setFocusPolicy(Qt::ClickFocus);
    const Figure* f = figure;
    connect(widget, &QWidget::customContextMenuRequested, this, [this, widget, f](const QPoint& pos) {
      active_figure_ = f;
      QMenu menu(widget);
      menu.addAction(tr("Export &figure..."), this, [this, f] { export_figure_dialog(f); });
      if (widget == loss_chart_) {
        menu.addSeparator();
        QAction* tokens = menu.addAction(tr("x axis: &tokens seen"));
        tokens->setCheckable(true);
        tokens->setChecked(loss_chart_->x_axis() == LossChart::XAxis::Tokens);
        connect(tokens, &QAction::toggled, loss_chart_, [this](bool on) {
          loss_chart_->set_x_axis(on ? LossChart::XAxis::Tokens : LossChart::XAxis::Steps);
        });
        QAction* log = menu.addAction(tr("&Log scale"));
        log->setCheckable(true);
        log->setChecked(loss_chart_->log_scale());
        connect(log, &QAction::toggled, loss_chart_, &LossChart::set_log_scale);
      }
      menu.exec(widget->mapToGlobal(pos));
    });
  }
  connect(qApp, &QApplication::focusChanged, this, [this, figure_widgets](QWidget*, QWidget* now) {
    for (QWidget* w = now; w; w = w->parentWidget())
      for (const auto& [widget, figure] : figure_widgets)
        if (w == widget) {
          active_figure_ = figure;
          return;
        }
  });
  heatmap_->attach(store_, focus_);
  loss_chart_->attach(store_, focus_);
  timeline_->attach(store_, focus_);
  gating_->attach(store_, focus_);
  trajectories_->attach(store_, focus_);
  tokens_->attach(store_, focus_);
  alerts_->attach(store_, focus_);
  surgery_->attach(store_, focus_);
  modality_->attach(store_, focus_);

  connect(controls_, &RunControls::start_requested, this, &MainWindow::start_run);
  connect(controls_, &RunControls::pause_toggled, this, &MainWindow::toggle_pause);
  connect(controls_, &RunControls::stop_requested, this, &MainWindow::stop_run);
  connect(controls_, &RunControls::learning_rate_changed, this, [this](double lr) {
    if (engine_) engine_->post(SetLearningRate{lr});
    statusBar()->showMessage(tr("learning rate set to %1").arg(lr), 4000);
  });
  connect(controls_, &RunControls::balance_coefficient_changed, this, [this](double c) {
    post(SetBalanceCoefficient{c}, tr("balance coefficient set to %1").arg(c));
  });
  connect(controls_, &RunControls::temperature_changed, this, [this](double t) {
    post(SetRouterTemperature{t}, tr("router temperature set to %1").arg(t));
  });
  connect(controls_, &RunControls::capacity_factor_changed, this, [this](double cf) {
    post(SetCapacityFactor{cf}, cf == 0.0 ? tr("routing is dropless") : tr("capacity factor set to %1").arg(cf));
  });
  connect(controls_, &RunControls::bias_balancing_changed, this, [this](bool on, double rate) {
    post(SetBiasBalancing{on, rate}, on ? tr("aux-loss-free bias balancing on, rate %1").arg(rate)
                                        : tr("aux-loss-free bias balancing off"));
  });
  connect(controls_, &RunControls::reinit_dead_requested, this, [this] {
    post(ReinitDeadExperts{}, tr("re-initialising dead experts after this step"));
  });
  connect(surgery_, &SurgeryDock::preview_requested, this, [this](const SurgeryRequest& r) {
    post(PreviewSurgery{r}, tr("previewing: %1 %2").arg(QString::fromStdString(r.kind), QString::fromStdString(r.method)));
  });
  connect(surgery_, &SurgeryDock::sweep_requested, this, [this](const SurgeryRequest& r) {
    post(SweepSurgery{r}, tr("sweeping: %1 %2").arg(QString::fromStdString(r.kind), QString::fromStdString(r.method)));
  });
  connect(surgery_, &SurgeryDock::apply_requested, this, [this](qint64 id) {
    post(ApplySurgery{id}, tr("applying surgery preview %1").arg(id));
  });
  connect(surgery_, &SurgeryDock::undo_requested, this, [this] { post(UndoSurgery{}, tr("undoing the surgery")); });
  connect(surgery_, &SurgeryDock::cancel_requested, this, [this] {
    if (running()) engine_->cancel_surgery();
  });
  connect(focus_, &FocusState::focused, this, &MainWindow::on_focus);
  connect(store_, &RunStore::run_info_changed, this, &MainWindow::on_run_info);
  connect(store_, &RunStore::step_added, this, &MainWindow::on_step);
  connect(store_, &RunStore::eval_added, this, &MainWindow::on_eval);
  connect(store_, &RunStore::cleared, this, &MainWindow::clear_status);
  connect_bus();
  setAcceptDrops(true);
  default_state_ = saveState();
  log_folder_ = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + "/runs";
  last_preset_ = QStringLiteral("lm-fortunes");
  runs_->set_folders({log_folder_});
}

// A live run's events go to the store; the views read it.
void MainWindow::connect_bus() {
  connect(bus_, &EventBus::run_started, store_, &RunStore::set_run_info);
  connect(bus_, &EventBus::step_finished, store_, &RunStore::add_step);
  connect(bus_, &EventBus::eval_finished, store_, &RunStore::add_eval);
  connect(bus_, &EventBus::routing_snapshot, store_, &RunStore::add_routing);
  connect(bus_, &EventBus::trajectory_snapshot, store_, &RunStore::add_trajectory);
  connect(bus_, &EventBus::collapse_alert, store_, &RunStore::add_alert);
  connect(bus_, &EventBus::intervention, store_, &RunStore::add_intervention);
  connect(bus_, &EventBus::collapse_alert, this, [this](const CollapseAlert& a) {
    statusBar()->showMessage(tr("alert: %1").arg(QString::fromStdString(a.evidence)), 10000);
  });
  connect(bus_, &EventBus::surgery_previewed, store_, &RunStore::add_surgery_preview);
  connect(bus_, &EventBus::surgery_applied, store_, &RunStore::add_surgery_applied);
  connect(bus_, &EventBus::surgery_progress, surgery_, &SurgeryDock::show_progress);
  connect(bus_, &EventBus::state_changed, this, &MainWindow::on_state);
}

void MainWindow::post(Command command, const QString& message) {
  if (!running()) return;
  engine_->post(std::move(command));
  statusBar()->showMessage(message, 4000);
}

bool MainWindow::raise_dock(const QString& name) {
  static const QStringList names = {QStringLiteral("run"), QStringLiteral("alerts"), QStringLiteral("trajectories"),
                                    QStringLiteral("tokens"), QStringLiteral("surgery"), QStringLiteral("modality"),
                                    QStringLiteral("runs"), QStringLiteral("recipes")};
  const auto index = names.indexOf(name);
  if (index < 0 || index >= static_cast<int>(docks_.size())) return false;
  if (index == 4) show_surgery();  // with the room they make for themselves
  if (index == 7) show_recipes();
  docks_[static_cast<size_t>(index)]->show();
  docks_[static_cast<size_t>(index)]->raise();
  return true;
}

void MainWindow::show_recipes() {
  docks_[7]->show();
  docks_[7]->raise();
  // The table of models needs room for its columns (a language each), as the surgery's does.
  resizeDocks({docks_[7]}, {width() * 9 / 20}, Qt::Horizontal);
}

void MainWindow::show_surgery() {
  docks_[4]->show();
  docks_[4]->raise();
  // The preview's picture, costs and plan table need room: the right column widens and the
  // probe tokens below give up most of their height while the dock is looked at.
  resizeDocks({docks_[4]}, {width() * 9 / 20}, Qt::Horizontal);
  if (docks_[3]->isVisible()) resizeDocks({docks_[4], docks_[3]}, {height() * 4 / 5, height() / 5}, Qt::Vertical);
}

void MainWindow::focus(int layer, qint64 step) { focus_->focus(layer, step); }

void MainWindow::on_focus(int layer, qint64 step) {
  if (step >= 0) {
    statusBar()->showMessage(tr("showing step %1%2 (Esc: follow the run)")
                                 .arg(step)
                                 .arg(layer >= 0 ? tr(", layer %1").arg(layer) : QString()),
                             8000);
  }
}

MainWindow::~MainWindow() {
  if (engine_) engine_->stop_and_wait();
}

bool MainWindow::running() const {
  return engine_ && engine_->isRunning();
}

void MainWindow::save_checkpoint(const QString& path) {
  post(SaveCheckpoint{path.toStdString()}, tr("saving a checkpoint to %1").arg(path));
}

void MainWindow::clear_status() {
  focus_->follow_live();
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
  launch(std::move(job), false);
}

bool MainWindow::open_checkpoint(const QString& path) {
  int64_t step = 0, total = 0;
  if (!open_checkpoint_run(path, true, &step, &total)) return false;
  show_surgery();  // what a checkpoint is opened for, mostly
  statusBar()->showMessage(tr("opened %1 at step %2, paused: Resume trains to step %3").arg(path).arg(step).arg(total),
                           15000);
  return true;
}

bool MainWindow::open_checkpoint_run(const QString& path, bool paused, int64_t* opened_step, int64_t* total_steps) {
  if (running()) {
    QMessageBox::information(this, tr("Run in progress"), tr("Stop the current run before opening a checkpoint."));
    return false;
  }
  EngineJob job;
  int64_t step = 0;
  try {
    job = checkpoint_job(path.toStdString(), &step);
  } catch (const Error& e) {
    QMessageBox::warning(this, tr("Cannot open checkpoint"), QString::fromUtf8(e.what()));
    return false;
  }
  // A finished run's checkpoint would end at once: give it room to fine-tune.
  if (job.config.train.steps <= step) job.config.train.steps = step + kFineTuneSteps;
  controls_->set_preset(QString::fromStdString(job.config.preset));
  controls_->set_steps(static_cast<int>(job.config.train.steps));
  if (opened_step != nullptr) *opened_step = step;
  if (total_steps != nullptr) *total_steps = job.config.train.steps;
  launch(std::move(job), paused);
  return true;
}

bool MainWindow::open_model(const QString& folder, const QStringList& texts) {
  if (running()) {
    QMessageBox::information(this, tr("Run in progress"), tr("Stop the current run before opening a model."));
    return false;
  }
  EngineJob job;
  try {
    std::vector<std::string> files;
    for (const auto& t : texts) files.push_back(t.toStdString());
    job = hf_model_job(folder.toStdString(), files);
  } catch (const Error& e) {
    QMessageBox::warning(this, tr("Cannot open model"), QString::fromUtf8(e.what()));
    return false;
  }
  if (next_log_path_.isEmpty()) {
    const QDir runs(log_folder_);
    runs.mkpath(QStringLiteral("."));
    next_log_path_ = runs.filePath(QFileInfo(folder).fileName() + QStringLiteral("-inspect-") +
                                   QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) + ".h5");
  }
  launch(std::move(job), false);
  statusBar()->showMessage(
      tr("running %n text file(s) through %1; then paused: preview surgery, or Resume to fine-tune", "",
         static_cast<int>(texts.size()))
          .arg(folder),
      15000);
  return true;
}

void MainWindow::open_model_dialog() {
  const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Hugging Face model folder"));
  if (folder.isEmpty()) return;
  const QStringList texts = QFileDialog::getOpenFileNames(
      this, tr("Text to run through the model (each file a domain)"), QStringLiteral("/usr/share/games/fortunes"));
  if (texts.isEmpty()) return;
  open_model(folder, texts);
}

void MainWindow::launch(EngineJob job, bool paused) {
  engine_.reset();
  log_path_ = next_log_path_;
  next_log_path_.clear();
  if (log_path_.isEmpty()) {
    const QDir runs(log_folder_);
    runs.mkpath(QStringLiteral("."));
    log_path_ = runs.filePath(QString::fromStdString(job.config.preset) + "-" +
                              QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) + ".h5");
  }
  job.log_path = log_path_.toStdString();
  last_preset_ = QString::fromStdString(job.config.preset);
  add_recent(log_path_);
  store_->begin_live(log_path_);
  engine_ = std::make_unique<EngineThread>(std::move(job), bus_);
  if (paused) engine_->post(PauseCommand{});  // handed to the session before its first step
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

void MainWindow::on_run_info(const RunInfo& info) {
  controls_->set_run_info(info);
  // Which experts each modality uses is what a fusion run is for: show it.
  if (info.task == "fusion" && docks_[5]->toggleViewAction()->isChecked()) docks_[5]->raise();
  device_label_->setText(QString::fromStdString(info.device));
  setWindowTitle(tr("MoE Scope - %1").arg(store_->description()));
  if (!store_->is_replay()) statusBar()->showMessage(tr("logging to %1").arg(log_path_), 10000);
}

void MainWindow::on_step(const StepMetrics& m) {
  smoothed_tokens_per_s_ = smoothed_tokens_per_s_ == 0.0 ? m.tokens_per_s
                                                         : 0.9 * smoothed_tokens_per_s_ + 0.1 * m.tokens_per_s;
  step_label_->setText(tr("step %1 / %2").arg(m.step).arg(store_->info().total_steps));
  speed_label_->setText(tr("%1 tokens/s").arg(smoothed_tokens_per_s_, 0, 'f', 0));
}

void MainWindow::on_eval(const EvalResult& e) {
  if (store_->info().task == "lm") {
    eval_label_->setText(tr("validation %1 bits/byte").arg(e.loss / std::log(2.0), 0, 'f', 3));
  } else if (store_->info().task == "fusion") {
    eval_label_->setText(tr("caption %1 bits/byte, accuracy %2%")
                             .arg(e.loss / std::log(2.0), 0, 'f', 3)
                             .arg(100.0 * e.accuracy, 0, 'f', 2));
  } else {
    eval_label_->setText(tr("test accuracy %1%").arg(100.0 * e.accuracy, 0, 'f', 2));
  }
}

void MainWindow::on_state(const SessionState& s) {
  state_ = s.state;
  controls_->set_state(s.state);
  surgery_->set_run_state(s.state);
  state_label_->setText(QString::fromUtf8(to_string(s.state)));
  if (!s.message.empty()) statusBar()->showMessage(QString::fromStdString(s.message), 15000);
  if (s.state == RunState::Failed) {
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Run failed"),
                                QString::fromStdString(s.message), QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
  }
}

}  // namespace moescope
