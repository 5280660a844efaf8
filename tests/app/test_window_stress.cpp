// The window under stress, offscreen: stopping, closing, pausing, switching presets and
// opening logs at random moments of real runs (loading, mid-step, paused). Nothing may hang
// (each stop or close is timed against a bound), and every log is left closed, readable by a
// plain open, with steps 1..n contiguous and as many as the window saw. An unreadable log is
// a message box naming the file and the reason; with MOESCOPE_SCREENSHOT_DIR set, the box is
// saved there as unreadable-log.png.
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QMessageBox>
#include <QTest>
#include <QTimer>

#include <filesystem>
#include <random>

#include "log_repair.h"
#include "main_window.h"
#include "run_controls.h"
#include "run_log_reader.h"
#include "run_store.h"
#include "test_support.h"

using namespace moescope;

namespace {

constexpr qint64 kStopBoundMs = 10000;  // one training step and the log's close, with margin

void start(MainWindow& window, const QString& preset, const QString& log) {
  window.controls()->set_preset(preset);
  window.controls()->set_device(QStringLiteral("cpu"));
  window.controls()->set_steps(100000);
  window.set_log_path(log);
  window.show();
  window.start_run();
}

// The log of a run that ended: closed (no "open for writing" mark, no writer mark), and its
// steps 1..n, n at least `seen` (what the window showed; the log may hold a step whose
// event had not reached the window when it closed).
void check_log(const QString& path, size_t seen) {
  const std::string file = path.toStdString();
  QVERIFY2(!log_marked_open(file), qPrintable(path + " is still marked open"));
  QVERIFY2(!std::filesystem::exists(writer_mark_path(file)), qPrintable(path + ": writer mark left"));
  const RunLog log = read_run_log(file);
  QVERIFY2(log.steps.size() >= seen, qPrintable(QStringLiteral("%1: %2 steps in the log, %3 seen")
                                                    .arg(path).arg(log.steps.size()).arg(seen)));
  for (size_t i = 0; i < log.steps.size(); ++i) QCOMPARE(log.steps[i].step, int64_t(i + 1));
}

// Closes every message box that opens while `action` runs (from a timer: the boxes are
// modal); returns the text of the first.
template <typename Action>
QString answer_message_boxes(Action&& action, QString* title = nullptr) {
  auto text = std::make_shared<QString>();
  auto heading = std::make_shared<QString>();
  QTimer poll;
  QObject::connect(&poll, &QTimer::timeout, [text, heading] {
    for (auto* w : QApplication::topLevelWidgets()) {
      if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
        if (text->isEmpty()) {
          *text = box->text();
          *heading = box->windowTitle();
          if (const char* dir = std::getenv("MOESCOPE_SCREENSHOT_DIR")) {
            box->grab().save(QString::fromUtf8(dir) + QStringLiteral("/unreadable-log.png"));
          }
        }
        box->close();
      }
    }
  });
  poll.start(30);
  action();
  poll.stop();
  if (title) *title = *heading;
  return *text;
}

}  // namespace

class WindowStressTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void init() {
    if (!std::filesystem::exists("/usr/share/games/fortunes/de")) {
      QSKIP("fortunes packages not installed (apt install fortunes fortunes-de fortunes-es fortunes-it)");
    }
  }

  // Stop at random moments (loading included), then at once switch the preset and start the
  // next run, as a user clicking quickly would; then close the window mid-run.
  void stopSwitchAndRestartAtRandomMoments() {
    test::TempDir dir;
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> delay_ms(0, 1500);
    const QStringList presets{QStringLiteral("lm-fortunes"), QStringLiteral("collapse-demo")};
    qint64 longest_stop = 0;
    MainWindow window;
    for (int round = 0; round < 6; ++round) {
      const auto log = QString::fromStdString(dir.file("stop" + std::to_string(round) + ".h5"));
      start(window, presets[round % 2], log);
      QVERIFY(window.running());
      QTest::qWait(delay_ms(rng));  // loading, or some steps in
      QElapsedTimer stopping;
      stopping.start();
      window.stop_run();
      window.controls()->set_preset(presets[(round + 1) % 2]);  // while it stops
      window.start_run();                                        // ignored until it has stopped
      QTRY_VERIFY_WITH_TIMEOUT(!window.running(), kStopBoundMs);
      longest_stop = std::max(longest_stop, stopping.elapsed());
      QCoreApplication::processEvents();
      check_log(log, window.store()->steps().size());
    }
    // Closing the window mid-run stops the run and closes the log.
    const auto last = QString::fromStdString(dir.file("closed.h5"));
    start(window, presets[0], last);
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->steps().size() >= 2, 60000);
    QElapsedTimer closing;
    closing.start();
    QVERIFY(window.close());
    QVERIFY(closing.elapsed() < kStopBoundMs);
    QVERIFY(!window.running());
    check_log(last, window.store()->steps().size());
    qInfo("6 stops at random moments, the longest took %lld ms; closing mid-run took %lld ms", longest_stop,
          closing.elapsed());
  }

  // Pause, then stop or close while paused; a second window opens the live log mid-step
  // (SWMR) while the first goes on; opening a log in the busy window is refused politely.
  void pausedStopsAndLiveLogsOpenedMidStep() {
    test::TempDir dir;
    const auto log = QString::fromStdString(dir.file("live.h5"));
    auto window = std::make_unique<MainWindow>();
    start(*window, QStringLiteral("lm-fortunes"), log);
    QTRY_VERIFY_WITH_TIMEOUT(window->store()->steps().size() >= 3, 60000);

    // Another window follows the live log: it reads what is flushed, the run goes on.
    for (int i = 0; i < 3; ++i) {
      MainWindow reader;
      QVERIFY(reader.open_log(log));
      QVERIFY(reader.store()->steps().size() >= 1);
      QVERIFY(window->running());
      QTest::qWait(300);
    }
    // The busy window says why it will not open a log, and the run is untouched.
    QString title;
    const QString said = answer_message_boxes([&] { QVERIFY(!window->open_log(log)); }, &title);
    QCOMPARE(title, QStringLiteral("Run in progress"));
    QVERIFY(said.contains(QStringLiteral("Stop the current run")));
    QVERIFY(window->running());

    window->toggle_pause();
    QTRY_VERIFY_WITH_TIMEOUT(window->run_state() == RunState::Paused, 10000);
    const size_t paused_at = window->store()->steps().size();
    QTest::qWait(500);
    QCOMPARE(window->store()->steps().size(), paused_at);  // paused means no steps
    QElapsedTimer closing;
    closing.start();
    QVERIFY(window->close());  // closing a paused run stops it
    QVERIFY(closing.elapsed() < kStopBoundMs);
    window.reset();
    check_log(log, paused_at);
  }

  // A log cut short (a copy that stopped half way) cannot be read: the box names the file and
  // says why, and the window stays as it was.
  void unreadableLogIsAMessageNamingFileAndReason() {
    test::TempDir dir;
    const auto log = QString::fromStdString(dir.file("whole.h5"));
    {
      MainWindow window;
      start(window, QStringLiteral("collapse-demo"), log);
      QTRY_VERIFY_WITH_TIMEOUT(window.store()->steps().size() >= 3, 60000);
      QVERIFY(window.close());
    }
    const std::string cut = dir.file("cut.h5");
    std::filesystem::copy_file(log.toStdString(), cut);
    std::filesystem::resize_file(cut, std::filesystem::file_size(cut) / 2);

    MainWindow window;
    window.show();
    QString title;
    bool opened = true;
    const QString said =
        answer_message_boxes([&] { opened = window.open_log(QString::fromStdString(cut)); }, &title);
    QVERIFY(!opened);
    QCOMPARE(title, QStringLiteral("Cannot open run log"));
    QVERIFY2(said.contains(QString::fromStdString(cut)), qPrintable(said));
    QVERIFY2(said.contains(QStringLiteral("truncated")) || said.contains(QStringLiteral("damaged")) ||
                 said.contains(QStringLiteral("corrupt")),
             qPrintable(said));
    QVERIFY(!window.store()->is_replay());
    qInfo("the box says: %s", qPrintable(said));
  }
};

QTEST_MAIN(WindowStressTest)
#include "test_window_stress.moc"
