#include "colormap.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPaintDevice>
#include <QPainter>
#include <QPen>
#include <QRectF>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace moescope {
namespace {

constexpr double kBarWidth = 14.0;
constexpr double kBarGap = 14.0;

// matplotlib's _viridis_data, rounded to 8 bits per channel (0xRRGGBB).
constexpr std::array<QRgb, 256> kViridis = {
    0x440154, 0x440256, 0x450457, 0x450559, 0x46075a, 0x46085c, 0x460a5d, 0x460b5e, 0x470d60,
    0x470e61, 0x471063, 0x471164, 0x471365, 0x481467, 0x481668, 0x481769, 0x48186a, 0x481a6c,
    0x481b6d, 0x481c6e, 0x481d6f, 0x481f70, 0x482071, 0x482173, 0x482374, 0x482475, 0x482576,
    0x482677, 0x482878, 0x482979, 0x472a7a, 0x472c7a, 0x472d7b, 0x472e7c, 0x472f7d, 0x46307e,
    0x46327e, 0x46337f, 0x463480, 0x453581, 0x453781, 0x453882, 0x443983, 0x443a83, 0x443b84,
    0x433d84, 0x433e85, 0x423f85, 0x424086, 0x424186, 0x414287, 0x414487, 0x404588, 0x404688,
    0x3f4788, 0x3f4889, 0x3e4989, 0x3e4a89, 0x3e4c8a, 0x3d4d8a, 0x3d4e8a, 0x3c4f8a, 0x3c508b,
    0x3b518b, 0x3b528b, 0x3a538b, 0x3a548c, 0x39558c, 0x39568c, 0x38588c, 0x38598c, 0x375a8c,
    0x375b8d, 0x365c8d, 0x365d8d, 0x355e8d, 0x355f8d, 0x34608d, 0x34618d, 0x33628d, 0x33638d,
    0x32648e, 0x32658e, 0x31668e, 0x31678e, 0x31688e, 0x30698e, 0x306a8e, 0x2f6b8e, 0x2f6c8e,
    0x2e6d8e, 0x2e6e8e, 0x2e6f8e, 0x2d708e, 0x2d718e, 0x2c718e, 0x2c728e, 0x2c738e, 0x2b748e,
    0x2b758e, 0x2a768e, 0x2a778e, 0x2a788e, 0x29798e, 0x297a8e, 0x297b8e, 0x287c8e, 0x287d8e,
    0x277e8e, 0x277f8e, 0x27808e, 0x26818e, 0x26828e, 0x26828e, 0x25838e, 0x25848e, 0x25858e,
    0x24868e, 0x24878e, 0x23888e, 0x23898e, 0x238a8d, 0x228b8d, 0x228c8d, 0x228d8d, 0x218e8d,
    0x218f8d, 0x21908d, 0x21918c, 0x20928c, 0x20928c, 0x20938c, 0x1f948c, 0x1f958b, 0x1f968b,
    0x1f978b, 0x1f988b, 0x1f998a, 0x1f9a8a, 0x1e9b8a, 0x1e9c89, 0x1e9d89, 0x1f9e89, 0x1f9f88,
    0x1fa088, 0x1fa188, 0x1fa187, 0x1fa287, 0x20a386, 0x20a486, 0x21a585, 0x21a685, 0x22a785,
    0x22a884, 0x23a983, 0x24aa83, 0x25ab82, 0x25ac82, 0x26ad81, 0x27ad81, 0x28ae80, 0x29af7f,
    0x2ab07f, 0x2cb17e, 0x2db27d, 0x2eb37c, 0x2fb47c, 0x31b57b, 0x32b67a, 0x34b679, 0x35b779,
    0x37b878, 0x38b977, 0x3aba76, 0x3bbb75, 0x3dbc74, 0x3fbc73, 0x40bd72, 0x42be71, 0x44bf70,
    0x46c06f, 0x48c16e, 0x4ac16d, 0x4cc26c, 0x4ec36b, 0x50c46a, 0x52c569, 0x54c568, 0x56c667,
    0x58c765, 0x5ac864, 0x5cc863, 0x5ec962, 0x60ca60, 0x63cb5f, 0x65cb5e, 0x67cc5c, 0x69cd5b,
    0x6ccd5a, 0x6ece58, 0x70cf57, 0x73d056, 0x75d054, 0x77d153, 0x7ad151, 0x7cd250, 0x7fd34e,
    0x81d34d, 0x84d44b, 0x86d549, 0x89d548, 0x8bd646, 0x8ed645, 0x90d743, 0x93d741, 0x95d840,
    0x98d83e, 0x9bd93c, 0x9dd93b, 0xa0da39, 0xa2da37, 0xa5db36, 0xa8db34, 0xaadc32, 0xaddc30,
    0xb0dd2f, 0xb2dd2d, 0xb5de2b, 0xb8de29, 0xbade28, 0xbddf26, 0xc0df25, 0xc2df23, 0xc5e021,
    0xc8e020, 0xcae11f, 0xcde11d, 0xd0e11c, 0xd2e21b, 0xd5e21a, 0xd8e219, 0xdae319, 0xdde318,
    0xdfe318, 0xe2e418, 0xe5e419, 0xe7e419, 0xeae51a, 0xece51b, 0xefe51c, 0xf1e51d, 0xf4e61e,
    0xf6e620, 0xf8e621, 0xfbe723, 0xfde725,
};

// Tableau's tab10 without its grey (grey means "dropped" here), their tab20 light partners,
// and two dark tab20b hues to make 20.
constexpr std::array<QRgb, kCategoricalHues> kCategorical = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
    0xbcbd22, 0x17becf, 0x393b79, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
    0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xdbdb8d, 0x9edae5, 0x637939,
};

}  // namespace

