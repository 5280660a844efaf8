#include "alerts_panel.h"

#include <QHeaderView>
#include <QLabel>
#include <QStyle>
#include <QTableView>
#include <QVBoxLayout>

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

void AlertsPanel::update_title() {
  if (count() == 0 && intervention_count() == 0) {
    title_->setText(tr("Alerts: none so far"));
    return;
  }
  title_->setText(tr("Alerts: %1   Interventions: %2").arg(count()).arg(intervention_count()));
}

}  // namespace moescope
