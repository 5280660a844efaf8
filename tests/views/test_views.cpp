// Widget tests for moescope_views, run offscreen: known answers on hand-made snapshots,
// asserted on the rendered images, tooltips and series sizes.
#include <QElapsedTimer>
#include <QPixmap>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "colormap.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"

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
    QCOMPARE(heatmap.tooltip_at(centre(plot, 2, 4, 0, 2)),
             QStringLiteral("layer 0, expert 2\nshare 30.0% (ideal 25.0%)\nstep 42"));
    QCOMPARE(heatmap.tooltip_at(centre(plot, 3, 4, 1, 2)),
             QStringLiteral("layer 1, expert 3\nshare 25.0% (ideal 25.0%)\nstep 42"));
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
};

QTEST_MAIN(TestViews)
#include "test_views.moc"
