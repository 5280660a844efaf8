// The real window, offscreen, training the real lm-fortunes preset for a few steps.
#include <QApplication>
#include <QDoubleSpinBox>
#include <QTimer>
#include <QTest>

#include <filesystem>

#include <QPushButton>

#include "alerts_panel.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "token_view.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "run_controls.h"
#include "run_log_reader.h"
#include "test_support.h"

using namespace moescope;

namespace {

// lm-fortunes on the CPU for `steps` steps, logging to `log`.
void start_lm_run(MainWindow& window, int steps, const QString& log) {
  window.controls()->set_preset(QStringLiteral("lm-fortunes"));
  window.controls()->set_device(QStringLiteral("cpu"));
  window.controls()->set_steps(steps);
  window.set_log_path(log);
  window.show();
  window.start_run();
}

}  // namespace

class MainWindowTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void init() {
    if (!std::filesystem::exists("/usr/share/games/fortunes/de")) {
      QSKIP("fortunes packages not installed (apt install fortunes fortunes-de fortunes-es fortunes-it)");
    }
  }

  void trainsAShortRunAndFillsEveryView() {
    test::TempDir dir;
    const auto log = QString::fromStdString(dir.file("run.h5"));
    MainWindow window;
    start_lm_run(window, 5, log);
    QTRY_VERIFY_WITH_TIMEOUT(window.running(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 120000);
    window.heatmap()->refresh();
    QCOMPARE(window.heatmap()->image().size(), QSize(8, 4));  // experts x layers
    window.loss_chart()->refresh();
    QCOMPARE(window.loss_chart()->displayed_train_points(), qsizetype(5));
    window.timeline()->refresh();
    QCOMPARE(window.timeline()->snapshots(), 1);  // snapshot_every = 5
    const auto run = read_run_log(log.toStdString());
    QCOMPARE(run.steps.size(), size_t(5));
    QCOMPARE(run.routing.size(), size_t(1));
    QCOMPARE(run.evals.size(), size_t(1));

    // Replaying the log shows the same picture as the live run.
    MainWindow replay;
    QVERIFY(replay.open_log(log));
    replay.heatmap()->refresh();
    QCOMPARE(replay.heatmap()->image(), window.heatmap()->image());
    replay.loss_chart()->refresh();
    QCOMPARE(replay.loss_chart()->displayed_train_points(), qsizetype(5));
  }

  void liveLearningRateReachesTheEngineAndClosingMidRunFlushesTheLog() {
    test::TempDir dir;
    const auto log = QString::fromStdString(dir.file("long.h5"));
    {
      MainWindow window;
      start_lm_run(window, 100000, log);
      QTRY_VERIFY_WITH_TIMEOUT(window.loss_chart()->train_points() >= 2, 120000);
      window.controls()->lr_box()->setValue(1e-5);
      const auto changed_at = window.loss_chart()->train_points();
      QTRY_VERIFY_WITH_TIMEOUT(window.loss_chart()->train_points() >= changed_at + 3, 120000);
      QVERIFY(window.close());
      QVERIFY(!window.running());
    }
    // Closed cleanly: a plain (non-SWMR) open works and every step row is complete.
    const auto run = read_run_log(log.toStdString());
    QVERIFY(run.steps.size() >= 5);
    QVERIFY(run.steps.size() < 100000);
    QVERIFY(run.steps.back().lr <= 1e-5);
    QVERIFY(run.steps.front().lr > 1e-5);
    for (size_t i = 0; i < run.steps.size(); ++i) QCOMPARE(run.steps[i].step, int64_t(i + 1));
  }

  // collapse-demo in the window: alerts arrive live, "Re-init dead experts" is logged and
  // marked on the charts, clicking an alert moves the views, and the replay shows the same.
  void collapseAlertsInterventionsAndFocus() {
    test::TempDir dir;
    const auto log = QString::fromStdString(dir.file("collapse.h5"));
    MainWindow window;
    window.controls()->set_preset(QStringLiteral("collapse-demo"));
    window.controls()->set_device(QStringLiteral("cpu"));
    window.controls()->set_steps(70);  // grace period 35 steps: dominant at 50, dead at 60
    window.set_log_path(log);
    window.show();
    window.start_run();
    QTRY_VERIFY_WITH_TIMEOUT(window.alerts()->count() >= 4, 300000);  // slow when the cores are shared
    QVERIFY(window.controls()->reinit_button()->isEnabled());
    window.controls()->reinit_button()->click();
    QTRY_VERIFY_WITH_TIMEOUT(window.alerts()->intervention_count() == 1, 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 120000);
    QCOMPARE(window.loss_chart()->markers(), 1);
    QCOMPARE(window.timeline()->markers(), 1);

    Q_EMIT window.alerts()->alert_activated(2, 50);
    QCOMPARE(window.heatmap()->shown_step(), qint64(50));
    QCOMPARE(window.heatmap()->highlight_layer(), 2);
    QCOMPARE(window.timeline()->layer(), 2);
    QCOMPARE(window.timeline()->cursor_step(), qint64(50));
    QCOMPARE(window.gating()->layer(), 2);
    QCOMPARE(window.gating()->shown_step(), qint64(50));
    QCOMPARE(window.loss_chart()->cursor_step(), qint64(50));
    QCOMPARE(window.tokens()->shown_step(), qint64(50));

    const auto run = read_run_log(log.toStdString());
    QCOMPARE(int(run.alerts.size()), window.alerts()->count());
    QCOMPARE(run.interventions.size(), size_t(1));
    QCOMPARE(QString::fromStdString(run.interventions[0].kind), QStringLiteral("reinit_experts"));
    QCOMPARE(run.trajectories.size(), size_t(14));
    MainWindow replay;
    QVERIFY(replay.open_log(log));
    QCOMPARE(replay.alerts()->count(), window.alerts()->count());
    QCOMPARE(replay.alerts()->intervention_count(), 1);
    QCOMPARE(replay.loss_chart()->markers(), 1);
    QCOMPARE(replay.gating()->snapshots(), window.gating()->snapshots());
  }

  void badLogIsAMessageNotACrash() {
    test::TempDir dir;
    test::write_file(dir.path() / "bad.h5", "not hdf5");
    MainWindow window;
    QTimer::singleShot(200, [] {
      for (auto* w : QApplication::topLevelWidgets()) {
        if (w->inherits("QMessageBox")) w->close();
      }
    });
    QVERIFY(!window.open_log(QString::fromStdString(dir.file("bad.h5"))));
  }
};

QTEST_MAIN(MainWindowTest)
#include "test_main_window.moc"
