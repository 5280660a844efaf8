#include "surgery_dock.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "focus_state.h"
#include "run_store.h"
#include "surgery_plan_model.h"
#include "surgery_sweep_chart.h"
#include "surgery_view.h"
#include "view_text.h"

namespace moescope {

namespace {

// "1.23 M" for parameter counts.
QString count_text(int64_t n) {
  if (n >= 1000000) return QStringLiteral("%1 M").arg(static_cast<double>(n) / 1e6, 0, 'f', 2);
  if (n >= 1000) return QStringLiteral("%1 k").arg(static_cast<double>(n) / 1e3, 0, 'f', 1);
  return QString::number(n);
}

QString seconds_text(double s) { return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10.0 ? 2 : 1); }

void set_combo_data(QComboBox* box, const QString& data) {
  const int i = box->findData(data);
  if (i >= 0) box->setCurrentIndex(i);
}

}  // namespace

SurgeryDock::SurgeryDock(QWidget* parent) : QWidget(parent), plan_(new SurgeryPlanModel(this)) {
  build_form();
  view_ = new SurgeryView(this);
  chart_ = new SurgerySweepChart(this);
  tabs_ = new QTabWidget(this);
  tabs_->addTab(view_, tr("Experts"));
  tabs_->addTab(chart_, tr("Sweep"));
  table_ = new QTableView(this);
  table_->setModel(plan_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                          QAbstractItemView::AnyKeyPressed);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setSectionResizeMode(SurgeryPlanModel::ChangeColumn, QHeaderView::Stretch);
  table_->setToolTip(tr("Double-click a layer's experts to change its budget, then preview again"));
  cost_ = new QLabel(this);
  cost_->setTextFormat(Qt::RichText);
  cost_->setWordWrap(true);
  cost_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  cost_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  auto* lower = new QWidget(this);
  auto* lower_layout = new QVBoxLayout(lower);
  lower_layout->setContentsMargins(0, 0, 0, 0);
  lower_layout->addWidget(cost_);
  lower_layout->addWidget(table_, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tabs_);
  split->addWidget(lower);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  qobject_cast<QVBoxLayout*>(layout())->addWidget(split, 1);

  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          [this](const QModelIndex& index) { view_->set_layer(index.row()); });
  connect(plan_, &SurgeryPlanModel::budgets_changed, this, [this] {
    message_->setText(tr("Budgets edited: Preview (Ctrl+Return) asks for them"));
  });
  update_buttons();
}

