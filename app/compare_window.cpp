#include "compare_window.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>
#include <exception>
#include <limits>

#include "config_diff.h"
#include "export_figure_dialog.h"
#include "figure_set.h"
#include "focus_state.h"
#include "heatmap_widget.h"
#include "load_diff_view.h"
#include "loss_chart.h"
#include "run_log_reader.h"
#include "run_store.h"

namespace moescope {

struct CompareWindow::Run {
  QString path, name;
  QDateTime modified;
  std::unique_ptr<RunStore> store = std::make_unique<RunStore>();
  CompareRun curves;
  std::string config_json;
};

CompareWindow::CompareWindow(QWidget* parent)
    : QWidget(parent, Qt::Window),
      focus_(new FocusState(this)),
      loss_(new LossChart(this)),
      config_(new QTableWidget(this)),
      heatmap_row_(new QSplitter(Qt::Horizontal, this)),
      difference_(nullptr),
      x_axis_(new QComboBox(this)),
      log_(new QCheckBox(tr("&Log scale"), this)),
      slider_(new QSlider(Qt::Horizontal, this)),
      step_label_(new QLabel(this)),
      diff_a_(new QComboBox(this)),
      diff_b_(new QComboBox(this)),
      status_(new QLabel(this)),
      timer_(new QTimer(this)) {
  setWindowTitle(tr("Compare runs"));
  resize(1500, 900);

  x_axis_->addItem(tr("by step"));
  x_axis_->addItem(tr("by tokens seen"));
  x_axis_->setToolTip(tr("The loss chart's x axis: optimiser steps, or tokens seen (runs of other batch sizes line up by data)"));
  connect(x_axis_, &QComboBox::currentIndexChanged, this, [this](int index) {
    loss_->set_x_axis(index == 1 ? LossChart::XAxis::Tokens : LossChart::XAxis::Steps);
  });
  log_->setToolTip(tr("A logarithmic loss axis"));
  connect(log_, &QCheckBox::toggled, loss_, &LossChart::set_log_scale);
  slider_->setToolTip(tr("The step every run's heatmap and the difference show (Esc: each run's newest)"));
  // The code moves the slider with its signals blocked: every valueChanged is the user's.
  connect(slider_, &QSlider::valueChanged, this, [this](int value) { show_step(value); });
  auto* latest = new QPushButton(tr("&Newest"), this);
  latest->setToolTip(tr("Show each run's newest step, following runs still being written (Esc)"));
  connect(latest, &QPushButton::clicked, this, [this] { show_step(-1); });
  diff_a_->setToolTip(tr("Run A of the difference A \u2212 B"));
  diff_b_->setToolTip(tr("Run B of the difference A \u2212 B"));
  connect(diff_a_, &QComboBox::currentIndexChanged, this, [this] { update_difference(); });
  connect(diff_b_, &QComboBox::currentIndexChanged, this, [this] { update_difference(); });

  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Loss:"), this));
  controls->addWidget(x_axis_);
  controls->addWidget(log_);
  controls->addSpacing(16);
  controls->addWidget(new QLabel(tr("Step:"), this));
  controls->addWidget(slider_, 1);
  step_label_->setMinimumWidth(step_label_->fontMetrics().horizontalAdvance(tr("newest of each run")) + 8);
  controls->addWidget(step_label_);
  controls->addWidget(latest);
  controls->addSpacing(16);
  controls->addWidget(new QLabel(tr("Difference:"), this));
  controls->addWidget(diff_a_);
  controls->addWidget(new QLabel(QStringLiteral("\u2212"), this));
  controls->addWidget(diff_b_);

  config_->setColumnCount(1);
  config_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  config_->setSelectionBehavior(QAbstractItemView::SelectRows);
  config_->verticalHeader()->setVisible(true);
  config_->horizontalHeader()->setStretchLastSection(true);
  config_->setToolTip(tr("The config keys whose values differ between the runs"));

  auto* top = new QSplitter(Qt::Horizontal, this);
  top->addWidget(loss_);
  top->addWidget(config_);
  top->setSizes({900, 600});
  auto* central = new QSplitter(Qt::Vertical, this);
  central->addWidget(top);
  central->addWidget(heatmap_row_);
  central->setSizes({420, 480});

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(controls);
  layout->addWidget(central, 1);
  status_->setWordWrap(true);
  layout->addWidget(status_);

  add_export_menu(loss_, loss_);
  timer_->setInterval(2000);
  connect(timer_, &QTimer::timeout, this, &CompareWindow::reread_changed);
  timer_->start();
}

CompareWindow::~CompareWindow() = default;

void CompareWindow::add_export_menu(QWidget* widget, const Figure* figure) {
  widget->setContextMenuPolicy(Qt::CustomContextMenu);
  connect(widget, &QWidget::customContextMenuRequested, this, [this, widget, figure](const QPoint& pos) {
    QMenu menu(widget);
    menu.addAction(tr("Export &figure..."), this, [this, figure] {
      ExportFigureDialog dialog(figures(), figure, figure_folder_, this);
      if (dialog.exec() == QDialog::Accepted) figure_folder_ = QFileInfo(dialog.path()).absolutePath();
    });
    menu.exec(widget->mapToGlobal(pos));
  });
}

std::vector<const Figure*> CompareWindow::figures() const {
  std::vector<const Figure*> out{loss_};
  for (const HeatmapWidget* h : heatmaps_) out.push_back(h);
  if (difference_) out.push_back(difference_);
  return out;
}

void CompareWindow::read(Run& run) {
  const RunLog log = read_run_log(run.path.toStdString());
  run.modified = QFileInfo(run.path).lastModified();
  run.curves = compare_run_of(run.name, log.steps, log.evals);
  run.config_json = log.info.config_json;
  replay_into(*run.store, run.path, log);
}

int CompareWindow::set_runs(const QStringList& paths, QStringList* errors) {
  // The views go before the stores they draw.
  for (HeatmapWidget* h : heatmaps_) delete h;
  heatmaps_.clear();
  delete difference_;
  difference_ = nullptr;
  runs_.clear();
  for (const QString& path : paths) {
    auto run = std::make_unique<Run>();
    run->path = path;
    run->name = QFileInfo(path).completeBaseName();
    try {
      read(*run);
      runs_.push_back(std::move(run));
    } catch (const std::exception& e) {
      if (errors) errors->push_back(QString::fromUtf8(e.what()));
    }
  }
  rebuild();
  QStringList names;
  for (const auto& run : runs_) names << run->name;
  setWindowTitle(tr("Compare runs: %1").arg(names.join(QStringLiteral(", "))));
  return runs();
}

void CompareWindow::rebuild() {
  for (size_t i = 0; i < runs_.size() && i < size_t{kMaxSideBySide}; ++i) {
    auto* heatmap = new HeatmapWidget(heatmap_row_);
    heatmap->set_run_name(runs_[i]->name);
    heatmap->attach(runs_[i]->store.get(), focus_);
    heatmap->setMinimumWidth(160);
    heatmap_row_->addWidget(heatmap);
    add_export_menu(heatmap, heatmap);
    heatmaps_.push_back(heatmap);
  }
  for (QComboBox* box : {diff_a_, diff_b_}) {
    const QSignalBlocker block(box);
    box->clear();
    for (const auto& run : runs_) box->addItem(run->name);
  }
  diff_a_->setCurrentIndex(0);
  diff_b_->setCurrentIndex(runs_.size() > 1 ? 1 : 0);
  update_difference();
  update_compare_curves();
  fill_config_diff();
  update_slider();
  show_step(-1);
  status_->setText(runs_.size() > size_t{kMaxSideBySide}
                       ? tr("%1 runs: the loss chart and the config table show all, the heatmaps the first %2.")
                             .arg(runs_.size())
                             .arg(kMaxSideBySide)
                       : QString());
}

void CompareWindow::update_compare_curves() {
  std::vector<CompareRun> curves;
  for (const auto& run : runs_) curves.push_back(run->curves);
  loss_->set_compare(curves);
}

void CompareWindow::update_difference() {
  delete difference_;
  difference_ = nullptr;
  const int a = diff_a_->currentIndex(), b = diff_b_->currentIndex();
  if (runs_.size() < 2 || a < 0 || b < 0) return;
  difference_ = new LoadDiffView(heatmap_row_);
  difference_->attach(runs_[size_t(a)]->store.get(), focus_);
  difference_->set_other(runs_[size_t(b)]->store.get(), runs_[size_t(a)]->name, runs_[size_t(b)]->name);
  difference_->setMinimumWidth(160);
  heatmap_row_->addWidget(difference_);
  add_export_menu(difference_, difference_);
  difference_->show_step(focus_->step());
}

void CompareWindow::fill_config_diff() {
  config_->clear();
  config_->setRowCount(0);
  config_->setColumnCount(static_cast<int>(runs_.size()));
  QStringList names;
  std::vector<std::string> configs;
  for (const auto& run : runs_) {
    names << run->name;
    configs.push_back(run->config_json.empty() ? "{}" : run->config_json);
  }
  config_->setHorizontalHeaderLabels(names);
  std::vector<ConfigDifference> diff;
  try {
    diff = config_diff(configs);
  } catch (const std::exception& e) {
    status_->setText(tr("Config diff: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  config_->setRowCount(static_cast<int>(diff.size()));
  QStringList keys;
  for (size_t row = 0; row < diff.size(); ++row) {
    keys << QString::fromStdString(diff[row].key);
    for (size_t col = 0; col < diff[row].values.size(); ++col) {
      const auto& value = diff[row].values[col];
      auto* item = new QTableWidgetItem(value ? QString::fromStdString(*value) : tr("(absent)"));
      item->setToolTip(item->text());
      config_->setItem(static_cast<int>(row), static_cast<int>(col), item);
    }
  }
  config_->setVerticalHeaderLabels(keys);
  if (diff.empty() && runs_.size() > 1) {
    config_->setRowCount(1);
    config_->setVerticalHeaderLabels({tr("config")});
    config_->setItem(0, 0, new QTableWidgetItem(tr("the same in every run")));
  }
}

void CompareWindow::update_slider() {
  qint64 newest = 0;
  for (const auto& run : runs_) newest = std::max(newest, run->store->latest_step());
  const QSignalBlocker block(slider_);
  slider_->setRange(0, static_cast<int>(std::min<qint64>(newest, std::numeric_limits<int>::max())));
  slider_->setPageStep(std::max(1, slider_->maximum() / 20));
  if (focus_->following_live()) slider_->setValue(slider_->maximum());
}

void CompareWindow::show_step(qint64 step) {
  focus_->focus(-1, step);
  if (step < 0) {
    const QSignalBlocker block(slider_);
    slider_->setValue(slider_->maximum());
  }
  loss_->set_cursor_step(step);
  step_label_->setText(step < 0 ? tr("newest of each run") : tr("step %1").arg(step));
}

void CompareWindow::reread_changed() {
  bool changed = false;
  QStringList errors;
  for (auto& run : runs_) {
    const QFileInfo info(run->path);
    if (!info.exists() || info.lastModified() == run->modified) continue;
    try {
      read(*run);
      changed = true;
    } catch (const std::exception& e) {
      // A log caught mid-write: the next round reads it again.
      errors << QString::fromUtf8(e.what());
    }
  }
  if (!errors.isEmpty()) status_->setText(errors.join(QLatin1Char('\n')));
  if (!changed) return;
  update_compare_curves();
  fill_config_diff();
  update_slider();
  show_step(focus_->step());
}

void CompareWindow::keyPressEvent(QKeyEvent* event) {
  if (event->key() == Qt::Key_Escape) {
    show_step(-1);
    return;
  }
  QWidget::keyPressEvent(event);
}

}  // namespace moescope
