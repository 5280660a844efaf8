#include "load_timeline_widget.h"

#include <QComboBox>
#include <QFontMetricsF>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <limits>

#include "colormap.h"
#include "plot_axes.h"
#include "view_text.h"
#include "view_chrome.h"
#include "layer_box.h"
#include "run_store.h"

namespace moescope {

void LoadTimelineWidget::connect_store(RunStore* store) {
  // The store keeps the frames; a new one marks the image stale, a new model refills the
  // layer chooser at once (a focus on its layer may come before the next refresh).
  connect(store, &RunStore::routing_added, this, [this] {
    const int layers = history().empty() ? 0 : static_cast<int>(history().back().value.layers);
    if (layer_box()->count() != layers) set_layers(layers);
    mark_dirty();
  });
}

LoadTimelineWidget::LoadTimelineWidget(QWidget* parent)
    : PaintedView(parent, QSize{560, 300}, QSize{240, 160}), title_(new QLabel(tr("Expert load over time"), this)) {
  add_controls(title_, nullptr, tr("MoE layer whose expert load is shown"));
}

const SnapshotHistory<RoutingFrame>& LoadTimelineWidget::history() const {
  return routing_history(store());
}

void LoadTimelineWidget::clear() { mark_dirty(); }

void LoadTimelineWidget::refresh() {
  rebuild_image();
  update();
}

void LoadTimelineWidget::rebuild_image() {
  const auto& history = this->history();
  const int layers = history.empty() ? 0 : static_cast<int>(history.back().value.layers);
  // A new model: set_layers() refills the chooser and refreshes again.
  if (layer_box()->count() != layers) return set_layers(layers);
  mark_clean();
  const int shown_layer = layer();
  image_steps_.clear();
  image_frames_.clear();
  if (history.empty() || shown_layer >= layers) {
    image_ = QImage();
    image_layer_ = -1;
    return;
  }
  // One image column per frame, or per pixel of the plot when there are more frames than
  // pixels: then each column shows the frame nearest its pixel's centre (the picture at the
  // screen's resolution costs pixels x experts, not frames x experts).
  const int frames = history.size();
  const int width = std::max(1, static_cast<int>(std::floor(plot_rect().width())));
  const int columns = std::min(frames, width);
  for (int c = 0; c < columns; ++c) {
    const int i = columns == frames ? c : static_cast<int>((c + 0.5) * frames / columns);
    image_frames_.push_back(i);
    image_steps_.push_back(history[i].step);
  }
  int64_t rows = 0;  // the widest row kept: a layer pruned mid-run keeps its earlier experts
  float largest = 0.0f;  // over every frame kept, shown or not: the scale does not flicker
  for (int i = 0; i < frames; ++i) {
    const RoutingFrame& frame = history[i].value;
    rows = std::max(rows, frame.experts);
    largest = std::max(largest, frame.load_max[static_cast<size_t>(shown_layer)]);
  }
  const int experts = static_cast<int>(rows);
  const int64_t newest_experts = history.back().value.experts_at(shown_layer);
  ideal_share_ = 1.0f / static_cast<float>(std::max<int64_t>(1, newest_experts));
  scale_max_ = load_scale_max(largest, static_cast<int>(newest_experts));

  if (image_.width() != columns || image_.height() != experts)
    image_ = QImage(columns, experts, QImage::Format_RGB32);
  // Column by column: each frame is read in memory order, the image written with a stride.
  uchar* bits = image_.bits();
  const qsizetype stride = image_.bytesPerLine();
  for (int c = 0; c < columns; ++c) {
    const RoutingFrame& frame = history[image_frames_[static_cast<size_t>(c)]].value;
    const float* share = frame.load.data() + static_cast<size_t>(shown_layer * frame.experts);
    for (int e = 0; e < experts; ++e) {
      const bool present = e < frame.experts && std::isfinite(share[e]);
      reinterpret_cast<QRgb*>(bits + e * stride)[c] =
          present ? viridis(share[e] / scale_max_) : kMissingColour;
    }
  }
  image_layer_ = shown_layer;
}

QRectF LoadTimelineWidget::plot_rect() const {
  // Before the first layout the chooser has no geometry yet; its size hint stands in.
  return colour_mapped_plot(paint_font(), area().adjusted(0.0, 10.0, 0.0, 0.0));
}

LoadTimelineWidget::Cell LoadTimelineWidget::cell_at(QPointF widget_pos) const {
  const QRectF plot = plot_rect();
  if (image_.isNull() || plot.isEmpty() || !plot.contains(widget_pos)) return {};
  const int columns = image_.width();
  const int experts = image_.height();
  const auto column = static_cast<int>((widget_pos.x() - plot.left()) / plot.width() * columns);
  const auto expert = static_cast<int>((widget_pos.y() - plot.top()) / plot.height() * experts);
  return {std::clamp(column, 0, columns - 1), std::clamp(expert, 0, experts - 1)};
}

QString LoadTimelineWidget::tooltip_at(QPoint widget_pos) const {
  const Cell cell = cell_at(widget_pos);
  // Between a new snapshot and the next refresh the image lags the history: say nothing
  // rather than name the wrong step.
  if (cell.column < 0 || dirty() || cell.column >= static_cast<int>(image_frames_.size())) return {};
  const auto& entry = history()[image_frames_[static_cast<size_t>(cell.column)]];
  const RoutingFrame& frame = entry.value;
  const int64_t layer_experts = frame.experts_at(image_layer_);
  const float share = cell.expert < frame.experts
                          ? frame.load[static_cast<size_t>(image_layer_ * frame.experts + cell.expert)]
                          : std::numeric_limits<float>::quiet_NaN();
  const QString share_text = std::isfinite(share) ? percent(share) : tr("n/a");
  return tr("step %1, expert %2\nshare %3 (ideal %4)\nlayer %5")
      .arg(entry.step)
      .arg(cell.expert)
      .arg(share_text, percent(1.0 / static_cast<double>(std::max<int64_t>(1, layer_experts))))
      .arg(image_layer_);
}

void LoadTimelineWidget::paintEvent(QPaintEvent* event) {
  // An expose can come before the timer: the axes must describe the history as it is now.
  if (dirty()) rebuild_image();
  PaintedView::paintEvent(event);
}

void LoadTimelineWidget::resizeEvent(QResizeEvent* event) {
  mark_dirty();
  PaintedView::resizeEvent(event);
}

void LoadTimelineWidget::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  painter.setPen(paint_palette().color(QPalette::WindowText));
  const QRectF plot = plot_rect();
  if (plot.isEmpty()) return;
  if (image_.isNull()) {
    painter.drawRect(plot);
    painter.drawText(plot, Qt::AlignCenter, waiting_text(tr("waiting for routing data")));
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot, image_);
  paint_axes(painter, plot);
  paint_colour_bar(painter, colour_bar_beside(plot), scale_max_, ideal_share_);
  std::vector<MarkerLine> lines;
  for (const Marker& marker : marker_list()) lines.push_back({step_to_x(marker.step), marker.label});
  paint_markers(painter, plot, lines);
  if (cursor_step() >= 0) paint_cursor(painter, plot, step_to_x(cursor_step()));
}

