#include <QCoreApplication>
#include <QTest>
#include <QThread>

#include <thread>
#include <vector>

#include "engine_thread.h"
#include "event_bus.h"
#include "test_support.h"

using namespace moescope;

class EventBusTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void deliversEventsFromAWorkerThreadOnTheReceiversThread() {
    EventBus bus;
    QObject receiver;
    QList<int64_t> steps;
    bool all_on_main = true;
    int64_t last_routing_step = 0;
    connect(&bus, &EventBus::step_finished, &receiver, [&](const StepMetrics& m) {
      all_on_main = all_on_main && QThread::currentThread() == qApp->thread();
      steps.append(m.step);
    });
    connect(&bus, &EventBus::routing_snapshot, &receiver, [&](const RoutingSnapshot& s) {
      last_routing_step = s.step;
      QCOMPARE(s.load.size(), size_t(6));
    });
    std::thread worker([&] {
      for (int i = 1; i <= 100; ++i) {
        StepMetrics m;
        m.step = i;
        bus.on_step(m);
      }
      RoutingSnapshot s;
      s.step = 100;
      s.layers = 2;
      s.experts = 3;
      s.load.assign(6, 1.0f / 3);
      bus.on_routing(s);
    });
    worker.join();
    QTRY_COMPARE(steps.size(), 100);
    QVERIFY(all_on_main);
    for (int i = 0; i < 100; ++i) QCOMPARE(steps[i], int64_t(i + 1));  // in order
    QTRY_COMPARE(last_routing_step, int64_t(100));
  }

  void engineThreadTrainsAndStopsOnRequest() {
    test::TempDir dir;
    test::write_fortunes_tree(dir.path() / "fortunes", 40);
    auto config = test::tiny_lm_config((dir.path() / "fortunes").string());
    config.train.steps = 100000;
    EventBus bus;
    // Counted on this thread (a QSignalSpy connects directly: it would count on the engine's,
    // racing with the reads here, as TSan showed).
    QObject here;
    int steps = 0;
    std::vector<SessionState> states;
    connect(&bus, &EventBus::step_finished, &here, [&steps](const StepMetrics&) { ++steps; });
    connect(&bus, &EventBus::state_changed, &here, [&states](const SessionState& s) { states.push_back(s); });
    EngineThread engine({config, dir.file("run.h5"), {}}, &bus);
    engine.start();
    QTRY_VERIFY_WITH_TIMEOUT(steps >= 3, 20000);
    engine.stop_and_wait();
    QVERIFY(engine.isFinished());
    QTRY_VERIFY(!states.empty() && states.back().state == RunState::Stopped);
    QVERIFY(std::filesystem::exists(dir.file("run.h5")));
  }

  void engineThreadReportsSetUpFailures() {
    auto config = test::tiny_lm_config("/nonexistent/fortunes");
    EventBus bus;
    QObject here;
    std::vector<SessionState> states;
    connect(&bus, &EventBus::state_changed, &here, [&states](const SessionState& s) { states.push_back(s); });
    EngineThread engine({config, {}, {}}, &bus);
    engine.start();
    engine.wait();
    QTRY_VERIFY(!states.empty() && states.back().state == RunState::Failed);
    QVERIFY(states.back().message.find("apt install") != std::string::npos);
  }
};

QTEST_GUILESS_MAIN(EventBusTest)
#include "test_event_bus.moc"
