// Widget tests for moescope_views, run offscreen: known answers on hand-made snapshots,
// asserted on the rendered images, tooltips and series sizes. With MOESCOPE_VIEW_SHOTS set to
// a folder, the screenshots test saves every view there as a PNG to look at.
#include <QDir>
#include <QElapsedTimer>
#include <QPixmap>
#include <QSignalSpy>
#include <QTableView>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "alert_table_model.h"
#include "alerts_panel.h"
#include "colormap.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "snapshot_history.h"
#include "token_view.h"
#include "trajectory_view.h"
#include "view_fixtures.h"

using moescope::RoutingSnapshot;

namespace {

RoutingSnapshot make_snapshot(int64_t step, int64_t layers, int64_t experts,
                              std::vector<float> load) {
  RoutingSnapshot snapshot;
  snapshot.step = step;
  snapshot.layers = layers;
  snapshot.experts = experts;
  snapshot.load = std::move(load);
  return snapshot;
}

// Load of the timeline fixture: every (step, layer) row is distinct and sums to 1.
std::vector<float> timeline_load(int step, int layers, int experts) {
  std::vector<float> load;
  for (int l = 0; l < layers; ++l) {
    std::vector<float> row(experts);
    float sum = 0.0f;
    for (int e = 0; e < experts; ++e) sum += row[e] = 1.0f + ((step + 1) * (l + 2) * (e + 3)) % 7;
    for (float v : row) load.push_back(v / sum);
  }
  return load;
}

QPoint centre(const QRectF& plot, int column, int columns, int row, int rows) {
  return QPointF(plot.left() + (column + 0.5) * plot.width() / columns,
                 plot.top() + (row + 0.5) * plot.height() / rows)
      .toPoint();
}

// A widget grabbed as it paints, saved under $MOESCOPE_VIEW_SHOTS when that is set.
QImage shot(QWidget& widget, const char* name) {
  const QImage image = widget.grab().toImage();
  const QByteArray folder = qgetenv("MOESCOPE_VIEW_SHOTS");
  if (!folder.isEmpty()) {
    QDir().mkpath(QString::fromLocal8Bit(folder));
    image.save(QString::fromLocal8Bit(folder) + QLatin1Char('/') + QLatin1String(name) +
               QStringLiteral(".png"));
  }
  return image;
}

// Whether any pixel of column x (and its neighbours) between y0 and y1 is reddish: the marker
// colour, possibly blended by antialiasing.
bool marker_in_column(const QImage& image, int x, int y0, int y1) {
  for (int dx = -1; dx <= 1; ++dx)
    for (int y = y0; y <= y1; ++y) {
      const QColor c = image.pixelColor(x + dx, y);
      if (c.red() > 150 && c.green() < 110 && c.blue() < 110) return true;
    }
  return false;
}

// The darkest of the three pixels around (x, y): a thin cursor line, antialiased or not.
int darkest_near(const QImage& image, double x, double y) {
  int darkest = 255;
  for (int dx = -1; dx <= 1; ++dx)
    darkest = std::min(
        darkest,
        image.pixelColor(static_cast<int>(std::lround(x)) + dx, static_cast<int>(std::lround(y)))
            .lightness());
  return darkest;
}

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

class TestViews : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void viridis_known_values() {
    QCOMPARE(moescope::viridis(0.0f), QRgb(0xff440154));
    QCOMPARE(moescope::viridis(0.5f), QRgb(0xff21918c));
    QCOMPARE(moescope::viridis(1.0f), QRgb(0xfffde725));
    QCOMPARE(moescope::viridis(-3.0f), moescope::viridis(0.0f));
    QCOMPARE(moescope::viridis(7.0f), moescope::viridis(1.0f));
    QCOMPARE(moescope::viridis(std::numeric_limits<float>::quiet_NaN()), moescope::viridis(0.0f));
    // Perceptually ordered: lightness never drops along the map.
    int previous = -1;
    for (int i = 0; i < 256; ++i) {
      const int lightness = QColor(moescope::viridis(i / 255.0f)).lightness();
      QVERIFY2(lightness + 1 >= previous, qPrintable(QString::number(i)));
      previous = lightness;
    }
  }

