// A model whose layers route to different numbers of experts, and whose shape changes mid-run
// (layer 0 pruned from 8 to 6 experts at step kPruneStep): every view fed through one run
// store draws a 6-expert layer next to an 8-expert one and keeps the history from before the
// change.
#include <QtTest>
#include <cmath>
#include <limits>

#include "alerts_panel.h"
#include "colormap.h"
#include "focus_state.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "run_store.h"
#include "token_view.h"
#include "trajectory_view.h"
#include "view_test_support.h"
#include "view_text.h"

using namespace moescope;

namespace {
constexpr int64_t kLayers = 2;
constexpr int64_t kPruneStep = 60;
constexpr int64_t kLastStep = 100;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Before kPruneStep: layer 0 has 8 experts, layer 1 has 6 (its columns 6 and 7 are NaN).
// From kPruneStep on both have 6 and the widest layer is 6. Expert 0 of each layer gets
// twice the share of the others.
RoutingSnapshot snapshot(int64_t step) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = kLayers;
  s.layer_experts = step < kPruneStep ? std::vector<int64_t>{8, 6} : std::vector<int64_t>{6, 6};
  s.experts = *std::max_element(s.layer_experts.begin(), s.layer_experts.end());
  for (int64_t l = 0; l < kLayers; ++l) {
    const int64_t used = s.experts_at(l);
    for (int64_t e = 0; e < s.experts; ++e)
      s.load.push_back(e >= used ? kNaN : (e == 0 ? 2.0f : 1.0f) / static_cast<float>(used + 1));
  }
  s.entropy.assign(kLayers, 1.5f);
  s.dropped.assign(kLayers, 0.0f);
  s.mean_k.assign(kLayers, 2.0f);
  s.gate_hist.assign(kLayers * RoutingSnapshot::kGateBins, 1.0f / RoutingSnapshot::kGateBins);
  s.top1_hist = s.gate_hist;
  s.k_hist.assign(kLayers * RoutingSnapshot::kKBins, 0.0f);
  for (int64_t l = 0; l < kLayers; ++l) s.k_hist[l * RoutingSnapshot::kKBins + 2] = 1.0f;
  return s;
}

// Four probe tokens, top-1 only: token t goes to expert 7 - t at layer 0 before the pruning
// (experts 6 and 7 exist then), to expert t after; layer 1 always expert t.
TrajectorySnapshot trajectory(int64_t step) {
  TrajectorySnapshot t;
  t.step = step;
  t.layers = kLayers;
  t.tokens = 4;
  t.slots = 1;
  for (int64_t l = 0; l < kLayers; ++l)
    for (int32_t token = 0; token < 4; ++token) {
      t.experts.push_back(l == 0 && step < kPruneStep ? 7 - token : token);
      t.weights.push_back(1.0f);
    }
  return t;
}
}  // namespace

class TestViewShapes : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void every_view_keeps_history_across_a_change_of_experts() {
    HeatmapWidget heatmap;
    LoadTimelineWidget timeline;
    GatingView gating;
    TrajectoryView trajectories;
    TokenView tokens;
    LossChart loss;
    AlertsPanel alerts;
    view_test::ViewRun run(heatmap, timeline, gating, trajectories, tokens, loss, alerts);
    RunStore& store = run.store;
    FocusState& focus = run.focus;

    store.begin_live(QString());
    RunInfo info;
    info.layers = kLayers;
    info.experts = 8;
    info.layer_experts = {8, 6};
    info.probe_text = "abcd";
    info.probe_tokens = 4;
    store.set_run_info(info);
    int snapshots = 0;
    for (int64_t step = 10; step <= kLastStep; step += 10, ++snapshots) {
      store.add_routing(snapshot(step));
      store.add_trajectory(trajectory(step));
      StepMetrics m;
      m.step = step;
      m.loss = 3.0 - 0.01 * static_cast<double>(step);
      store.add_step(m);
    }
    InterventionEvent prune;
    prune.step = kPruneStep;
    prune.kind = "prune";
    store.add_intervention(prune);

    // No history lost at the change.
    QCOMPARE(heatmap.snapshots(), snapshots);
    QCOMPARE(timeline.snapshots(), snapshots);
    QCOMPARE(gating.snapshots(), snapshots);
    QCOMPARE(trajectories.trajectories(), snapshots);
    QCOMPARE(loss.train_points(), size_t(snapshots));
    QCOMPARE(alerts.intervention_count(), 1);
    QCOMPARE(timeline.markers(), 1);
    QCOMPARE(gating.markers(), 1);

