#include "figure.h"

#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <algorithm>
#include <cmath>

namespace moescope {

namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kInchesPerMeter = 1.0 / 0.0254;

// Painters on every format work in points: fonts are sized in pixels of that unit, so the
// metrics the views measure with (QFontMetricsF of the font alone) are the ones drawn.
void begin_figure(QPainter& painter, const FigureStyle& style) {
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setRenderHint(QPainter::TextAntialiasing);
  painter.setFont(style.font);
}

}  // namespace

std::optional<FigureFormat> figure_format(const QString& path) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  if (suffix == QLatin1String("png")) return FigureFormat::Png;
  if (suffix == QLatin1String("svg")) return FigureFormat::Svg;
  if (suffix == QLatin1String("pdf")) return FigureFormat::Pdf;
  return std::nullopt;
}

FigureStyle paper_style(const QFont& font, int dpi) {
  FigureStyle style;
  const QColor black(0x20, 0x20, 0x20), white(Qt::white);
  style.palette = QPalette(black, QColor(0xf0, 0xf0, 0xf0), white, QColor(0x60, 0x60, 0x60),
                           QColor(0xa0, 0xa0, 0xa0), black, white, white, white);
  style.palette.setColor(QPalette::AlternateBase, QColor(0xf4, 0xf4, 0xf4));
  style.palette.setColor(QPalette::ToolTipBase, white);
  style.palette.setColor(QPalette::ToolTipText, black);
  style.palette.setColor(QPalette::PlaceholderText, QColor(0x60, 0x60, 0x60));
  style.font = font;
  style.font.setPixelSize(static_cast<int>(kFigureTextPt));
  style.pixels_per_unit = std::max(1, dpi) / kPointsPerInch;
  return style;
}

QString export_figure(const Figure& figure, const QString& path, const FigureOptions& options) {
  const auto format = figure_format(path);
  if (!format) return QObject::tr("%1: a figure is written as .png, .svg or .pdf").arg(path);
  const QSizeF inches = options.size_in.isEmpty() ? figure.figure_size_in() : options.size_in;
  if (!(inches.width() >= 0.5 && inches.height() >= 0.5 && inches.width() <= 100.0 && inches.height() <= 100.0))
    return QObject::tr("%1: a figure of %2 x %3 in is outside 0.5 .. 100 in")
        .arg(path).arg(inches.width()).arg(inches.height());
  if (options.dpi < 30 || options.dpi > 2400)
    return QObject::tr("%1: %2 DPI is outside 30 .. 2400").arg(path).arg(options.dpi);
  const QRectF page(0.0, 0.0, inches.width() * kPointsPerInch, inches.height() * kPointsPerInch);
  const FigureStyle style = paper_style(QFont(), options.dpi);

  // Written beside the target and renamed over it when complete: a failed export leaves the
  // old file, or none.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
  bool painted = false;
  switch (*format) {
    case FigureFormat::Png: {
      const double scale = options.dpi / kPointsPerInch;
      QImage image(QSize(static_cast<int>(std::ceil(page.width() * scale)),
                         static_cast<int>(std::ceil(page.height() * scale))),
                   QImage::Format_ARGB32_Premultiplied);
      if (image.isNull()) return QObject::tr("%1: not enough memory for a figure of that size").arg(path);
      image.fill(Qt::white);
      {
        QPainter painter(&image);
        begin_figure(painter, style);
        painter.scale(scale, scale);
        figure.paint_figure(painter, page, style);
      }
      const int dots_per_meter = static_cast<int>(std::lround(options.dpi * kInchesPerMeter));
      image.setDotsPerMeterX(dots_per_meter);
      image.setDotsPerMeterY(dots_per_meter);
      painted = image.save(&file, "PNG");
      break;
    }
    case FigureFormat::Svg: {
      QSvgGenerator svg;
      svg.setOutputDevice(&file);
      svg.setResolution(static_cast<int>(kPointsPerInch));
      svg.setSize(page.size().toSize());
      svg.setViewBox(page);
      svg.setTitle(QFileInfo(path).completeBaseName());
      svg.setDescription(QObject::tr("MoE Scope figure"));
      QPainter painter;
      if (!painter.begin(&svg)) break;
      begin_figure(painter, style);
      painter.fillRect(page, Qt::white);
      figure.paint_figure(painter, page, style);
      painted = painter.end();
      break;
    }
    case FigureFormat::Pdf: {
      QPdfWriter pdf(&file);
      pdf.setResolution(static_cast<int>(kPointsPerInch));
      pdf.setPageSize(QPageSize(page.size(), QPageSize::Point, QString(), QPageSize::ExactMatch));
      pdf.setPageMargins(QMarginsF(0.0, 0.0, 0.0, 0.0));
      pdf.setCreator(QStringLiteral("MoE Scope"));
      pdf.setTitle(QFileInfo(path).completeBaseName());
      QPainter painter;
      if (!painter.begin(&pdf)) break;
      begin_figure(painter, style);
      painter.fillRect(page, Qt::white);
      figure.paint_figure(painter, page, style);
      painted = painter.end();
      break;
    }
  }
  if (!painted) {
    file.cancelWriting();
    return QObject::tr("cannot write %1: the figure could not be painted").arg(path);
  }
  if (!file.commit()) return QObject::tr("cannot write %1: %2").arg(path, file.errorString());
  return QString();
}

}  // namespace moescope