  void scale_and_ticks() {
    QCOMPARE(moescope::load_scale_max(0.1f, 8), 0.25f);  // floor 2/E
    QCOMPARE(moescope::load_scale_max(0.9f, 8), 0.9f);
    QCOMPARE(moescope::load_scale_max(std::numeric_limits<float>::quiet_NaN(), 4), 0.5f);
    QCOMPARE(moescope::integer_ticks(64, 10.0, 25.0),
             (std::vector<int>{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60}));
    QCOMPARE(moescope::integer_ticks(4, 100.0, 25.0), (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(moescope::integer_ticks(3, 1.0, 500.0), (std::vector<int>{0}));
    QVERIFY(moescope::integer_ticks(0, 10.0, 25.0).empty());
  }

  void heatmap_image_known_answer() {
    moescope::HeatmapWidget heatmap;
    const std::vector<float> load = {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f};
    heatmap.set_snapshot(make_snapshot(42, 2, 4, load));
    heatmap.refresh();
    QCOMPARE(heatmap.image().size(), QSize(4, 2));
    QCOMPARE(heatmap.scale_max(), 0.5f);  // max(2/E, 0.4)
    for (int l = 0; l < 2; ++l)
      for (int e = 0; e < 4; ++e)
        QCOMPARE(heatmap.image().pixel(e, l), moescope::viridis(load[l * 4 + e] / 0.5f));

    // One expert taking nearly everything stretches the scale to its share.
    heatmap.set_snapshot(
        make_snapshot(43, 2, 4, {0.9f, 0.1f, 0.0f, 0.0f, 0.25f, 0.25f, 0.25f, 0.25f}));
    heatmap.refresh();
    QCOMPARE(heatmap.scale_max(), 0.9f);
    QCOMPARE(heatmap.image().pixel(0, 0), moescope::viridis(1.0f));
    QCOMPARE(heatmap.image().pixel(3, 0), moescope::viridis(0.0f));

    heatmap.set_fixed_scale(0.5f);
    heatmap.refresh();
    QCOMPARE(heatmap.scale_max(), 0.5f);
    QCOMPARE(heatmap.image().pixel(1, 1), moescope::viridis(0.5f));
  }

  void heatmap_tooltip_and_painting() {
    moescope::HeatmapWidget heatmap;
    heatmap.resize(600, 400);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    const std::vector<float> load = {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f};
    heatmap.set_snapshot(make_snapshot(42, 2, 4, load));
    heatmap.refresh();

    const QRectF plot = heatmap.plot_rect();
    QVERIFY(!plot.isEmpty());
    QCOMPARE(
        heatmap.tooltip_at(centre(plot, 2, 4, 0, 2)),
        QStringLiteral("layer 0, expert 2\nshare 30.0% (ideal 25.0%)\nutilisation 1.20\nstep 42"));
    QCOMPARE(
        heatmap.tooltip_at(centre(plot, 3, 4, 1, 2)),
        QStringLiteral("layer 1, expert 3\nshare 25.0% (ideal 25.0%)\nutilisation 1.00\nstep 42"));
    QVERIFY(heatmap.tooltip_at(QPoint(1, 1)).isEmpty());
    QVERIFY(heatmap.tooltip_at((plot.bottomRight() + QPointF(3, 3)).toPoint()).isEmpty());

    // The painted cells show the image's colours where the tooltips say they are.
    const QImage shot = heatmap.grab().toImage();
    for (int l = 0; l < 2; ++l)
      for (int e = 0; e < 4; ++e)
        QCOMPARE(shot.pixel(centre(plot, e, 4, l, 2)), heatmap.image().pixel(e, l));
  }

  void heatmap_bad_input() {
    moescope::HeatmapWidget heatmap;
    heatmap.set_snapshot(make_snapshot(1, 2, 4, {0.5f, 0.5f}));  // too few values
    heatmap.set_snapshot(make_snapshot(1, 0, 4, {}));
    heatmap.set_snapshot(make_snapshot(1, -2, -4, std::vector<float>(8, 0.1f)));
    heatmap.refresh();
    QVERIFY(heatmap.image().isNull());
    QVERIFY(heatmap.tooltip_at(QPoint(100, 100)).isEmpty());

    const float nan = std::numeric_limits<float>::quiet_NaN();
    heatmap.resize(400, 300);
    heatmap.set_snapshot(make_snapshot(5, 1, 2, {nan, 1.0f}));
    heatmap.refresh();
    QCOMPARE(heatmap.image().pixel(0, 0), moescope::kMissingColour);
    QCOMPARE(heatmap.image().pixel(1, 0), moescope::viridis(1.0f));
    QVERIFY(heatmap.tooltip_at(centre(heatmap.plot_rect(), 0, 2, 0, 1))
                .contains(QStringLiteral("n/a")));
  }

  void decimation_matches_naive_min_max() {
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 1.0);
    std::vector<QPointF> points;
    for (int i = 0; i < 10000; ++i) points.emplace_back(i, noise(rng));
    const int columns = 97;
    const QList<QPointF> out = moescope::decimate_min_max(points, 0.0, 9999.0, columns);
    QVERIFY(out.size() <= 2 * columns);

    // Naive reference: each column's true min and max must both be drawn, nothing else.
    std::vector<double> lo(columns, 1e300), hi(columns, -1e300);
    auto column_of = [&](double x) {
      return std::min(columns - 1, static_cast<int>(x / 9999.0 * columns));
    };
    for (const QPointF& p : points) {
      lo[column_of(p.x())] = std::min(lo[column_of(p.x())], p.y());
      hi[column_of(p.x())] = std::max(hi[column_of(p.x())], p.y());
    }
    std::vector<std::vector<double>> drawn(columns);
    for (const QPointF& p : out) drawn[column_of(p.x())].push_back(p.y());
    for (int c = 0; c < columns; ++c) {
      QCOMPARE(*std::min_element(drawn[c].begin(), drawn[c].end()), lo[c]);
      QCOMPARE(*std::max_element(drawn[c].begin(), drawn[c].end()), hi[c]);
    }
    QVERIFY(std::is_sorted(out.begin(), out.end(),
                           [](const QPointF& a, const QPointF& b) { return a.x() < b.x(); }));

    // Few points come back untouched; a single x value does not divide by zero.
    const std::vector<QPointF> few = {{1, 3}, {2, 1}, {3, 2}};
    QCOMPARE(moescope::decimate_min_max(few, 1, 3, 100), QList<QPointF>(few.begin(), few.end()));
    const std::vector<QPointF> same_x(50, QPointF(5, 1));
    QVERIFY(moescope::decimate_min_max(same_x, 5, 5, 4).size() <= 8);
  }

  void loss_chart_million_points() {
    moescope::LossChart chart;
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));

