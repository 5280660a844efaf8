#include "heatmap_widget.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "colormap.h"

namespace moescope {
namespace {

constexpr double kBarWidth = 14.0;
constexpr double kBarGap = 14.0;
// Above this many layers or experts a snapshot is taken for corrupt rather than drawn.
constexpr int64_t kMaxSide = 1 << 16;

bool valid_shape(const RoutingSnapshot& snapshot) {
  if (snapshot.layers <= 0 || snapshot.experts <= 0) return false;
  if (snapshot.layers > kMaxSide || snapshot.experts > kMaxSide) return false;
  return snapshot.load.size() == static_cast<size_t>(snapshot.layers * snapshot.experts);
}

}  // namespace

HeatmapWidget::HeatmapWidget(QWidget* parent) : QWidget(parent), timer_(new QTimer(this)) {
  setMouseTracking(true);
  timer_->setInterval(kViewRefreshMs);
  // A hidden dock costs nothing: the work waits in dirty_ until showEvent.
  connect(timer_, &QTimer::timeout, this, [this] {
    if (dirty_ && isVisible()) refresh();
  });
  timer_->start();
}

void HeatmapWidget::set_snapshot(const RoutingSnapshot& snapshot) {
  if (!valid_shape(snapshot)) return;
  pending_ = snapshot;
  has_pending_ = true;
  dirty_ = true;
}

void HeatmapWidget::set_fixed_scale(float scale_max) {
  fixed_scale_ = std::isfinite(scale_max) && scale_max > 0.0f ? std::min(scale_max, 1.0f) : 0.0f;
  dirty_ = true;
}

void HeatmapWidget::refresh() {
  dirty_ = false;
  if (!has_pending_) {
    image_ = QImage();
    update();
    return;
  }
  shown_ = pending_;
  const int layers = static_cast<int>(shown_.layers);
  const int experts = static_cast<int>(shown_.experts);

  float largest = 0.0f;
  for (float share : shown_.load)
    if (std::isfinite(share)) largest = std::max(largest, share);
  scale_max_ = fixed_scale_ > 0.0f ? fixed_scale_ : load_scale_max(largest, experts);

  if (image_.width() != experts || image_.height() != layers)
    image_ = QImage(experts, layers, QImage::Format_RGB32);
  const float* share = shown_.load.data();
  for (int layer = 0; layer < layers; ++layer) {
    auto* row = reinterpret_cast<QRgb*>(image_.scanLine(layer));
    for (int expert = 0; expert < experts; ++expert, ++share)
      row[expert] = std::isfinite(*share) ? viridis(*share / scale_max_) : kMissingColour;
  }
  update();
}

QRectF HeatmapWidget::plot_rect() const {
  const QFontMetricsF metrics(font());
  const double left = metrics.height() + 8.0 + metrics.horizontalAdvance(QStringLiteral("000")) + 6.0;
  const double top = metrics.height() * 1.4 + 10.0;
  const double bottom = 6.0 + 2.0 * metrics.height() + 8.0;
  const double right = kBarGap + kBarWidth + colour_bar_label_width(font()) + 4.0;
  const QRectF plot(left, top, width() - left - right, height() - top - bottom);
  return plot.width() >= 1.0 && plot.height() >= 1.0 ? plot : QRectF();
}

HeatmapWidget::Cell HeatmapWidget::cell_at(QPointF widget_pos) const {
  const QRectF plot = plot_rect();
  if (image_.isNull() || plot.isEmpty() || !plot.contains(widget_pos)) return {};
  const int layers = static_cast<int>(shown_.layers);
  const int experts = static_cast<int>(shown_.experts);
  const auto expert = static_cast<int>((widget_pos.x() - plot.left()) / plot.width() * experts);
  const auto layer = static_cast<int>((widget_pos.y() - plot.top()) / plot.height() * layers);
  return {std::clamp(layer, 0, layers - 1), std::clamp(expert, 0, experts - 1)};
}

QString HeatmapWidget::tooltip_at(QPoint widget_pos) const {
  const Cell cell = cell_at(widget_pos);
  if (cell.layer < 0) return {};
  const float share = shown_.load_at(cell.layer, cell.expert);
  const QString share_text = std::isfinite(share) ? percent(share) : tr("n/a");
  return tr("layer %1, expert %2\nshare %3 (ideal %4)\nstep %5")
      .arg(cell.layer)
      .arg(cell.expert)
      .arg(share_text, percent(1.0 / static_cast<double>(shown_.experts)))
      .arg(shown_.step);
}

void HeatmapWidget::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());
  painter.setPen(palette().color(QPalette::WindowText));

  QFont title_font = font();
  title_font.setBold(true);
  painter.setFont(title_font);
  const QString title = image_.isNull() ? tr("Expert load: waiting for routing data")
                                        : tr("Expert load at step %1").arg(shown_.step);
  painter.drawText(QRectF(0, 4, width(), QFontMetricsF(title_font).height() * 1.4),
                   Qt::AlignHCenter | Qt::AlignVCenter, title);
  painter.setFont(font());

  const QRectF plot = plot_rect();
  if (plot.isEmpty()) return;
  if (image_.isNull()) {
    painter.drawRect(plot);
    return;
  }
  // Nearest-neighbour scaling: every cell stays one flat colour with a sharp edge.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot, image_);
  paint_axes(painter, plot);
  const QRectF bar(plot.right() + kBarGap, plot.top(), kBarWidth, plot.height());
  paint_colour_bar(painter, bar, scale_max_, 1.0f / static_cast<float>(shown_.experts));
}

