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
  connect(store, &RunStore::routing_added, this, &LoadTimelineWidget::add_snapshot);
}
namespace {

// Floats of history kept at most (64 MiB): 64 layers x 64 experts still get 4096 snapshots,
// small models the full kMaxSnapshots.
constexpr int64_t kFloatBudget = int64_t{1} << 24;
constexpr int kMinCapacity = 256;

}  // namespace

LoadTimelineWidget::LoadTimelineWidget(QWidget* parent)
    : PaintedView(parent, QSize{560, 300}, QSize{240, 160}), title_(new QLabel(tr("Expert load over time"), this)) {
  add_controls(title_, nullptr, tr("MoE layer whose expert load is shown"));
}

int LoadTimelineWidget::capacity() const {
  const int64_t floats_per_snapshot = layers_ * experts_;
  if (floats_per_snapshot <= 0) return max_snapshots_;
  const int64_t by_memory = std::max<int64_t>(kMinCapacity, kFloatBudget / floats_per_snapshot);
  return static_cast<int>(std::min<int64_t>(max_snapshots_, by_memory));
}

void LoadTimelineWidget::set_max_snapshots(int max_snapshots) {
  max_snapshots_ = std::clamp(max_snapshots, 2, kMaxSnapshots);
  while (snapshots() > capacity()) thin_history();
  mark_dirty();
}

void LoadTimelineWidget::add_snapshot(const RoutingSnapshot& snapshot) {
  if (!drawable(snapshot)) return;
  if (snapshot.layers != layers_) {  // another model
    clear();
    layers_ = snapshot.layers;
    experts_ = snapshot.experts;
    if (layer_box()->count() != layers_) set_layers(static_cast<int>(layers_));
  } else if (snapshot.experts > experts_) {
    widen(snapshot.experts);
  }
  const bool keep = arrivals_ % stride_ == 0;
  ++arrivals_;
  if (!keep) return;
  steps_.push_back(snapshot.step);
  // Rows are kept experts_ wide: a snapshot of fewer experts (pruned or merged mid-run) is
  // padded with NaN, drawn as missing, and the history before it stays.
  constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
  for (int64_t l = 0; l < layers_; ++l) {
    const auto row = snapshot.load.begin() + static_cast<std::ptrdiff_t>(l * snapshot.experts);
    loads_.insert(loads_.end(), row, row + static_cast<std::ptrdiff_t>(snapshot.experts));
    loads_.insert(loads_.end(), static_cast<size_t>(experts_ - snapshot.experts), kNaN);
  }
  if (snapshots() > capacity()) thin_history();
  mark_dirty();
}

void LoadTimelineWidget::widen(int64_t experts) {
  std::vector<float> wider(static_cast<size_t>(snapshots() * layers_ * experts),
                           std::numeric_limits<float>::quiet_NaN());
  for (size_t row = 0; row < static_cast<size_t>(snapshots() * layers_); ++row)
    std::copy_n(loads_.begin() + static_cast<std::ptrdiff_t>(row * experts_), experts_,
                wider.begin() + static_cast<std::ptrdiff_t>(row * experts));
  loads_ = std::move(wider);
  experts_ = experts;
  while (snapshots() > capacity()) thin_history();
}

void LoadTimelineWidget::thin_history() {
  // Kept columns are arrivals 0, s, 2s, ...; keeping the even ones leaves 0, 2s, 4s, ...
  const size_t block = static_cast<size_t>(layers_ * experts_);
  const size_t kept = (steps_.size() + 1) / 2;
  for (size_t i = 1; i < kept; ++i) {
    steps_[i] = steps_[2 * i];
    std::copy_n(loads_.begin() + static_cast<std::ptrdiff_t>(2 * i * block), block,
                loads_.begin() + static_cast<std::ptrdiff_t>(i * block));
  }
  steps_.resize(kept);
  loads_.resize(kept * block);
  stride_ *= 2;
}

void LoadTimelineWidget::clear() {
  layers_ = experts_ = 0;
  steps_.clear();
  loads_.clear();
  loads_.shrink_to_fit();
  arrivals_ = 0;
  stride_ = 1;
  mark_dirty();
}

void LoadTimelineWidget::refresh() {
  rebuild_image();
  update();
}

void LoadTimelineWidget::rebuild_image() {
  mark_clean();
  const int shown_layer = layer();
  if (steps_.empty() || shown_layer >= layers_) {
    image_ = QImage();
    image_layer_ = -1;
    return;
  }
  const int columns = snapshots();
  const int experts = static_cast<int>(experts_);
  const size_t block = static_cast<size_t>(layers_ * experts_);
  const size_t offset = static_cast<size_t>(shown_layer) * static_cast<size_t>(experts);

  float largest = 0.0f;
  for (int c = 0; c < columns; ++c) {
    const float* share = loads_.data() + c * block + offset;
    for (int e = 0; e < experts; ++e)
      if (std::isfinite(share[e])) largest = std::max(largest, share[e]);
  }
  scale_max_ = load_scale_max(largest, experts);

  if (image_.width() != columns || image_.height() != experts)
    image_ = QImage(columns, experts, QImage::Format_RGB32);
  // Column by column: the history is read in memory order, the image written with a stride.
  uchar* bits = image_.bits();
  const qsizetype stride = image_.bytesPerLine();
  for (int c = 0; c < columns; ++c) {
    const float* share = loads_.data() + c * block + offset;
    for (int e = 0; e < experts; ++e) {
      reinterpret_cast<QRgb*>(bits + e * stride)[c] =
          std::isfinite(share[e]) ? viridis(share[e] / scale_max_) : kMissingColour;
    }
  }
  image_layer_ = shown_layer;
}

