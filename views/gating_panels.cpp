#include "gating_panels.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <algorithm>
#include <cmath>
#include <limits>

#include "loss_chart.h"  // decimate_min_max
#include "plot_axes.h"

namespace moescope {
namespace {

constexpr double kLegendSwatch = 14.0;

double legend_width(const QFontMetricsF& metrics, const std::vector<LegendEntry>& legend) {
  double width = 0.0;
  for (const LegendEntry& entry : legend)
    width += kLegendSwatch + 4.0 + metrics.horizontalAdvance(entry.text) + 12.0;
  return width;
}

QString y_label(double value, double interval, bool as_percent) {
  if (!as_percent) return QString::number(value, 'g', 3);
  const int decimals = interval >= 0.01 - 1e-12 ? 0 : 1;
  return QStringLiteral("%1%").arg(value * 100.0, 0, 'f', decimals);
}

// Decimated polyline of one run of finite points, in widget coordinates.
QPolygonF run_polygon(const std::vector<QPointF>& run, const QRectF& plot, double x_min,
                      double x_max, double y_max, double pixels_per_unit) {
  const QList<QPointF> kept =
      decimate_min_max(run, x_min, x_max, std::max(1, static_cast<int>(plot.width() * pixels_per_unit)));
  QPolygonF polygon;
  polygon.reserve(kept.size());
  for (const QPointF& point : kept)
    polygon << QPointF(step_to_x(plot, x_min, x_max, point.x()),
                       plot.bottom() - std::clamp(point.y() / y_max, 0.0, 1.0) * plot.height());
  return polygon;
}

}  // namespace

PanelFrame panel_frame(const QFont& font, const QRectF& area) {
  const QFontMetricsF metrics(font);
  PanelFrame frame;
  frame.two_lines = area.width() < kOneLineTitleChars * metrics.averageCharWidth();
  const double title_h = (frame.two_lines ? 2.0 : 1.0) * metrics.height() + 6.0;
  const double left = metrics.horizontalAdvance(QStringLiteral("100%")) + 12.0;
  const double bottom = 6.0 + 2.0 * metrics.height() + 8.0;
  frame.title_row = QRectF(area.left(), area.top(), area.width(), title_h);
  // Half a line more above the plot: its top tick label is centred on the top edge.
  const QRectF plot = area.adjusted(left, title_h + 4.0 + metrics.height() / 2.0, -8.0, -bottom);
  if (plot.width() >= 10.0 && plot.height() >= 10.0) frame.plot = plot;
  return frame;
}

void paint_panel_title(QPainter& painter, const QRectF& row, const QString& title,
                       const std::vector<LegendEntry>& legend) {
  painter.save();
  const QPen text_pen = painter.pen();
  const QFontMetricsF metrics(painter.font());
  // Two lines when the row has room for them: the title on the first, the legend on the
  // second, from the left.
  const bool two_lines = row.height() >= 2.0 * metrics.height();
  const QRectF title_row = two_lines ? QRectF(row.left(), row.top(), row.width(), row.height() / 2.0) : row;
  const QRectF legend_row = two_lines ? QRectF(row.left(), row.center().y(), row.width(), row.height() / 2.0) : row;
  const double legend_w = legend_width(metrics, legend);
  double x = two_lines ? legend_row.left() : row.right() - legend_w;
  for (const LegendEntry& entry : legend) {
    const QRectF swatch(x, legend_row.center().y() - 4.0, kLegendSwatch, 8.0);
    if (entry.line) {
      painter.setPen(QPen(entry.colour, 2.5));
      painter.drawLine(QPointF(swatch.left(), swatch.center().y()),
                       QPointF(swatch.right(), swatch.center().y()));
    } else {
      painter.fillRect(swatch, entry.colour);
    }
    painter.setPen(text_pen);
    const double text_w = metrics.horizontalAdvance(entry.text);
    painter.drawText(QRectF(swatch.right() + 4.0, legend_row.top(), text_w + 2.0, legend_row.height()),
                     Qt::AlignLeft | Qt::AlignVCenter, entry.text);
    x = swatch.right() + 4.0 + text_w + 12.0;
  }
  painter.restore();

  QFont bold = painter.font();
  bold.setBold(true);
  painter.save();
  painter.setFont(bold);
  const double title_w = std::max(0.0, row.width() - (two_lines ? 0.0 : legend_w + 8.0));
  if (two_lines && legend.empty()) {
    // No legend below: the title may take both lines.
    painter.drawText(row, Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, title);
    painter.restore();
    return;
  }
  painter.drawText(QRectF(row.left(), title_row.top(), title_w, title_row.height()),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetricsF(bold).elidedText(title, Qt::ElideRight, title_w));
  painter.restore();
}

double axis_top(double largest, double floor) {
  if (!std::isfinite(largest) || largest < floor) largest = floor;
  const double interval = round_interval(largest / 4.0);
  return std::ceil(largest / interval - 1e-9) * interval;
}

void paint_y_axis(QPainter& painter, const QRectF& plot, double y_max, bool as_percent) {
  if (plot.isEmpty() || !(y_max > 0.0)) return;
  const QFontMetricsF metrics(painter.font());
  const int max_ticks = std::max(1, static_cast<int>(plot.height() / (2.2 * metrics.height())));
  const std::vector<double> ticks = value_ticks(0.0, y_max, max_ticks);
  const double interval = ticks.size() > 1 ? ticks[1] - ticks[0] : y_max;
  painter.save();
  const QPen text_pen = painter.pen();
  for (double tick : ticks) {
    const double y = plot.bottom() - tick / y_max * plot.height();
    painter.setPen(QColor(0xe4, 0xe4, 0xe4));
    if (tick > 0.0) painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
    painter.setPen(text_pen);
    painter.drawLine(QPointF(plot.left() - 4.0, y), QPointF(plot.left(), y));
    painter.drawText(QRectF(0.0, y - metrics.height() / 2.0, plot.left() - 6.0, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, y_label(tick, interval, as_percent));
  }
  painter.drawLine(plot.bottomLeft(), plot.bottomRight());
  painter.drawLine(plot.bottomLeft(), plot.topLeft());
  painter.restore();
}

QRectF bar_rect(const QRectF& plot, int bins, int bin, int series_count, int series, double value,
                double y_max) {
  if (bins <= 0 || series_count <= 0 || !(y_max > 0.0) || !std::isfinite(value)) return {};
  const double group = plot.width() / bins;
  const double bar = group * 0.84 / series_count;
  const double height = std::clamp(value / y_max, 0.0, 1.0) * plot.height();
  return {plot.left() + bin * group + group * 0.08 + series * bar, plot.bottom() - height, bar,
          height};
}

void paint_bars(QPainter& painter, const QRectF& plot, const std::vector<BarSeries>& series,
                double y_max) {
  const int series_count = static_cast<int>(series.size());
  for (int s = 0; s < series_count; ++s) {
    const std::vector<float>& values = series[static_cast<size_t>(s)].values;
    const int bins = static_cast<int>(values.size());
    for (int bin = 0; bin < bins; ++bin) {
      const QRectF bar = bar_rect(plot, bins, bin, series_count, s, values[bin], y_max);
      if (bar.height() > 0.0) painter.fillRect(bar, series[static_cast<size_t>(s)].colour);
    }
  }
}

StepRange::StepRange(const QRectF& plot, double x_min, double x_max, double y_max)
    : plot_(plot),
      x_min_(x_min),
      x_max_(x_max),
      y_max_(y_max),
      lo_(static_cast<size_t>(std::max(0, static_cast<int>(plot.width()))),
          std::numeric_limits<double>::quiet_NaN()),
      hi_(lo_) {}

int StepRange::column(double step) const {
  const int columns = static_cast<int>(lo_.size());
  const double span = x_max_ > x_min_ ? x_max_ - x_min_ : 1.0;
  return std::clamp(static_cast<int>((step - x_min_) / span * columns), 0, columns - 1);
}

void StepRange::add(int column, double value) {
  if (lo_.empty() || !std::isfinite(value) || !(y_max_ > 0.0)) return;
  const auto c = static_cast<size_t>(column);
  const double y = std::clamp(value / y_max_, 0.0, 1.0);
  if (!(lo_[c] <= y)) lo_[c] = y;  // also while lo_[c] is NaN
  if (!(hi_[c] >= y)) hi_[c] = y;
}

void StepRange::paint(QPainter& painter, const QColor& colour) const {
  QList<QLineF> bars;
  for (size_t c = 0; c < lo_.size(); ++c) {
    if (std::isnan(lo_[c])) continue;
    const double x = plot_.left() + static_cast<double>(c) + 0.5;
    bars.append(QLineF(x, plot_.bottom() - lo_[c] * plot_.height() + 0.5, x,
                       plot_.bottom() - hi_[c] * plot_.height() - 0.5));
  }
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, false);
  QPen pen(colour, 1.0);
  pen.setCosmetic(true);
  painter.setPen(pen);
  painter.drawLines(bars);
  painter.restore();
}

double step_to_x(const QRectF& plot, double x_min, double x_max, double step) {
  const double span = x_max > x_min ? x_max - x_min : 1.0;
  return plot.left() + (step - x_min) / span * plot.width();
}

void paint_step_series(QPainter& painter, const QRectF& plot, double x_min, double x_max,
                       double y_max, const StepSeries& series, double pixels_per_unit) {
  if (plot.isEmpty() || !(y_max > 0.0)) return;
  painter.save();
  painter.setClipRect(plot.adjusted(-1.0, -1.0, 1.0, 1.0));
  painter.setRenderHint(QPainter::Antialiasing, series.antialiased);
  QPen pen(series.colour, series.width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
  pen.setCosmetic(true);
  painter.setPen(pen);
  painter.setBrush(series.colour);
  std::vector<QPointF> run;
  auto flush = [&] {
    if (run.size() == 1) {
      const QPolygonF dot = run_polygon(run, plot, x_min, x_max, y_max, pixels_per_unit);
      painter.drawEllipse(dot.front(), series.width + 1.0, series.width + 1.0);
    } else if (run.size() > 1) {
      painter.drawPolyline(run_polygon(run, plot, x_min, x_max, y_max, pixels_per_unit));
    }
    run.clear();
  };
  for (const QPointF& point : series.points) {
    if (std::isfinite(point.y()))
      run.push_back(point);
    else
      flush();
  }
  flush();
  painter.restore();
}

void paint_step_axis(QPainter& painter, const QRectF& plot, double x_min, double x_max,
                     const QString& title) {
  if (plot.isEmpty()) return;
  // paint_column_axis counts in columns (a tick at column c stands at c + 0.5): one column per
  // pixel puts a step at its exact x.
  const int columns = std::max(1, static_cast<int>(plot.width()));
  const QFontMetricsF metrics(painter.font());
  const QString widest =
      QString::number(static_cast<int64_t>(std::max(std::abs(x_min), std::abs(x_max))));
  // Steps are whole numbers: never more ticks than steps in the range.
  const int max_ticks =
      static_cast<int>(std::clamp(plot.width() / (metrics.horizontalAdvance(widest) + 24.0), 1.0,
                                  std::max(1.0, x_max - x_min)));
  std::vector<AxisTick> ticks;
  if (x_max > x_min) {
    for (double step : value_ticks(x_min, x_max, max_ticks)) {
      const double x = step_to_x(plot, x_min, x_max, step);
      ticks.push_back({(x - plot.left()) / plot.width() * columns - 0.5,
                       QString::number(static_cast<int64_t>(std::llround(step)))});
    }
  } else {
    ticks.push_back({-0.5, QString::number(static_cast<int64_t>(x_min))});
  }
  paint_column_axis(painter, plot, columns, title, ticks);
}

}  // namespace moescope
