// Widget tests for the load and loss views of moescope_views, run offscreen: known answers
// on hand-made snapshots, asserted on the rendered images, tooltips and series sizes.
#include <QElapsedTimer>
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "colormap.h"
#include "plot_axes.h"
#include "view_text.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "snapshot_history.h"
#include "view_test_support.h"

using moescope::RoutingSnapshot;
using namespace view_test;

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
    ViewRun heatmap_run(heatmap);
    const std::vector<float> load = {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f};
    heatmap_run.store.add_routing(make_snapshot(42, 2, 4, load));
    heatmap.refresh();
    QCOMPARE(heatmap.image().size(), QSize(4, 2));
    QCOMPARE(heatmap.scale_max(), 0.5f);  // max(2/E, 0.4)
    for (int l = 0; l < 2; ++l)
      for (int e = 0; e < 4; ++e)
        QCOMPARE(heatmap.image().pixel(e, l), moescope::viridis(load[l * 4 + e] / 0.5f));

    // One expert taking nearly everything stretches the scale to its share.
    heatmap_run.store.add_routing(
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
    ViewRun heatmap_run(heatmap);
    heatmap.resize(600, 400);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    const std::vector<float> load = {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f};
    heatmap_run.store.add_routing(make_snapshot(42, 2, 4, load));
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
    ViewRun heatmap_run(heatmap);
    heatmap_run.store.add_routing(make_snapshot(1, 2, 4, {0.5f, 0.5f}));  // too few values
    heatmap_run.store.add_routing(make_snapshot(1, 0, 4, {}));
    heatmap_run.store.add_routing(make_snapshot(1, -2, -4, std::vector<float>(8, 0.1f)));
    heatmap.refresh();
    QVERIFY(heatmap.image().isNull());
    QVERIFY(heatmap.tooltip_at(QPoint(100, 100)).isEmpty());

    const float nan = std::numeric_limits<float>::quiet_NaN();
    heatmap.resize(400, 300);
    heatmap_run.store.add_routing(make_snapshot(5, 1, 2, {nan, 1.0f}));
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
    ViewRun timeline_run(timeline);
    timeline.resize(600, 300);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    std::vector<std::vector<float>> loads;
    for (int s = 0; s < kSnapshots; ++s) {
      loads.push_back(timeline_load(s, kLayers, kExperts));
      timeline_run.store.add_routing(make_snapshot(100 * (s + 1), kLayers, kExperts, loads.back()));
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
    ViewRun timeline_run(timeline);
    timeline_run.store.set_max_routing_frames(8);
    for (int s = 0; s < 20; ++s) timeline_run.store.add_routing(make_snapshot(10 * s, 1, 2, {0.5f, 0.5f}));
    // Arrivals 0, 4, 8, 12, 16 kept for good, and the newest (19) until the next arrives.
    QCOMPARE(timeline.steps(), (std::vector<int64_t>{0, 40, 80, 120, 160, 190}));
    timeline.refresh();
    QCOMPARE(timeline.image().width(), 6);
  }

  void timeline_shape_change_and_bad_input() {
    moescope::LoadTimelineWidget timeline;
    ViewRun timeline_run(timeline);
    timeline_run.store.add_routing(make_snapshot(1, 2, 2, {0.5f, 0.5f, 0.5f, 0.5f}));
    timeline_run.store.add_routing(make_snapshot(2, 2, 2, {0.5f, 0.5f}));  // too few values: ignored
    QCOMPARE(timeline.snapshots(), 1);
    timeline_run.store.add_routing(make_snapshot(3, 1, 3, {0.2f, 0.3f, 0.5f}));  // a new model
    QCOMPARE(timeline.steps(), (std::vector<int64_t>{3}));
    timeline.set_layer(0);
    timeline.refresh();
    QCOMPARE(timeline.image().size(), QSize(1, 3));
    timeline_run.store.clear();  // the run is forgotten: the view follows
    timeline.refresh();
    QVERIFY(timeline.image().isNull());
  }

  void timeline_between_snapshot_and_refresh() {
    moescope::LoadTimelineWidget timeline;
    ViewRun timeline_run(timeline);
    timeline.resize(500, 300);
    for (int s = 0; s < 4; ++s) timeline_run.store.add_routing(make_snapshot(s, 1, 2, {0.3f, 0.7f}));
    timeline.refresh();
    const QPoint last_column = centre(timeline.plot_rect(), 3, 4, 0, 2);
    QVERIFY(timeline.tooltip_at(last_column).startsWith(QStringLiteral("step 3, expert 0")));
    // The history moved on (cleared, or thinned) but the image has not been rebuilt yet:
    // no tooltip for a column that is gone, and painting rebuilds first.
    timeline_run.store.clear();
    QVERIFY(timeline.tooltip_at(last_column).isEmpty());
    timeline.grab();
    QVERIFY(timeline.image().isNull());
  }

  void wide_models_refresh_fast() {
    // 64 layers x 64 experts: the sizes of the design's speed target.
    std::vector<float> load(64 * 64, 1.0f / 64.0f);
    moescope::HeatmapWidget heatmap;
    ViewRun heatmap_run(heatmap);
    moescope::LoadTimelineWidget timeline;
    ViewRun timeline_run(timeline);
    for (int s = 0; s < 4096; ++s) timeline_run.store.add_routing(make_snapshot(s, 64, 64, load));
    heatmap_run.store.add_routing(make_snapshot(1, 64, 64, load));
    QElapsedTimer timer;
    timer.start();
    heatmap.refresh();
    const qint64 heatmap_ms = timer.restart();
    timeline.refresh();
    const qint64 timeline_ms = timer.elapsed();
    qInfo("64x64: heatmap refresh %lld ms; timeline of %d snapshots refresh %lld ms", heatmap_ms,
          timeline.snapshots(), timeline_ms);
    QCOMPARE(timeline.snapshots(), 4096);
    // 64 x 64 load-only frames: the store's budget keeps kMaxHistory of them, not 4096.
    QCOMPARE(timeline_run.store.routing().capacity(), moescope::kMaxHistory);
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
    ViewRun heatmap_run(heatmap);
    heatmap.resize(600, 400);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    const std::vector<std::vector<float>> loads = {
        {0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f},
        {0.1f, 0.7f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f},
        {0.1f, 0.1f, 0.7f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f}};
    for (int s = 0; s < 3; ++s) heatmap_run.store.add_routing(make_snapshot(100 * (s + 1), 2, 4, loads[s]));
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
    heatmap_run.store.add_routing(make_snapshot(400, 2, 4, loads[0]));
    heatmap.refresh();
    QCOMPARE(heatmap.shown_step(), qint64{200});
    heatmap.show_step(-1);
    QCOMPARE(heatmap.shown_step(), qint64{400});

    // Utilisation always, bias when the layer has one.
    RoutingSnapshot biased = make_snapshot(500, 2, 4, loads[2]);
    biased.bias = {0.0f, 0.0f, 0.0f, 0.0f, 0.5f, -0.25f, 0.0f, 0.0f};
    heatmap_run.store.add_routing(biased);
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

    heatmap_run.store.clear();
    heatmap.refresh();
    QVERIFY(heatmap.image().isNull());
    QCOMPARE(heatmap.shown_step(), qint64{-1});
  }

  void timeline_cursor_and_markers() {
    moescope::LoadTimelineWidget timeline;
    ViewRun timeline_run(timeline);
    timeline.resize(600, 300);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    for (int s = 1; s <= 5; ++s) timeline_run.store.add_routing(make_snapshot(100 * s, 1, 2, {0.3f, 0.7f}));
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
    // Markers outlive a cleared picture (the store forgetting the run clears them too).
    timeline.clear();
    QCOMPARE(timeline.markers(), 1);
    timeline.clear_markers();
    QCOMPARE(timeline.markers(), 0);
  }
};

QTEST_MAIN(TestViews)
#include "test_views.moc"
