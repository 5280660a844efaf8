#include "alerts_panel.h"

#include <QBrush>
#include <QFontMetricsF>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <vector>

#include "alert_table_model.h"
#include "focus_state.h"
#include "run_store.h"

namespace moescope {

void AlertsPanel::attach(RunStore* store, FocusState* focus) {
  connect(store, &RunStore::cleared, this, &AlertsPanel::clear);
  connect(store, &RunStore::alert_added, this, &AlertsPanel::add_alert);
  connect(store, &RunStore::intervention_added, this, &AlertsPanel::add_intervention);
  // Clicking an alert moves every view of the run to its layer and step.
  connect(this, &AlertsPanel::alert_activated, focus, [focus](int layer, qint64 step) { focus->focus(layer, step); });
  connect(this, &AlertsPanel::intervention_activated, focus, &FocusState::set_step);
}

AlertsPanel::AlertsPanel(QWidget* parent)
    : QWidget(parent),
      model_(new AlertTableModel(this)),
      table_(new QTableView(this)),
      title_(new QLabel(this)) {
  QFont title_font = title_->font();
  title_font.setBold(true);
  title_->setFont(title_font);

  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  // Evidence sentences wrap (rows grow to fit) rather than end in an ellipsis.
  table_->setWordWrap(true);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  QHeaderView* header = table_->horizontalHeader();
  header->setStretchLastSection(true);
  header->setSectionResizeMode(AlertTableModel::StepColumn, QHeaderView::ResizeToContents);
  header->setSectionResizeMode(AlertTableModel::LayerColumn, QHeaderView::ResizeToContents);
  header->setSectionResizeMode(AlertTableModel::KindColumn, QHeaderView::ResizeToContents);
  header->setSectionResizeMode(AlertTableModel::ExpertsColumn, QHeaderView::ResizeToContents);
  table_->setToolTip(tr("Activate a row to show its layer and step in the other views"));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 6, 4);
  layout->addWidget(title_);
  layout->addWidget(table_, 1);
  update_title();

  connect(table_, &QAbstractItemView::activated, this, &AlertsPanel::activate);
  // Where the style activates on a single click, clicked and activated both come: one row
  // must not be reported twice.
  connect(table_, &QAbstractItemView::clicked, this, [this](const QModelIndex& index) {
    if (!table_->style()->styleHint(QStyle::SH_ItemView_ActivateItemOnSingleClick, nullptr, table_))
      activate(index);
  });
}

int AlertsPanel::count() const { return model_->alert_count(); }

int AlertsPanel::intervention_count() const { return model_->intervention_count(); }

void AlertsPanel::add_alert(const CollapseAlert& alert) {
  model_->add_alert(alert);
  update_title();
}

void AlertsPanel::add_intervention(const InterventionEvent& intervention) {
  model_->add_intervention(intervention);
  update_title();
}

void AlertsPanel::clear() {
  model_->clear();
  update_title();
}

void AlertsPanel::activate(const QModelIndex& index) {
  if (!index.isValid()) return;
  const qint64 step = index.data(AlertTableModel::StepRole).toLongLong();
  if (index.data(AlertTableModel::IsInterventionRole).toBool())
    Q_EMIT intervention_activated(step);
  else
    Q_EMIT alert_activated(index.data(AlertTableModel::LayerRole).toInt(), step);
}

void AlertsPanel::paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const {
  painter.save();
  painter.fillRect(target, style.palette.color(QPalette::Base));
  const QColor text = style.palette.color(QPalette::WindowText);
  QFont bold = style.font;
  bold.setBold(true);
  QFont title_font = bold;
  title_font.setPixelSize(static_cast<int>(kFigureTitlePt));
  const QFontMetricsF metrics(style.font);
  const double line = metrics.lineSpacing();
  painter.setPen(text);
  painter.setFont(title_font);
  QRectF title_rect(target.left(), target.top() + 2.0, target.width(), QFontMetricsF(title_font).lineSpacing() * 1.4);
  painter.drawText(title_rect, Qt::AlignHCenter | Qt::AlignVCenter, title_->text());

  // Columns: the narrow ones as wide as their widest cell, the evidence the rest.
  const int columns = model_->columnCount();
  const int rows = model_->rowCount();
  std::vector<double> widths(static_cast<size_t>(columns), 0.0);
  const QFontMetricsF bold_metrics(bold);
  for (int c = 0; c < columns; ++c) {
    widths[size_t(c)] = bold_metrics.horizontalAdvance(model_->headerData(c, Qt::Horizontal).toString());
    if (c == AlertTableModel::EvidenceColumn) continue;
    for (int r = 0; r < rows; ++r)
      widths[size_t(c)] = std::max(widths[size_t(c)], metrics.horizontalAdvance(model_->index(r, c).data().toString()));
  }
  constexpr double kPad = 4.0;
  double fixed = 0.0;
  for (int c = 0; c < columns; ++c)
    if (c != AlertTableModel::EvidenceColumn) fixed += widths[size_t(c)] + 2 * kPad;
  if (AlertTableModel::EvidenceColumn < columns)
    widths[size_t(AlertTableModel::EvidenceColumn)] = std::max(40.0, target.width() - fixed - 2 * kPad);

  double y = title_rect.bottom() + 2.0;
  auto cell_x = [&](int column) {
    double x = target.left();
    for (int c = 0; c < column; ++c) x += widths[size_t(c)] + 2 * kPad;
    return x + kPad;
  };
  painter.setFont(bold);
  for (int c = 0; c < columns; ++c)
    painter.drawText(QRectF(cell_x(c), y, widths[size_t(c)], line), Qt::AlignLeft | Qt::AlignVCenter,
                     model_->headerData(c, Qt::Horizontal).toString());
  y += line + 1.0;
  painter.setPen(QPen(text, 0.5));
  painter.drawLine(QPointF(target.left(), y), QPointF(target.right(), y));
  painter.setFont(style.font);
  int shown = 0;
  for (int r = 0; r < rows; ++r) {
    double height = line;
    for (int c = 0; c < columns; ++c)
      height = std::max(height, metrics.boundingRect(QRectF(0, 0, widths[size_t(c)], 1e6), Qt::TextWordWrap,
                                                     model_->index(r, c).data().toString()).height());
    if (y + 2.0 + height > target.bottom() - line) break;
    y += 2.0;
    const QVariant colour = model_->index(r, 0).data(Qt::ForegroundRole);
    painter.setPen(colour.canConvert<QBrush>() ? colour.value<QBrush>().color() : text);
    for (int c = 0; c < columns; ++c)
      painter.drawText(QRectF(cell_x(c), y, widths[size_t(c)], height), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                       model_->index(r, c).data().toString());
    y += height;
    ++shown;
  }
  painter.setPen(text);
  if (shown < rows)
    painter.drawText(QRectF(target.left() + kPad, y + 2.0, target.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("... and %n more row(s)", nullptr, rows - shown));
  painter.restore();
}

void AlertsPanel::update_title() {
  if (count() == 0 && intervention_count() == 0) {
    title_->setText(tr("Alerts: none so far"));
    return;
  }
  title_->setText(tr("Alerts: %1   Interventions: %2").arg(count()).arg(intervention_count()));
}

}  // namespace moescope