void SurgeryDock::build_form() {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(6, 4, 6, 4);
  auto* grid = new QGridLayout;
  grid->setHorizontalSpacing(6);
  grid->setVerticalSpacing(3);

  kind_ = new QComboBox(this);
  kind_->addItem(tr("Prune experts"), QStringLiteral("prune"));
  kind_->addItem(tr("Merge experts"), QStringLiteral("merge"));
  kind_->addItem(tr("Skip dynamically"), QStringLiteral("skip"));
  kind_->addItem(tr("Quantize experts"), QStringLiteral("quantize"));
  method_ = new QComboBox(this);
  experts_ = new QSpinBox(this);
  experts_->setRange(1, 4096);
  experts_->setValue(6);
  experts_->setToolTip(tr("FFN experts every MoE layer keeps (the plan table sets one per layer)"));
  beta_ = new QDoubleSpinBox(this);
  beta_->setRange(0.0, 1.0);
  beta_->setSingleStep(0.05);
  beta_->setValue(0.5);
  beta_->setToolTip(tr("An expert whose gate is below β × the token's top gate is skipped (0 skips nothing, 1 keeps "
                       "only the top expert)"));
  bits_ = new QComboBox(this);
  bits_->addItem(tr("int8"), 8);
  bits_->addItem(tr("int4"), 4);
  bits_->addItem(tr("by usage"), 0);
  bits_->setToolTip(tr("Per-output-channel symmetric fake quantization; by usage: rare experts get fewer bits under "
                       "the average below, shared experts never fewer than 8"));
  average_bits_ = new QDoubleSpinBox(this);
  average_bits_->setRange(2.0, 8.0);
  average_bits_->setSingleStep(0.5);
  average_bits_->setValue(6.0);
  average_bits_->setSuffix(tr(" bits"));
  align_ = new QCheckBox(tr("Align hidden units"), this);
  align_->setToolTip(tr("Hungarian matching of each member's hidden units to the group's first before averaging"));
  router_ = new QComboBox(this);
  router_->addItem(tr("keep logits"), QStringLiteral("keep"));
  router_->addItem(tr("sum rows"), QStringLiteral("sum"));
  router_->setToolTip(tr("keep: one router logit per original expert, pointing at its merged expert (tokens keep "
                         "their preference); sum: the members' rows summed into one logit (a plain router, as "
                         "exports need)"));
  tokens_ = new QSpinBox(this);
  tokens_->setRange(256, 1 << 20);
  tokens_->setSingleStep(4096);
  tokens_->setValue(16384);
  tokens_->setToolTip(tr("Tokens of the training split the calibration pass caches (the cost is measured on the "
                         "held-out split)"));
  similarity_ = new QComboBox(this);
  similarity_->addItem(tr("mean outputs"), QStringLiteral("outputs"));
  similarity_->addItem(tr("weights"), QStringLiteral("weights"));
  similarity_->addItem(tr("router logits"), QStringLiteral("logits"));
  similarity_->setToolTip(tr("What the similarity heatmap compares (a new preview reuses the calibration)"));

  experts_label_ = new QLabel(tr("Experts"), this);
  beta_label_ = new QLabel(tr("β"), this);
  bits_label_ = new QLabel(tr("Bits"), this);
  router_label_ = new QLabel(tr("Router"), this);
  grid->addWidget(kind_, 0, 0, 1, 2);
  grid->addWidget(method_, 0, 2, 1, 2);
  grid->addWidget(experts_label_, 1, 0);
  grid->addWidget(experts_, 1, 1);
  grid->addWidget(beta_label_, 1, 0);
  grid->addWidget(beta_, 1, 1);
  grid->addWidget(bits_label_, 1, 0);
  grid->addWidget(bits_, 1, 1);
  grid->addWidget(average_bits_, 1, 2);
  grid->addWidget(router_label_, 1, 2);
  grid->addWidget(router_, 1, 3);
  grid->addWidget(align_, 2, 0, 1, 2);
  grid->addWidget(new QLabel(tr("Calibration"), this), 2, 2);
  grid->addWidget(tokens_, 2, 3);
  grid->addWidget(new QLabel(tr("Similarity"), this), 3, 2);
  grid->addWidget(similarity_, 3, 3);
  history_ = new QComboBox(this);
  history_->setToolTip(tr("Every preview, apply and undo of this run"));
  history_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  grid->addWidget(history_, 3, 0, 1, 2);
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(3, 1);
  layout->addLayout(grid);

  preview_ = new QPushButton(tr("&Preview"), this);
  preview_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
  preview_->setToolTip(tr("Calibrate (once per step), plan, and measure the changed model on the held-out split; the "
                          "model is put back afterwards (Ctrl+Return)"));
  sweep_ = new QPushButton(tr("S&weep"), this);
  sweep_->setToolTip(tr("Preview this method at every budget (experts from E − 1 to top-k, β from 0 to 1, average "
                        "bits from 8 to 2) on one calibration, and draw the costs on the Sweep tab"));
  apply_ = new QPushButton(tr("&Apply"), this);
  apply_->setToolTip(tr("Commit the shown preview to the model; training can go on from it"));
  undo_ = new QPushButton(tr("&Undo"), this);
  undo_->setToolTip(tr("Put the weights and optimizer state back exactly, until the next step"));
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setTextVisible(true);
  progress_->setFormat(QString());
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(preview_);
  buttons->addWidget(sweep_);
  buttons->addWidget(apply_);
  buttons->addWidget(undo_);
  buttons->addWidget(progress_, 1);
  buttons->addWidget(cancel_);
  layout->addLayout(buttons);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  layout->addWidget(message_);

  on_kind_changed();
  connect(kind_, &QComboBox::currentIndexChanged, this, &SurgeryDock::on_kind_changed);
  connect(bits_, &QComboBox::currentIndexChanged, this, [this] { average_bits_->setVisible(bits_->currentData().toInt() == 0 && bits_->isVisible()); });
  connect(preview_, &QPushButton::clicked, this, [this] {
    if (!preview_->isEnabled()) return;
    busy(true);
    show_progress(0.0, tr("waiting for the engine"));
    Q_EMIT preview_requested(request());
  });
  connect(sweep_, &QPushButton::clicked, this, [this] {
    if (!sweep_->isEnabled()) return;
    sweeping_ = true;
    busy(true);
    show_progress(0.0, QStringLiteral("sweep: ") + tr("waiting for the engine"));
    SurgeryRequest r = request();
    r.layer_experts.clear();
    Q_EMIT sweep_requested(r);
  });
  connect(apply_, &QPushButton::clicked, this, [this] {
    if (applicable_ > 0) Q_EMIT apply_requested(applicable_);
  });
  connect(undo_, &QPushButton::clicked, this, [this] { Q_EMIT undo_requested(); });
  connect(cancel_, &QToolButton::clicked, this, [this] {
    message_->setText(tr("cancelling..."));
    Q_EMIT cancel_requested();
  });
  connect(history_, &QComboBox::activated, this, &SurgeryDock::show_record);
}

