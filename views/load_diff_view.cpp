#include "load_diff_view.h"

#include <QFontMetricsF>
#include <QPainter>
#include <algorithm>
#include <cmath>

#include "colormap.h"
#include "plot_axes.h"
#include "run_store.h"
#include "view_text.h"

namespace moescope {
namespace {

// The frame of `store` nearest `step` (-1: the newest), with its step; null for none.
const RoutingFrame* frame_at(const RunStore* store, qint64 step, qint64* shown) {
  const auto& history = routing_history(store);
  if (history.empty()) return nullptr;
  const auto& entry = step < 0 ? history.back() : history[history.nearest(step)];
  *shown = entry.step;
  return &entry.value;
}

}  // namespace

LoadDiffView::LoadDiffView(QWidget* parent) : PaintedView(parent, QSize{420, 320}, QSize{200, 140}) {}

void LoadDiffView::connect_store(RunStore* store) {
  connect(store, &RunStore::routing_added, this, [this] { mark_dirty(); });
}

void LoadDiffView::set_other(RunStore* other, const QString& name_a, const QString& name_b) {
  other_ = other;
  name_a_ = name_a;
  name_b_ = name_b;
  connect(other, &RunStore::routing_added, this, [this] { mark_dirty(); });
  connect(other, &RunStore::cleared, this, [this] { mark_dirty(); });
  mark_dirty();
}

void LoadDiffView::clear() { mark_dirty(); }

void LoadDiffView::refresh() {
  mark_clean();
  difference_.clear();
  image_ = QImage();
  mismatch_.clear();
  layers_ = experts_ = 0;
  step_a_ = step_b_ = -1;
  // B is shown at the step A is shown at, so two runs with other snapshot intervals still
  // compare the same moment of training.
  const RoutingFrame* a = frame_at(store(), requested_step(), &step_a_);
  const RoutingFrame* b = a && other_ ? frame_at(other_, step_a_, &step_b_) : nullptr;
  if (!a || !b) {
    update();
    return;
  }
  if (a->layers != b->layers || a->experts != b->experts || a->load.size() != b->load.size()) {
    mismatch_ = tr("not comparable cell by cell: %1 has %2 x %3 (layers x experts), %4 has %5 x %6")
                    .arg(name_a_).arg(a->layers).arg(a->experts).arg(name_b_).arg(b->layers).arg(b->experts);
    update();
    return;
  }
  layers_ = a->layers;
  experts_ = a->experts;
  difference_.resize(a->load.size());
  float largest = 0.0f;
  for (size_t i = 0; i < difference_.size(); ++i) {
    difference_[i] = a->load[i] - b->load[i];  // NaN when either is missing
    if (std::isfinite(difference_[i])) largest = std::max(largest, std::abs(difference_[i]));
  }
  scale_ = std::max(largest, 0.005f);
  image_ = QImage(static_cast<int>(experts_), static_cast<int>(layers_), QImage::Format_RGB32);
  for (int layer = 0; layer < image_.height(); ++layer) {
    auto* row = reinterpret_cast<QRgb*>(image_.scanLine(layer));
    for (int expert = 0; expert < image_.width(); ++expert) {
      const float d = difference_[static_cast<size_t>(layer * experts_ + expert)];
      row[expert] = std::isfinite(d) ? diverging(d / scale_) : kMissingColour;
    }
  }
  update();
}

QString LoadDiffView::title() const {
  if (image_.isNull()) {
    if (!mismatch_.isEmpty()) return tr("Load difference: %1").arg(mismatch_);
    return tr("Load difference: waiting for routing data of both runs");
  }
  QString title = tr("Load share %1 \u2212 %2, step %3").arg(name_a_, name_b_).arg(step_a_);
  if (step_b_ != step_a_) title += tr(" (%1 at step %2)").arg(name_b_).arg(step_b_);
  return title;
}

QRectF LoadDiffView::plot_rect() const {
  const double title_h = QFontMetricsF(paint_font()).height() * 2.6 + 10.0;
  return colour_mapped_plot(paint_font(), area().adjusted(0.0, title_h, -12.0, 0.0));
}

QString LoadDiffView::tooltip_at(QPoint widget_pos) const {
  const QRectF plot = plot_rect();
  if (image_.isNull() || !plot.contains(widget_pos)) return {};
  const int expert = std::clamp(static_cast<int>((widget_pos.x() - plot.left()) / plot.width() * experts_), 0,
                                static_cast<int>(experts_) - 1);
  const int layer = std::clamp(static_cast<int>((widget_pos.y() - plot.top()) / plot.height() * layers_), 0,
                               static_cast<int>(layers_) - 1);
  const float d = difference_[static_cast<size_t>(layer * experts_ + expert)];
  return tr("layer %1, expert %2\n%3 \u2212 %4: %5 percentage points")
      .arg(layer)
      .arg(expert)
      .arg(name_a_, name_b_, std::isfinite(d) ? QString::number(d * 100.0, 'f', 2) : tr("n/a"));
}

void LoadDiffView::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  painter.setPen(paint_palette().color(QPalette::WindowText));
  QFont title_font = paint_font();
  title_font.setBold(true);
  painter.setFont(title_font);
  const double line = QFontMetricsF(title_font).height();
  painter.drawText(QRectF(target.left() + 4.0, target.top() + 4.0, target.width() - 8.0, line * 2.6),
                   Qt::AlignHCenter | Qt::AlignVCenter | Qt::TextWordWrap, title());
  painter.setFont(paint_font());
  const QRectF plot = plot_rect();
  if (plot.isEmpty()) return;
  if (image_.isNull()) {
    painter.drawRect(plot);
    return;
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot, image_);
  const double label_w = QFontMetricsF(painter.font()).horizontalAdvance(QString::number(experts_ - 1));
  std::vector<AxisTick> ticks;
  for (int expert : integer_ticks(static_cast<int>(experts_), plot.width() / static_cast<double>(experts_), label_w + 8.0))
    ticks.push_back({static_cast<double>(expert), QString::number(expert)});
  paint_column_axis(painter, plot, static_cast<int>(experts_), tr("expert"), ticks);
  paint_row_axis(painter, plot, static_cast<int>(layers_), tr("layer"));
  paint_diverging_bar(painter, colour_bar_beside(plot), scale_);
}

}  // namespace moescope
