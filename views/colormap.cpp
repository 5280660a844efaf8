#include "colormap.h"

#include <QFontMetricsF>
#include <QImage>
#include <QPaintDevice>
#include <QPainter>
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

}  // namespace moescope