void SurgeryDock::on_kind_changed() {
  const QString kind = kind_->currentData().toString();
  method_->clear();
  if (kind == QLatin1String("prune")) {
    method_->addItem(tr("REAP saliency"), QStringLiteral("reap"));
    method_->addItem(tr("routing frequency"), QStringLiteral("frequency"));
    method_->addItem(tr("subset search (NAEE)"), QStringLiteral("subset"));
  } else if (kind == QLatin1String("merge")) {
    method_->addItem(tr("HC-SMoE (clusters of mean outputs)"), QStringLiteral("hc-smoe"));
    method_->addItem(tr("MC-SMoE (around the most used)"), QStringLiteral("mc-smoe"));
  }
  method_->setVisible(method_->count() > 0);
  const bool counts = kind == QLatin1String("prune") || kind == QLatin1String("merge");
  experts_label_->setVisible(counts);
  experts_->setVisible(counts);
  beta_label_->setVisible(kind == QLatin1String("skip"));
  beta_->setVisible(kind == QLatin1String("skip"));
  const bool quantize = kind == QLatin1String("quantize");
  bits_label_->setVisible(quantize);
  bits_->setVisible(quantize);
  average_bits_->setVisible(quantize && bits_->currentData().toInt() == 0);
  const bool merge = kind == QLatin1String("merge");
  align_->setVisible(merge);
  router_label_->setVisible(merge);
  router_->setVisible(merge);
}

SurgeryRequest SurgeryDock::request() const {
  SurgeryRequest r;
  r.kind = kind_->currentData().toString().toStdString();
  r.method = method_->count() > 0 ? method_->currentData().toString().toStdString() : std::string();
  r.experts = experts_->value();
  r.beta = beta_->value();
  const int bits = bits_->currentData().toInt();
  r.bits = bits > 0 ? bits : 8;
  r.average_bits = bits > 0 ? 0.0 : average_bits_->value();
  r.align = align_->isChecked();
  r.router = router_->currentData().toString().toStdString();
  r.calibration_tokens = tokens_->value();
  r.similarity = similarity_->currentData().toString().toStdString();
  // The plan table's budgets, when edited for a plan of this kind.
  const bool counts = r.kind == "prune" || r.kind == "merge";
  if (counts && plan_->budgets_edited() && view_->preview().request.kind == r.kind) r.layer_experts = plan_->budgets();
  return r;
}

void SurgeryDock::set_request(const SurgeryRequest& r) {
  set_combo_data(kind_, QString::fromStdString(r.kind));
  set_combo_data(method_, QString::fromStdString(r.method));
  experts_->setValue(static_cast<int>(r.experts));
  beta_->setValue(r.beta);
  bits_->setCurrentIndex(std::max(0, bits_->findData(r.average_bits > 0.0 ? 0 : static_cast<int>(r.bits))));
  if (r.average_bits > 0.0) average_bits_->setValue(r.average_bits);
  align_->setChecked(r.align);
  set_combo_data(router_, QString::fromStdString(r.router));
  tokens_->setValue(static_cast<int>(r.calibration_tokens));
  set_combo_data(similarity_, QString::fromStdString(r.similarity));
}

void SurgeryDock::attach(RunStore* store, FocusState* focus) {
  store_ = store;
  view_->attach(store, focus);
  connect(store, &RunStore::cleared, this, [this] {
    history_->clear();
    plan_->clear();
    chart_->set_records({}, true);
    sweeping_ = false;
    cost_->clear();
    message_->clear();
    applicable_ = 0;
    undoable_ = false;
    busy(false);
    update_buttons();
  });
  connect(store, &RunStore::surgery_added, this, &SurgeryDock::on_record_added);
  connect(store, &RunStore::step_added, this, &SurgeryDock::on_step);
}

void SurgeryDock::set_run_state(RunState state) {
  state_ = state;
  if (state != RunState::Running && state != RunState::Paused) busy(false);
  update_buttons();
}

