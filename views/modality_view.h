// Modality x expert: which experts each modality (image, text) or each domain (a language, an
// image class) uses. Left, for the chosen layer, a matrix of routed share (rows: modalities or
// domains, columns: experts, each row normalised over the experts its tokens reached), the
// expert groups of a modality-aware layout named above the columns; right, the specialisation
// score I(M; E) / H(M) of every layer over the run (0: routing ignores the modality, 1: each
// has experts of its own), the chosen layer drawn bold, with the step cursor the other views
// share. Works for every run whose tokens are tagged: fusion-fmnist (image vs text, and 14
// domains), lm-fortunes (four languages), vision-fmnist (ten classes).
#pragma once

#include <QRectF>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <vector>

#include "routing_frame.h"
#include "view_base.h"

class QComboBox;
class QLabel;

namespace moescope {

class RunStore;

class ModalityView : public PaintedView {
  Q_OBJECT

 public:
  enum class Rows { Modality, Domain };

  explicit ModalityView(QWidget* parent = nullptr);

  Rows rows() const { return rows_; }
  // The row names shown ("image", "text"; or the domains) and their count.
  QStringList row_names() const;
  int row_count() const { return static_cast<int>(row_names().size()); }
  // Experts of the chosen layer in the shown frame (0 before the first tagged snapshot).
  int expert_count() const;
  // Share of row r's assignments that went to expert e at the chosen layer of the shown
  // frame; NaN when not known.
  float share(int row, int expert) const;
  // The specialisation score of the chosen layer at the shown step (NaN when not measured).
  double specialisation() const;
  // Top of the colour scale: load_scale_max of the largest share shown.
  float scale_max() const { return scale_max_; }
  qint64 shown_step() const { return has_shown_ ? shown_step_ : -1; }
  // Tagged frames in the store's routing history (the timeline's points).
  int points() const { return static_cast<int>(series_.size()); }

  // Where the picture's parts are, in widget coordinates (after a refresh).
  QRectF matrix_rect() const;
  QRectF cell_rect(int row, int expert) const;
  QRectF timeline_rect() const;
  // A cell: "text tokens -> expert 5\n23.1% of their assignments (ideal 12.5%)\nlayer 2, step
  // 400"; on the timeline the nearest step's scores; empty elsewhere.
  QString tooltip_at(QPoint widget_pos) const override;

  void paint(QPainter& painter, const QRectF& target) const override;
  bool paints_own_title() const override { return true; }
  QString figure_name() const override { return QStringLiteral("modality"); }
  QSizeF figure_size_in() const override { return {6.9, 2.6}; }

 public Q_SLOTS:
  void set_rows(moescope::ModalityView::Rows rows);
  void clear() override;
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;

 private:
  struct Point {
    int64_t step = 0;
    std::vector<float> score;  // per layer, for the rows shown
  };
  const std::vector<float>& table() const;  // the shown frame's rows x experts table
  int64_t table_rows() const;
  double step_to_x(int64_t step, const QRectF& plot) const;
  void paint_matrix(QPainter& painter, const QRectF& plot) const;
  void paint_groups(QPainter& painter, const QRectF& plot) const;
  void paint_timeline(QPainter& painter, const QRectF& plot) const;
  int chosen_layer() const;

  QLabel* status_;
  QComboBox* rows_box_;
  Rows rows_ = Rows::Modality;
  bool has_shown_ = false;
  int64_t shown_step_ = -1;
  RoutingFrame shown_;
  std::vector<Point> series_;
  float scale_max_ = 1.0f;
};

}  // namespace moescope
