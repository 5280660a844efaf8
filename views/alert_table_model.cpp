#include "alert_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <cmath>

namespace moescope {
namespace {

// Interventions stand apart from alerts: blue on a pale blue row.
constexpr QRgb kInterventionText = 0xff1a4f8b;
constexpr QRgb kInterventionBackground = 0xffe6effa;
constexpr int kExpertsShown = 6;

QString intervention_kind_text(const std::string& kind) {
  if (kind == "lr") return AlertTableModel::tr("learning rate");
  if (kind == "balance_coef") return AlertTableModel::tr("balance coefficient");
  if (kind == "bias_balancing") return AlertTableModel::tr("bias balancing");
  if (kind == "bias_rate") return AlertTableModel::tr("bias update rate");
  if (kind == "temperature") return AlertTableModel::tr("router temperature");
  if (kind == "capacity_factor") return AlertTableModel::tr("capacity factor");
  if (kind == "reinit_experts") return AlertTableModel::tr("re-initialised experts");
  if (kind == "surgery") return AlertTableModel::tr("expert surgery");
  if (kind == "surgery_undo") return AlertTableModel::tr("surgery undone");
  return QString::fromStdString(kind).replace(QLatin1Char('_'), QLatin1Char(' '));
}

}  // namespace

QString alert_kind_text(AlertKind kind) {
  switch (kind) {
    case AlertKind::DeadExpert:
      return AlertTableModel::tr("dead expert");
    case AlertKind::DominantExpert:
      return AlertTableModel::tr("dominant expert");
    case AlertKind::EntropyCollapse:
      return AlertTableModel::tr("entropy collapse");
    case AlertKind::RepresentationCollapse:
      return AlertTableModel::tr("representation collapse");
    case AlertKind::RisingDrops:
      return AlertTableModel::tr("rising drops");
    case AlertKind::LogWriteFailed:
      return AlertTableModel::tr("log write failed");
  }
  return QString::fromLatin1(to_string(kind)).replace(QLatin1Char('_'), QLatin1Char(' '));
}

QString intervention_text(const InterventionEvent& intervention) {
  const QString kind = intervention_kind_text(intervention.kind);
  if (intervention.kind == "bias_balancing" && std::isfinite(intervention.value))
    return intervention.value != 0.0 ? AlertTableModel::tr("%1 on").arg(kind)
                                     : AlertTableModel::tr("%1 off").arg(kind);
  if (intervention.kind == "surgery_undo" || !std::isfinite(intervention.value)) return kind;
  if (intervention.kind == "surgery")  // the value is the experts the first layer keeps
    return AlertTableModel::tr("%1 \u2192 %2 experts").arg(kind, QString::number(intervention.value, 'g', 4));
  return QStringLiteral("%1 \u2192 %2").arg(kind, QString::number(intervention.value, 'g', 4));
}

QString expert_list_text(const std::vector<int64_t>& experts) {
  QStringList shown;
  for (size_t i = 0; i < experts.size() && i < kExpertsShown; ++i)
    shown << QString::number(experts[i]);
  QString text = shown.join(QStringLiteral(", "));
  if (experts.size() > kExpertsShown)
    text += AlertTableModel::tr(", \u2026 (+%1 more)").arg(experts.size() - kExpertsShown);
  return text;
}

AlertTableModel::AlertTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void AlertTableModel::add_alert(const CollapseAlert& alert) {
  Row row;
  row.step = alert.step;
  row.layer = static_cast<int>(alert.layer);
  row.kind = alert_kind_text(alert.kind);
  row.experts = expert_list_text(alert.experts);
  row.evidence = QString::fromStdString(alert.evidence);
  QStringList all;
  for (int64_t expert : alert.experts) all << QString::number(expert);
  // A run-wide alert (the log could not be written) has no layer (-1).
  row.tooltip = alert.layer >= 0 ? tr("%1 at step %2, layer %3").arg(row.kind).arg(alert.step).arg(alert.layer)
                                 : tr("%1 at step %2").arg(row.kind).arg(alert.step);
  if (!all.isEmpty()) row.tooltip += tr("\nexperts %1").arg(all.join(QStringLiteral(", ")));
  if (std::isfinite(alert.value) && std::isfinite(alert.threshold))
    row.tooltip +=
        tr("\nmeasured %1, threshold %2")
            .arg(QString::number(alert.value, 'g', 4), QString::number(alert.threshold, 'g', 4));
  if (!row.evidence.isEmpty()) row.tooltip += QLatin1Char('\n') + row.evidence;
  ++alerts_;
  prepend(std::move(row));
}

void AlertTableModel::add_intervention(const InterventionEvent& intervention) {
  Row row;
  row.step = intervention.step;
  row.intervention = true;
  row.kind = intervention_text(intervention);
  row.evidence = QString::fromStdString(intervention.detail);
  row.tooltip = tr("you changed %1 at step %2").arg(row.kind).arg(intervention.step);
  if (!row.evidence.isEmpty()) row.tooltip += QLatin1Char('\n') + row.evidence;
  prepend(std::move(row));
}

void AlertTableModel::prepend(Row row) {
  beginInsertRows({}, 0, 0);
  rows_.push_back(std::move(row));
  endInsertRows();
}

void AlertTableModel::clear() {
  beginResetModel();
  rows_.clear();
  alerts_ = 0;
  endResetModel();
}

const AlertTableModel::Row& AlertTableModel::row_at(int model_row) const {
  return rows_[rows_.size() - 1 - static_cast<size_t>(model_row)];
}

int AlertTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int AlertTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : Columns;
}

QVariant AlertTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || index.column() >= Columns) return {};
  const Row& row = row_at(index.row());
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case StepColumn:
          return row.step;
        case LayerColumn:
          return row.intervention || row.layer < 0 ? QVariant() : QVariant(row.layer);
        case KindColumn:
          return row.kind;
        case ExpertsColumn:
          return row.experts;
        case EvidenceColumn:
          return row.evidence;
        default:
          return {};
      }
    case Qt::ToolTipRole:
      return row.tooltip;
    case Qt::TextAlignmentRole:
      return index.column() <= LayerColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                           : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    case Qt::ForegroundRole:
      return row.intervention ? QVariant(QBrush(QColor::fromRgb(kInterventionText))) : QVariant();
    case Qt::BackgroundRole:
      return row.intervention ? QVariant(QBrush(QColor::fromRgb(kInterventionBackground)))
                              : QVariant();
    case Qt::FontRole:
      if (index.column() == KindColumn && !row.intervention) {
        QFont bold;
        bold.setBold(true);
        return bold;
      }
      return {};
    case StepRole:
      return row.step;
    case LayerRole:
      return row.layer;
    case IsInterventionRole:
      return row.intervention;
    default:
      return {};
  }
}

QVariant AlertTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case StepColumn:
      return tr("Step");
    case LayerColumn:
      return tr("Layer");
    case KindColumn:
      return tr("Alert / change");
    case ExpertsColumn:
      return tr("Experts");
    case EvidenceColumn:
      return tr("Evidence");
    default:
      return {};
  }
}

}  // namespace moescope
