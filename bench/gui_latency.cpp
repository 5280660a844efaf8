// GUI-thread latency with every view open (offscreen):
//  1. the longest stall of the GUI thread while the window trains lm-fortunes, probed by a
//     1 ms timer (the gap between two ticks beyond 1 ms);
//  2. refresh + repaint of a 64-layer x 64-expert heatmap and load timeline fed 10 000 steps;
//  3. refresh + repaint of a loss chart holding 1 000 000 points.
// Targets: < 16 ms each.   QT_QPA_PLATFORM=offscreen gui_latency [--seconds N]
#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/openmp_policy.h"
#include "focus_state.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "main_window.h"
#include "run_controls.h"
#include "run_store.h"

using namespace moescope;

namespace {

template <class F>
double worst_ms(int reps, F f) {
  double worst = 0;
  for (int i = 0; i < reps; ++i) {
    QElapsedTimer t;
    t.start();
    f();
    worst = std::max(worst, t.nsecsElapsed() / 1e6);
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  bound_openmp_spinning(argv);
  qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  int seconds = 20;
  if (argc == 3 && std::string(argv[1]) == "--seconds") seconds = std::stoi(argv[2]);

  // 1. Stall probe during a live run.
  const auto log = (std::filesystem::temp_directory_path() / "moescope-gui-latency.h5").string();
  double stall = 0;
  int long_stalls = 0;
  int64_t steps = 0;
  {
    MainWindow window;
    window.controls()->set_preset(QStringLiteral("lm-fortunes"));
    window.controls()->set_device(QStringLiteral("cpu"));
    window.controls()->set_steps(1000000);
    window.set_log_path(QString::fromStdString(log));
    window.show();
    window.start_run();
    QElapsedTimer clock;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    qint64 last = -1;
    QObject::connect(&probe, &QTimer::timeout, [&] {
      const qint64 now = clock.nsecsElapsed();
      // Measure once the run has loaded and is stepping (its first 3 s are data loading).
      if (last >= 0 && clock.elapsed() > 3000) {
        const double gap = (now - last) / 1e6 - 1.0;
        if (gap > 16.0) {
          ++long_stalls;
          std::fprintf(stderr, "  stall of %.1f ms at %.2f s (step %zu)\n", gap, now / 1e9,
                       window.loss_chart()->train_points());
        }
        stall = std::max(stall, gap);
      }
      last = now;
    });
    clock.start();
    probe.start(1);
    QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
    app.exec();
    steps = static_cast<int64_t>(window.loss_chart()->train_points());
    window.close();
  }
  std::filesystem::remove(log);

  // 2. 64 x 64 heatmap and timeline after 10 000 steps of snapshots.
  RunStore store;
  FocusState focus;
  HeatmapWidget heatmap;
  LoadTimelineWidget timeline;
  for (PaintedView* view : {static_cast<PaintedView*>(&heatmap), static_cast<PaintedView*>(&timeline)}) {
    view->attach(&store, &focus);
    view->resize(800, 600);
    view->show();
  }
  timeline.set_layers(64);
  RoutingSnapshot s;
  s.layers = 64;
  s.experts = 64;
  s.load.resize(64 * 64);
  s.importance.resize(64 * 64);
  s.entropy.assign(64, 4.0f);
  s.dropped.assign(64, 0.0f);
  for (int step = 1; step <= 10000; ++step) {
    for (size_t i = 0; i < s.load.size(); ++i) s.load[i] = float((i * 7 + step) % 64) / 2016.0f;
    s.step = step;
    store.add_routing(s);
  }
  const double heatmap_ms = worst_ms(20, [&] { heatmap.refresh(); heatmap.repaint(); });
  const double timeline_ms = worst_ms(20, [&] { timeline.refresh(); timeline.repaint(); });

  // 3. Loss chart with a million points.
  LossChart chart;
  chart.resize(1200, 500);
  chart.show();
  StepMetrics m;
  for (int64_t i = 1; i <= 1000000; ++i) {
    m.step = i;
    m.loss = 5.0 / std::sqrt(double(i)) + 0.1 * double((i * 7919) % 100) / 100.0;  // noisy decay
    chart.add_step(m);
  }
  const double chart_ms = worst_ms(20, [&] { chart.refresh(); chart.repaint(); });

  std::printf("GUI thread, offscreen, %d s of lm-fortunes training in the window (%lld steps)\n",
              seconds, static_cast<long long>(steps));
  std::printf("  longest GUI-thread stall           : %6.2f ms (target < 16); %d stalls over 16 ms\n",
              stall, long_stalls);
  std::printf("  heatmap 64x64 refresh+repaint      : %6.2f ms worst of 20 (target < 16)\n", heatmap_ms);
  std::printf("  timeline 64x64, 10k steps          : %6.2f ms worst of 20 (%d columns kept)\n", timeline_ms,
              timeline.snapshots());
  std::printf("  loss chart 1M points refresh+repaint: %6.2f ms worst of 20 (%lld points drawn)\n", chart_ms,
              static_cast<long long>(chart.displayed_train_points()));
  return 0;
}
