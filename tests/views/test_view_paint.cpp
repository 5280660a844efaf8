// Every painted view draws through paint(painter, target), independent of its widget's
// geometry: painted into an image larger than the widget, the picture is laid out for the
// image (heatmap cells span it, the timeline's columns reach its right side, the panels and
// the token cells fill it).
#include <QPainter>
#include <QtTest>

#include "colormap.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "load_timeline_widget.h"
#include "token_view.h"
#include "trajectory_view.h"
#include "view_fixtures.h"
#include "view_test_support.h"

using namespace moescope;
using namespace view_test;

namespace {
constexpr QSize kWidget(300, 200);
constexpr QSize kImage(1200, 800);

// Columns of row y whose pixel is `colour`: first and last, -1 when none.
std::pair<int, int> span_of(const QImage& image, int y, QRgb colour) {
  int first = -1, last = -1;
  for (int x = 0; x < image.width(); ++x)
    if ((image.pixel(x, y) | 0xff000000u) == (colour | 0xff000000u)) {
      if (first < 0) first = x;
      last = x;
    }
  return {first, last};
}
}  // namespace

class TestViewPaint : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void heatmap_cells_span_the_image() {
    HeatmapWidget heatmap;
    ViewRun heatmap_run(heatmap);
    heatmap.resize(kWidget);
    heatmap.show();
    QVERIFY(QTest::qWaitForWindowExposed(&heatmap));
    heatmap_run.store.add_routing(make_snapshot(7, 2, 4, {0.1f, 0.2f, 0.3f, 0.4f, 0.25f, 0.25f, 0.25f, 0.25f}));
    heatmap.refresh();
    const QImage image = heatmap.render_image(kImage);
    QCOMPARE(image.size(), kImage);
    // The screen's plot is about 300 px wide; in the image the last expert's cell ends far
    // beyond that, and expert 3 of layer 0 has its own colour there.
    const QRgb expert3 = heatmap.image().pixel(3, 0);
    const int row0 = static_cast<int>(kImage.height() * 0.3);
    const auto [first, last] = span_of(image, row0, expert3);
    QVERIFY2(first > kImage.width() / 2, qPrintable(QString::number(first)));
    QVERIFY2(last > kImage.width() * 3 / 4, qPrintable(QString::number(last)));
    QVERIFY(last - first > 150);  // a quarter of a wide plot, not of the 300-px widget's
    // The screen still paints at the widget's size.
    QVERIFY(heatmap.plot_rect().right() <= kWidget.width());
  }

  void timeline_columns_reach_the_right_of_the_image() {
    LoadTimelineWidget timeline;
    ViewRun timeline_run(timeline);
    timeline.resize(kWidget);
    timeline.show();
    QVERIFY(QTest::qWaitForWindowExposed(&timeline));
    timeline.set_layers(1);
    for (int step = 1; step <= 4; ++step)
      timeline_run.store.add_routing(make_snapshot(step, 1, 2, step == 4 ? std::vector<float>{1.0f, 0.0f}
                                                                : std::vector<float>{0.5f, 0.5f}));
    timeline.refresh();
    const QImage image = timeline.render_image(kImage);
    const QRgb last_column = timeline.image().pixel(3, 0);  // expert 0 took everything
    const auto [first, last] = span_of(image, kImage.height() / 4, last_column);
    QVERIFY2(last > kImage.width() * 3 / 4, qPrintable(QString::number(last)));
    QVERIFY2(last - first > 100, qPrintable(QString::number(last - first)));
  }

  void gating_token_and_trajectory_views_fill_the_image() {
    GatingView gating;
    ViewRun gating_run(gating);
    TokenView tokens;
    TrajectoryView trajectories;
    RunInfo info;
    info.layers = fixtures::kLayers;
    info.experts = fixtures::kExperts;
    info.probe_text = fixtures::probe_text();
    info.probe_tokens = static_cast<int64_t>(info.probe_text.size());
    tokens.set_run_info(info);
    tokens.set_layers(int(info.layers));
    gating.set_layers(int(info.layers));
    for (int64_t step = 10; step <= 200; step += 10) gating_run.store.add_routing(fixtures::routing(step, 200));
    tokens.add_trajectory(fixtures::trajectory(200, 200, fixtures::kLayers));
    trajectories.add_trajectory(fixtures::trajectory(200, 200, fixtures::kLayers));
    for (PaintedView* view : {static_cast<PaintedView*>(&gating), static_cast<PaintedView*>(&tokens),
                              static_cast<PaintedView*>(&trajectories)}) {
      view->resize(kWidget);
      view->show();
      QVERIFY(QTest::qWaitForWindowExposed(view));
      view->refresh();
      const QImage image = view->render_image(kImage);
      QCOMPARE(image.size(), kImage);
      // Something is drawn in the image's right quarter and its bottom quarter: the layout
      // took the image's size, not the widget's 300 x 200.
      const QRgb background = view->palette().color(QPalette::Window).rgb();
      auto drawn_in = [&](QRect region) {
        for (int y = region.top(); y <= region.bottom(); y += 2)
          for (int x = region.left(); x <= region.right(); x += 2)
            if ((image.pixel(x, y) | 0xff000000u) != (background | 0xff000000u)) return true;
        return false;
      };
      const char* name = view->metaObject()->className();
      QVERIFY2(drawn_in(QRect(900, 0, 300, 800)), name);
      QVERIFY2(drawn_in(QRect(0, 600, 1200, 200)), name);
      // (The probe text takes the top rows and its legend the bottom: the middle may be empty.)
      if (view != &tokens) QVERIFY2(drawn_in(QRect(400, 300, 400, 200)), name);
    }
  }
};

QTEST_MAIN(TestViewPaint)
#include "test_view_paint.moc"
