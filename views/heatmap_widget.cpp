#include "heatmap_widget.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "colormap.h"
#include "plot_axes.h"
#include "focus_state.h"
#include "run_store.h"
#include "view_text.h"

namespace moescope {

void HeatmapWidget::connect_store(RunStore* store) {
  // The store keeps the frames; a new one only marks the image stale.
  connect(store, &RunStore::routing_added, this, [this] { mark_dirty(); });
}

void HeatmapWidget::attach(RunStore* store, FocusState* focus) {
  PaintedView::attach(store, focus);
  // The focused layer's row is outlined (an alert's layer); Esc clears it.
  connect(focus, &FocusState::layer_changed, this, &HeatmapWidget::set_highlight_layer);
}

HeatmapWidget::HeatmapWidget(QWidget* parent) : PaintedView(parent, QSize{520, 360}, QSize{200, 140}) {}

int HeatmapWidget::snapshots() const { return routing_history(store()).size(); }

std::vector<int64_t> HeatmapWidget::steps() const {
  return routing_history(store()).steps();
}

void HeatmapWidget::set_highlight_layer(int layer) {
  highlight_layer_ = layer < 0 ? -1 : layer;
  update();
}

void HeatmapWidget::clear() { mark_dirty(); }

void HeatmapWidget::set_run_name(const QString& name) {
  run_name_ = name;
  update();
}

void HeatmapWidget::set_fixed_scale(float scale_max) {
  fixed_scale_ = std::isfinite(scale_max) && scale_max > 0.0f ? std::min(scale_max, 1.0f) : 0.0f;
  mark_dirty();
}

const RoutingFrame* HeatmapWidget::chosen(int64_t* step) const {
  const auto& history = routing_history(store());
  if (history.empty()) return nullptr;
  const auto& entry = following_live() ? history.back() : history[history.nearest(requested_step())];
  *step = entry.step;
  return &entry.value;
}

int64_t HeatmapWidget::newest_step() const {
  const auto& history = routing_history(store());
  return history.empty() ? -1 : history.back().step;
}

void HeatmapWidget::refresh() {
  mark_clean();
  int64_t step = -1;
  const RoutingFrame* frame = chosen(&step);
  has_shown_ = frame != nullptr;
  if (!has_shown_) {
    image_ = QImage();
    update();
    return;
  }
  shown_ = {step, *frame};
  shown_experts_ = shown_.frame.experts;
  shown_layers_ = static_cast<int64_t>(shown_.frame.load.size()) / std::max<int64_t>(1, shown_experts_);
  const int layers = static_cast<int>(shown_layers_);
  const int experts = static_cast<int>(shown_experts_);

  float largest = 0.0f;
  for (float share : shown_.frame.load)
    if (std::isfinite(share)) largest = std::max(largest, share);
  scale_max_ = fixed_scale_ > 0.0f ? fixed_scale_ : load_scale_max(largest, experts);

  if (image_.width() != experts || image_.height() != layers)
    image_ = QImage(experts, layers, QImage::Format_RGB32);
  const float* share = shown_.frame.load.data();
  for (int layer = 0; layer < layers; ++layer) {
    auto* row = reinterpret_cast<QRgb*>(image_.scanLine(layer));
    for (int expert = 0; expert < experts; ++expert, ++share)
      row[expert] = std::isfinite(*share) ? viridis(*share / scale_max_) : kMissingColour;
  }
  update();
}

QRectF HeatmapWidget::plot_rect() const {
  const double title_h = QFontMetricsF(paint_font()).height() * 1.4 + 10.0;
  return colour_mapped_plot(paint_font(), area().adjusted(0.0, title_h, 0.0, 0.0));
}

HeatmapWidget::Cell HeatmapWidget::cell_at(QPointF widget_pos) const {
  const QRectF plot = plot_rect();
  if (image_.isNull() || plot.isEmpty() || !plot.contains(widget_pos)) return {};
  const int layers = static_cast<int>(shown_layers_);
  const int experts = static_cast<int>(shown_experts_);
  const auto expert = static_cast<int>((widget_pos.x() - plot.left()) / plot.width() * experts);
  const auto layer = static_cast<int>((widget_pos.y() - plot.top()) / plot.height() * layers);
  return {std::clamp(layer, 0, layers - 1), std::clamp(expert, 0, experts - 1)};
}

QString HeatmapWidget::tooltip_at(QPoint widget_pos) const {
  const Cell cell = cell_at(widget_pos);
  if (cell.layer < 0) return {};
  const size_t row = static_cast<size_t>(cell.layer * shown_experts_);
  const float share = shown_.frame.load[row + static_cast<size_t>(cell.expert)];
  const QString share_text = std::isfinite(share) ? percent(share) : tr("n/a");
  const auto& counts = shown_.frame.layer_experts;
  const int64_t layer_experts = static_cast<size_t>(cell.layer) < counts.size()
                                    ? counts[static_cast<size_t>(cell.layer)]
                                    : shown_experts_;
  const QString utilisation =
      std::isfinite(share) ? QString::number(share * static_cast<double>(layer_experts), 'f', 2)
                           : tr("n/a");
  QString text =
      tr("layer %1, expert %2\nshare %3 (ideal %4)\nutilisation %5")
          .arg(cell.layer)
          .arg(cell.expert)
          .arg(share_text, percent(1.0 / static_cast<double>(std::max<int64_t>(1, layer_experts))), utilisation);
  const std::vector<float>& bias = shown_.frame.bias;
  if (!bias.empty() && std::any_of(bias.begin() + static_cast<std::ptrdiff_t>(row),
                                   bias.begin() + static_cast<std::ptrdiff_t>(row + shown_experts_),
                                   [](float b) { return b != 0.0f; }))
    text += tr("\nbias %1")
                .arg(static_cast<double>(bias[row + static_cast<size_t>(cell.expert)]), 0, 'g', 3);
  return text + tr("\nstep %1").arg(shown_.step);
}

void HeatmapWidget::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  painter.setPen(paint_palette().color(QPalette::WindowText));

