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
  if (!drawable(snapshot)) return;
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
  const double title_h = QFontMetricsF(font()).height() * 1.4 + 10.0;
  return colour_mapped_plot(font(), QRectF(rect()).adjusted(0.0, title_h, 0.0, 0.0));
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
  paint_colour_bar(painter, colour_bar_beside(plot), scale_max_,
                   1.0f / static_cast<float>(shown_.experts));
}

void HeatmapWidget::paint_axes(QPainter& painter, const QRectF& plot) const {
  const int experts = image_.width();
  const double label_w =
      QFontMetricsF(painter.font()).horizontalAdvance(QString::number(experts - 1));
  std::vector<AxisTick> ticks;
  for (int expert : integer_ticks(experts, plot.width() / experts, label_w + 8.0))
    ticks.push_back({static_cast<double>(expert), QString::number(expert)});
  paint_column_axis(painter, plot, experts, tr("expert"), ticks);
  paint_row_axis(painter, plot, image_.height(), tr("layer"));
}

void HeatmapWidget::mouseMoveEvent(QMouseEvent* event) {
  const Cell cell = cell_at(event->position());
  if (cell.layer < 0) {
    QToolTip::hideText();
  } else {
    QToolTip::showText(event->globalPosition().toPoint(), tooltip_at(event->position().toPoint()),
                       this);
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
