// The rows of the alerts panel: the collapse detector's alerts and the user's interventions in
// one list, newest first, so a change can be read next to the alerts that led to it and the
// ones that stopped after it.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "base/events.h"

namespace moescope {

// "dead expert" for AlertKind::DeadExpert, ...: what the user reads.
QString alert_kind_text(AlertKind kind);
// "learning rate → 0.0003" for an intervention of kind "lr" and value 3e-4, ...
QString intervention_text(const InterventionEvent& intervention);
// "3, 5"; long lists end in "… (+12 more)".
QString expert_list_text(const std::vector<int64_t>& experts);

class AlertTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { StepColumn, LayerColumn, KindColumn, ExpertsColumn, EvidenceColumn, Columns };
  // Qt::UserRole + ...: what a row is about, for whoever acts on it.
  enum Role {
    StepRole = Qt::UserRole + 1,  // qint64
    LayerRole,                    // int; -1 for interventions
    IsInterventionRole,           // bool
  };

  explicit AlertTableModel(QObject* parent = nullptr);

  void add_alert(const CollapseAlert& alert);
  void add_intervention(const InterventionEvent& intervention);
  void clear();

  int alert_count() const { return alerts_; }
  int intervention_count() const { return static_cast<int>(rows_.size()) - alerts_; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    qint64 step = 0;
    int layer = -1;  // -1 for interventions
    bool intervention = false;
    QString kind;
    QString experts;
    QString evidence;
    QString tooltip;
  };
  void prepend(Row row);
  // Rows are stored oldest first; row 0 of the model is the newest.
  const Row& row_at(int model_row) const;

  std::vector<Row> rows_;
  int alerts_ = 0;
};

}  // namespace moescope
