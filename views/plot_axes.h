// The plot furniture the views share, so they read the same way: margins of a colour-mapped
// plot, row and column axes, the colour bar, tick spacing, and the marker lines for the
// user's interventions and the step cursor.
#pragma once

#include <QRgb>
#include <QString>
#include <cstdint>
#include <vector>

class QFont;
class QPainter;
class QRectF;

namespace moescope {

// The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `at_least`.
int64_t nice_step(double at_least);
// The same for fractions too: the smallest of ..., 0.1, 0.2, 0.5, 1, 2, 5, ... that is at
// least `at_least` (1 when it is not a positive number).
double round_interval(double at_least);

// Integer tick positions 0, s, 2s, ... below `count`, with s = nice_step(...) chosen so that
// neighbouring labels are at least `min_spacing_px` apart when each item is `px_per_item`
// wide.
std::vector<int> integer_ticks(int count, double px_per_item, double min_spacing_px);

// The part of `area` where cells are drawn: room is left for row numbers and a rotated axis
// title on the left, tick numbers and an axis title below, and the colour bar on the right.
// Empty when `area` is too small.
QRectF colour_mapped_plot(const QFont& font, const QRectF& area);
// Where the colour bar goes next to a plot from colour_mapped_plot().
QRectF colour_bar_beside(const QRectF& plot);

// Row axis on the left of `plot`: ticks and numbers at row centres (0 at the top), thinned so
// numbers do not overlap, and `title` rotated along the axis.
void paint_row_axis(QPainter& painter, const QRectF& plot, int rows, const QString& title);

// A labelled tick on a column axis; `column` is in columns, fractional between two columns
// (column c spans [c, c + 1), so its centre is c + 0.5).
struct AxisTick {
  double column = 0.0;
  QString label;
};

// Column axis below `plot` (which shows `columns` columns): the ticks, then `title` under them.
void paint_column_axis(QPainter& painter, const QRectF& plot, int columns, const QString& title,
                       const std::vector<AxisTick>& ticks);

// `text` centred at centre_x from `top` down, moved sideways to stay within [min_x, max_x]
// and elided only when it is wider than that.
void paint_centred_label(QPainter& painter, double centre_x, double top, const QString& text, double min_x,
                         double max_x);
// The paint device's width in `painter`'s coordinates; `fallback` without a device.
double painted_width(const QPainter& painter, double fallback);

// The colour maps a bar can show: viridis (shares, loads, similarities) or the diverging map.
enum class BarMap { Viridis, Diverging };
// A vertical bar of `map`, its high end at the top, outlined in the painter's pen, drawn as one
// scaled image so it is as smooth on screen as in a figure.
void paint_gradient_bar(QPainter& painter, const QRectF& bar, BarMap map);
// Labels to the right of a vertical bar, level with its top, its middle ("" for none) and its
// bottom.
void paint_bar_labels(QPainter& painter, const QRectF& bar, const QString& top, const QString& middle,
                      const QString& bottom);

// Vertical colour bar from 0 (bottom) to scale_max (top), labelled in percent at both ends,
// with a marker at the balanced share `ideal` when it fits. Labels go to the right of `bar`.
void paint_colour_bar(QPainter& painter, const QRectF& bar, float scale_max, float ideal);

// Vertical bar of the diverging map from -scale (bottom) through 0 to +scale (top), labelled
// in percentage points at both ends and at 0. Labels go to the right of `bar`.
void paint_diverging_bar(QPainter& painter, const QRectF& bar, float scale);

// A vertical line at a step on a time axis: the user's interventions (dashed, labelled) and the
// step a view shows (a solid cursor).
struct MarkerLine {
  double x = 0.0;  // widget coordinates
  QString label;
};
inline constexpr QRgb kMarkerColour = 0xffc0392b;
inline constexpr QRgb kCursorColour = 0xff202020;

// Dashed vertical lines over `plot` at each marker's x (those outside it are skipped), each
// label in a small box at the top of the plot. Labels that would overlap their left neighbour
// go one row lower.
void paint_markers(QPainter& painter, const QRectF& plot, const std::vector<MarkerLine>& markers);
// A solid vertical line over `plot` at x (nothing when x is outside the plot).
void paint_cursor(QPainter& painter, const QRectF& plot, double x);

// The multiples of round_interval((max - min) / max_ticks) in [min, max]. Empty when the range
// is empty or not finite.
std::vector<double> value_ticks(double min, double max, int max_ticks);

}  // namespace moescope
