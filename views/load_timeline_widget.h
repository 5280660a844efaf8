// Expert load over time for one MoE layer: x = snapshot (step), y = expert, colour = share of
// the layer's routed assignments. Shows when experts die, when one takes over, and whether a
// change of balance coefficient mid-run fixed it.
#pragma once

#include <QImage>
#include <QRectF>
#include <cstdint>
#include <vector>

#include "plot_axes.h"
#include "base/events.h"
#include "view_base.h"

class QLabel;

namespace moescope {

class RunStore;

class LoadTimelineWidget : public PaintedView {
  Q_OBJECT

 public:
  // Upper bound on kept snapshots; a memory budget may lower it for wide models (see
  // capacity()).
  static constexpr int kMaxSnapshots = 20000;

  explicit LoadTimelineWidget(QWidget* parent = nullptr);


  // snapshots() x E colour-mapped image of the chosen layer: pixel (column, expert).
  const QImage& image() const { return image_; }
  // Snapshots kept (image columns) and the step of each.
  int snapshots() const { return static_cast<int>(steps_.size()); }
  const std::vector<int64_t>& steps() const { return steps_; }
  // How many snapshots are kept before the history is thinned (see add_snapshot).
  int capacity() const;
  // Lowers the cap on kept snapshots (at least 2); for tests and memory-tight setups.
  void set_max_snapshots(int max_snapshots);
  float scale_max() const { return scale_max_; }
  // Where the image is painted, in widget coordinates.
  QRectF plot_rect() const;
  // "step N, expert E\nshare ..% (ideal ..%)", or empty outside the image.
  QString tooltip_at(QPoint widget_pos) const override;
  // Where `step` is drawn, in widget coordinates: the centre of its column, or between the
  // columns around it; NaN outside the history.
  double step_to_x(int64_t step) const;
  qint64 cursor_step() const { return requested_step(); }

  void paint(QPainter& painter, const QRectF& target) const override;


 public Q_SLOTS:
  // Appends one column (every layer is kept, so switching layer shows the whole history).
  // When the cap is reached every other column is dropped and from then on only every
  // second arriving snapshot is kept (then every fourth, ...), so the columns stay evenly
  // spaced in time. A snapshot of another layer count starts a new history (another model);
  // one of another expert count (pruned or merged mid-run) keeps it, rows padded with NaN to
  // the widest seen; one whose load does not hold layers x experts values is ignored.
  void add_snapshot(const moescope::RoutingSnapshot& snapshot);
  // Forgets the history; markers stay (they are cleared with clear_markers()).
  void clear() override;
  // A vertical line at that step's column (the step the other views show); -1 hides it.
  void set_cursor_step(qint64 step);
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;
  // An expose can come before the timer: the image is rebuilt first when dirty.
  void paintEvent(QPaintEvent* event) override;

 private:
  struct Cell {
    int column = -1;
    int expert = -1;
  };
  Cell cell_at(QPointF widget_pos) const;
  void thin_history();
  // Makes every kept row `experts` wide (NaN for the new columns).
  void widen(int64_t experts);
  void rebuild_image();
  // Fractional column of `step` (column c stands for steps_[c]); NaN outside the history.
  double column_of_step(int64_t step) const;
  std::vector<AxisTick> step_ticks(const QRectF& plot) const;
  void paint_axes(QPainter& painter, const QRectF& plot) const;

  int64_t layers_ = 0;
  int64_t experts_ = 0;
  std::vector<int64_t> steps_;  // per kept snapshot
  std::vector<float> loads_;    // [snapshot][layer][expert], flat so thinning is one pass
  int64_t arrivals_ = 0;        // snapshots received since the history began
  int64_t stride_ = 1;          // keep arrivals that are multiples of this
  int max_snapshots_ = kMaxSnapshots;

  float scale_max_ = 1.0f;
  QImage image_;
  int image_layer_ = -1;  // the layer image_ shows; tooltips read this layer

  QLabel* title_ = nullptr;
};

}  // namespace moescope
