// The difference of two runs' expert load (Runs panel > Compare): layers x experts cells
// coloured by share(A) - share(B) at the step the views show, on the diverging map, scaled
// symmetrically to the largest difference. Red: A routes more there; blue: B does. Runs of
// other shapes (layers or experts) are not compared cell by cell: the view says so.
#pragma once

#include <QImage>
#include <QString>
#include <vector>

#include "view_base.h"

namespace moescope {

class LoadDiffView : public PaintedView {
  Q_OBJECT

 public:
  explicit LoadDiffView(QWidget* parent = nullptr);
  // A is `store` of attach(); B is this one (it outlives the view). Names go in the title.
  void set_other(RunStore* other, const QString& name_a, const QString& name_b);

  // share(A) - share(B), [layers][experts] (NaN where either is missing), after refresh();
  // empty when either run has no snapshot or the shapes differ.
  const std::vector<float>& difference() const { return difference_; }
  int64_t layers() const { return layers_; }
  int64_t experts() const { return experts_; }
  // Top of the symmetric colour scale: max(|difference|), at least 0.5 percentage points.
  float scale() const { return scale_; }
  // Steps of the two snapshots compared (-1 for none).
  qint64 step_a() const { return step_a_; }
  qint64 step_b() const { return step_b_; }
  const QImage& image() const { return image_; }

  void paint(QPainter& painter, const QRectF& target) const override;
  QString figure_name() const override { return QStringLiteral("load-difference"); }
  QSizeF figure_size_in() const override { return {3.3, 2.6}; }
  QString tooltip_at(QPoint widget_pos) const override;

 public Q_SLOTS:
  void clear() override;
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;

 private:
  QRectF plot_rect() const;
  QString title() const;

  RunStore* other_ = nullptr;
  QString name_a_, name_b_;
  std::vector<float> difference_;
  int64_t layers_ = 0, experts_ = 0;
  float scale_ = 0.0f;
  qint64 step_a_ = -1, step_b_ = -1;
  QString mismatch_;  // why no difference is drawn, when both runs have data
  QImage image_;
};

}  // namespace moescope
