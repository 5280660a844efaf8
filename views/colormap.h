// The colour maps the views share, so the same value and the same expert read the same
// colour everywhere: viridis for shares, a categorical palette for expert ids, and the text
// colour that reads on a given background, and a diverging map for differences.
#pragma once

#include <QColor>
#include <QRgb>

namespace moescope {

// Viridis (van der Walt and Smith, 2015; the matplotlib default, released CC0): perceptually
// uniform and readable in grey and by colour-blind readers. t in [0, 1] is clamped; NaN maps
// to 0. The result is opaque (alpha 0xff), as QImage::Format_RGB32 pixels read back.
QRgb viridis(float t);

// A diverging map for differences (ColorBrewer's RdBu, 11 classes, reversed; Brewer marks it
// colour-blind safe): t in [-1, 1] runs from dark blue (-1) through near-white (0) to dark red
// (+1); t is clamped and NaN maps to the white middle. Opaque.
QRgb diverging(float t);

// Colour for cells whose value is not finite (a share the engine could not compute).
inline constexpr QRgb kMissingColour = 0xff808080;

// Colour scale shared by the load views: 0 .. max(2/E, largest share). The floor of 2/E puts
// perfectly balanced routing (1/E) at the middle of the map instead of stretching noise
// around 1/E over the whole range; one expert taking everything stretches the scale to 1.
float load_scale_max(float largest_share, int experts);

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

}  // namespace moescope
