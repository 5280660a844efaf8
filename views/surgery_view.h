// The surgery dock's picture of one MoE layer of a preview: the experts' similarity heatmap
// (weights, mean outputs or router logits, as the preview was asked for) in the order of its
// average-linkage dendrogram, drawn above it; the plan on its edges (each merged group one
// colour, pruned experts crossed out); REAP's merge-error term of every candidate pair as a
// dot in its cell (red above kMergeErrorWarning); and beside the rows, in the same order,
// each expert's usage, mean gate and REAP saliency as bars.
#pragma once

#include <QRectF>
#include <vector>

#include "base/events.h"
#include "view_base.h"

namespace moescope {

// The leaves of a scipy-style linkage (steps of (a, b, distance, size); ids >= n are earlier
// steps) from left to right; 0..n-1 when the linkage is empty or malformed.
std::vector<int> dendrogram_leaf_order(const std::vector<std::array<double, 4>>& linkage, int n);

class SurgeryView : public PaintedView {
  Q_OBJECT

 public:
  explicit SurgeryView(QWidget* parent = nullptr);

  // Draws `preview` (the layer chooser lists its layers, keeping the choice).
  void set_preview(const SurgeryPreview& preview);
  bool has_preview() const { return has_preview_; }
  const SurgeryPreview& preview() const { return preview_; }
  // The experts of the chosen layer from top to bottom (the dendrogram's leaf order).
  const std::vector<int>& order() const { return order_; }
  // Where the similarity cells are painted, in widget coordinates (empty without a layer).
  QRectF matrix_rect() const;
  // "experts 2 and 5: similarity 0.83, merge error 0.012" over a cell; the expert's usage, mean
  // gate and saliency over a bar.
  QString tooltip_at(QPoint widget_pos) const override;

  void paint(QPainter& painter, const QRectF& target) const override;
  bool paints_own_title() const override { return true; }
  QString figure_name() const override { return QStringLiteral("surgery"); }
  QSizeF figure_size_in() const override { return {6.9, 3.0}; }

 public Q_SLOTS:
  void clear() override;
  void refresh() override;

 protected:
  void connect_store(RunStore*) override {}

 private:
  const SurgeryLayer* shown_layer() const;
  // Group of each expert in the plan (merge: its group; prune: 0 kept, -1 pruned; else 0).
  std::vector<int> plan_groups(const SurgeryLayer& layer) const;
  struct Layout {
    QRectF title, dendrogram, strip, matrix, colour_bar;
    QRectF bars[3];
  };
  Layout layout(const QRectF& target) const;
  void paint_dendrogram(QPainter& painter, const QRectF& box, const SurgeryLayer& layer) const;
  void paint_matrix(QPainter& painter, const Layout& box, const SurgeryLayer& layer,
                    const std::vector<int>& groups) const;
  void paint_bars(QPainter& painter, const QRectF& box, const std::vector<double>& values, const QString& title,
                  const std::vector<int>& groups) const;

  SurgeryPreview preview_;
  bool has_preview_ = false;
  std::vector<int> order_;
  double low_ = 0.0, high_ = 1.0;  // colour scale of the similarity
};

}  // namespace moescope
