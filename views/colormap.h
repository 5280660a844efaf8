// The colour map and the small painting helpers that the colour-mapped views (the expert-load
// heatmap and the load timeline) share, so both read the same way: same colours, same colour
// bar, same tick spacing.
#pragma once

#include <QRgb>
#include <QString>

#include <vector>

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

// Integer tick positions 0, s, 2s, ... below `count`, with the step s from 1, 2, 5, 10, 20...
// chosen so that neighbouring labels are at least `min_spacing_px` apart when each item is
// `px_per_item` wide.
std::vector<int> integer_ticks(int count, double px_per_item, double min_spacing_px);

// Vertical colour bar from 0 (bottom) to scale_max (top), labelled in percent at both ends,
// with a marker at the balanced share `ideal` when it fits. Labels go to the right of `bar`;
// colour_bar_label_width() says how much room they need.
void paint_colour_bar(QPainter& painter, const QRectF& bar, float scale_max, float ideal);
int colour_bar_label_width(const QFont& font);

// "12.3%" for a share of 0.123.
QString percent(double share);

}  // namespace moescope
