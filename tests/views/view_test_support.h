// Helpers shared by the widget tests: hand-made snapshots, pixel probes, and screenshots
// saved under $MOESCOPE_VIEW_SHOTS when that names a folder.
#pragma once

#include <QColor>
#include <QDir>
#include <QImage>
#include <QPixmap>
#include <QPoint>
#include <QRectF>
#include <QWidget>
#include <algorithm>
#include <cmath>
#include <vector>

#include "base/events.h"
#include "focus_state.h"
#include "run_store.h"

namespace view_test {

using moescope::RoutingSnapshot;

// A run of its own for the views under test: they are attached to its store and focus, and
// the test feeds the store (views keep no history of their own).
struct ViewRun {
  template <typename... Views>
  explicit ViewRun(Views&... views) {
    (views.attach(&store, &focus), ...);
  }
  moescope::RunStore store;
  moescope::FocusState focus;
};

inline RoutingSnapshot make_snapshot(int64_t step, int64_t layers, int64_t experts,
                              std::vector<float> load) {
  RoutingSnapshot snapshot;
  snapshot.step = step;
  snapshot.layers = layers;
  snapshot.experts = experts;
  snapshot.load = std::move(load);
  return snapshot;
}

// Load of the timeline fixture: every (step, layer) row is distinct and sums to 1.
inline std::vector<float> timeline_load(int step, int layers, int experts) {
  std::vector<float> load;
  for (int l = 0; l < layers; ++l) {
    std::vector<float> row(experts);
    float sum = 0.0f;
    for (int e = 0; e < experts; ++e) sum += row[e] = 1.0f + ((step + 1) * (l + 2) * (e + 3)) % 7;
    for (float v : row) load.push_back(v / sum);
  }
  return load;
}

inline QPoint centre(const QRectF& plot, int column, int columns, int row, int rows) {
  return QPointF(plot.left() + (column + 0.5) * plot.width() / columns,
                 plot.top() + (row + 0.5) * plot.height() / rows)
      .toPoint();
}

// A widget grabbed as it paints, saved under $MOESCOPE_VIEW_SHOTS when that is set.
inline QImage shot(QWidget& widget, const char* name) {
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
inline bool marker_in_column(const QImage& image, int x, int y0, int y1) {
  for (int dx = -1; dx <= 1; ++dx)
    for (int y = y0; y <= y1; ++y) {
      const QColor c = image.pixelColor(x + dx, y);
      if (c.red() > 150 && c.green() < 110 && c.blue() < 110) return true;
    }
  return false;
}

// The darkest of the three pixels around (x, y): a thin cursor line, antialiased or not.
inline int darkest_near(const QImage& image, double x, double y) {
  int darkest = 255;
  for (int dx = -1; dx <= 1; ++dx)
    darkest = std::min(
        darkest,
        image.pixelColor(static_cast<int>(std::lround(x)) + dx, static_cast<int>(std::lround(y)))
            .lightness());
  return darkest;
}

}  // namespace view_test