QRgb viridis(float t) {
  if (!(t > 0.0f)) return 0xff000000u | kViridis.front();  // also NaN
  if (t >= 1.0f) return 0xff000000u | kViridis.back();
  return 0xff000000u | kViridis[static_cast<size_t>(t * 255.0f + 0.5f)];
}

float load_scale_max(float largest_share, int experts) {
  const float floor = experts > 0 ? 2.0f / static_cast<float>(experts) : 1.0f;
  if (!std::isfinite(largest_share)) return floor;
  return std::min(1.0f, std::max(floor, largest_share));
}

bool drawable(const RoutingSnapshot& snapshot) {
  // Above this many layers or experts a snapshot is taken for corrupt rather than drawn.
  constexpr int64_t kMaxSide = int64_t{1} << 16;
  if (snapshot.layers <= 0 || snapshot.experts <= 0) return false;
  if (snapshot.layers > kMaxSide || snapshot.experts > kMaxSide) return false;
  return snapshot.load.size() == static_cast<size_t>(snapshot.layers * snapshot.experts);
}

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
  const double device_w = painter.device() ? painter.device()->width() : plot.right();
  for (const AxisTick& tick : ticks) {
    const double x = plot.left() + (tick.column + 0.5) * column_w;
    painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4.0));
    // A long label under the first or last column would be cut off at the widget's edge.
    const double half = metrics.horizontalAdvance(tick.label) / 2.0 + 2.0;
    const double centre = std::max(half, std::min(x, device_w - half));
    painter.drawText(QRectF(centre - 2.0 * half, plot.bottom() + 5.0, 4.0 * half, metrics.height()),
                     Qt::AlignHCenter | Qt::AlignTop, tick.label);
  }
  painter.drawText(QRectF(plot.left(), plot.bottom() + 5.0 + metrics.height(), plot.width(),
                          metrics.height() + 4.0),
                   Qt::AlignHCenter | Qt::AlignTop, title);
}

void paint_colour_bar(QPainter& painter, const QRectF& bar, float scale_max, float ideal) {
  if (bar.height() < 2.0 || bar.width() < 1.0) return;
  // One column, top = scale_max; drawn scaled so the bar is as smooth as the table.
  static const QImage gradient = [] {
    QImage image(1, 256, QImage::Format_RGB32);
    for (int i = 0; i < 256; ++i) image.setPixel(0, i, viridis(1.0f - i / 255.0f));
    return image;
  }();
  painter.save();
  painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
  painter.drawImage(bar, gradient);
  painter.setBrush(Qt::NoBrush);
  painter.drawRect(bar);

  const QFontMetricsF metrics(painter.font());
  const double x = bar.right() + 4.0;
  const double half = metrics.ascent() / 2.0 - 1.0;
  painter.drawText(QPointF(x, bar.top() + half + 1.0), percent(scale_max));
  painter.drawText(QPointF(x, bar.bottom() + half), percent(0.0));

  if (ideal > 0.0f && ideal < scale_max) {
    const double y = bar.bottom() - bar.height() * (ideal / scale_max);
    painter.drawLine(QPointF(bar.left() - 3.0, y), QPointF(bar.right() + 2.0, y));
    // Only label the balanced share where it does not collide with the end labels.
    if (y - bar.top() > metrics.height() * 1.2 && bar.bottom() - y > metrics.height() * 1.2)
      painter.drawText(QPointF(x, y + half), percent(ideal));
  }
  painter.restore();
}

QString percent(double share) { return QStringLiteral("%1%").arg(share * 100.0, 0, 'f', 1); }

QRgb categorical(int index) {
  if (index < 0) return kDroppedColour;
  const QColor base = QColor::fromRgb(kCategorical[static_cast<size_t>(index % kCategoricalHues)]);
  float hue = 0.0f, saturation = 0.0f, lightness = 0.0f;
  base.getHslF(&hue, &saturation, &lightness);
  switch (index / kCategoricalHues % 4) {
    case 1:
      lightness *= 0.62f;
      break;
    case 2:
      lightness += (1.0f - lightness) * 0.5f;
      break;
    case 3:
      lightness *= 0.4f;
      break;
    default:
      return base.rgb();
  }
  return QColor::fromHslF(hue, saturation, lightness).rgb();
}

QColor text_colour_on(QColor background) {
  // Relative luminance (ITU-R BT.709 weights) of the sRGB colour, linearised.
  auto linear = [](float c) {
    return c <= 0.04045f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
  };
  const float luminance = 0.2126f * linear(background.redF()) +
                          0.7152f * linear(background.greenF()) +
                          0.0722f * linear(background.blueF());
  // Black and white give the same contrast ratio at a luminance of about 0.18.
  return luminance > 0.18f ? QColor(Qt::black) : QColor(Qt::white);
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
