// The real window, offscreen, training the real lm-fortunes preset for a few steps.
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QTimer>
#include <QTest>

#include <filesystem>
#include <fstream>

#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "alerts_panel.h"
#include "focus_state.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "token_view.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "run_controls.h"
#include "run_log_reader.h"
#include "run_store.h"
#include "engine/session.h"
#include "train/checkpoint.h"
#include "surgery_dock.h"
#include "surgery_plan_model.h"
#include "surgery_sweep_chart.h"
#include "surgery_view.h"
#include "test_support.h"
#include "trajectory_view.h"

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

// The title of the first message box that opens within `ms`, which is then closed; empty if
// none opened.
QString close_next_message_box(int ms = 20000) {
  auto title = std::make_shared<QString>();
  auto* poll = new QTimer(qApp);
  auto elapsed = std::make_shared<int>(0);
  QObject::connect(poll, &QTimer::timeout, poll, [poll, title, elapsed, ms] {
    for (auto* w : QApplication::topLevelWidgets()) {
      if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
        *title = box->windowTitle();
        box->close();
      }
    }
    *elapsed += 50;
    if (!title->isEmpty() || *elapsed > ms) poll->deleteLater();
  });
  poll->start(50);
  if (!QTest::qWaitFor([&] { return !title->isEmpty(); }, ms)) return QString();
  return *title;
}

SurgeryRequest surgery_request(const std::string& kind, const std::string& method, int64_t experts,
                               int64_t calibration_tokens) {
  SurgeryRequest r;
  r.kind = kind;
  r.method = method;
  r.experts = experts;
  r.calibration_tokens = calibration_tokens;
  return r;
}

