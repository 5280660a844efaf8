// Widget tests for the routing views of moescope_views (alerts, gating, trajectories, probe
// tokens), run offscreen: known answers on hand-made snapshots, asserted on the rendered
// images, tooltips and signals. Every view at a realistic size: test_view_screenshots.cpp.
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
};

QTEST_MAIN(TestRoutingViews)
#include "test_routing_views.moc"
