#include "plot_axes.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QPainter>
#include <QPen>
#include <QRectF>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "colormap.h"
#include "view_text.h"

namespace moescope {
namespace {

constexpr double kBarWidth = 14.0;
constexpr double kBarGap = 14.0;

}  // namespace

double round_interval(double at_least) {
  if (!(at_least > 0.0) || !std::isfinite(at_least)) return 1.0;
  const double decade = std::pow(10.0, std::floor(std::log10(at_least)));
  for (double mantissa : {1.0, 2.0, 5.0})
    if (mantissa * decade >= at_least * (1.0 - 1e-9)) return mantissa * decade;
  return 10.0 * decade;
}

int64_t nice_step(double at_least) {
  for (int64_t decade = 1; decade < std::numeric_limits<int64_t>::max() / 10; decade *= 10)
    for (int64_t mantissa : {1, 2, 5})
      if (static_cast<double>(mantissa * decade) >= at_least) return mantissa * decade;
  return std::numeric_limits<int64_t>::max();
}

std::vector<int> integer_ticks(int count, double px_per_item, double min_spacing_px) {
  std::vector<int> ticks;
  const int64_t step = px_per_item > 0.0 ? nice_step(min_spacing_px / px_per_item) : 1;
  for (int64_t i = 0; i < count; i += step) ticks.push_back(static_cast<int>(i));
  return ticks;
}

QRectF colour_mapped_plot(const QFont& font, const QRectF& area) {
  const QFontMetricsF metrics(font);
  const double left =
      metrics.height() + 8.0 + metrics.horizontalAdvance(QStringLiteral("000")) + 6.0;
  const double bottom = 6.0 + 2.0 * metrics.height() + 8.0;
  const double bar_labels = metrics.horizontalAdvance(QStringLiteral("100.0%")) + 8.0;
  const double right = kBarGap + kBarWidth + bar_labels;
  const QRectF plot = area.adjusted(left, 0.0, -right, -bottom);
  return plot.width() >= 1.0 && plot.height() >= 1.0 ? plot : QRectF();
}

QRectF colour_bar_beside(const QRectF& plot) {
  return {plot.right() + kBarGap, plot.top(), kBarWidth, plot.height()};
}

void paint_row_axis(QPainter& painter, const QRectF& plot, int rows, const QString& title) {
  if (rows <= 0 || plot.isEmpty()) return;
  const QFontMetricsF metrics(painter.font());
  const double row_h = plot.height() / rows;
  for (int row : integer_ticks(rows, row_h, metrics.height() + 2.0)) {
    const double y = plot.top() + (row + 0.5) * row_h;
    painter.drawLine(QPointF(plot.left() - 4.0, y), QPointF(plot.left(), y));
    painter.drawText(QRectF(0.0, y - metrics.height() / 2.0, plot.left() - 6.0, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, QString::number(row));
  }
  painter.save();
  painter.translate(4.0, plot.center().y());
  painter.rotate(-90.0);
  painter.drawText(QRectF(-plot.height() / 2.0, 0.0, plot.height(), metrics.height() + 2.0),
                   Qt::AlignHCenter | Qt::AlignTop, title);
  painter.restore();
}

void paint_column_axis(QPainter& painter, const QRectF& plot, int columns, const QString& title,
                       const std::vector<AxisTick>& ticks) {
  if (columns <= 0 || plot.isEmpty()) return;
  const QFontMetricsF metrics(painter.font());
  const double column_w = plot.width() / columns;
  const double device_w = painted_width(painter, plot.right());
  for (const AxisTick& tick : ticks) {
    const double x = plot.left() + (tick.column + 0.5) * column_w;
    painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4.0));
    // A long label under the first or last column would be cut off at the widget's edge.
    const double half = metrics.horizontalAdvance(tick.label) / 2.0 + 2.0;
    const double centre = std::max(half, std::min(x, device_w - half));
    painter.drawText(QRectF(centre - 2.0 * half, plot.bottom() + 5.0, 4.0 * half, metrics.height()),
                     Qt::AlignHCenter | Qt::AlignTop, tick.label);
  }
  paint_centred_label(painter, plot.center().x(), plot.bottom() + 5.0 + metrics.height(), title, 0.0, device_w);
}

double painted_width(const QPainter& painter, double fallback) {
  if (!painter.device()) return fallback;
  // The device's width in the painter's coordinates (a figure paints in points, scaled).
  return painter.worldTransform().inverted().map(QPointF(painter.device()->width(), 0.0)).x();
}

void paint_centred_label(QPainter& painter, double centre_x, double top, const QString& text, double min_x,
                         double max_x) {
  const QFontMetricsF metrics(painter.font());
  const double room = std::max(0.0, max_x - min_x - 4.0);
  const QString shown = metrics.horizontalAdvance(text) > room ? metrics.elidedText(text, Qt::ElideRight, room) : text;
  const double half = metrics.horizontalAdvance(shown) / 2.0 + 1.0;
  const double centre = std::clamp(centre_x, min_x + half + 1.0, std::max(min_x + half + 1.0, max_x - half - 1.0));
  painter.drawText(QRectF(centre - half, top, 2.0 * half, metrics.height() + 4.0), Qt::AlignHCenter | Qt::AlignTop,
                   shown);
}

void paint_gradient_bar(QPainter& painter, const QRectF& bar, BarMap map) {
  if (bar.height() < 2.0 || bar.width() < 1.0) return;
  const auto column = [](auto colour) {
    QImage image(1, 256, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i) image.setPixel(0, i, colour(1.0f - i / 255.0f));
    return image;
  };
  static const QImage viridis_column = column([](float v) { return viridis(v); });
  static const QImage diverging_column = column([](float v) { return diverging(2.0f * v - 1.0f); });
  painter.save();
  painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
  painter.drawImage(bar, map == BarMap::Viridis ? viridis_column : diverging_column);
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(bar);
  painter.restore();
}

