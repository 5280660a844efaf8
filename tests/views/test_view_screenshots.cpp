// Every view at a realistic size with a realistic 4 000-step run (view_fixtures.h), checked
// to paint what it was given; with MOESCOPE_VIEW_SHOTS set to a folder each is also saved
// there as a PNG to look at.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <random>

#include "alerts_panel.h"
#include "colormap.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "plot_axes.h"
#include "token_view.h"
#include "trajectory_view.h"
#include "view_fixtures.h"
#include "view_test_support.h"

using moescope::RoutingSnapshot;
using namespace view_test;

class TestViewScreenshots : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  // Every view at a realistic size with a realistic run: saved as PNGs when
  // MOESCOPE_VIEW_SHOTS names a folder, and checked to paint something.
  void screenshots() {
    constexpr int64_t kTotal = 4000;
    moescope::HeatmapWidget heatmap;
    moescope::LoadTimelineWidget timeline;
    moescope::GatingView gating;
    ViewRun run(heatmap, timeline, gating);  // one store: the routing history is kept once
    moescope::TrajectoryView trajectories;
    moescope::TokenView tokens;
    moescope::LossChart loss;
    moescope::AlertsPanel alerts;
    moescope::RunInfo info;
    info.layers = fixtures::kLayers;
    info.experts = fixtures::kExperts;
    info.probe_text = fixtures::probe_text();
    info.probe_tokens = static_cast<int64_t>(info.probe_text.size());
    tokens.set_run_info(info);
    trajectories.set_run_info(info);
    moescope::StepMetrics metrics;
    for (int64_t step = 10; step <= kTotal; step += 10) {
      const RoutingSnapshot snapshot = fixtures::routing(step, kTotal);
      run.store.add_routing(snapshot);
      if (step % 100 == 0) {
        trajectories.add_trajectory(fixtures::trajectory(step, kTotal));
        tokens.add_trajectory(fixtures::trajectory(step, kTotal));
      }
      for (int64_t s = step - 9; s <= step; ++s) {
        metrics.step = s;
        metrics.loss = 1.2 + 4.0 * std::exp(-s / 600.0) + 0.05 * std::sin(s * 0.7) +
                       (s > 2600 ? 0.2 * fixtures::collapse(s, kTotal) : 0.0);
        loss.add_step(metrics);
      }
    }
    const std::vector<std::pair<int64_t, QString>> marks = {
        {1500, QStringLiteral("lr \u2192 3e-4")},
        {2600, QStringLiteral("balance 0.01 \u2192 0.05")},
        {2700, QStringLiteral("bias on")}};
    for (const auto& [step, label] : marks) {
      gating.add_marker(step, label);
      timeline.add_marker(step, label);
      loss.add_marker(step, label);
    }
    moescope::CollapseAlert dominant;
    dominant.step = 2450;
    dominant.layer = fixtures::kCollapsingLayer;
    dominant.kind = moescope::AlertKind::DominantExpert;
    dominant.experts = {fixtures::kDominantExpert};
    dominant.value = 0.41;
    dominant.threshold = 0.25;
    dominant.evidence = "expert 5 took 41% of layer 3's tokens (threshold 25%) for 200 steps";
    alerts.add_alert(dominant);
    moescope::CollapseAlert dead;
    dead.step = 2800;
    dead.layer = fixtures::kCollapsingLayer;
    dead.kind = moescope::AlertKind::DeadExpert;
    dead.experts = {0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11};
    dead.evidence = "11 experts of layer 3 took under 1% of tokens each for 300 steps";
    moescope::InterventionEvent balance;
    balance.step = 2600;
    balance.kind = "balance_coef";
    balance.value = 0.05;
    balance.detail = "from 0.01";
    alerts.add_intervention(balance);
    alerts.add_alert(dead);
    moescope::CollapseAlert entropy;
    entropy.step = 3000;
    entropy.layer = fixtures::kCollapsingLayer;
    entropy.kind = moescope::AlertKind::EntropyCollapse;
    entropy.evidence = "mean gate entropy 0.49 nats, 18% of log 16";
    alerts.add_alert(entropy);

    tokens.set_layer(fixtures::kCollapsingLayer);
    gating.set_layer(fixtures::kCollapsingLayer);
    timeline.set_layer(fixtures::kCollapsingLayer);
    heatmap.set_highlight_layer(fixtures::kCollapsingLayer);
    loss.set_cursor_step(2450);
    timeline.set_cursor_step(2450);

    struct Shot {
      QWidget* widget;
      const char* name;
    };
    for (const Shot& s :
         {Shot{&heatmap, "heatmap"}, Shot{&timeline, "load_timeline"}, Shot{&gating, "gating"},
          Shot{&trajectories, "trajectories"}, Shot{&tokens, "tokens"}, Shot{&loss, "loss_chart"},
          Shot{&alerts, "alerts"}}) {
      s.widget->resize(800, 500);
      s.widget->show();
      QVERIFY(QTest::qWaitForWindowExposed(s.widget));
    }
    heatmap.refresh();
    timeline.refresh();
    gating.refresh();
    trajectories.refresh();
    tokens.refresh();
    loss.refresh();
    for (const Shot& s :
         {Shot{&heatmap, "heatmap"}, Shot{&timeline, "load_timeline"}, Shot{&gating, "gating"},
          Shot{&trajectories, "trajectories"}, Shot{&tokens, "tokens"}, Shot{&loss, "loss_chart"},
          Shot{&alerts, "alerts"}}) {
      const QImage image = shot(*s.widget, s.name);
      QCOMPARE(image.size(), QSize(800, 500) * image.devicePixelRatio());
    }
    // Each view painted what it was given.
    const QImage heatmap_shot = shot(heatmap, "heatmap");
    QCOMPARE(heatmap.image().size(), QSize(int(fixtures::kExperts), int(fixtures::kLayers)));
    for (int l = 0; l < fixtures::kLayers; ++l)
      for (int e = 0; e < fixtures::kExperts; e += 5)
        QCOMPARE(heatmap_shot.pixel(centre(heatmap.plot_rect(), e, int(fixtures::kExperts), l, int(fixtures::kLayers))),
                 heatmap.image().pixel(e, l));
    const QImage timeline_shot = shot(timeline, "load_timeline");
    QCOMPARE(timeline.snapshots(), int(kTotal / 10));
    QCOMPARE(timeline.image().height(), int(fixtures::kExperts));
    const int columns = timeline.image().width();
    for (int column : {columns / 4, columns / 2, columns - 2}) {
      // Columns are under two pixels wide: scaling may show a neighbour at a column's centre.
      const QRgb painted = timeline_shot.pixel(centre(timeline.plot_rect(), column, columns,
                                                      int(fixtures::kDominantExpert), int(fixtures::kExperts)));
      bool found = false;
      for (int c = column - 1; c <= column + 1; ++c)
        found = found || painted == timeline.image().pixel(c, int(fixtures::kDominantExpert));
      QVERIFY2(found, qPrintable(QString::number(column)));
    }
    QCOMPARE(timeline.markers(), 3);
    QCOMPARE(timeline.cursor_step(), qint64{2450});
    QVERIFY(darkest_near(timeline_shot, timeline.step_to_x(2450), timeline.plot_rect().center().y()) < 80);
    QCOMPARE(gating.snapshots(), int(kTotal / 10));
    QCOMPARE(gating.shown_step(), kTotal);
    QCOMPARE(gating.layer(), int(fixtures::kCollapsingLayer));
    int gate_bars = 0;
    for (int bin = 0; bin < RoutingSnapshot::kGateBins; ++bin) gate_bars += !gating.gate_bar_rect(bin, true).isEmpty();
    QVERIFY(gate_bars > 0);
    QCOMPARE(trajectories.trajectories(), int(kTotal / 100));
    QCOMPARE(trajectories.shown_step(), kTotal);
    const auto tokens_total = static_cast<int>(fixtures::probe_text().size());
    int at_layer0 = trajectories.node_count(0, -1);
    for (int e = 0; e < fixtures::kExperts; ++e) at_layer0 += trajectories.node_count(0, e);
    QCOMPARE(at_layer0, tokens_total);
    const QImage trajectory_shot = shot(trajectories, "trajectories");
    for (int e = 0; e < fixtures::kExperts; ++e) {
      const QRectF node = trajectories.node_rect(0, e);
      if (node.height() < 3) continue;
      QVERIFY(trajectory_shot.pixelColor(node.center().toPoint()) != trajectories.palette().window().color());
    }
    QCOMPARE(tokens.token_count(), tokens_total);
    QCOMPARE(tokens.shown_step(), kTotal);
    const QImage token_shot = shot(tokens, "tokens");
    for (int token : {0, tokens_total / 2, tokens_total - 1}) {
      const QRect cell = tokens.token_rect(token).toRect();
      QVERIFY(!cell.isEmpty());
      int matching = 0;
      for (int y = cell.top(); y <= cell.bottom(); ++y)
        for (int x = cell.left(); x <= cell.right(); ++x)
          matching += token_shot.pixel(x, y) == tokens.colour_of_token(token).rgb();
      QVERIFY2(matching > cell.width() * cell.height() / 4, qPrintable(QString::number(token)));
    }
    QCOMPARE(loss.train_points(), size_t(kTotal));
    QVERIFY(loss.displayed_train_points() > 0);
    QVERIFY(loss.displayed_train_points() <= 2 * loss.plot_width_px() + 2);
    QCOMPARE(loss.markers(), 3);
    QCOMPARE(loss.cursor_step(), qint64{2450});
    QCOMPARE(alerts.count(), 3);
    QCOMPARE(alerts.intervention_count(), 1);

    // Looking back at the alert's step.
    heatmap.show_step(dominant.step);
    gating.show_step(dominant.step);
    trajectories.show_step(1000);
    tokens.show_step(1000);
    QCOMPARE(gating.shown_step(), qint64{2450});
    QCOMPARE(heatmap.shown_step(), qint64{2450});
    QCOMPARE(trajectories.shown_step(), qint64{1000});
    QCOMPARE(tokens.shown_step(), qint64{1000});
    // The picture at the alert's step is another one than the latest.
    QVERIFY(shot(heatmap, "heatmap_at_step") != heatmap_shot);
    shot(gating, "gating_at_step");
    QVERIFY(shot(trajectories, "trajectories_at_step") != trajectory_shot);
    QVERIFY(shot(tokens, "tokens_at_step") != token_shot);

    // A vision run: 49 patches, and a wide model's trajectories (24 layers, 64 experts).
    moescope::TokenView patches;
    moescope::RunInfo vision;
    vision.layers = 4;
    vision.probe_tokens = 49;
    patches.set_run_info(vision);
    moescope::TrajectorySnapshot t;
    t.step = 900;
    t.layers = 4;
    t.tokens = 49;
    t.slots = 1;
    for (int l = 0; l < 4; ++l)
      for (int i = 0; i < 49; ++i) {
        const int row = i / 7, column = i % 7;
        const bool centre = row >= 2 && row <= 4 && column >= 2 && column <= 4;
        t.experts.push_back(centre ? 2 + l : (row + column) % 3 == 0 ? 9 : 0);
        t.weights.push_back(1.0f);
      }
    patches.add_trajectory(t);
    moescope::TrajectoryView wide;
    std::mt19937 rng(3);
    moescope::TrajectorySnapshot w;
    w.step = 1;
    w.layers = 24;
    w.tokens = 128;
    w.slots = 2;
    std::vector<int> current(128);
    for (int i = 0; i < 128; ++i) current[i] = i % 64;
    for (int l = 0; l < 24; ++l)
      for (int i = 0; i < 128; ++i) {
        if (rng() % 4 == 0) current[i] = static_cast<int>(rng() % 64);
        w.experts.insert(w.experts.end(), {rng() % 40 == 0 ? -1 : current[i], -1});
        w.weights.insert(w.weights.end(), {1.0f, 0.0f});
      }
    wide.add_trajectory(w);
    for (QWidget* widget : {static_cast<QWidget*>(&patches), static_cast<QWidget*>(&wide)}) {
      widget->resize(800, 500);
      widget->show();
      QVERIFY(QTest::qWaitForWindowExposed(widget));
    }
    patches.refresh();
    wide.refresh();
    shot(patches, "tokens_vision");
    QCOMPARE(patches.token_count(), 49);
    QVERIFY(!patches.is_text());
    QCOMPARE(patches.colour_of_token(3 * 7 + 3).rgb(), moescope::categorical(2));  // centre, layer 0
    QCOMPARE(patches.colour_of_token(0).rgb(), moescope::categorical(9));
    QCOMPARE(patches.tokens_of_expert(2), 9);
    shot(wide, "trajectories_wide");
    int wide_nodes = wide.node_count(23, -1);
    for (int e = 0; e < 64; ++e) wide_nodes += wide.node_count(23, e);
    QCOMPARE(wide_nodes, 128);
    QVERIFY(wide.node_count(0, 0) == 2);  // tokens 0 and 64 start at expert 0
  }
};

QTEST_MAIN(TestViewScreenshots)
#include "test_view_screenshots.moc"