void SurgeryDock::busy(bool busy) {
  busy_ = busy;
  cancel_->setEnabled(busy);
  if (!busy) progress_->setValue(progress_->value() >= 1000 ? 1000 : 0);
  update_buttons();
}

void SurgeryDock::update_buttons() {
  const bool live = store_ && !store_->is_replay() && (state_ == RunState::Running || state_ == RunState::Paused);
  const bool paused = live && state_ == RunState::Paused;
  preview_->setEnabled(paused && !busy_);
  sweep_->setEnabled(paused && !busy_);
  apply_->setEnabled(paused && !busy_ && applicable_ > 0);
  undo_->setEnabled(paused && !busy_ && undoable_);
  plan_->set_editable(paused);
  for (QWidget* w : std::initializer_list<QWidget*>{kind_, method_, experts_, beta_, bits_, average_bits_, align_,
                                                    router_, tokens_, similarity_}) {
    w->setEnabled(!store_ || !store_->is_replay());
  }
  if (busy_) return;
  if (store_ && store_->is_replay()) {
    message_->setText(history_->count() > 0 ? tr("Replay: the surgery of this run, read from its log")
                                            : tr("Replay: this run's log holds no surgery"));
  } else if (state_ == RunState::Running) {
    message_->setText(tr("Pause the run (F6) to preview a surgery: it happens between steps"));
  } else if (paused && applicable_ == 0 && !undoable_) {
    message_->setText(tr("Paused: choose a surgery and Preview it (Ctrl+Return)"));
  } else if (!live) {
    message_->setText(history_->count() > 0 ? tr("The run has ended: start or resume one to change its experts")
                                            : tr("Start a run and pause it to preview a surgery"));
  }
}

void SurgeryDock::show_progress(double share, const QString& what) {
  if (what.startsWith(QLatin1String("failed: "))) {
    sweeping_ = false;
    busy(false);
    message_->setText(QStringLiteral("<span style='color:#c0392b'>%1</span>").arg(what.mid(8).toHtmlEscaped()));
    return;
  }
  const bool sweep_step = what.startsWith(QLatin1String("sweep: "));
  if (sweeping_ && !sweep_step) return;  // a point's own progress: the bar shows the sweep's
  if (sweeping_ && what == QLatin1String("sweep: done")) {
    sweeping_ = false;
    applicable_ = 0;  // a sweep's points are for looking: preview the budget to apply
    tabs_->setCurrentWidget(chart_);
    finished(tr("Sweep done: preview the budget you choose, then apply it"));
    return;
  }
  progress_->setFormat(QStringLiteral("%1 %p%").arg(what));
  progress_->setValue(static_cast<int>(std::lround(std::clamp(share, 0.0, 1.0) * 1000.0)));
  message_->setText(what == QLatin1String("calibrating") ? tr("calibrating: one pass over %1 training tokens")
                                                              .arg(tokens_->value())
                                                        : what);
}

void SurgeryDock::on_record_added(const SurgeryRecord& record) {
  const QString action = record.action == "preview" ? tr("preview") : record.action == "apply" ? tr("apply") : tr("undo");
  history_->addItem(tr("%1 %2 at step %3: %4")
                        .arg(action)
                        .arg(record.preview.id)
                        .arg(record.preview.step)
                        .arg(QString::fromStdString(record.preview.description)));
  show_record(history_->count() - 1);
  if (record.preview.request.sweep > 0) {
    chart_->set_records(store_->surgery(), store_->info().task != "classification");
  }
  if (store_->is_replay()) {
    update_buttons();
    return;
  }
  if (sweeping_) return;  // the sweep goes on
  applicable_ = record.action == "preview" ? record.preview.id : 0;
  undoable_ = record.action == "apply";
  finished(record.action == "preview" ? tr("Preview %1 ready: Apply commits it").arg(record.preview.id)
           : record.action == "apply"  ? tr("Applied: train on to fine-tune, or Undo before the next step")
                                       : tr("Undone: the model is as it was before the surgery"));
}

void SurgeryDock::finished(const QString& message) {
  busy(false);  // updates the buttons
  progress_->setValue(1000);
  progress_->setFormat(tr("done"));
  message_->setText(message);
}

void SurgeryDock::on_step() {
  // A step makes the preview stale and the undo copy unusable.
  if (applicable_ == 0 && !undoable_) return;
  applicable_ = 0;
  undoable_ = false;
  update_buttons();
}

