// Live expert-load heatmap: MoE layers (rows) x experts (columns), colour = share of the
// layer's routed assignments that went to the expert. A balanced router paints every cell at
// 1/E; collapse shows as one bright column and dark rest.
#pragma once

#include <QImage>
#include <QRectF>
#include <QWidget>

#include "engine/events.h"

class QTimer;

namespace moescope {

class HeatmapWidget : public QWidget {
  Q_OBJECT

 public:
  explicit HeatmapWidget(QWidget* parent = nullptr);

  // The L x E colour-mapped image (pixel (expert, layer)); null before the first valid
  // snapshot.
  const QImage& image() const { return image_; }
  // Top of the colour scale: max(2/E, largest share) unless a fixed scale is set.
  float scale_max() const { return scale_max_; }
  // Where the cells are painted, in widget coordinates.
  QRectF plot_rect() const;
  // "layer L, expert E\nshare ..% (ideal ..%)\nstep N", or empty outside the cells.
  QString tooltip_at(QPoint widget_pos) const;

  // A fixed top of the colour scale (a share in (0, 1]) makes frames comparable over a run;
  // 0 or less returns to the automatic scale.
  void set_fixed_scale(float scale_max);

  QSize sizeHint() const override { return {520, 360}; }
  QSize minimumSizeHint() const override { return {200, 140}; }

 public Q_SLOTS:
  // Keeps the snapshot; the image is rebuilt by the next timer tick, never per event. A
  // snapshot whose load does not hold layers x experts values is ignored.
  void set_snapshot(const moescope::RoutingSnapshot& snapshot);
  // Rebuilds the image now and schedules a repaint (the timer calls this when dirty).
  void refresh();

 Q_SIGNALS:
  void cell_hovered(int layer, int expert);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  struct Cell {
    int layer = -1;
    int expert = -1;
  };
  Cell cell_at(QPointF widget_pos) const;
  void paint_axes(QPainter& painter, const QRectF& plot) const;

  RoutingSnapshot pending_;  // latest valid snapshot received
  RoutingSnapshot shown_;    // the snapshot image_ depicts; tooltips describe this one
  bool has_pending_ = false;
  bool dirty_ = false;
  float fixed_scale_ = 0.0f;
  float scale_max_ = 1.0f;
  QImage image_;
  Cell hovered_;
  QTimer* timer_ = nullptr;
};

}  // namespace moescope
