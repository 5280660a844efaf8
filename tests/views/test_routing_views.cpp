// Widget tests for the routing views of moescope_views (alerts, gating, trajectories, probe
// tokens), run offscreen: known answers on hand-made snapshots, asserted on the rendered
// images, tooltips and signals. With MOESCOPE_VIEW_SHOTS set to a folder, the screenshots
// test saves every view there as a PNG to look at.
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <random>

#include "alert_table_model.h"
#include "alerts_panel.h"
#include "colormap.h"
#include "plot_axes.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "token_view.h"
#include "trajectory_view.h"
#include "view_fixtures.h"
#include "view_test_support.h"

using moescope::RoutingSnapshot;
using namespace view_test;

namespace {

// 2 layers, 6 tokens, 2 slots: tokens 0-3 go expert 1 -> 2, tokens 4-5 expert 0 -> 2.
moescope::TrajectorySnapshot two_layer_trajectory(int64_t step) {
  moescope::TrajectorySnapshot t;
  t.step = step;
  t.layers = 2;
  t.tokens = 6;
  t.slots = 2;
  const int top1[2][6] = {{1, 1, 1, 1, 0, 0}, {2, 2, 2, 2, 2, 2}};
  for (int l = 0; l < 2; ++l)
    for (int i = 0; i < 6; ++i) {
      t.experts.push_back(top1[l][i]);
      t.experts.push_back(3);
      t.weights.push_back(0.7f);
      t.weights.push_back(0.3f);
    }
  return t;
}


moescope::RoutingSnapshot gating_snapshot(int64_t step, int gate_bin, float entropy) {
  moescope::RoutingSnapshot s = make_snapshot(step, 2, 4, std::vector<float>(8, 0.25f));
  s.gate_hist.assign(2 * RoutingSnapshot::kGateBins, 0.0f);
  s.top1_hist.assign(2 * RoutingSnapshot::kGateBins, 0.0f);
  s.k_hist.assign(2 * RoutingSnapshot::kKBins, 0.0f);
  for (int l = 0; l < 2; ++l) {
    s.gate_hist[l * RoutingSnapshot::kGateBins + gate_bin] = 1.0f;
    s.top1_hist[l * RoutingSnapshot::kGateBins + gate_bin] = 0.5f;
    s.top1_hist[l * RoutingSnapshot::kGateBins + 10] = 0.5f;
    s.k_hist[l * RoutingSnapshot::kKBins + 2] = 1.0f;
  }
  s.entropy = {entropy, entropy};
  s.dropped = {0.0f, 0.1f};
  s.mean_k = {2.0f, 2.0f};
  return s;
}

}  // namespace

class TestRoutingViews : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void alerts_panel_rows_and_activation() {
    moescope::AlertsPanel panel;
    panel.resize(800, 300);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    moescope::CollapseAlert dead;
    dead.step = 1200;
    dead.layer = 2;
    dead.kind = moescope::AlertKind::DeadExpert;
    dead.experts = {3, 5};
    dead.evidence = "experts 3 and 5 took 0.0% of tokens for 500 steps";
    panel.add_alert(dead);
    moescope::InterventionEvent lr;
    lr.step = 1300;
    lr.kind = "lr";
    lr.value = 3e-4;
    lr.detail = "from 1e-3";
    panel.add_intervention(lr);
    moescope::CollapseAlert entropy;
    entropy.step = 1500;
    entropy.layer = 4;
    entropy.kind = moescope::AlertKind::EntropyCollapse;
    panel.add_alert(entropy);

    QCOMPARE(panel.count(), 2);
    QCOMPARE(panel.intervention_count(), 1);
    const QAbstractItemModel* model = panel.model();
    QCOMPARE(model->rowCount(), 3);
    using Model = moescope::AlertTableModel;
    // Newest on top.
    QCOMPARE(model->index(0, Model::KindColumn).data().toString(),
             QStringLiteral("entropy collapse"));
    QCOMPARE(model->index(1, Model::KindColumn).data().toString(),
             QStringLiteral("learning rate \u2192 0.0003"));
    QCOMPARE(model->index(2, Model::KindColumn).data().toString(), QStringLiteral("dead expert"));
    QCOMPARE(model->index(2, Model::StepColumn).data().toLongLong(), qint64{1200});
    QCOMPARE(model->index(2, Model::LayerColumn).data().toInt(), 2);
    QCOMPARE(model->index(2, Model::ExpertsColumn).data().toString(), QStringLiteral("3, 5"));
    QCOMPARE(model->index(2, Model::EvidenceColumn).data().toString(),
             QString::fromStdString(dead.evidence));
    QVERIFY(!model->index(1, Model::LayerColumn).data().isValid());
    // Interventions stand apart in colour.
    QVERIFY(model->index(1, 0).data(Qt::BackgroundRole).isValid());
    QVERIFY(!model->index(2, 0).data(Qt::BackgroundRole).isValid());