    // Heatmap, latest (6 and 6): every cell is a share.
    heatmap.refresh();
    QCOMPARE(heatmap.image().size(), QSize(6, 2));
    for (int l = 0; l < 2; ++l)
      for (int e = 0; e < 6; ++e) QVERIFY(heatmap.image().pixel(e, l) != kMissingColour);
    QCOMPARE(heatmap.image().pixel(0, 0), viridis(2.0f / 7.0f / heatmap.scale_max()));
    // Before the pruning (8 next to 6): layer 0 has 8 cells, layer 1 six and two missing.
    focus.focus(0, 30);
    QCOMPARE(heatmap.shown_step(), qint64(30));
    QCOMPARE(heatmap.image().size(), QSize(8, 2));
    QVERIFY(heatmap.image().pixel(7, 0) != kMissingColour);
    QCOMPARE(heatmap.image().pixel(0, 0), viridis(2.0f / 9.0f / heatmap.scale_max()));
    QCOMPARE(heatmap.image().pixel(0, 1), viridis(2.0f / 7.0f / heatmap.scale_max()));
    QCOMPARE(heatmap.image().pixel(6, 1), kMissingColour);
    QCOMPARE(heatmap.image().pixel(7, 1), kMissingColour);
    heatmap.resize(400, 300);
    const QPoint cell = QPointF(heatmap.plot_rect().left() + heatmap.plot_rect().width() / 16.0,
                                heatmap.plot_rect().top() + heatmap.plot_rect().height() * 0.75)
                            .toPoint();  // layer 1, expert 0
    QVERIFY2(heatmap.tooltip_at(cell).contains(QStringLiteral("ideal 16.7%")), qPrintable(heatmap.tooltip_at(cell)));
    focus.follow_live();

    // Timeline of layer 0: 8 rows; experts 6 and 7 have shares before the pruning and are
    // missing after it; expert 0 keeps its colour scale through the change.
    timeline.set_layer(0);
    timeline.refresh();
    QCOMPARE(timeline.image().size(), QSize(snapshots, 8));
    const int before = 2, after = snapshots - 1;  // steps 30 and 100
    QVERIFY(timeline.image().pixel(before, 7) != kMissingColour);
    QCOMPARE(timeline.image().pixel(after, 7), kMissingColour);
    QCOMPARE(timeline.image().pixel(after, 6), kMissingColour);
    QVERIFY(timeline.image().pixel(after, 5) != kMissingColour);
    // Layer 1 never had experts 6 and 7.
    timeline.set_layer(1);
    timeline.refresh();
    for (int c = 0; c < snapshots; ++c) {
      QCOMPARE(timeline.image().pixel(c, 6), kMissingColour);
      QVERIFY(timeline.image().pixel(c, 5) != kMissingColour);
    }

    // Gating: the whole run on the time panels, histograms of the focused step.
    gating.refresh();
    QCOMPARE(gating.shown_step(), kLastStep);
    QCOMPARE(gating.steps().front(), int64_t(10));
    QVERIFY(!gating.k_bar_rect(2).isEmpty());
    focus.set_step(30);
    QCOMPARE(gating.shown_step(), qint64(30));
    focus.follow_live();
    // Entropy is a share of each layer's own log E at each step: 1.5 nats is 1.5 / ln 6 of
    // layer 1 (6 experts) throughout, and 1.5 / ln 8 of layer 0 before its pruning.
    gating.resize(640, 480);
    gating.refresh();
    const QRectF entropy_panel = gating.panel_rect(GatingView::Panel::Entropy);
    QVERIFY(!entropy_panel.isEmpty());
    const QPoint late(int(entropy_panel.right()) - 2, int(entropy_panel.center().y()));
    const QPoint early(int(entropy_panel.left()) + 2, int(entropy_panel.center().y()));
    gating.set_layer(1);
    QVERIFY2(gating.tooltip_at(late).contains(percent(1.5 / std::log(6.0))), qPrintable(gating.tooltip_at(late)));
    QVERIFY2(gating.tooltip_at(early).contains(percent(1.5 / std::log(6.0))), qPrintable(gating.tooltip_at(early)));
    gating.set_layer(0);
    QVERIFY2(gating.tooltip_at(early).contains(percent(1.5 / std::log(8.0))), qPrintable(gating.tooltip_at(early)));
    QVERIFY2(gating.tooltip_at(late).contains(percent(1.5 / std::log(6.0))), qPrintable(gating.tooltip_at(late)));

    // Trajectories and tokens: expert 7 at layer 0 before the pruning, gone after.
    trajectories.refresh();
    QCOMPARE(trajectories.node_count(0, 7), 0);
    QCOMPARE(trajectories.node_count(0, 0), 1);
    tokens.refresh();
    QCOMPARE(tokens.colour_of_token(0).rgb(), categorical(0));
    focus.set_step(30);
    QCOMPARE(trajectories.node_count(0, 7), 1);
    QCOMPARE(trajectories.node_count(1, 0), 1);
    QCOMPARE(tokens.shown_step(), qint64(30));
    QCOMPARE(tokens.colour_of_token(0).rgb(), categorical(7));
  }
};

QTEST_MAIN(TestViewShapes)
#include "test_view_shapes.moc"