    constexpr int kSteps = 1000000;
    double true_min = 1e300, true_max = -1e300;
    QElapsedTimer timer;
    timer.start();
    moescope::StepMetrics metrics;
    for (int i = 1; i <= kSteps; ++i) {
      metrics.step = i;
      metrics.loss = 0.5 + 5.0 * std::exp(-i / 2e5) + 0.05 * std::sin(i * 0.37);
      if (i == 777777) metrics.loss = 9.0;  // a spike that decimation must keep
      true_min = std::min(true_min, metrics.loss);
      true_max = std::max(true_max, metrics.loss);
      chart.add_step(metrics);
    }
    const qint64 add_ms = timer.restart();
    chart.refresh();
    const qint64 refresh_ms = timer.restart();
    chart.grab();
    const qint64 paint_ms = timer.elapsed();
    qInfo(
        "1M points: add_step %lld ms in all, refresh %lld ms, paint %lld ms, %lld points for "
        "%d px",
        add_ms, refresh_ms, paint_ms, static_cast<long long>(chart.displayed_train_points()),
        chart.plot_width_px());

    QCOMPARE(chart.train_points(), size_t{kSteps});
    QVERIFY(chart.plot_width_px() > 100 && chart.plot_width_px() <= 800);
    QVERIFY(chart.displayed_train_points() > 0);
    QVERIFY(chart.displayed_train_points() <= 2 * chart.plot_width_px());
    const QPointF y = chart.y_axis_range();
    QVERIFY(y.x() <= true_min && y.y() >= true_max);
    QVERIFY(y.y() - y.x() < 1.2 * (true_max - true_min));  // a small margin only
    QCOMPARE(chart.x_axis_range(), QPointF(1.0, kSteps));