std::vector<AxisTick> LoadTimelineWidget::step_ticks(const QRectF& plot) const {
  const int64_t first = image_steps_.front();
  const int64_t last = image_steps_.back();
  const double label_w = QFontMetricsF(paint_font()).horizontalAdvance(
                             QString::number(std::max(std::abs(first), std::abs(last)))) +
                         24.0;
  const double columns = static_cast<double>(image_steps_.size());
  // Ticks at round steps, placed between the columns around them. Steps that go backwards
  // (a history fed out of order) fall back to ticks at columns.
  if (last <= first || !std::is_sorted(image_steps_.begin(), image_steps_.end())) {
    std::vector<AxisTick> ticks;
    for (int column : integer_ticks(static_cast<int>(image_steps_.size()), plot.width() / columns, label_w))
      ticks.push_back({static_cast<double>(column), QString::number(image_steps_[column])});
    return ticks;
  }
  const int64_t every = nice_step(static_cast<double>(last - first) * label_w / plot.width());
  int64_t step = first / every * every;
  if (step < first) step += every;
  std::vector<AxisTick> ticks;
  for (; step <= last; step += every)
    ticks.push_back({column_of_step(step), QString::number(step)});
  return ticks;
}

double LoadTimelineWidget::column_of_step(int64_t step) const {
  if (image_steps_.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (!std::is_sorted(image_steps_.begin(), image_steps_.end())) {
    // A history fed out of order: the column of the nearest step.
    const auto nearest = std::min_element(
        image_steps_.begin(), image_steps_.end(),
        [step](int64_t a, int64_t b) { return std::abs(a - step) < std::abs(b - step); });
    return static_cast<double>(nearest - image_steps_.begin());
  }
  if (step < image_steps_.front() || step > image_steps_.back())
    return std::numeric_limits<double>::quiet_NaN();
  const auto next = std::lower_bound(image_steps_.begin(), image_steps_.end(), step) - image_steps_.begin();
  if (next == 0 || image_steps_[next] == step) return static_cast<double>(next);
  const double before = static_cast<double>(image_steps_[next - 1]);
  return next - 1 + (step - before) / (static_cast<double>(image_steps_[next]) - before);
}

double LoadTimelineWidget::step_to_x(int64_t step) const {
  const QRectF plot = plot_rect();
  const double column = column_of_step(step);
  if (plot.isEmpty() || !std::isfinite(column)) return std::numeric_limits<double>::quiet_NaN();
  return plot.left() + (column + 0.5) * plot.width() / static_cast<double>(image_steps_.size());
}

void LoadTimelineWidget::set_cursor_step(qint64 step) { show_step(step); }

void LoadTimelineWidget::paint_axes(QPainter& painter, const QRectF& plot) const {
  paint_column_axis(painter, plot, image_.width(), tr("step"), step_ticks(plot));
  paint_row_axis(painter, plot, image_.height(), tr("expert"));
}

}  // namespace moescope