  QFont title_font = paint_font();
  title_font.setBold(true);
  painter.setFont(title_font);
  QString title = waiting_text(tr("Expert load: waiting for routing data"));
  if (!image_.isNull())
    title = tr("Expert load, %1")
                .arg(step_caption(store(), shown_.step, std::max(shown_.step, newest_step()),
                                  following_live()));
  if (!run_name_.isEmpty()) title = tr("%1: %2").arg(run_name_, title);
  painter.drawText(QRectF(target.left(), target.top() + 4.0, target.width(), QFontMetricsF(title_font).height() * 1.4),
                   Qt::AlignHCenter | Qt::AlignVCenter, title);
  painter.setFont(paint_font());

  const QRectF plot = plot_rect();
  if (plot.isEmpty()) return;
  if (image_.isNull()) {
    painter.drawRect(plot);
    return;
  }
  // Nearest-neighbour scaling: every cell stays one flat colour with a sharp edge.
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot, image_);
  paint_highlight(painter, plot);
  paint_axes(painter, plot);
  paint_colour_bar(painter, colour_bar_beside(plot), scale_max_,
                   1.0f / static_cast<float>(shown_experts_));
}

void HeatmapWidget::paint_highlight(QPainter& painter, const QRectF& plot) const {
  if (highlight_layer_ < 0 || highlight_layer_ >= image_.height()) return;
  const double row_h = plot.height() / image_.height();
  const QRectF row(plot.left(), plot.top() + highlight_layer_ * row_h, plot.width(), row_h);
  // White inside black: visible on the dark and on the bright end of viridis.
  painter.save();
  painter.setBrush(Qt::NoBrush);
  painter.setPen(QPen(Qt::black, 3.0));
  painter.drawRect(row.adjusted(-1.5, -1.5, 1.5, 1.5));
  painter.setPen(QPen(Qt::white, 1.5));
  painter.drawRect(row.adjusted(0.25, 0.25, -0.25, -0.25));
  painter.restore();
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

}  // namespace moescope
