// The surgery dock's plan table: one row per MoE layer of a preview, with what the plan does
// to it (experts kept, groups merged, β, bits) and what the preview predicts it costs. The
// "experts after" column is the layer's budget, editable for pruning and merging: the next
// preview asks for those counts (SurgeryRequest::layer_experts), e.g. more experts for a
// layer whose importance Gini says its cliff is sharp.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <vector>

#include "base/events.h"

namespace moescope {

// "0-3, 5, 7": a sorted list of experts with runs shortened.
QString expert_ranges_text(const std::vector<int64_t>& experts);
// What the plan does to one layer: "keeps 0-3, 6, 7", "{0, 4} {1} {2, 3, 5} ...", "β 0.30",
// "bits 8 8 4 ...".
QString surgery_change_text(const std::string& kind, const SurgeryLayer& layer);

class SurgeryPlanModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    LayerColumn,
    BudgetColumn,  // experts before → after; the after count is editable
    ChangeColumn,
    RoutedColumn,
    SaliencyColumn,
    ErrorColumn,
    PairErrorColumn,
    GiniColumn,
    Columns
  };

  explicit SurgeryPlanModel(QObject* parent = nullptr);

  // Shows `preview`'s layers; budgets start at its experts-after counts.
  void set_preview(const SurgeryPreview& preview);
  void clear();
  // Whether the budgets can be edited (a live run's prune or merge preview).
  void set_editable(bool editable);
  // The per-layer budgets as edited (experts after, one per layer; empty without a preview).
  const std::vector<int64_t>& budgets() const { return budgets_; }
  // Whether any budget differs from what the preview planned.
  bool budgets_edited() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

 Q_SIGNALS:
  void budgets_changed();

 private:
  bool budget_editable() const;

  SurgeryPreview preview_;
  std::vector<int64_t> budgets_;
  bool editable_ = false;
};

}  // namespace moescope
