#include "surgery_plan_model.h"

#include <QColor>
#include <QStringList>
#include <algorithm>

#include "view_text.h"

namespace moescope {

QString expert_ranges_text(const std::vector<int64_t>& experts) {
  std::vector<int64_t> sorted = experts;
  std::sort(sorted.begin(), sorted.end());
  QStringList parts;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (j >= i + 2) parts << QStringLiteral("%1-%2").arg(sorted[i]).arg(sorted[j]);
    else for (size_t k = i; k <= j; ++k) parts << QString::number(sorted[k]);
    i = j + 1;
  }
  return parts.join(QStringLiteral(", "));
}

QString surgery_change_text(const std::string& kind, const SurgeryLayer& layer) {
  if (kind == "prune") return SurgeryPlanModel::tr("keeps %1").arg(expert_ranges_text(layer.kept));
  if (kind == "merge") {
    QStringList groups;
    for (const auto& group : layer.groups) {
      if (group.size() > 1) groups << QStringLiteral("{%1}").arg(expert_ranges_text(group));
    }
    return groups.isEmpty() ? SurgeryPlanModel::tr("nothing merged")
                            : SurgeryPlanModel::tr("merges %1").arg(groups.join(QLatin1Char(' ')));
  }
  if (kind == "skip") return SurgeryPlanModel::tr("β %1").arg(layer.beta, 0, 'f', 2);
  if (kind == "quantize") {
    QStringList bits;
    for (int64_t b : layer.bits) bits << QString::number(b);
    return SurgeryPlanModel::tr("bits %1").arg(bits.join(QLatin1Char(' ')));
  }
  return QString();
}

SurgeryPlanModel::SurgeryPlanModel(QObject* parent) : QAbstractTableModel(parent) {}

void SurgeryPlanModel::set_preview(const SurgeryPreview& preview) {
  beginResetModel();
  preview_ = preview;
  budgets_.clear();
  for (const auto& layer : preview_.layers) budgets_.push_back(layer.experts_after);
  endResetModel();
}

void SurgeryPlanModel::clear() { set_preview(SurgeryPreview{}); }

void SurgeryPlanModel::set_editable(bool editable) {
  if (editable == editable_) return;
  beginResetModel();
  editable_ = editable;
  endResetModel();
}

bool SurgeryPlanModel::budgets_edited() const {
  for (size_t l = 0; l < budgets_.size(); ++l) {
    if (budgets_[l] != preview_.layers[l].experts_after) return true;
  }
  return false;
}

bool SurgeryPlanModel::budget_editable() const {
  return editable_ && (preview_.request.kind == "prune" || preview_.request.kind == "merge");
}

int SurgeryPlanModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(preview_.layers.size());
}

int SurgeryPlanModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : Columns; }

QVariant SurgeryPlanModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const size_t row = static_cast<size_t>(index.row());
  const SurgeryLayer& layer = preview_.layers[row];
  const bool merge = preview_.request.kind == "merge";
  if (role == Qt::EditRole && index.column() == BudgetColumn) return QVariant::fromValue<qlonglong>(budgets_[row]);
  if (role == Qt::TextAlignmentRole) {
    return index.column() == ChangeColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                          : QVariant(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ForegroundRole && index.column() == PairErrorColumn && layer.largest_pair_error > kMergeErrorWarning) {
    return QColor(0xc0, 0x39, 0x2b);
  }
  if (role == Qt::ToolTipRole) {
    switch (index.column()) {
      case BudgetColumn:
        return budget_editable() ? tr("Experts this layer keeps; edit it, then preview again") : QVariant();
      case PairErrorColumn:
        return layer.largest_pair_error > kMergeErrorWarning
                   ? tr("Above %1: the two experts' gate mix varies with the input, and merging them is known "
                        "to hurt generation; consider a larger budget or pruning this layer")
                         .arg(kMergeErrorWarning)
                   : tr("REAP's merge-error term of the worst pair merged");
      case GiniColumn:
        return tr("Gini coefficient of expert importance: the higher, the sharper the pruning cliff; give such a "
                  "layer more experts");
      case ChangeColumn: return surgery_change_text(preview_.request.kind, layer);
      default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case LayerColumn: return static_cast<qlonglong>(layer.layer);
    case BudgetColumn: return QStringLiteral("%1 → %2").arg(layer.experts_before).arg(budgets_[row]);
    case ChangeColumn: return surgery_change_text(preview_.request.kind, layer);
    case RoutedColumn: return percent(layer.routed_share);
    case SaliencyColumn: return preview_.request.kind == "prune" ? percent(layer.saliency_removed) : QString();
    case ErrorColumn: return QString::number(layer.reconstruction_error, 'g', 3);
    case PairErrorColumn: return merge ? QString::number(layer.largest_pair_error, 'g', 3) : QString();
    case GiniColumn: return QString::number(layer.gini, 'f', 3);
    default: return {};
  }
}

bool SurgeryPlanModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (role != Qt::EditRole || !index.isValid() || index.column() != BudgetColumn || !budget_editable()) return false;
  const size_t row = static_cast<size_t>(index.row());
  bool ok = false;
  // "6" or "8 → 6": the number after the arrow is the budget.
  QString text = value.toString().trimmed();
  if (text.contains(QStringLiteral("→"))) text = text.section(QStringLiteral("→"), 1).trimmed();
  const qlonglong experts = text.toLongLong(&ok);
  if (!ok || experts < 1 || experts > preview_.layers[row].experts_before) return false;
  budgets_[row] = experts;
  Q_EMIT dataChanged(index, index);
  Q_EMIT budgets_changed();
  return true;
}

Qt::ItemFlags SurgeryPlanModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  if (index.isValid() && index.column() == BudgetColumn && budget_editable()) f |= Qt::ItemIsEditable;
  return f;
}

QVariant SurgeryPlanModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case RoutedColumn: return tr("Share of the calibration assignments removed, merged or skipped");
      case SaliencyColumn: return tr("Share of the layer's REAP saliency (gate × output norm) removed");
      case ErrorColumn: return tr("Relative reconstruction error of the layer's output, ‖h − ĥ‖² / ‖h‖², on the cache");
      default: return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case LayerColumn: return tr("Layer");
    case BudgetColumn: return tr("Experts");
    case ChangeColumn: return tr("Plan");
    case RoutedColumn: return tr("Routed");
    case SaliencyColumn: return tr("Saliency");
    case ErrorColumn: return tr("Recon. error");
    case PairErrorColumn: return tr("Pair error");
    case GiniColumn: return tr("Gini");
    default: return {};
  }
}

}  // namespace moescope
