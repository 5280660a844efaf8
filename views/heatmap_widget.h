// Live expert-load heatmap: MoE layers (rows) x experts (columns), colour = share of the
// layer's routed assignments that went to the expert. A balanced router paints every cell at
// 1/E; collapse shows as one bright column and dark rest.
#pragma once

#include <QImage>
#include <QRectF>
#include <vector>

#include "base/events.h"
#include "routing_frame.h"
#include "view_base.h"

namespace moescope {

class FocusState;
class RunStore;

class HeatmapWidget : public PaintedView {
  Q_OBJECT

 public:
  explicit HeatmapWidget(QWidget* parent = nullptr);
  void attach(RunStore* store, FocusState* focus) override;


  // The L x E colour-mapped image (pixel (expert, layer)); null before the first valid
  // snapshot.
  const QImage& image() const { return image_; }
  // Top of the colour scale: max(2/E, largest share) unless a fixed scale is set.
  float scale_max() const { return scale_max_; }
  // Where the cells are painted, in widget coordinates.
  QRectF plot_rect() const;
  // "layer L, expert E\nshare ..% (ideal ..%)\nutilisation U\n[bias B\n]step N", or empty
  // outside the cells. Utilisation is load x experts (1 balanced, 0 dead); the bias line comes
  // when the layer's aux-loss-free balancing bias is not all zero.
  QString tooltip_at(QPoint widget_pos) const override;

  // Snapshots the store keeps for show_step() (its routing history), with the step of each.
  int snapshots() const;
  std::vector<int64_t> steps() const;
  // Step of the snapshot the image depicts (-1 before the first), after the last refresh().
  qint64 shown_step() const { return has_shown_ ? shown_.step : -1; }
  int highlight_layer() const { return highlight_layer_; }

  // A fixed top of the colour scale (a share in (0, 1]) makes frames comparable over a run;
  // 0 or less returns to the automatic scale.
  void set_fixed_scale(float scale_max);
  // The run's name before the title (runs side by side in the compare window); empty: none.
  void set_run_name(const QString& name);

  void paint(QPainter& painter, const QRectF& target) const override;
  QString figure_name() const override { return QStringLiteral("heatmap"); }
  QSizeF figure_size_in() const override { return {3.3, 2.6}; }


 public Q_SLOTS:
  // Outlines that layer's row (an alert's layer); -1 for none.
  void set_highlight_layer(int layer);
  void clear() override;
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;

 private:
  struct Cell {
    int layer = -1;
    int expert = -1;
  };
  Cell cell_at(QPointF widget_pos) const;
  void paint_axes(QPainter& painter, const QRectF& plot) const;

  struct Shown {
    int64_t step = 0;
    RoutingFrame frame;
  };
  // The store's frame to show (the newest, or the one nearest the shown step); null for none.
  const RoutingFrame* chosen(int64_t* step) const;
  // The newest step in the store's routing history (-1 for none).
  int64_t newest_step() const;
  void paint_highlight(QPainter& painter, const QRectF& plot) const;

  int highlight_layer_ = -1;
  Shown shown_;  // what image_ depicts; tooltips describe this one
  int64_t shown_layers_ = 0;
  int64_t shown_experts_ = 0;
  bool has_shown_ = false;
  float fixed_scale_ = 0.0f;
  QString run_name_;
  float scale_max_ = 1.0f;
  QImage image_;
};

}  // namespace moescope
