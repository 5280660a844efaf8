// Painting for the gating view's panels: a title row, grouped histogram bars and lines over
// steps, each on a value axis. Plain numbers in, no state; the view decides what to show.
#pragma once

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>
#include <vector>


class QFont;
class QPainter;

namespace moescope {

// One panel: a title row on top (title left, legend right; in a narrow panel two lines, the
// title above its legend, so neither is cut off) and the plot, with room for the y labels on
// the left and the x labels and axis title below.
struct PanelFrame {
  QRectF title_row;
  QRectF plot;  // empty when the panel is too small to draw
  bool two_lines = false;
};
// Panels narrower than this many average characters put the legend under the title.
inline constexpr double kOneLineTitleChars = 58.0;
PanelFrame panel_frame(const QFont& font, const QRectF& area);

// One entry of a legend: a swatch of `colour` (a line when `line` is set) and its text.
struct LegendEntry {
  QColor colour;
  QString text;
  bool line = false;
};

void paint_panel_title(QPainter& painter, const QRectF& row, const QString& title,
                       const std::vector<LegendEntry>& legend);

// The top of a value axis for data up to `largest`: the first round tick at or above it, at
// least `floor`.
double axis_top(double largest, double floor);

// Horizontal grid lines and labels at round values from 0 to y_max on the left of `plot`, as
// percentages when `as_percent`.
void paint_y_axis(QPainter& painter, const QRectF& plot, double y_max, bool as_percent);

// Bars of `series_count` series side by side in each of `bins` groups spread over `plot`:
// where bar `series` of group `bin` stands for `value` on an axis from 0 to y_max.
QRectF bar_rect(const QRectF& plot, int bins, int bin, int series_count, int series, double value,
                double y_max);

struct BarSeries {
  std::vector<float> values;  // one per bin; non-finite values draw no bar
  QColor colour;
};
void paint_bars(QPainter& painter, const QRectF& plot, const std::vector<BarSeries>& series,
                double y_max);

// A line over steps: points (step, value) in step order; a non-finite value breaks the line.
struct StepSeries {
  std::vector<QPointF> points;
  QColor colour;
  double width = 1.0;
  // Aliased lines rasterise several times faster: for the many thin background lines.
  bool antialiased = true;
};
// x from x_min to x_max, y from 0 to y_max; each line is decimated to the plot's pixel
// columns first (plot width x pixels_per_unit: a figure's own resolution), so a history of
// 20000 snapshots costs what 2 x width points cost.
void paint_step_series(QPainter& painter, const QRectF& plot, double x_min, double x_max,
                       double y_max, const StepSeries& series, double pixels_per_unit = 1.0);
// The spread of many lines at once: in every pixel column a bar from the lowest to the highest
// of their points there. What dozens of overlapping thin lines show, for the cost of one.
class StepRange {
 public:
  StepRange(const QRectF& plot, double x_min, double x_max, double y_max);
  // The pixel column of a step, then a point of any of the lines there; non-finite values are
  // skipped. (Two calls: many lines share each step.)
  int column(double step) const;
  void add(int column, double value);
  void paint(QPainter& painter, const QColor& colour) const;

 private:
  QRectF plot_;
  double x_min_, x_max_, y_max_;
  std::vector<double> lo_, hi_;  // per pixel column, value / y_max; NaN where nothing fell
};
// Where `step` falls on a plot whose x axis runs from x_min to x_max.
double step_to_x(const QRectF& plot, double x_min, double x_max, double step);
// Round steps along the bottom of `plot`, with `title` under them.
void paint_step_axis(QPainter& painter, const QRectF& plot, double x_min, double x_max,
                     const QString& title);

}  // namespace moescope
