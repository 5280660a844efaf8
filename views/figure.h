// Publication figures of the views: each view paints a figure through the same code that
// paints the screen (PaintedView::paint), on white paper with the figure's fonts, into a PNG
// at a chosen resolution, or an SVG or PDF with vector text and shapes. Figures are laid
// out in points (1/72 in): a 3.3 in column is 237.6 units wide whatever the format, text is
// 8 pt and titles 9 pt, so a figure reads the same at any DPI.
#pragma once

#include <QFont>
#include <QPalette>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <optional>

class QPainter;

namespace moescope {

enum class FigureFormat { Png, Svg, Pdf };
// The format `path`'s suffix names (.png, .svg, .pdf, any case), or nullopt.
std::optional<FigureFormat> figure_format(const QString& path);

// One column of a two-column paper, and the width of both columns.
inline constexpr double kColumnInches = 3.3;
inline constexpr double kPageInches = 6.9;
inline constexpr double kFigureTextPt = 8.0;  // tick labels, legends, axis titles
inline constexpr double kFigureTitlePt = 9.0;

struct FigureOptions {
  QSizeF size_in;      // empty: the figure's own default size
  int dpi = 300;       // PNG pixels per inch; vector curves are decimated to it too
};

// How a figure is painted: the paper's palette (white window and base, black text), the
// figure's font in points, and the device pixels per point, which curves are decimated to.
struct FigureStyle {
  QPalette palette;
  QFont font;
  double pixels_per_unit = 1.0;
};
// White paper, black text, grey mid tones; `font` at kFigureTextPt.
FigureStyle paper_style(const QFont& font, int dpi);

// Anything that can be a figure: the painted views and the loss chart.
class Figure {
 public:
  virtual ~Figure() = default;
  // Paints the figure into `target` (in points) with `style`.
  virtual void paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const = 0;
  // The size a figure has unless the user asks for another, in inches.
  virtual QSizeF figure_size_in() const { return {kColumnInches, 2.5}; }
  // The figure's short name: the file name File > Export figure proposes, and the name of
  // the view in `moescope-cli plot --view` ("heatmap").
  virtual QString figure_name() const = 0;
};

// Writes `figure` to `path` in the format of its suffix, at options.size_in (or the
// figure's own size) and options.dpi. Returns an empty string on success, else the error
// ("cannot write figs/a.png: Permission denied"); a failed export leaves no file behind.
QString export_figure(const Figure& figure, const QString& path, const FigureOptions& options = {});

}  // namespace moescope