void HeatmapWidget::paint_axes(QPainter& painter, const QRectF& plot) const {
  const QFontMetricsF metrics(painter.font());
  const int layers = image_.height();
  const int experts = image_.width();
  const double cell_w = plot.width() / experts;
  const double cell_h = plot.height() / layers;

  const double min_x_spacing = metrics.horizontalAdvance(QString::number(experts - 1)) + 8.0;
  for (int expert : integer_ticks(experts, cell_w, min_x_spacing)) {
    const double x = plot.left() + (expert + 0.5) * cell_w;
    painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4.0));
    painter.drawText(QRectF(x - 40.0, plot.bottom() + 5.0, 80.0, metrics.height()),
                     Qt::AlignHCenter | Qt::AlignTop, QString::number(expert));
  }
  painter.drawText(QRectF(plot.left(), plot.bottom() + 5.0 + metrics.height(), plot.width(),
                          metrics.height() + 4.0),
                   Qt::AlignHCenter | Qt::AlignTop, tr("expert"));

  for (int layer : integer_ticks(layers, cell_h, metrics.height() + 2.0)) {
    const double y = plot.top() + (layer + 0.5) * cell_h;
    painter.drawLine(QPointF(plot.left() - 4.0, y), QPointF(plot.left(), y));
    painter.drawText(QRectF(0.0, y - metrics.height() / 2.0, plot.left() - 6.0, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, QString::number(layer));
  }
  painter.save();
  painter.translate(4.0, plot.center().y());
  painter.rotate(-90.0);
  painter.drawText(QRectF(-plot.height() / 2.0, 0.0, plot.height(), metrics.height() + 2.0),
                   Qt::AlignHCenter | Qt::AlignTop, tr("layer"));
  painter.restore();
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event) {
  const Cell cell = cell_at(event->position());
  if (cell.layer < 0) {
    QToolTip::hideText();
  } else {
    QToolTip::showText(event->globalPosition().toPoint(),
                       tooltip_at(event->position().toPoint()), this);
  }
  if (cell.layer != hovered_.layer || cell.expert != hovered_.expert) {
    hovered_ = cell;
    if (cell.layer >= 0) Q_EMIT cell_hovered(cell.layer, cell.expert);
  }
  QWidget::mouseMoveEvent(event);
}

void HeatmapWidget::leaveEvent(QEvent* event) {
  hovered_ = {};
  QToolTip::hideText();
  QWidget::leaveEvent(event);
}

void HeatmapWidget::showEvent(QShowEvent* event) {
  if (dirty_) refresh();
  QWidget::showEvent(event);
}

}  // namespace moescope