void SurgeryDock::show_record(int index) {
  if (!store_ || index < 0 || static_cast<size_t>(index) >= store_->surgery().size()) return;
  history_->setCurrentIndex(index);
  const SurgeryRecord& record = store_->surgery()[static_cast<size_t>(index)];
  const int layer = view_->layer();
  view_->set_preview(record.preview);
  view_->set_layer(layer);
  plan_->set_preview(record.preview);
  cost_->setText(cost_text(record));
}

QString SurgeryDock::cost_text(const SurgeryRecord& record) const {
  const SurgeryPreview& p = record.preview;
  const bool lm = !store_ || store_->info().task != "classification";
  const auto cost = [lm](const EvalResult& e) {
    return lm ? QStringLiteral("%1").arg(e.loss / std::log(2.0), 0, 'f', 3) : percent(e.accuracy);
  };
  const auto change = [lm](const EvalResult& before, const EvalResult& after) {
    if (lm) return QStringLiteral("%1%2").arg(after.loss >= before.loss ? "+" : "").arg((after.loss - before.loss) / std::log(2.0), 0, 'f', 3);
    return QStringLiteral("%1%2 pt").arg(after.accuracy >= before.accuracy ? "+" : "").arg(100.0 * (after.accuracy - before.accuracy), 0, 'f', 2);
  };
  const SurgeryMeans means = surgery_means(p);
  double gini = 0.0;
  int64_t gini_layer = -1, warned = 0;
  for (const auto& l : p.layers) {
    if (l.largest_pair_error > kMergeErrorWarning) ++warned;
    if (l.gini > gini) {
      gini = l.gini;
      gini_layer = l.layer;
    }
  }
  QString html = QStringLiteral("<table cellspacing='0' cellpadding='1'>");
  const auto row = [&html](const QString& a, const QString& b, const QString& c, const QString& d) {
    html += QStringLiteral("<tr><td>%1</td><td align='right'>&nbsp;%2</td><td align='right'>&nbsp;%3</td>"
                           "<td align='right'>&nbsp;%4</td></tr>")
                .arg(a, b, c, d);
  };
  row(QString(), tr("<b>before</b>"), tr("<b>after</b>"), tr("<b>change</b>"));
  row(lm ? tr("measured: validation bits/byte") : tr("measured: test accuracy"), cost(p.before), cost(p.after),
      change(p.before, p.after));
  row(tr("parameters"), count_text(p.parameters_before), count_text(p.parameters_after),
      p.parameters_before > 0 ? percent(static_cast<double>(p.parameters_after) / p.parameters_before) : QString());
  row(tr("active parameters per token"), count_text(p.active_before), count_text(p.active_after),
      p.active_before > 0 ? percent(static_cast<double>(p.active_after) / p.active_before) : QString());
  row(tr("routed experts' FLOPs per token"), percent(1.0), percent(p.expert_flops_kept), QString());
  html += QStringLiteral("</table>");
  html += tr("<b>Predicted</b> (calibration cache, mean of %1 layers): routed share %2 %3, reconstruction error %4")
              .arg(p.layers.size())
              .arg(percent(means.routed_share))
              .arg(p.request.kind == "skip" ? tr("skipped") : p.request.kind == "merge" ? tr("merged") : tr("removed"))
              .arg(means.reconstruction_error, 0, 'g', 3);
  html += QStringLiteral("<br>") +
          tr("<b>Time</b>: calibration %1 (%2 tokens%3), plan %4, measuring %5")
              .arg(seconds_text(p.calibration_seconds))
              .arg(p.calibration_tokens)
              .arg(p.calibration_reused ? tr(", reused") : QString())
              .arg(seconds_text(p.preview_seconds), seconds_text(p.evaluation_seconds));
  if (warned > 0) {
    html += QStringLiteral("<br><span style='color:#c0392b'>") +
            tr("%n layer(s) with a merge error above %1 (worst %2): merging there is known to hurt generation", "",
               static_cast<int>(warned))
                .arg(kMergeErrorWarning)
                .arg(means.largest_pair_error, 0, 'g', 3) +
            QStringLiteral("</span>");
  }
  if (gini_layer >= 0 && (p.request.kind == "prune" || p.request.kind == "merge")) {
    html += QStringLiteral("<br>") + tr("Sharpest cliff: layer %1 (importance Gini %2): give it a larger budget in the table")
                                         .arg(gini_layer)
                                         .arg(gini, 0, 'f', 3);
  }
  return html;
}

}  // namespace moescope