    // NaN losses are not drawn; evaluations extend the range.
    metrics.loss = std::numeric_limits<double>::quiet_NaN();
    chart.add_step(metrics);
    QCOMPARE(chart.train_points(), size_t{kSteps});
    moescope::EvalResult eval;
    eval.step = kSteps;
    eval.loss = 0.1;
    chart.add_eval(eval);
    chart.refresh();
    QCOMPARE(chart.eval_points(), size_t{1});
    QVERIFY(chart.y_axis_range().x() <= 0.1);

    chart.clear();
    chart.refresh();
    QCOMPARE(chart.displayed_train_points(), qsizetype{0});
    // From a range of 1 to one of millions and back: tick intervals must follow safely.
    for (int64_t step : {5000000, 10000000}) {
      metrics.step = step;
      metrics.loss = 1.0;
      chart.add_step(metrics);
    }
    chart.refresh();
    QCOMPARE(chart.x_axis_range(), QPointF(5e6, 1e7));
    QCOMPARE(chart.displayed_train_points(), qsizetype{2});
  }

  void timeline_columns_and_layers() {
    constexpr int kLayers = 3, kExperts = 4, kSnapshots = 5;
    moescope::LoadTimelineWidget timeline;
    timeline.resize(600, 300);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    std::vector<std::vector<float>> loads;
    for (int s = 0; s < kSnapshots; ++s) {
      loads.push_back(timeline_load(s, kLayers, kExperts));
      timeline.add_snapshot(make_snapshot(100 * (s + 1), kLayers, kExperts, loads.back()));
    }
    auto check_layer = [&](int layer) {
      timeline.set_layer(layer);
      timeline.refresh();
      QCOMPARE(timeline.layer(), layer);
      QCOMPARE(timeline.image().size(), QSize(kSnapshots, kExperts));
      float largest = 0.0f;
      for (const auto& load : loads)
        for (int e = 0; e < kExperts; ++e) largest = std::max(largest, load[layer * kExperts + e]);
      const float scale = std::max(largest, 2.0f / kExperts);
      QCOMPARE(timeline.scale_max(), scale);
      for (int s = 0; s < kSnapshots; ++s)
        for (int e = 0; e < kExperts; ++e)
          QCOMPARE(timeline.image().pixel(s, e),
                   moescope::viridis(loads[s][layer * kExperts + e] / scale));
    };
    check_layer(1);
    const QImage layer1 = timeline.image();
    check_layer(2);
    QVERIFY(timeline.image() != layer1);

    const QRectF plot = timeline.plot_rect();
    QVERIFY(!plot.isEmpty());
    const QString tip = timeline.tooltip_at(centre(plot, 3, kSnapshots, 1, kExperts));
    QCOMPARE(tip, QStringLiteral("step 400, expert 1\nshare %1 (ideal 25.0%)\nlayer 2")
                      .arg(moescope::percent(loads[3][2 * kExperts + 1])));
    QVERIFY(timeline.tooltip_at(QPoint(1, 1)).isEmpty());
    const QImage shot = timeline.grab().toImage();
    QCOMPARE(shot.pixel(centre(plot, 3, kSnapshots, 1, kExperts)), timeline.image().pixel(3, 1));
  }

  void timeline_thins_evenly_when_full() {
    moescope::LoadTimelineWidget timeline;
    timeline.set_max_snapshots(8);
    for (int s = 0; s < 20; ++s) timeline.add_snapshot(make_snapshot(10 * s, 1, 2, {0.5f, 0.5f}));
    QCOMPARE(timeline.steps(), (std::vector<int64_t>{0, 40, 80, 120, 160}));
    timeline.refresh();
    QCOMPARE(timeline.image().width(), 5);
  }

  void timeline_shape_change_and_bad_input() {
    moescope::LoadTimelineWidget timeline;
    timeline.add_snapshot(make_snapshot(1, 2, 2, {0.5f, 0.5f, 0.5f, 0.5f}));
    timeline.add_snapshot(make_snapshot(2, 2, 2, {0.5f, 0.5f}));  // too few values: ignored
    QCOMPARE(timeline.snapshots(), 1);
    timeline.add_snapshot(make_snapshot(3, 1, 3, {0.2f, 0.3f, 0.5f}));  // a new model
    QCOMPARE(timeline.steps(), (std::vector<int64_t>{3}));
    timeline.set_layer(0);
    timeline.refresh();
    QCOMPARE(timeline.image().size(), QSize(1, 3));
    timeline.clear();
    timeline.refresh();
    QVERIFY(timeline.image().isNull());
  }

  void timeline_between_snapshot_and_refresh() {
    moescope::LoadTimelineWidget timeline;
    timeline.resize(500, 300);
    for (int s = 0; s < 4; ++s) timeline.add_snapshot(make_snapshot(s, 1, 2, {0.3f, 0.7f}));
    timeline.refresh();
    const QPoint last_column = centre(timeline.plot_rect(), 3, 4, 0, 2);
    QVERIFY(timeline.tooltip_at(last_column).startsWith(QStringLiteral("step 3, expert 0")));
    // The history moved on (cleared, or thinned) but the image has not been rebuilt yet:
    // no tooltip for a column that is gone, and painting rebuilds first.
    timeline.clear();
    QVERIFY(timeline.tooltip_at(last_column).isEmpty());
    timeline.grab();
    QVERIFY(timeline.image().isNull());
  }

  void wide_models_refresh_fast() {
    // 64 layers x 64 experts: the sizes of the design's speed target.
    std::vector<float> load(64 * 64, 1.0f / 64.0f);
    moescope::HeatmapWidget heatmap;
    moescope::LoadTimelineWidget timeline;
    for (int s = 0; s < 4096; ++s) timeline.add_snapshot(make_snapshot(s, 64, 64, load));
    heatmap.set_snapshot(make_snapshot(1, 64, 64, load));
    QElapsedTimer timer;
    timer.start();
    heatmap.refresh();
    const qint64 heatmap_ms = timer.restart();
    timeline.refresh();
    const qint64 timeline_ms = timer.elapsed();
    qInfo("64x64: heatmap refresh %lld ms; timeline of %d snapshots refresh %lld ms", heatmap_ms,
          timeline.snapshots(), timeline_ms);
    QCOMPARE(timeline.snapshots(), 4096);
    QCOMPARE(timeline.capacity(), 4096);
  }

  void categorical_palette() {
    QCOMPARE(moescope::categorical(0), QRgb(0xff1f77b4));
    QCOMPARE(moescope::categorical(3), QRgb(0xffd62728));
    QCOMPARE(moescope::categorical(-1), moescope::kDroppedColour);
    // 64 experts, 64 different colours, none of them the dropped grey.
    std::vector<QRgb> colours;
    for (int e = 0; e < 64; ++e) colours.push_back(moescope::categorical(e));
    std::sort(colours.begin(), colours.end());
    QVERIFY(std::unique(colours.begin(), colours.end()) == colours.end());
    QVERIFY(std::find(colours.begin(), colours.end(), moescope::kDroppedColour) == colours.end());
    QCOMPARE(moescope::text_colour_on(Qt::black), QColor(Qt::white));
    QCOMPARE(moescope::text_colour_on(QColor(0xffff7f0e)), QColor(Qt::black));
    const std::vector<double> ticks = moescope::value_ticks(0.0, 1.0, 5);
    QCOMPARE(ticks.size(), size_t{6});
    for (size_t i = 0; i < ticks.size(); ++i) QVERIFY(std::abs(ticks[i] - 0.2 * i) < 1e-12);
    QVERIFY(moescope::value_ticks(1.0, 1.0, 5).empty());
  }

  void snapshot_history_thins_and_finds_nearest() {
    moescope::SnapshotHistory<int> history;
    history.set_capacity(4);
    for (int i = 0; i < 10; ++i) history.add(10 * i, i);
    // Kept: arrivals 0, 4, 8 (stride 4 after two thinnings), then the newest (9) on its own.
    std::vector<int64_t> steps;
    for (int i = 0; i < history.size(); ++i) steps.push_back(history[i].step);
    QCOMPARE(steps, (std::vector<int64_t>{0, 40, 80, 90}));
    QCOMPARE(history.back().value, 9);
    QCOMPARE(history[history.nearest(55)].step, int64_t{40});  // 15 from 40, 25 from 80
    QCOMPARE(history[history.nearest(60)].step, int64_t{40});  // a tie goes to the older
    QCOMPARE(history[history.nearest(1000)].step, int64_t{90});
    QCOMPARE(history[history.nearest(-5)].step, int64_t{0});
    history.clear();
    QCOMPARE(history.nearest(5), -1);
  }

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
    gating.resize(800, 500);
    gating.show();
    QVERIFY(QTest::qWaitForWindowExposed(&gating));
    gating.add_snapshot(gating_snapshot(100, 19, 1.0f));
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
    gating.resize(800, 500);
    gating.show();
    QVERIFY(QTest::qWaitForWindowExposed(&gating));
    const float log4 = std::log(4.0f);
    gating.add_snapshot(gating_snapshot(100, 0, 1.0f * log4));
    gating.add_snapshot(gating_snapshot(200, 10, 0.5f * log4));
    gating.add_snapshot(gating_snapshot(300, 19, 0.2f * log4));
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
    gating.set_max_snapshots(4);
    for (int s = 4; s <= 10; ++s) gating.add_snapshot(gating_snapshot(100 * s, 0, 1.0f));
    QCOMPARE(gating.steps(), (std::vector<int64_t>{100, 500, 900, 1000}));
    gating.refresh();
    QCOMPARE(gating.shown_step(), qint64{1000});
    // Bad input: another shape starts again; a wrong-length series is kept as missing.
    moescope::RoutingSnapshot other = gating_snapshot(5, 0, 1.0f);
    other.layers = 1;
    other.load.resize(4);
    other.gate_hist.resize(3);
    gating.add_snapshot(other);
    gating.refresh();
    QCOMPARE(gating.snapshots(), 1);
    QVERIFY(gating.gate_bar_rect(0, false).isEmpty());
    gating.grab();
    gating.clear();
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

  void loss_chart_markers_follow_the_axis() {
    moescope::LossChart chart;
    chart.resize(800, 400);
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    moescope::StepMetrics metrics;
    for (int i = 0; i <= 1000; ++i) {
      metrics.step = i;
      metrics.loss = 3.0 - i / 1000.0;
      chart.add_step(metrics);
    }
    chart.add_marker(500, QStringLiteral("lr \u2192 3e-4"));
    chart.set_cursor_step(250);
    chart.refresh();
    QCOMPARE(chart.markers(), 1);
    QRectF plot = chart.plot_rect();
    QVERIFY(plot.width() > 300.0);
    QVERIFY(std::abs(chart.step_to_x(500) - (plot.left() + 0.5 * plot.width())) < 1.0);
    QImage image = chart.grab().toImage();
    const int top = static_cast<int>(plot.top()) + 40, bottom = static_cast<int>(plot.bottom()) - 2;
    QVERIFY(
        marker_in_column(image, static_cast<int>(std::lround(chart.step_to_x(500))), top, bottom));
    QVERIFY(
        !marker_in_column(image, static_cast<int>(std::lround(chart.step_to_x(800))), top, bottom));
    // The cursor: a dark line at step 250.
    QVERIFY(darkest_near(image, chart.step_to_x(250), plot.center().y()) < 80);
    QVERIFY(darkest_near(image, chart.step_to_x(700), plot.top() + 0.25 * plot.height()) > 200);

    // Clearing the points keeps the markers; on an axis twice as long the marker moves to 1/4.
    chart.clear();
    for (int i = 0; i <= 2000; ++i) {
      metrics.step = i;
      metrics.loss = 3.0 - i / 2000.0;
      chart.add_step(metrics);
    }
    chart.refresh();
    QCOMPARE(chart.markers(), 1);
    plot = chart.plot_rect();
    QVERIFY(std::abs(chart.step_to_x(500) - (plot.left() + 0.25 * plot.width())) < 1.0);
    image = chart.grab().toImage();
    QVERIFY(
        marker_in_column(image, static_cast<int>(std::lround(chart.step_to_x(500))), top, bottom));
    chart.set_cursor_step(-1);
    QCOMPARE(chart.cursor_step(), qint64{-1});
    chart.clear_markers();
    QCOMPARE(chart.markers(), 0);
    image = chart.grab().toImage();
    QVERIFY(
        !marker_in_column(image, static_cast<int>(std::lround(chart.step_to_x(500))), top, bottom));
  }

  void heatmap_history_show_step_and_highlight() {
    moescope::HeatmapWidget heatmap;
    heatmap.resize(600, 400);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    const std::vector<std::vector<float>> loads = {
        {0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f},
        {0.1f, 0.7f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f},
        {0.1f, 0.1f, 0.7f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f}};
    for (int s = 0; s < 3; ++s) heatmap.set_snapshot(make_snapshot(100 * (s + 1), 2, 4, loads[s]));
    heatmap.refresh();
    QCOMPARE(heatmap.snapshots(), 3);
    QCOMPARE(heatmap.shown_step(), qint64{300});
    QVERIFY(heatmap.following_live());

    heatmap.show_step(140);  // nearest: the older snapshot at 100
    QCOMPARE(heatmap.shown_step(), qint64{100});
    QVERIFY(!heatmap.following_live());
    QCOMPARE(heatmap.image().pixel(0, 0), moescope::viridis(1.0f));
    QCOMPARE(heatmap.image().pixel(2, 0), moescope::viridis(0.1f / 0.7f));
    heatmap.show_step(250);  // equally near 200 and 300: the older
    QCOMPARE(heatmap.shown_step(), qint64{200});
    QCOMPARE(heatmap.image().pixel(1, 0), moescope::viridis(1.0f));
    // A new snapshot does not move a view that looks back.
    heatmap.set_snapshot(make_snapshot(400, 2, 4, loads[0]));
    heatmap.refresh();
    QCOMPARE(heatmap.shown_step(), qint64{200});
    heatmap.show_step(-1);
    QCOMPARE(heatmap.shown_step(), qint64{400});

    // Utilisation always, bias when the layer has one.
    RoutingSnapshot biased = make_snapshot(500, 2, 4, loads[2]);
    biased.bias = {0.0f, 0.0f, 0.0f, 0.0f, 0.5f, -0.25f, 0.0f, 0.0f};
    heatmap.set_snapshot(biased);
    heatmap.refresh();
    const QRectF plot = heatmap.plot_rect();
    QCOMPARE(
        heatmap.tooltip_at(centre(plot, 2, 4, 0, 2)),
        QStringLiteral("layer 0, expert 2\nshare 70.0% (ideal 25.0%)\nutilisation 2.80\nstep 500"));
    QCOMPARE(heatmap.tooltip_at(centre(plot, 1, 4, 1, 2)),
             QStringLiteral("layer 1, expert 1\nshare 25.0% (ideal 25.0%)\nutilisation 1.00\nbias "
                            "-0.25\nstep 500"));

    // The highlighted layer's row is outlined; the cells keep their colours.
    heatmap.set_highlight_layer(1);
    QCOMPARE(heatmap.highlight_layer(), 1);
    const QImage image = heatmap.grab().toImage();
    const double row_h = plot.height() / 2.0;
    const QPoint edge = QPointF(plot.center().x(), plot.top() + row_h + 0.6).toPoint();
    const QColor outline = image.pixelColor(edge);
    QVERIFY2(outline == Qt::white || outline == Qt::black, qPrintable(outline.name()));
    QCOMPARE(image.pixel(centre(plot, 0, 4, 1, 2)), heatmap.image().pixel(0, 1));

    heatmap.clear();
    heatmap.refresh();
    QVERIFY(heatmap.image().isNull());
    QCOMPARE(heatmap.shown_step(), qint64{-1});
  }

  void timeline_cursor_and_markers() {
    moescope::LoadTimelineWidget timeline;
    timeline.resize(600, 300);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    for (int s = 1; s <= 5; ++s) timeline.add_snapshot(make_snapshot(100 * s, 1, 2, {0.3f, 0.7f}));
    timeline.refresh();
    const QRectF plot = timeline.plot_rect();
    const double column_w = plot.width() / 5.0;
    QVERIFY(std::abs(timeline.step_to_x(300) - (plot.left() + 2.5 * column_w)) < 1e-6);
    QVERIFY(std::abs(timeline.step_to_x(350) - (plot.left() + 3.0 * column_w)) < 1e-6);
    QVERIFY(std::isnan(timeline.step_to_x(50)));
    QVERIFY(std::isnan(timeline.step_to_x(501)));

    timeline.set_cursor_step(300);
    timeline.add_marker(400, QStringLiteral("bias on"));
    QCOMPARE(timeline.markers(), 1);
    const QImage image = timeline.grab().toImage();
    QCOMPARE(darkest_near(image, timeline.step_to_x(300), plot.center().y()),
             QColor::fromRgb(moescope::kCursorColour).lightness());
    QVERIFY(marker_in_column(image, static_cast<int>(timeline.step_to_x(400)),
                             static_cast<int>(plot.top()) + 40,
                             static_cast<int>(plot.bottom()) - 2));
    // Markers outlive a cleared history.
    timeline.clear();
    QCOMPARE(timeline.markers(), 1);
    timeline.clear_markers();
    QCOMPARE(timeline.markers(), 0);
  }

  // Every view at a realistic size with a realistic run: saved as PNGs when
  // MOESCOPE_VIEW_SHOTS names a folder, and checked to paint something.
  void screenshots() {
    constexpr int64_t kTotal = 4000;
    moescope::HeatmapWidget heatmap;
    moescope::LoadTimelineWidget timeline;
    moescope::GatingView gating;
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
      heatmap.set_snapshot(snapshot);
      timeline.add_snapshot(snapshot);
      gating.add_snapshot(snapshot);
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

    // Looking back at the alert's step.
    heatmap.show_step(dominant.step);
    gating.show_step(dominant.step);
    trajectories.show_step(1000);
    tokens.show_step(1000);
    QCOMPARE(gating.shown_step(), qint64{2450});
    QCOMPARE(heatmap.shown_step(), qint64{2450});
    shot(heatmap, "heatmap_at_step");
    shot(gating, "gating_at_step");
    shot(trajectories, "trajectories_at_step");
    shot(tokens, "tokens_at_step");

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
    shot(wide, "trajectories_wide");
  }
};

QTEST_MAIN(TestViews)
#include "test_views.moc"