bool has_intervention(const MainWindow& window, const std::string& kind) {
  for (const auto& e : window.store()->interventions())
    if (e.kind == kind) return true;
  return false;
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
    QCOMPARE(window.timeline()->image().size(), QSize(1, 8));  // snapshots x experts
    QCOMPARE(window.gating()->snapshots(), 1);
    QCOMPARE(window.gating()->shown_step(), qint64(5));
    window.trajectories()->refresh();
    QCOMPARE(window.trajectories()->trajectories(), 1);
    QCOMPARE(window.trajectories()->shown_step(), qint64(5));
    int probe_tokens = window.trajectories()->node_count(0, -1);
    for (int e = 0; e < 8; ++e) probe_tokens += window.trajectories()->node_count(0, e);
    QVERIFY(probe_tokens > 0);
    window.tokens()->refresh();
    QCOMPARE(window.tokens()->shown_step(), qint64(5));
    QCOMPARE(window.tokens()->token_count(), probe_tokens);
    QVERIFY(window.tokens()->colour_of_token(0).isValid());
    QCOMPARE(window.alerts()->count(), int(window.store()->alerts().size()));
    QCOMPARE(window.alerts()->intervention_count(), 0);
    QCOMPARE(window.store()->steps().size(), size_t(5));
    QVERIFY(!window.store()->is_replay());
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
    replay.trajectories()->refresh();
    QCOMPARE(replay.trajectories()->shown_step(), qint64(5));
    QVERIFY(replay.store()->is_replay());
    QVERIFY(replay.windowTitle().contains(QStringLiteral("replay of run.h5")));
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
    // The Run dock and the title name the replayed run, not the default preset.
    QCOMPARE(QString::fromStdString(replay.controls()->config().preset), QStringLiteral("collapse-demo"));
    QCOMPARE(replay.controls()->router_box()->currentText(), QString::fromStdString(run.info.router));
    QCOMPARE(replay.controls()->config().train.steps, int64_t(70));
    QVERIFY(replay.windowTitle().contains(QStringLiteral("replay of collapse.h5 (collapse-demo)")));
    QCOMPARE(replay.focus_state()->step(), qint64(-1));
    QCOMPARE(replay.alerts()->count(), window.alerts()->count());
    QCOMPARE(replay.alerts()->intervention_count(), 1);
    QCOMPARE(replay.loss_chart()->markers(), 1);
    QCOMPARE(replay.gating()->snapshots(), window.gating()->snapshots());
  }

  // Pause stops the steps and resume continues them; the router controls of the Run dock reach
  // the engine and come back through the bus as interventions in the alerts panel; a
  // checkpoint is written where asked.
  void pauseResumeCheckpointAndRouterControls() {
    test::TempDir dir;
    MainWindow window;
    start_lm_run(window, 100000, QString::fromStdString(dir.file("pause.h5")));
    QTRY_VERIFY_WITH_TIMEOUT(window.loss_chart()->train_points() >= 2, 120000);
    window.toggle_pause();
    QTRY_COMPARE_WITH_TIMEOUT(window.controls()->pause_button()->text(), QStringLiteral("Resume"), 60000);
    const auto paused_at = window.loss_chart()->train_points();
    QTest::qWait(1500);
    QCOMPARE(window.loss_chart()->train_points(), paused_at);

    window.controls()->temperature_box()->setValue(2.0);
    window.controls()->capacity_box()->setValue(1.5);
    window.controls()->bias_check()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(window.alerts()->intervention_count() >= 3, 60000);  // drained while paused
    QVERIFY(has_intervention(window, "temperature"));
    QVERIFY(has_intervention(window, "capacity_factor"));
    QVERIFY(has_intervention(window, "bias_balancing"));
    QCOMPARE(window.loss_chart()->markers(), window.alerts()->intervention_count());

    window.toggle_pause();
    QTRY_COMPARE_WITH_TIMEOUT(window.controls()->pause_button()->text(), QStringLiteral("Pause"), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(window.loss_chart()->train_points() >= paused_at + 2, 120000);

    const auto checkpoint = dir.file("run.pt");
    window.save_checkpoint(QString::fromStdString(checkpoint));
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(checkpoint), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::file_size(checkpoint) > 1000, 60000);
    window.stop_run();
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 120000);
  }

  // The Surgery dock on a paused lm-fortunes run: a preview (with progress) fills the picture,
  // the plan table and the costs; Apply changes the model, marks the loss chart and the log;
  // Undo puts it back; an applied prune trains on at its new shape; the replay of the log
  // shows the same history.
  void surgeryPreviewApplyUndoAndReplay() {
    test::TempDir dir;
    const auto log = QString::fromStdString(dir.file("surgery.h5"));
    MainWindow window;
    // Screenshots of the window during and after a real preview, for docs/surgery.md, when
    // $MOESCOPE_VIEW_SHOTS names a folder (run under xvfb-run with QT_QPA_PLATFORM=xcb); the
    // model then trains longer first, so that its experts differ.
    const QString shots = qEnvironmentVariable("MOESCOPE_VIEW_SHOTS");
    start_lm_run(window, 100000, log);
    QTRY_VERIFY_WITH_TIMEOUT(window.loss_chart()->train_points() >= (shots.isEmpty() ? 2 : 150), 600000);
    window.toggle_pause();
    QTRY_COMPARE_WITH_TIMEOUT(window.controls()->pause_button()->text(), QStringLiteral("Resume"), 60000);
    SurgeryDock* dock = window.surgery();
    window.show_surgery();
    QTRY_VERIFY_WITH_TIMEOUT(dock->preview_button()->isEnabled(), 10000);
    const auto shot = [&](const char* name) {
      if (shots.isEmpty()) return;
      QDir().mkpath(shots);
      window.grab().save(shots + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
    };
    SurgeryRequest request = surgery_request("merge", "hc-smoe", 6, 4096);
    dock->set_request(request);
    int progress_seen = 0;
    connect(dock->progress_bar(), &QProgressBar::valueChanged, this, [&](int v) {
      if (progress_seen < 300 && v >= 300 && v < 800) shot("surgery-calibrating");
      progress_seen = std::max(progress_seen, v);
    });
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 1, 120000);
    QCOMPARE(progress_seen, 1000);
    QCOMPARE(dock->plan()->rowCount(), 4);
    QCOMPARE(dock->plan()->budgets(), (std::vector<int64_t>{6, 6, 6, 6}));
    QVERIFY(dock->view()->has_preview());
    QCOMPARE(dock->view()->order().size(), size_t(8));
    QCOMPARE(window.store()->surgery()[0].preview.layers[0].groups.size(), size_t(6));
    QVERIFY(dock->cost_label()->text().contains(QStringLiteral("validation bits/byte")));
    QVERIFY(dock->apply_button()->isEnabled());
    QTest::qWait(100);
    shot("surgery-merge-preview");

    // Pruning instead: the calibration of this step is reused.
    request.kind = "prune";
    request.method = "reap";
    dock->set_request(request);
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 2, 120000);
    QVERIFY(window.store()->surgery()[1].preview.calibration_reused);
    QCOMPARE(window.store()->surgery()[1].preview.layers[2].kept.size(), size_t(6));

    // Layer 0 keeps 7 (edited in the plan table).
    QVERIFY(dock->plan()->setData(dock->plan()->index(0, SurgeryPlanModel::BudgetColumn), 7));
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 3, 120000);
    const SurgeryRecord second = window.store()->surgery()[2];
    QVERIFY(second.preview.calibration_reused);
    QCOMPARE(second.preview.layers[0].experts_after, int64_t(7));
    QCOMPARE(second.preview.layers[1].experts_after, int64_t(6));

    const int markers = window.loss_chart()->markers();
    QTest::mouseClick(dock->apply_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 4, 120000);
    QVERIFY(has_intervention(window, "surgery"));
    QCOMPARE(window.loss_chart()->markers(), markers + 1);
    QVERIFY(dock->undo_button()->isEnabled());
    QTest::mouseClick(dock->undo_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 5, 120000);
    QCOMPARE(window.store()->surgery()[4].action, std::string("undo"));
    QVERIFY(!dock->undo_button()->isEnabled());

    // Prune to 6 everywhere, apply, and train on at the new shape.
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 6, 120000);
    QTest::mouseClick(dock->apply_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 7, 120000);
    const auto at = window.store()->latest_routing().step;
    window.toggle_pause();
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->latest_routing().step > at, 120000);
    const RoutingSnapshot& pruned = window.store()->latest_routing();
    QCOMPARE(pruned.layers, int64_t(4));
    for (int64_t l = 0; l < 4; ++l) QCOMPARE(pruned.experts_at(l), int64_t(6));
    window.toggle_pause();
    QTRY_COMPARE_WITH_TIMEOUT(window.controls()->pause_button()->text(), QStringLiteral("Resume"), 60000);
    QTest::qWait(200);
    shot("surgery-applied");

    // A sweep of REAP pruning at the new shape: 5, 4, 3 and 2 experts kept, on one calibration.
    QTest::mouseClick(dock->sweep_button(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(dock->sweep_button()->isEnabled(), 300000);
    QCOMPARE(dock->sweep_chart()->curves().size(), size_t(1));
    QCOMPARE(dock->sweep_chart()->curves()[0].x, (std::vector<double>{5, 4, 3, 2}));
    QVERIFY(dock->sweep_chart()->curves()[0].measured.back() > dock->sweep_chart()->curves()[0].measured.front());
    QCOMPARE(window.store()->surgery().size(), size_t(11));
    QVERIFY(window.store()->surgery()[8].preview.calibration_reused);
    QTest::qWait(200);
    shot("surgery-sweep");
    window.stop_run();
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 120000);

    const auto run = read_run_log(log.toStdString());
    QCOMPARE(run.surgery.size(), size_t(11));
    if (!shots.isEmpty()) {  // the log too, to replay in the app and read from Python
      QFile::remove(shots + QStringLiteral("/surgery.h5"));
      QVERIFY(QFile::copy(log, shots + QStringLiteral("/surgery.h5")));
    }
    MainWindow replay;
    QVERIFY(replay.open_log(log));
    QCOMPARE(replay.surgery()->history_box()->count(), 11);
    QCOMPARE(replay.surgery()->sweep_chart()->curves().size(), size_t(1));
    QCOMPARE(replay.surgery()->history_box()->currentIndex(), 10);
    QCOMPARE(replay.surgery()->plan()->rowCount(), 4);
    QVERIFY(!replay.surgery()->preview_button()->isEnabled());
  }

  // A checkpoint opens as a paused run at its step: the dock previews and applies a prune,
  // the changed model saves as a checkpoint of the new shape; a run that had finished gets
  // 200 steps to fine-tune. A file that is no checkpoint is a message, and nothing starts.
  void openingACheckpointPausesItForSurgery() {
    test::TempDir dir;
    test::write_fortunes_tree(dir.path() / "fortunes", 60);
    const auto trained = dir.file("trained.pt");
    {
      Session session(test::tiny_surgery_config((dir.path() / "fortunes").string(), 10));
      session.run();
      session.save_checkpoint(trained);
    }
    MainWindow window;
    window.set_log_path(QString::fromStdString(dir.file("opened.h5")));
    window.show();
    QVERIFY(window.open_checkpoint(QString::fromStdString(trained)));
    QTRY_COMPARE_WITH_TIMEOUT(window.controls()->pause_button()->text(), QStringLiteral("Resume"), 60000);
    QCOMPARE(window.controls()->config().train.steps, int64_t(210));
    SurgeryDock* dock = window.surgery();
    QTRY_VERIFY_WITH_TIMEOUT(dock->preview_button()->isEnabled(), 10000);
    dock->set_request(surgery_request("prune", "frequency", 3, 256));
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 1, 60000);
    QCOMPARE(window.store()->surgery()[0].preview.step, int64_t(10));  // the checkpoint's step
    QTest::mouseClick(dock->apply_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 2, 60000);
    const auto pruned = dir.file("pruned.pt");
    window.save_checkpoint(QString::fromStdString(pruned));
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(pruned), 60000);
    window.stop_run();
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 60000);
    int64_t step = 0;
    const RunConfig saved = checkpoint_config(pruned, &step);
    QCOMPARE(step, int64_t(10));
    QCOMPARE(saved.model.layer_experts, (std::vector<int64_t>{3, 3}));

    const auto bogus = dir.file("bogus.pt");
    { std::ofstream(bogus) << "not a checkpoint"; }
    QTimer::singleShot(0, &window, [&] { window.open_checkpoint(QString::fromStdString(bogus)); });
    QCOMPARE(close_next_message_box(), QStringLiteral("Cannot open checkpoint"));
    QVERIFY(!window.running());
  }

  // A configuration that does not validate is refused before any thread starts.
  void cannotStartIsAMessage() {
    MainWindow window;
    window.controls()->set_device(QStringLiteral("tpu"));
    window.show();
    QTimer::singleShot(0, &window, [&window] { window.start_run(); });
    QCOMPARE(close_next_message_box(), QStringLiteral("Cannot start"));
    QVERIFY(!window.running());
  }

  // A run whose set-up fails (its log cannot be written) says so in a message box.
  void runFailedIsAMessage() {
    MainWindow window;
    window.controls()->set_preset(QStringLiteral("lm-fortunes"));
    window.controls()->set_device(QStringLiteral("cpu"));
    window.set_log_path(QStringLiteral("/nonexistent-folder/run.h5"));
    window.show();
    window.start_run();
    QCOMPARE(close_next_message_box(120000), QStringLiteral("Run failed"));
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 60000);
    QVERIFY(window.controls()->start_button()->isEnabled());
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