void paint_bar_labels(QPainter& painter, const QRectF& bar, const QString& top, const QString& middle,
                      const QString& bottom) {
  const QFontMetricsF metrics(painter.font());
  const double x = bar.right() + 4.0;
  const double half = metrics.ascent() / 2.0 - 1.0;
  painter.drawText(QPointF(x, bar.top() + half + 1.0), top);
  if (!middle.isEmpty()) painter.drawText(QPointF(x, bar.center().y() + half), middle);
  painter.drawText(QPointF(x, bar.bottom() + half), bottom);
}

void paint_colour_bar(QPainter& painter, const QRectF& bar, float scale_max, float ideal) {
  if (bar.height() < 2.0 || bar.width() < 1.0) return;
  paint_gradient_bar(painter, bar, BarMap::Viridis);
  painter.save();
  painter.setBrush(Qt::NoBrush);
  paint_bar_labels(painter, bar, percent(scale_max), QString(), percent(0.0));
  const QFontMetricsF metrics(painter.font());
  const double x = bar.right() + 4.0;
  const double half = metrics.ascent() / 2.0 - 1.0;

  if (ideal > 0.0f && ideal < scale_max) {
    const double y = bar.bottom() - bar.height() * (ideal / scale_max);
    painter.drawLine(QPointF(bar.left() - 3.0, y), QPointF(bar.right() + 2.0, y));
    // Only label the balanced share where it does not collide with the end labels.
    if (y - bar.top() > metrics.height() * 1.2 && bar.bottom() - y > metrics.height() * 1.2)
      painter.drawText(QPointF(x, y + half), percent(ideal));
  }
  painter.restore();
}

void paint_diverging_bar(QPainter& painter, const QRectF& bar, float scale) {
  if (bar.height() < 2.0 || bar.width() < 1.0) return;
  paint_gradient_bar(painter, bar, BarMap::Diverging);
  const auto points = [](double v) {
    return QCoreApplication::translate("moescope::PlotAxes", "%1 pp").arg(v * 100.0, 0, 'g', 2);
  };
  paint_bar_labels(painter, bar, QStringLiteral("+") + points(scale), points(0.0),
                   QString(QChar(0x2212)) + points(scale));
}

void paint_markers(QPainter& painter, const QRectF& plot, const std::vector<MarkerLine>& markers) {
  if (markers.empty() || plot.isEmpty()) return;
  std::vector<const MarkerLine*> inside;
  for (const MarkerLine& marker : markers)
    if (marker.x >= plot.left() && marker.x <= plot.right()) inside.push_back(&marker);
  std::sort(inside.begin(), inside.end(),
            [](const MarkerLine* a, const MarkerLine* b) { return a->x < b->x; });

  painter.save();
  const QColor colour = QColor::fromRgb(kMarkerColour);
  // A pale halo under each line keeps it visible on dark heatmap cells too.
  QPen halo(QColor(255, 255, 255, 170), 3.0);
  QPen pen(colour, 1.2, Qt::DashLine);
  for (const QPen& line_pen : {halo, pen}) {
    painter.setPen(line_pen);
    for (const MarkerLine* marker : inside)
      painter.drawLine(QPointF(marker->x, plot.top()), QPointF(marker->x, plot.bottom()));
  }

  // Labels in up to three rows; a label that fits in none is left out (its line stays).
  constexpr int kRows = 3;
  const QFontMetricsF metrics(painter.font());
  const double row_h = metrics.height() + 2.0;
  std::array<double, kRows> row_end;
  row_end.fill(-std::numeric_limits<double>::infinity());
  painter.setPen(colour);
  QColor background = Qt::white;
  background.setAlpha(210);
  for (const MarkerLine* marker : inside) {
    if (marker->label.isEmpty()) continue;
    const double w = std::min(metrics.horizontalAdvance(marker->label) + 6.0, plot.width());
    double left = marker->x + 2.0;
    if (left + w > plot.right()) left = std::max(plot.left(), marker->x - 2.0 - w);
    for (int row = 0; row < kRows; ++row) {
      if (left < row_end[static_cast<size_t>(row)] + 3.0) continue;
      const QRectF box(left, plot.top() + 2.0 + row * row_h, w, row_h - 1.0);
      if (box.bottom() > plot.bottom()) break;
      painter.fillRect(box, background);
      painter.drawText(box, Qt::AlignCenter,
                       metrics.elidedText(marker->label, Qt::ElideRight, w - 4.0));
      row_end[static_cast<size_t>(row)] = box.right();
      break;
    }
  }
  painter.restore();
}

void paint_cursor(QPainter& painter, const QRectF& plot, double x) {
  if (plot.isEmpty() || !(x >= plot.left() && x <= plot.right())) return;
  painter.save();
  for (const QPen& pen :
       {QPen(QColor(255, 255, 255, 190), 4.0), QPen(QColor::fromRgb(kCursorColour), 2.0)}) {
    painter.setPen(pen);
    painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
  }
  painter.restore();
}

std::vector<double> value_ticks(double min, double max, int max_ticks) {
  std::vector<double> ticks;
  if (!(max > min) || !std::isfinite(min) || !std::isfinite(max) || max_ticks < 1) return ticks;
  const double interval = round_interval((max - min) / max_ticks);
  const double slack = interval * 1e-9;
  for (double tick = std::ceil(min / interval - 1e-9) * interval; tick <= max + slack;
       tick += interval)
    ticks.push_back(std::abs(tick) < slack ? 0.0 : tick);
  return ticks;
}

}  // namespace moescope
