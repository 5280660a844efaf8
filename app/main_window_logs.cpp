// The window's logs and exports: File > Open run log (read off the GUI thread) and the
// replay into the views, the figures and Export figure, Compare runs, Export data.
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

bool MainWindow::open_log(const QString& path) {
  if (running()) {
    QMessageBox::information(this, tr("Run in progress"), tr("Stop the current run before opening a log."));
    return false;
  }
  // HDF5 parsing happens on a worker thread; the GUI thread keeps painting in a local event
  // loop, with the share read so far in a progress dialog (for a log that takes long) whose
  // Cancel stops the read at the next dataset.
  std::optional<RunLog> log;
  QString error;
  bool cancelled = false;
  std::atomic<int> permille{0};
  std::atomic<bool> cancel{false};
  const std::unique_ptr<QThread> reader(QThread::create([&, file = path.toStdString()] {
    try {
      log = read_run_log(file, [&](double fraction) {
        permille.store(static_cast<int>(fraction * 1000.0));
        return !cancel.load();
      });
    } catch (const ReadCancelled&) {
      cancelled = true;
    } catch (const std::exception& e) {
      error = QString::fromUtf8(e.what());
    }
  }));
  QEventLoop loop;
  bool done = false;
  connect(reader.get(), &QThread::finished, &loop, [&] {
    done = true;
    loop.quit();
  });
  state_label_->setText(tr("reading log..."));
  reader->start();
  // A small log is read before anyone could click: no dialog, no input meanwhile.
  QTimer patience;
  patience.setSingleShot(true);
  connect(&patience, &QTimer::timeout, &loop, &QEventLoop::quit);
  patience.start(400);
  loop.exec(QEventLoop::ExcludeUserInputEvents);
  patience.stop();
  if (!done) {
    QProgressDialog progress(tr("Reading %1...").arg(QFileInfo(path).fileName()), tr("Cancel"), 0,
                             1000, this);
    progress.setWindowTitle(tr("Open run log"));
    progress.setWindowModality(Qt::WindowModal);  // only its Cancel reaches the window
    progress.setMinimumDuration(0);
    progress.setValue(permille.load());
    connect(&progress, &QProgressDialog::canceled, &progress, [&cancel] { cancel.store(true); });
    QTimer tick;
    connect(&tick, &QTimer::timeout, &progress, [&] {
      if (!progress.wasCanceled()) progress.setValue(std::min(999, permille.load()));
    });
    tick.start(50);
    if (!done) loop.exec();
    tick.stop();
    progress.reset();
  }
  reader->wait();
  if (cancelled) {
    state_label_->setText(tr("idle"));
    statusBar()->showMessage(tr("Opening %1 cancelled").arg(path), 10000);
    return false;
  }
  if (!log) {
    state_label_->setText(tr("idle"));
    QMessageBox::warning(this, tr("Cannot open run log"), error);
    return false;
  }
  replay(path, *log);
  add_recent(path);
  return true;
}

std::vector<const Figure*> MainWindow::figures() const {
  return {loss_chart_, heatmap_, timeline_, gating_, trajectories_, tokens_, modality_, alerts_, surgery_->view()};
}

void MainWindow::export_figure_dialog(const Figure* figure) {
  if (figure_folder_.isEmpty()) figure_folder_ = QDir::homePath();
  ExportFigureDialog dialog(figures(), figure ? figure : active_figure_, figure_folder_, this);
  if (dialog.exec() != QDialog::Accepted) return;
  figure_folder_ = QFileInfo(dialog.path()).absolutePath();
  statusBar()->showMessage(tr("Figure written to %1").arg(dialog.path()), 10000);
}

int MainWindow::compare_runs(const QStringList& paths) {
  std::vector<CompareRun> runs;
  for (const QString& path : paths) {
    if (path == log_path_) continue;  // the run shown is drawn already
    try {
      const RunLog log = read_run_log(path.toStdString());
      runs.push_back(compare_run_of(QFileInfo(path).completeBaseName(), log.steps, log.evals));
    } catch (const std::exception& e) {
      QMessageBox::warning(this, tr("Cannot compare"), QString::fromUtf8(e.what()));
    }
  }
  loss_chart_->set_compare(runs);
  // Two runs or more: side by side in the compare window too.
  if (paths.size() >= 2) {
    if (!compare_) compare_ = new CompareWindow(this);
    QStringList errors;
    compare_->set_runs(paths, &errors);
    compare_->show();
    compare_->raise();
  }
  statusBar()->showMessage(runs.empty() ? tr("Comparison cleared")
                                        : tr("Loss chart: %n other run(s) overlaid", nullptr, int(runs.size())),
                           8000);
  return static_cast<int>(runs.size());
}

void MainWindow::export_data() {
  if (log_path_.isEmpty()) {
    QMessageBox::information(this, tr("Export data"), tr("Start a run or open a run log first: the tables come from its log."));
    return;
  }
  QStringList tables;
  for (const auto& t : csv_tables()) tables << QString::fromStdString(t);
  bool ok = false;
  const QString what = QInputDialog::getItem(
      this, tr("Export data"),
      tr("Table of %1 to write as CSV (columns: moescope-cli export --help):").arg(QFileInfo(log_path_).fileName()),
      tables, tables.indexOf(QStringLiteral("load")), false, &ok);
  if (!ok) return;
  // The routing tables of the step the views show when an alert or the user chose one.
  const qint64 step = focus_->step();
  const QString name = QFileInfo(log_path_).completeBaseName() + QLatin1Char('_') + what +
                       (step >= 0 ? QStringLiteral("_step%1").arg(step) : QString()) + QStringLiteral(".csv");
  const QString path = QFileDialog::getSaveFileName(this, tr("Export data"), QDir(figure_folder_.isEmpty() ? QDir::homePath() : figure_folder_).filePath(name),
                                                    tr("CSV (*.csv)"));
  if (path.isEmpty()) return;
  try {
    const auto rows = write_csv(read_run_log(log_path_.toStdString()), what.toStdString(), path.toStdString(), step);
    figure_folder_ = QFileInfo(path).absolutePath();
    statusBar()->showMessage(tr("%1 rows of %2 written to %3").arg(rows).arg(what, path), 10000);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Cannot export data"), QString::fromUtf8(e.what()));
  }
}

void MainWindow::replay(const QString& path, const RunLog& log) {
  log_path_ = path;
  replay_into(*store_, path, log);
  state_label_->setText(tr("replay"));
  statusBar()->showMessage(tr("replay of %1").arg(path), 10000);
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (running()) {
    state_label_->setText(tr("stopping..."));
    QApplication::setOverrideCursor(Qt::WaitCursor);
    engine_->stop_and_wait();  // at most one training step; the log is flushed and closed
    QApplication::restoreOverrideCursor();
  }
  if (keeps_settings_) save_settings();
  event->accept();
}

}  // namespace moescope