QRectF LoadTimelineWidget::plot_rect() const {
  // Before the first layout the chooser has no geometry yet; its size hint stands in.
  return colour_mapped_plot(font(), area().adjusted(0.0, 10.0, 0.0, 0.0));
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
  if (cell.column < 0 || dirty()) return {};
  const size_t block = static_cast<size_t>(layers_ * experts_);
  const float share = loads_[cell.column * block + static_cast<size_t>(image_layer_ * experts_) +
                             static_cast<size_t>(cell.expert)];
  const QString share_text = std::isfinite(share) ? percent(share) : tr("n/a");
  return tr("step %1, expert %2\nshare %3 (ideal %4)\nlayer %5")
      .arg(steps_[cell.column])
      .arg(cell.expert)
      .arg(share_text, percent(1.0 / static_cast<double>(experts_)))
      .arg(image_layer_);
}

void LoadTimelineWidget::paintEvent(QPaintEvent* event) {
  // An expose can come before the timer: the axes must describe the history as it is now.
  if (dirty()) rebuild_image();
  PaintedView::paintEvent(event);
}

void LoadTimelineWidget::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, palette().window());
  painter.setPen(palette().color(QPalette::WindowText));
  const QRectF plot = plot_rect();
  if (plot.isEmpty()) return;
  if (image_.isNull()) {
    painter.drawRect(plot);
    painter.drawText(plot, Qt::AlignCenter, tr("waiting for routing data"));
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot, image_);
  paint_axes(painter, plot);
  paint_colour_bar(painter, colour_bar_beside(plot), scale_max_,
                   1.0f / static_cast<float>(experts_));
  std::vector<MarkerLine> lines;
  for (const Marker& marker : marker_list()) lines.push_back({step_to_x(marker.step), marker.label});
  paint_markers(painter, plot, lines);
  if (cursor_step() >= 0) paint_cursor(painter, plot, step_to_x(cursor_step()));
}

std::vector<AxisTick> LoadTimelineWidget::step_ticks(const QRectF& plot) const {
  const int64_t first = steps_.front();
  const int64_t last = steps_.back();
  const double label_w = QFontMetricsF(font()).horizontalAdvance(
                             QString::number(std::max(std::abs(first), std::abs(last)))) +
                         24.0;
  const double columns = static_cast<double>(steps_.size());
  // Ticks at round steps, placed between the columns around them. Steps that go backwards
  // (a history fed out of order) fall back to ticks at columns.
  if (last <= first || !std::is_sorted(steps_.begin(), steps_.end())) {
    std::vector<AxisTick> ticks;
    for (int column : integer_ticks(snapshots(), plot.width() / columns, label_w))
      ticks.push_back({static_cast<double>(column), QString::number(steps_[column])});
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
  if (steps_.empty()) return std::numeric_limits<double>::quiet_NaN();
  if (!std::is_sorted(steps_.begin(), steps_.end())) {
    // A history fed out of order: the column of the nearest step.
    const auto nearest = std::min_element(
        steps_.begin(), steps_.end(),
        [step](int64_t a, int64_t b) { return std::abs(a - step) < std::abs(b - step); });
    return static_cast<double>(nearest - steps_.begin());
  }
  if (step < steps_.front() || step > steps_.back())
    return std::numeric_limits<double>::quiet_NaN();
  const auto next = std::lower_bound(steps_.begin(), steps_.end(), step) - steps_.begin();
  if (next == 0 || steps_[next] == step) return static_cast<double>(next);
  const double before = static_cast<double>(steps_[next - 1]);
  return next - 1 + (step - before) / (static_cast<double>(steps_[next]) - before);
}

double LoadTimelineWidget::step_to_x(int64_t step) const {
  const QRectF plot = plot_rect();
  const double column = column_of_step(step);
  if (plot.isEmpty() || !std::isfinite(column)) return std::numeric_limits<double>::quiet_NaN();
  return plot.left() + (column + 0.5) * plot.width() / static_cast<double>(steps_.size());
}

void LoadTimelineWidget::set_cursor_step(qint64 step) { show_step(step); }

void LoadTimelineWidget::paint_axes(QPainter& painter, const QRectF& plot) const {
  paint_column_axis(painter, plot, image_.width(), tr("step"), step_ticks(plot));
  paint_row_axis(painter, plot, image_.height(), tr("expert"));
}

}  // namespace moescope
