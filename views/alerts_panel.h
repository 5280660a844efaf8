// The collapse detector's alerts (dead or dominant experts, entropy and representation
// collapse, rising drops) with their evidence, and the interventions the user made, newest
// first. Activating an alert takes the other views to its layer and step.
#pragma once

#include <QWidget>

#include "base/events.h"
#include "figure.h"

class QLabel;
class QTableView;
class QModelIndex;

namespace moescope {

class FocusState;
class RunStore;

class AlertTableModel;

// As a figure: the title, then the table's rows (header bold, evidence wrapped to the
// column), as many as fit, with a last line saying how many did not.
class AlertsPanel : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit AlertsPanel(QWidget* parent = nullptr);

  // Lists `store`'s alerts and interventions; activating a row moves `focus` (an alert to its
  // layer and step, an intervention to its step).
  void attach(RunStore* store, FocusState* focus);

  // Alerts listed (interventions not counted).
  int count() const;
  int intervention_count() const;
  // Rows are newest first; the model's roles say what each row is about.
  const AlertTableModel* model() const { return model_; }
  QTableView* table() const { return table_; }

  QSize sizeHint() const override { return {640, 240}; }

  void paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const override;
  QString figure_name() const override { return QStringLiteral("alerts"); }
  QSizeF figure_size_in() const override { return {kPageInches, 3.0}; }

 public Q_SLOTS:
  void add_alert(const moescope::CollapseAlert& alert);
  // Listed among the alerts in another colour, so the user sees what they changed and when.
  void add_intervention(const moescope::InterventionEvent& intervention);
  void clear();

 Q_SIGNALS:
  // A row was activated (clicked, or Enter on the current row).
  void alert_activated(int layer, qint64 step);
  void intervention_activated(qint64 step);

 private:
  void activate(const QModelIndex& index);
  void update_title();

  AlertTableModel* model_ = nullptr;
  QTableView* table_ = nullptr;
  QLabel* title_ = nullptr;
};

}  // namespace moescope
