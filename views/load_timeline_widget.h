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
#include "routing_frame.h"
#include "snapshot_history.h"
#include "view_base.h"

class QLabel;

namespace moescope {

class RunStore;

class LoadTimelineWidget : public PaintedView {
  Q_OBJECT

 public:
  explicit LoadTimelineWidget(QWidget* parent = nullptr);


  // Columns x E colour-mapped image of the chosen layer, one column per frame of the store's
  // routing history (evenly thinned there) or, with more frames than the plot has pixels, one
  // per pixel showing the frame nearest it; E the widest row kept: pixel (column, expert).
  // Experts a frame does not have (pruned or merged mid-run) are drawn as missing.
  const QImage& image() const { return image_; }
  // Snapshots the store keeps, and the step of each.
  int snapshots() const { return history().size(); }
  std::vector<int64_t> steps() const { return history().steps(); }
  float scale_max() const { return scale_max_; }
  // Where the image is painted, in widget coordinates.
  QRectF plot_rect() const;
  // "step N, expert E\nshare ..% (ideal ..%)\nlayer L", the ideal share 1/E_l of the experts
  // that layer had at that step; empty outside the image.
  QString tooltip_at(QPoint widget_pos) const override;
  // Where `step` is drawn, in widget coordinates: the centre of its column, or between the
  // columns around it; NaN outside the history.
  double step_to_x(int64_t step) const;
  qint64 cursor_step() const { return requested_step(); }

  void paint(QPainter& painter, const QRectF& target) const override;
  QString figure_name() const override { return QStringLiteral("timeline"); }
  QSizeF figure_size_in() const override { return {3.3, 2.4}; }


 public Q_SLOTS:
  // Forgets the picture (the store forgot the run); markers stay (clear_markers()).
  void clear() override;
  // A vertical line at that step's column (the step the other views show); -1 hides it.
  void set_cursor_step(qint64 step);
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;
  // An expose can come before the timer: the image is rebuilt first when dirty.
  void paintEvent(QPaintEvent* event) override;
  // The image has one column per pixel at most: a new width rebuilds it.
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct Cell {
    int column = -1;
    int expert = -1;
  };
  Cell cell_at(QPointF widget_pos) const;
  const SnapshotHistory<RoutingFrame>& history() const;
  void rebuild_image();
  // Fractional column of `step` (column c stands for image_steps_[c]); NaN outside them.
  double column_of_step(int64_t step) const;
  std::vector<AxisTick> step_ticks(const QRectF& plot) const;
  void paint_axes(QPainter& painter, const QRectF& plot) const;

  std::vector<int64_t> image_steps_;  // the step of each image column, as last rebuilt
  std::vector<int> image_frames_;     // the history index each image column shows
  float ideal_share_ = 0.0f;          // 1/E of the shown layer in the newest frame
  float scale_max_ = 1.0f;
  QImage image_;
  int image_layer_ = -1;  // the layer image_ shows; tooltips read this layer

  QLabel* title_ = nullptr;
};

}  // namespace moescope