    QSignalSpy alerts(&panel, &moescope::AlertsPanel::alert_activated);
    QSignalSpy interventions(&panel, &moescope::AlertsPanel::intervention_activated);
    QTableView* table = panel.table();
    const QRect dead_row = table->visualRect(model->index(2, Model::KindColumn));
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, dead_row.center());
    QCOMPARE(alerts.size(), 1);
    QCOMPARE(alerts[0][0].toInt(), 2);
    QCOMPARE(alerts[0][1].toLongLong(), qint64{1200});
    // Enter on the current row activates it too.
    table->setCurrentIndex(model->index(0, 0));
    QTest::keyClick(table, Qt::Key_Return);
    QCOMPARE(alerts.size(), 2);
    QCOMPARE(alerts[1][0].toInt(), 4);
    QCOMPARE(alerts[1][1].toLongLong(), qint64{1500});
    table->setCurrentIndex(model->index(1, 0));
    QTest::keyClick(table, Qt::Key_Enter);
    QCOMPARE(interventions.size(), 1);
    QCOMPARE(interventions[0][0].toLongLong(), qint64{1300});
    QCOMPARE(alerts.size(), 2);

    QCOMPARE(moescope::expert_list_text({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}),
             QStringLiteral("1, 2, 3, 4, 5, 6, \u2026 (+4 more)"));
    panel.clear();
    QCOMPARE(panel.count(), 0);
    QCOMPARE(model->rowCount(), 0);
  }

  void gating_histogram_bars() {
    moescope::GatingView gating;
    ViewRun gating_run(gating);
    gating.resize(800, 500);
    gating.show();
    QVERIFY(QTest::qWaitForWindowExposed(&gating));
    gating_run.store.add_routing(gating_snapshot(100, 19, 1.0f));
    gating.set_layer(1);
    gating.refresh();
    QCOMPARE(gating.layer(), 1);
    QCOMPARE(gating.shown_step(), qint64{100});

    // All dispatched gates in the last bin: one full-height bar there and none elsewhere.
    const QRectF plot = gating.panel_rect(moescope::GatingView::Panel::GateWeights);
    const QRectF last = gating.gate_bar_rect(19, false);
    QVERIFY(!last.isEmpty());
    QVERIFY(last.left() > plot.center().x());
    QCOMPARE(last.bottom(), plot.bottom());
    QVERIFY(gating.gate_bar_rect(0, false).height() == 0.0);
    QVERIFY(std::abs(gating.gate_bar_rect(19, true).height() - last.height() / 2.0) < 1.0);
    QVERIFY(gating.k_bar_rect(2).height() > 0.0);
    QVERIFY(gating.k_bar_rect(1).height() == 0.0);
    const QImage image = gating.grab().toImage();
    QCOMPARE(image.pixel(last.center().toPoint()), QRgb(0xff1f77b4));
    QCOMPARE(image.pixel(gating.gate_bar_rect(19, true).center().toPoint()), QRgb(0xffff7f0e));
    QCOMPARE(image.pixel(gating.k_bar_rect(2).center().toPoint()), QRgb(0xff2ca02c));
    // Nothing where bin 0's bar would stand.
    const QPointF empty_bin(plot.left() + 0.5 * plot.width() / 20.0,
                            plot.bottom() - plot.height() / 2.0);
    QVERIFY(image.pixel(empty_bin.toPoint()) != QRgb(0xff1f77b4));
    QVERIFY(
        gating.tooltip_at(last.center().toPoint())
            .startsWith(QStringLiteral("gate weight 0.95\u20131.00\nall dispatched gates 100.0%")));
  }

  void gating_show_step_and_history() {
    moescope::GatingView gating;
    ViewRun gating_run(gating);
    gating.resize(800, 500);
    gating.show();
    QVERIFY(QTest::qWaitForWindowExposed(&gating));
    const float log4 = std::log(4.0f);
    gating_run.store.add_routing(gating_snapshot(100, 0, 1.0f * log4));
    gating_run.store.add_routing(gating_snapshot(200, 10, 0.5f * log4));
    gating_run.store.add_routing(gating_snapshot(300, 19, 0.2f * log4));
    gating.refresh();
    QCOMPARE(gating.shown_step(), qint64{300});
    QVERIFY(gating.following_live());
    gating.show_step(240);
    QCOMPARE(gating.shown_step(), qint64{200});
    QVERIFY(!gating.following_live());
    QVERIFY(!gating.gate_bar_rect(10, false).isEmpty());
    QVERIFY(gating.gate_bar_rect(19, false).height() == 0.0);
    gating.show_step(260);
    QCOMPARE(gating.shown_step(), qint64{300});
    gating.show_step(150);
    QCOMPARE(gating.shown_step(), qint64{100});  // equally near: the older

    // The cursor stands at the shown step on the time panels (step 200: the middle of 100..300);
    // the chosen layer's entropy line is drawn at 1.0 (normalised by log E) at step 100.
    gating.show_step(200);
    const QRectF entropy = gating.panel_rect(moescope::GatingView::Panel::Entropy);
    const QImage image = gating.grab().toImage();
    QCOMPARE(darkest_near(image, entropy.center().x(), entropy.top() + 0.75 * entropy.height()),
             QColor::fromRgb(moescope::kCursorColour).lightness());
    QVERIFY(darkest_near(image, entropy.left() + 0.75 * entropy.width(),
                         entropy.top() + 0.9 * entropy.height()) > 200);
    const QColor top_left =
        image.pixelColor(QPointF(entropy.left() + 2.0, entropy.top() + 1.0).toPoint());
    QVERIFY2(top_left.blue() > top_left.red() + 60, qPrintable(top_left.name()));
    QVERIFY(
        gating.tooltip_at(QPointF(entropy.left() + 1.0, entropy.center().y()).toPoint())
            .startsWith(QStringLiteral("step 100, layer 0: entropy 1.386 nats (100.0% of log E)")));
    gating.show_step(-1);
    QCOMPARE(gating.shown_step(), qint64{300});
    QVERIFY(gating.following_live());

    // The history is capped by even thinning, the newest always shown.
    gating_run.store.set_max_routing_frames(4);
    for (int s = 4; s <= 10; ++s) gating_run.store.add_routing(gating_snapshot(100 * s, 0, 1.0f));
    QCOMPARE(gating.steps(), (std::vector<int64_t>{100, 500, 900, 1000}));
    gating.refresh();
    QCOMPARE(gating.shown_step(), qint64{1000});
    // Bad input: another shape starts again; a wrong-length series is kept as missing.
    moescope::RoutingSnapshot other = gating_snapshot(5, 0, 1.0f);
    other.layers = 1;
    other.load.resize(4);
    other.gate_hist.resize(3);
    gating_run.store.add_routing(other);
    gating.refresh();
    QCOMPARE(gating.snapshots(), 1);
    QVERIFY(gating.gate_bar_rect(0, false).isEmpty());
    gating.grab();
    gating_run.store.clear();
    gating.refresh();
    QCOMPARE(gating.shown_step(), qint64{-1});
  }

  void trajectory_flows_known_answer() {
    moescope::TrajectoryView view;
    view.resize(800, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.set_trajectory(two_layer_trajectory(50));
    view.refresh();
    QCOMPARE(view.shown_step(), qint64{50});
    QCOMPARE(view.flow_count(0, 1, 2), 4);
    QCOMPARE(view.flow_count(0, 0, 2), 2);
    QCOMPARE(view.flow_count(0, 1, 1), 0);
    QCOMPARE(view.flow_count(1, 2, 2), 0);  // no layer 2
    QCOMPARE(view.node_count(0, 1), 4);
    QCOMPARE(view.node_count(0, 0), 2);
    QCOMPARE(view.node_count(1, 2), 6);
    QCOMPARE(view.node_count(0, -1), 0);

    // Node heights proportional to tokens, one token the same height in both columns.
    const QRectF e0 = view.node_rect(0, 0), e1 = view.node_rect(0, 1), e2 = view.node_rect(1, 2);
    QVERIFY(!e0.isEmpty() && !e1.isEmpty() && !e2.isEmpty());
    QVERIFY(view.node_rect(0, 2).isEmpty());
    QVERIFY(std::abs(e1.height() - 2.0 * e0.height()) < 1e-6);
    QVERIFY(std::abs(e2.height() - 3.0 * e0.height()) < 1e-6);
    QVERIFY(e0.bottom() < e1.top());  // expert order, top to bottom
    QVERIFY(e2.left() > e1.right());

    // Bands: the one leaving expert 1 just right of its node, painted in expert 1's colour.
    const QPoint band(static_cast<int>(e1.right() + 4.0), static_cast<int>(e1.center().y()));
    QCOMPARE(view.tooltip_at(band),
             QStringLiteral("layer 0 expert 1 \u2192 layer 1 expert 2: 4 tokens"));
    QCOMPARE(view.tooltip_at(
                 QPoint(static_cast<int>(e0.right() + 4.0), static_cast<int>(e0.center().y()))),
             QStringLiteral("layer 0 expert 0 \u2192 layer 1 expert 2: 2 tokens"));
    QCOMPARE(view.tooltip_at(e2.center().toPoint()),
             QStringLiteral("layer 1 expert 2: 6 tokens (100.0%)"));
    QVERIFY(view.tooltip_at(QPoint(2, 2)).isEmpty());
    const QImage image = view.grab().toImage();
    QCOMPARE(image.pixel(e1.center().toPoint()), moescope::categorical(1));
    QCOMPARE(image.pixel(e2.center().toPoint()), moescope::categorical(2));
    const QColor band_colour = image.pixelColor(band);
    const QColor expert1 = QColor::fromRgb(moescope::categorical(1));
    QVERIFY2(std::abs(band_colour.hueF() - expert1.hueF()) < 0.05, qPrintable(band_colour.name()));
  }

  void trajectory_dropped_and_history() {
    moescope::TrajectoryView view;
    view.resize(800, 500);
    moescope::TrajectorySnapshot first = two_layer_trajectory(10);
    moescope::TrajectorySnapshot second = two_layer_trajectory(20);
    // In the second, token 5 is dropped at layer 1 (no expert in any slot).
    second.experts[(1 * 6 + 5) * 2] = -1;
    second.experts[(1 * 6 + 5) * 2 + 1] = -1;
    second.weights[(1 * 6 + 5) * 2] = 0.0f;
    second.weights[(1 * 6 + 5) * 2 + 1] = 0.0f;
    view.add_trajectory(first);
    view.add_trajectory(second);
    view.refresh();
    QCOMPARE(view.trajectories(), 2);
    QCOMPARE(view.shown_step(), qint64{20});
    QCOMPARE(view.flow_count(0, 0, -1), 1);
    QCOMPARE(view.flow_count(0, 0, 2), 1);
    QCOMPARE(view.node_count(1, -1), 1);
    // The dropped node sits at the bottom of its column, below the experts.
    const QRectF dropped = view.node_rect(1, -1);
    QCOMPARE(dropped.bottom(), view.plot_rect().bottom());
    QVERIFY(dropped.top() > view.node_rect(1, 2).bottom());
    QVERIFY(view.tooltip_at(dropped.center().toPoint())
                .startsWith(QStringLiteral("layer 1 dropped: 1 token")));

    view.show_step(12);
    QCOMPARE(view.shown_step(), qint64{10});
    QCOMPARE(view.node_count(1, -1), 0);
    view.show_step(-1);
    QCOMPARE(view.shown_step(), qint64{20});

    // Bad input is ignored; a new shape starts a new history.
    moescope::TrajectorySnapshot bad = two_layer_trajectory(30);
    bad.weights.pop_back();
    view.add_trajectory(bad);
    bad = two_layer_trajectory(30);
    bad.experts[0] = -7;
    view.add_trajectory(bad);
    QCOMPARE(view.trajectories(), 2);
    view.add_trajectory(fixtures::trajectory(40, 100, 3));
    QCOMPARE(view.trajectories(), 1);
    view.clear();
    view.refresh();
    QCOMPARE(view.shown_step(), qint64{-1});
    QCOMPARE(view.flow_count(0, 1, 2), 0);
  }

  void token_view_colours_and_tooltips() {
    moescope::TokenView view;
    view.resize(800, 500);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    moescope::RunInfo info;
    info.layers = 2;
    info.probe_text = std::string("ca\n \x01", 5);
    info.probe_tokens = 5;
    view.set_run_info(info);
    // Layer 0: token i's experts (i + 3, 5) with weights 0.62 / 0.38; token 4 dropped. Layer 1:
    // every token to expert 7 alone.
    moescope::TrajectorySnapshot t;
    t.step = 70;
    t.layers = 2;
    t.tokens = 5;
    t.slots = 2;
    for (int i = 0; i < 5; ++i) {
      const bool dropped = i == 4;
      t.experts.insert(t.experts.end(), {dropped ? -1 : i + 3, dropped ? -1 : 5});
      t.weights.insert(t.weights.end(), {dropped ? 0.0f : 0.62f, dropped ? 0.0f : 0.38f});
    }
    for (int i = 0; i < 5; ++i) {
      t.experts.insert(t.experts.end(), {7, -1});
      t.weights.insert(t.weights.end(), {1.0f, 0.0f});
    }
    view.set_trajectory(t);
    view.refresh();
    QCOMPARE(view.token_count(), 5);
    QCOMPARE(view.shown_step(), qint64{70});
    for (int i = 0; i < 4; ++i)
      QCOMPARE(view.colour_of_token(i).rgb(), moescope::categorical(i + 3));
    QCOMPARE(view.colour_of_token(4).rgb(), moescope::kDroppedColour);
    QVERIFY(!view.colour_of_token(5).isValid());
    QCOMPARE(view.tooltip_for_token(0),
             QStringLiteral("'c' (byte 0x63) at position 0\nexpert 3: 0.62\nexpert 5: 0.38"));
    QCOMPARE(view.tooltip_for_token(2),
             QStringLiteral("'\u23ce' (byte 0x0a) at position 2\nexpert 5: 0.62\nexpert 5: 0.38"));
    QCOMPARE(view.tooltip_for_token(4),
             QStringLiteral("'\u00b7' (byte 0x01) at position 4\ndropped"));
    QCOMPARE(moescope::token_glyph(' '), QStringLiteral(" "));
    QCOMPARE(view.tokens_of_expert(3), 1);
    QCOMPARE(view.tokens_of_expert(-1), 1);

    // Painted on their expert's colour; the newline ends its row.
    const QImage image = view.grab().toImage();
    for (int i = 0; i < 5; ++i) {
      const QRectF cell = view.token_rect(i);
      QVERIFY(!cell.isEmpty());
      QCOMPARE(image.pixel((cell.topLeft() + QPointF(1.5, 1.5)).toPoint()),
               view.colour_of_token(i).rgb());
      QCOMPARE(view.token_at(cell.center().toPoint()), i);
    }
    QVERIFY(view.token_rect(1).top() == view.token_rect(0).top());
    QVERIFY(view.token_rect(3).top() > view.token_rect(2).bottom());
    QCOMPARE(view.token_rect(3).left(), view.token_rect(0).left());

    view.set_layer(1);
    QCOMPARE(view.colour_of_token(0).rgb(), moescope::categorical(7));
    QCOMPARE(view.tooltip_for_token(4),
             QStringLiteral("'\u00b7' (byte 0x01) at position 4\nexpert 7: 1.00"));
    QCOMPARE(view.tokens_of_expert(7), 5);
  }

  void token_view_vision_patches() {
    moescope::TokenView view;
    view.resize(800, 500);
    moescope::RunInfo info;
    info.layers = 1;
    info.probe_tokens = 49;
    view.set_run_info(info);
    moescope::TrajectorySnapshot t;
    t.step = 5;
    t.layers = 1;
    t.tokens = 49;
    t.slots = 1;
    for (int i = 0; i < 49; ++i) {
      t.experts.push_back(i % 4);
      t.weights.push_back(1.0f);
    }
    view.add_trajectory(t);
    view.refresh();
    QVERIFY(!view.is_text());
    QCOMPARE(view.token_count(), 49);
    // A 7-wide grid: patch 7 under patch 0, patch 8 right of it.
    QCOMPARE(view.token_rect(7).left(), view.token_rect(0).left());
    QVERIFY(view.token_rect(7).top() > view.token_rect(0).bottom());
    QCOMPARE(view.token_rect(8).top(), view.token_rect(7).top());
    QCOMPARE(view.tooltip_for_token(8),
             QStringLiteral("patch 8 (row 1, column 1)\nexpert 0: 1.00"));
    QCOMPARE(view.colour_of_token(9).rgb(), moescope::categorical(1));
  }

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

QTEST_MAIN(TestRoutingViews)
#include "test_routing_views.moc"
