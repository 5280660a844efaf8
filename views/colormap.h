// The colour maps and the plot furniture that the views share, so they read the same way: same
// colours for the same expert, same colour bar, same margins and tick spacing, same marker
// lines for the user's interventions.
#pragma once

#include <QColor>
#include <QRgb>
#include <QString>
#include <cstdint>
#include <vector>

#include "base/events.h"

class QFont;
class QPainter;
class QRectF;

namespace moescope {

// Views repaint from a timer at this interval (about 30 Hz), never per event: events can
// arrive far faster than a screen can show them.
inline constexpr int kViewRefreshMs = 33;

// Viridis (van der Walt and Smith, 2015; the matplotlib default, released CC0): perceptually
// uniform and readable in grey and by colour-blind readers. t in [0, 1] is clamped; NaN maps
// to 0. The result is opaque (alpha 0xff), as QImage::Format_RGB32 pixels read back.
QRgb viridis(float t);

// Colour for cells whose value is not finite (a share the engine could not compute).
inline constexpr QRgb kMissingColour = 0xff808080;

// Colour scale shared by the load views: 0 .. max(2/E, largest share). The floor of 2/E puts
// perfectly balanced routing (1/E) at the middle of the map instead of stretching noise
// around 1/E over the whole range; one expert taking everything stretches the scale to 1.
float load_scale_max(float largest_share, int experts);

// Whether a snapshot can be drawn: positive sizes and layers x experts load values. Others are
// ignored by the load views (a truncated replay or a bug upstream must not crash the GUI).
bool drawable(const RoutingSnapshot& snapshot);

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

// Vertical colour bar from 0 (bottom) to scale_max (top), labelled in percent at both ends,
// with a marker at the balanced share `ideal` when it fits. Labels go to the right of `bar`.
void paint_colour_bar(QPainter& painter, const QRectF& bar, float scale_max, float ideal);

// "12.3%" for a share of 0.123.
QString percent(double share);

// Colour of expert `index` wherever experts are told apart by colour (trajectories, tokens): a
// fixed palette of 20 distinct hues (Tableau's, matplotlib's tab10 and tab20 light), repeated
// darker, then lighter, then darker still for experts 20..79, so 64 experts stay
// distinguishable and expert 3 has the same colour in every view. Negative indices get
// kDroppedColour.
QRgb categorical(int index);
inline constexpr int kCategoricalHues = 20;
// Tokens that no expert took (dropped at capacity, or not chosen by any expert).
inline constexpr QRgb kDroppedColour = 0xffb0b0b0;

// Black or white, whichever reads better on `background` (by its relative luminance).
QColor text_colour_on(QColor background);

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
