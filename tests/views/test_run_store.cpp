// The run store and the focus state the views share: what the store holds and says, that its
// change signal coalesces, that views attached to two stores each draw their own run, and
// that a focus moves every attached view.
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <limits>

#include "focus_state.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "run_store.h"
#include "token_view.h"
#include "trajectory_view.h"
#include "view_test_support.h"

using namespace moescope;
using view_test::make_snapshot;

// 64 layers x 64 experts with every series the views draw (no bias).
RoutingSnapshot wide_snapshot() {
  RoutingSnapshot s = make_snapshot(0, 64, 64, std::vector<float>(64 * 64, 1.0f / 64));
  s.gate_hist.assign(64 * RoutingSnapshot::kGateBins, 0.05f);
  s.top1_hist.assign(64 * RoutingSnapshot::kGateBins, 0.05f);
  s.k_hist.assign(64 * RoutingSnapshot::kKBins, 0.0f);
  s.entropy.assign(64, 1.0f);
  s.dropped.assign(64, 0.0f);
  s.mean_k.assign(64, 2.0f);
  return s;
}

class TestRunStore : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void says_which_run_it_holds() {
    RunStore store;
    QCOMPARE(store.source(), RunStore::Source::None);
    QVERIFY(store.description().isEmpty());
    RunInfo info;
    info.preset = "collapse-demo";
    store.begin_replay(QStringLiteral("/tmp/runs/collapse.h5"));
    store.set_run_info(info);
    QVERIFY(store.is_replay());
    QCOMPARE(store.log_path(), QStringLiteral("/tmp/runs/collapse.h5"));
    QCOMPARE(store.description(), QStringLiteral("replay of collapse.h5 (collapse-demo)"));
    store.begin_live(QStringLiteral("/tmp/runs/live.h5"));
    QVERIFY(!store.has_run_info());
    info.preset = "lm-fortunes";
    store.set_run_info(info);
    QCOMPARE(store.description(), QStringLiteral("lm-fortunes (live)"));
  }

  void holds_the_events_and_coalesces_changed() {
    RunStore store;
    QSignalSpy changed(&store, &RunStore::changed);
    QSignalSpy cleared(&store, &RunStore::cleared);
    store.begin_live(QString());
    for (int step = 1; step <= 100; ++step) {
      StepMetrics m;
      m.step = step;
      m.loss = 1.0;
      store.add_step(m);
    }
    store.add_routing(make_snapshot(100, 2, 4, std::vector<float>(8, 0.25f)));
    CollapseAlert alert;
    alert.step = 60;
    store.add_alert(alert);
    QCOMPARE(cleared.count(), 1);
    QCOMPARE(changed.count(), 0);  // not per event: once the event loop turns
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(store.steps().size(), size_t(100));
    QCOMPARE(store.alerts().size(), size_t(1));
    QCOMPARE(store.latest_routing().step, int64_t(100));
    QCOMPARE(store.latest_step(), qint64(100));
    store.clear();
    QVERIFY(store.steps().empty());
    QCOMPARE(store.latest_step(), qint64(-1));
  }

  void focus_moves_and_follows_live() {
    FocusState focus;
    QSignalSpy focused(&focus, &FocusState::focused);
    QVERIFY(focus.following_live());
    focus.focus(2, 50);
    QCOMPARE(focus.layer(), 2);
    QCOMPARE(focus.step(), qint64(50));
    focus.set_step(70);  // an intervention: the layer stays
    QCOMPARE(focus.layer(), 2);
    QCOMPARE(focused.last().at(0).toInt(), -1);
    QCOMPARE(focused.last().at(1).toLongLong(), qint64(70));
    focus.follow_live();
    QCOMPARE(focus.layer(), -1);
    QVERIFY(focus.following_live());
    QCOMPARE(focused.count(), 3);
  }

  // The trajectories are kept once, in the store, for both views that draw them.
  void trajectories_kept_once() {
    RunStore store;
    FocusState focus;
    TrajectoryView trajectories;
    TokenView tokens;
    trajectories.attach(&store, &focus);
    tokens.attach(&store, &focus);
    store.begin_live(QString());
    for (int64_t step = 10; step <= 30; step += 10) {
      TrajectorySnapshot t;
      t.step = step;
      t.layers = 2;
      t.tokens = 3;
      t.slots = 1;
      t.experts = {0, 1, 2, 1, 1, 1};
      t.weights.assign(6, 1.0f);
      store.add_trajectory(t);
    }
    TrajectorySnapshot bad;
    bad.step = 40;
    bad.layers = 2;  // no values
    store.add_trajectory(bad);
    QCOMPARE(store.trajectories().size(), 3);
    QCOMPARE(trajectories.trajectories(), 3);
    trajectories.refresh();
    tokens.refresh();
    QCOMPARE(trajectories.shown_step(), qint64(30));
    QCOMPARE(trajectories.node_count(1, 1), 3);
    QCOMPARE(tokens.shown_step(), qint64(30));
    focus.set_step(12);
    QCOMPARE(trajectories.shown_step(), qint64(10));
    QCOMPARE(tokens.shown_step(), qint64(10));
    store.begin_live(QString());
    QCOMPARE(trajectories.trajectories(), 0);
  }

  // The budget of the routing history, as docs/architecture.md states it: a 64 x 64 frame
  // with bias and every histogram is 12 096 values, 11 096 of them fit 512 MiB; small frames
  // are capped at kMaxHistory, huge ones still keep 256.
  void routing_budget_known_answers() {
    QCOMPARE(kRoutingHistoryBytes, int64_t{512} * 1024 * 1024);
    RoutingSnapshot wide = wide_snapshot();
    wide.bias.assign(64 * 64, 0.5f);
    wide.importance.assign(64 * 64, 1.0f / 64);  // in the log, not in the window
    const RoutingFrame frame = make_routing_frame(wide);
    QCOMPARE(frame.values(), int64_t{12096});
    QCOMPARE(routing_history_capacity(frame.values()), 11096);
    wide.bias.assign(64 * 64, 0.0f);  // no bias: not kept
    QCOMPARE(make_routing_frame(wide).values(), int64_t{8000});
    QCOMPARE(routing_history_capacity(8000), 16777);
    QCOMPARE(routing_history_capacity(8 * 4), kMaxHistory);
    QCOMPARE(routing_history_capacity(int64_t{1} << 32), 256);
    wide.gate_hist.resize(7);  // the wrong length: kept as missing
    QVERIFY(make_routing_frame(wide).gate_hist.empty());
    // Each layer's largest finite share, for the views' colour scales.
    const float nan = std::numeric_limits<float>::quiet_NaN();
    QCOMPARE(make_routing_frame(make_snapshot(1, 2, 3, {0.1f, nan, 0.5f, 0.2f, 0.3f, 0.1f})).load_max,
             (std::vector<float>{0.5f, 0.3f}));
  }

  // A 10 000-step run of 64 layers x 64 experts with a snapshot every step is kept whole, once,
  // for the three views that draw it.
  void keeps_a_10000_step_64_by_64_run_once() {
    HeatmapWidget heatmap;
    LoadTimelineWidget timeline;
    GatingView gating;
    view_test::ViewRun run(heatmap, timeline, gating);
    RunStore& store = run.store;
    store.begin_live(QString());
    RoutingSnapshot s = wide_snapshot();
    for (int64_t step = 1; step <= 10000; ++step) {
      s.step = step;
      s.load[static_cast<size_t>(step % 4096)] = 0.5f;  // each frame its own
      store.add_routing(s);
    }
    QCOMPARE(store.routing().size(), 10000);
    QCOMPARE(store.routing()[0].step, int64_t{1});
    QCOMPARE(store.routing().back().step, int64_t{10000});
    QCOMPARE(store.routing()[4999].value.load[4999 % 4096], 0.5f);
    QCOMPARE(heatmap.snapshots(), 10000);
    QCOMPARE(timeline.snapshots(), 10000);
    QCOMPARE(gating.snapshots(), 10000);
    timeline.set_layer(3);
    timeline.refresh();
    // 10 000 frames on a plot a few hundred pixels wide: one image column per pixel, each the
    // frame nearest its pixel's centre (the first and last columns near the first and last).
    const int pixels = static_cast<int>(std::floor(timeline.plot_rect().width()));
    QVERIFY(pixels > 100 && pixels < 10000);
    QCOMPARE(timeline.image().size(), QSize(pixels, 64));
    QVERIFY(timeline.step_to_x(9000) > timeline.step_to_x(1000));
    const QString last = timeline.tooltip_at(QPointF(timeline.plot_rect().right() - 0.5,
                                                     timeline.plot_rect().center().y()).toPoint());
    QVERIFY2(last.startsWith(QStringLiteral("step 99")), qPrintable(last));
    // Another layer count is another model: the routing history starts again.
    store.add_routing(make_snapshot(10001, 2, 4, std::vector<float>(8, 0.25f)));
    QCOMPARE(store.routing().size(), 1);
    QCOMPARE(heatmap.snapshots(), 1);
  }

  // Two stores side by side (compare two runs): each view draws only its own store's run, and
  // one focus can drive both.
  void two_stores_two_runs() {
    RunStore a, b;
    FocusState focus;
    HeatmapWidget left, right;
    GatingView gating_left;
    LossChart chart_left, chart_right;
    left.attach(&a, &focus);
    right.attach(&b, &focus);
    gating_left.attach(&a, &focus);
    chart_left.attach(&a, &focus);
    chart_right.attach(&b, &focus);
    a.begin_live(QString());
    b.begin_replay(QStringLiteral("other.h5"));
    for (int step = 10; step <= 30; step += 10) {
      a.add_routing(make_snapshot(step, 2, 4, {0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f}));
      StepMetrics m;
      m.step = step;
      m.loss = 2.0;
      a.add_step(m);
    }
    b.add_routing(make_snapshot(5, 3, 2, {0.5f, 0.5f, 0.5f, 0.5f, 0.9f, 0.1f}));
    left.refresh();
    right.refresh();
    QCOMPARE(left.image().size(), QSize(4, 2));
    QCOMPARE(right.image().size(), QSize(2, 3));
    QCOMPARE(left.snapshots(), 3);
    QCOMPARE(right.snapshots(), 1);
    QCOMPARE(chart_left.train_points(), size_t(3));
    QCOMPARE(chart_right.train_points(), size_t(0));

    focus.focus(1, 20);
    QCOMPARE(left.shown_step(), qint64(20));
    QCOMPARE(left.highlight_layer(), 1);
    QCOMPARE(right.shown_step(), qint64(5));  // its nearest
    QCOMPARE(gating_left.layer(), 1);
    QCOMPARE(gating_left.shown_step(), qint64(20));
    QCOMPARE(chart_left.cursor_step(), qint64(20));
    focus.follow_live();
    QCOMPARE(left.shown_step(), qint64(30));
    QCOMPARE(left.highlight_layer(), -1);

    // A new run in store a clears its views only.
    a.begin_live(QString());
    left.refresh();
    QCOMPARE(left.snapshots(), 0);
    QCOMPARE(right.snapshots(), 1);
  }
};

QTEST_MAIN(TestRunStore)
#include "test_run_store.moc"
