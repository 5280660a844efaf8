#include "recipe_dock.h"

#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QValueAxis>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <exception>

namespace moescope {
namespace {

QString count_text(int64_t n) { return QString::number(double(n) / 1e6, 'f', 3) + QStringLiteral("M"); }

}  // namespace

RecipeDock::RecipeDock(QWidget* parent) : QWidget(parent) {
  build();
  on_kind_changed();
}

RecipeDock::~RecipeDock() {
  if (worker_ != nullptr) {
    *cancel_ = true;
    worker_->wait();
  }
}

QLineEdit* RecipeDock::path_row(QFormLayout* form, const QString& label, QLabel** label_out) {
  auto* row = new QWidget(this);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* edit = new QLineEdit(row);
  edit->setPlaceholderText(tr("checkpoint (.pt)"));
  auto* browse = new QToolButton(row);
  browse->setText(QStringLiteral("..."));
  browse->setToolTip(tr("Choose a checkpoint"));
  layout->addWidget(edit, 1);
  layout->addWidget(browse);
  connect(browse, &QToolButton::clicked, this, [this, edit] {
    const auto path = QFileDialog::getOpenFileName(this, tr("Choose a checkpoint"), edit->text(),
                                                   tr("MoE Scope checkpoints (*.pt);;All files (*)"));
    if (!path.isEmpty()) edit->setText(path);
  });
  connect(edit, &QLineEdit::textChanged, this, &RecipeDock::update_buttons);
  *label_out = new QLabel(label, this);
  form->addRow(*label_out, row);
  return edit;
}

void RecipeDock::build() {
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  kind_ = new QComboBox(this);
  kind_->addItem(tr("Upcycle a dense model"), int(RecipeKind::upcycle));
  kind_->addItem(tr("Branch-Train-MiX"), int(RecipeKind::btx));
  kind_->addItem(tr("Merge models in weight space"), int(RecipeKind::merge));
  kind_->setToolTip(tr("Upcycle: every expert starts as a copy of the dense FFN (Sparse Upcycling, Drop-Upcycling).\n"
                       "Branch-Train-MiX: one branch of the seed trains per language; their FFNs become the experts.\n"
                       "Merge: linear average, task arithmetic or TIES of models of one architecture."));
  form->addRow(tr("&Recipe"), kind_);
  first_ = path_row(form, tr("Dense model"), &first_label_);
  second_ = path_row(form, tr("Second model"), &second_label_);
  base_ = path_row(form, tr("Base model"), &base_label_);

  experts_ = new QSpinBox(this);
  experts_->setRange(1, 256);
  experts_->setValue(8);
  experts_label_ = new QLabel(tr("Experts"), this);
  form->addRow(experts_label_, experts_);
  top_k_ = new QSpinBox(this);
  top_k_->setRange(1, 64);
  top_k_->setValue(1);
  top_k_->setToolTip(tr("Experts per token: top-1 of full copies keeps the dense model's active size, top-2 doubles the FFN's"));
  top_k_label_ = new QLabel(tr("Top-k"), this);
  form->addRow(top_k_label_, top_k_);
  drop_ = new QDoubleSpinBox(this);
  drop_->setRange(0.0, 1.0);
  drop_->setSingleStep(0.1);
  drop_->setDecimals(2);
  drop_->setToolTip(tr("Drop-Upcycling: share of each expert's hidden units re-initialised (0.5 was the paper's best)"));
  drop_label_ = new QLabel(tr("Drop ratio"), this);
  form->addRow(drop_label_, drop_);
  branch_steps_ = new QSpinBox(this);
  branch_steps_->setRange(0, 1000000);
  branch_steps_->setValue(100);
  branch_steps_->setToolTip(tr("Optimizer steps of each branch, on its own language only"));
  branch_label_ = new QLabel(tr("Branch steps"), this);
  form->addRow(branch_label_, branch_steps_);
  router_ = new QComboBox(this);
  router_->addItem(tr("mean hidden state per language"), true);
  router_->setToolTip(tr("Each expert's router row from the mean hidden state of its language's training text "
                         "(Branch-Train-MiX: its branch's, on its language; upcycling: language e mod 4 for expert e), or random"));
  router_->addItem(tr("random"), false);
  router_label_ = new QLabel(tr("Router start"), this);
  form->addRow(router_label_, router_);
  method_ = new QComboBox(this);
  method_->addItem(tr("linear average"), QStringLiteral("linear"));
  method_->addItem(tr("task arithmetic"), QStringLiteral("task_arithmetic"));
  method_->addItem(tr("TIES"), QStringLiteral("ties"));
  method_label_ = new QLabel(tr("Method"), this);
  form->addRow(method_label_, method_);
  lambda_ = new QDoubleSpinBox(this);
  lambda_->setRange(0.0, 4.0);
  lambda_->setSingleStep(0.1);
  lambda_->setValue(1.0);
  lambda_label_ = new QLabel(tr("Lambda"), this);
  form->addRow(lambda_label_, lambda_);
  density_ = new QDoubleSpinBox(this);
  density_->setRange(0.01, 1.0);
  density_->setSingleStep(0.1);
  density_->setValue(0.2);
  density_label_ = new QLabel(tr("Density"), this);
  form->addRow(density_label_, density_);
  align_ = new QCheckBox(tr("Permutation-align to the first model"), this);
  align_->setToolTip(tr("Weight matching: residual channels, attention heads, experts with their router rows, hidden units"));
  form->addRow(QString(), align_);
  layout->addLayout(form);

  auto* buttons = new QHBoxLayout;
  preview_ = new QPushButton(tr("&Preview"), this);
  preview_->setToolTip(tr("Build the model and measure it on the held-out text, before any training"));
  apply_ = new QPushButton(tr("Apply and &train"), this);
  apply_->setToolTip(tr("Open the previewed model as the run and train it"));
  cancel_button_ = new QToolButton(this);
  cancel_button_->setText(tr("Cancel"));
  buttons->addWidget(preview_);
  buttons->addWidget(apply_);
  buttons->addWidget(cancel_button_);
  buttons->addStretch(1);
  layout->addLayout(buttons);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setTextVisible(false);
  layout->addWidget(progress_);
  message_ = new QLabel(this);
  message_->setWordWrap(true);
  layout->addWidget(message_);
  title_ = new QLabel(this);
  title_->setWordWrap(true);
  QFont bold = title_->font();
  bold.setBold(true);
  title_->setFont(bold);
  layout->addWidget(title_);
  table_ = new QTableWidget(this);
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layout->addWidget(table_, 1);
  barrier_chart_ = new QChartView(this);
  barrier_chart_->setRenderHint(QPainter::Antialiasing);
  barrier_chart_->setMinimumHeight(220);
  barrier_chart_->hide();
  layout->addWidget(barrier_chart_, 1);
  barrier_ = new QLabel(this);
  barrier_->setWordWrap(true);
  barrier_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(barrier_);

  connect(kind_, &QComboBox::currentIndexChanged, this, &RecipeDock::on_kind_changed);
  connect(method_, &QComboBox::currentIndexChanged, this, &RecipeDock::on_kind_changed);
  connect(preview_, &QPushButton::clicked, this, &RecipeDock::preview);
  connect(cancel_button_, &QToolButton::clicked, this, &RecipeDock::cancel);
  connect(apply_, &QPushButton::clicked, this, [this] {
    if (!summary_.out.empty()) Q_EMIT train_requested(QString::fromStdString(summary_.out));
  });
}

void RecipeDock::on_kind_changed() {
  const auto kind = RecipeKind(kind_->currentData().toInt());
  const bool merge = kind == RecipeKind::merge, upcycle = kind == RecipeKind::upcycle, btx = kind == RecipeKind::btx;
  const QString method = method_->currentData().toString();
  first_label_->setText(merge ? tr("First model") : btx ? tr("Dense seed") : tr("Dense model"));
  for (QWidget* w : {static_cast<QWidget*>(second_label_), second_->parentWidget()}) w->setVisible(merge);
  for (QWidget* w : {static_cast<QWidget*>(base_label_), base_->parentWidget()}) w->setVisible(merge && method != QStringLiteral("linear"));
  for (QWidget* w : {static_cast<QWidget*>(experts_label_), static_cast<QWidget*>(experts_), static_cast<QWidget*>(drop_label_),
                     static_cast<QWidget*>(drop_)}) {
    w->setVisible(upcycle);
  }
  for (QWidget* w : {static_cast<QWidget*>(branch_label_), static_cast<QWidget*>(branch_steps_)}) w->setVisible(btx);
  for (QWidget* w : {static_cast<QWidget*>(router_label_), static_cast<QWidget*>(router_)}) w->setVisible(!merge);
  top_k_->setVisible(!merge);
  top_k_label_->setVisible(!merge);
  if (btx && top_k_->value() == 1) top_k_->setValue(2);  // the paper's top-2 of four
  for (QWidget* w : {static_cast<QWidget*>(method_label_), static_cast<QWidget*>(method_),
                     static_cast<QWidget*>(align_)}) {
    w->setVisible(merge);
  }
  for (QWidget* w : {static_cast<QWidget*>(lambda_label_), static_cast<QWidget*>(lambda_)}) {
    w->setVisible(merge && method != QStringLiteral("linear"));
  }
  for (QWidget* w : {static_cast<QWidget*>(density_label_), static_cast<QWidget*>(density_)}) {
    w->setVisible(merge && method == QStringLiteral("ties"));
  }
  update_buttons();
}

RecipeRequest RecipeDock::request() const {
  RecipeRequest r;
  r.kind = RecipeKind(kind_->currentData().toInt());
  r.checkpoints = {first_->text().trimmed().toStdString()};
  if (r.kind == RecipeKind::merge) {
    r.checkpoints.push_back(second_->text().trimmed().toStdString());
    r.method = method_->currentData().toString().toStdString();
    if (r.method != "linear") r.base = base_->text().trimmed().toStdString();
    r.lambda = lambda_->value();
    r.density = density_->value();
    r.align = align_->isChecked();
  }
  r.experts = experts_->value();
  r.top_k = top_k_->value();
  r.drop_ratio = drop_->value();
  r.branch_steps = branch_steps_->value();
  r.router_hidden = router_->currentData().toBool();
  return r;
}

void RecipeDock::set_request(const RecipeRequest& r) {
  kind_->setCurrentIndex(kind_->findData(int(r.kind)));
  first_->setText(r.checkpoints.empty() ? QString() : QString::fromStdString(r.checkpoints[0]));
  second_->setText(r.checkpoints.size() > 1 ? QString::fromStdString(r.checkpoints[1]) : QString());
  base_->setText(QString::fromStdString(r.base));
  method_->setCurrentIndex(std::max(0, method_->findData(QString::fromStdString(r.method))));
  lambda_->setValue(r.lambda);
  density_->setValue(r.density);
  align_->setChecked(r.align);
  experts_->setValue(static_cast<int>(r.experts));
  top_k_->setValue(static_cast<int>(r.top_k));
  drop_->setValue(r.drop_ratio);
  branch_steps_->setValue(static_cast<int>(r.branch_steps));
  router_->setCurrentIndex(r.router_hidden ? 0 : 1);
  on_kind_changed();
}

void RecipeDock::update_buttons() {
  const bool running = worker_ != nullptr;
  const auto r = request();
  bool ready = !r.checkpoints[0].empty();
  if (r.kind == RecipeKind::merge) ready = ready && !r.checkpoints[1].empty() && (r.method == "linear" || !r.base.empty());
  preview_->setEnabled(!running && ready);
  apply_->setEnabled(!running && !summary_.out.empty());
  cancel_button_->setEnabled(running);
}

void RecipeDock::preview() {
  if (worker_ != nullptr) return;
  RecipeRequest r = request();
  const QString root = output_folder_ ? output_folder_() : QString();
  const QDir folder(QDir(root.isEmpty() ? QDir::tempPath() : root).filePath(QStringLiteral("recipes")));
  folder.mkpath(QStringLiteral("."));
  static const char* names[] = {"upcycled", "btx", "merged"};
  r.out = folder.filePath(QString::fromLatin1(names[int(r.kind)]) + QStringLiteral("-") +
                          QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")) + QStringLiteral(".pt"))
              .toStdString();
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  progress_->setValue(0);
  message_->setText(tr("starting..."));
  auto cancel = cancel_;
  worker_ = QThread::create([this, r, cancel] {
    const auto progress = [this](double share, const std::string& what) {
      QMetaObject::invokeMethod(this, [this, share, text = QString::fromStdString(what)] {
        progress_->setValue(static_cast<int>(std::lround(1000.0 * share)));
        message_->setText(text);
      }, Qt::QueuedConnection);
    };
    try {
      auto summary = run_recipe(r, progress, cancel.get());
      QMetaObject::invokeMethod(this, [this, summary = std::move(summary)] {
        show_summary(summary);
        finished(true, tr("built in %1 s and measured before any training: Apply and train to go on")
                           .arg(summary.seconds, 0, 'f', 1));
      }, Qt::QueuedConnection);
    } catch (const std::exception& e) {
      QMetaObject::invokeMethod(this, [this, text = QString::fromUtf8(e.what())] { finished(false, text); },
                                Qt::QueuedConnection);
    }
  });
  update_buttons();
  worker_->start();
  update_buttons();
}

void RecipeDock::cancel() {
  if (cancel_) *cancel_ = true;
  if (worker_ != nullptr) message_->setText(tr("cancelling at the next step..."));
}

void RecipeDock::finished(bool ok, const QString& message) {
  if (worker_ != nullptr) {
    worker_->wait();
    delete worker_;
    worker_ = nullptr;
  }
  progress_->setValue(ok ? 1000 : 0);
  message_->setText(ok ? message : tr("failed: %1").arg(message));
  update_buttons();
  Q_EMIT preview_finished(ok);
}

void RecipeDock::show_summary(const RecipeSummary& s) {
  summary_ = s;
  title_->setText(QString::fromStdString(s.title));
  const bool lm = s.task == "lm";
  QStringList headers = {tr("Model"), tr("Experts"), tr("Parameters"), tr("Active"), tr("FLOPs/token"),
                         lm ? tr("bits/byte") : tr("loss")};
  if (lm) {
    for (const auto& d : s.domains) headers << QString::fromStdString(d);
  }
  table_->clear();
  table_->setColumnCount(headers.size());
  table_->setHorizontalHeaderLabels(headers);
  table_->setRowCount(static_cast<int>(s.rows.size()));
  const double scale = lm ? 1.0 / std::log(2.0) : 1.0;
  for (int i = 0; i < static_cast<int>(s.rows.size()); ++i) {
    const auto& row = s.rows[static_cast<size_t>(i)];
    QStringList cells = {QString::fromStdString(row.name),
                         row.experts == 0 ? tr("dense") : tr("%1, top-%2").arg(row.experts).arg(row.top_k),
                         count_text(row.parameters), count_text(row.active_parameters),
                         count_text(static_cast<int64_t>(row.flops_per_token)),
                         QString::number(row.loss * scale, 'f', 4)};
    if (lm) {
      for (size_t d = 0; d < s.domains.size(); ++d) {
        cells << (d < row.domain_loss.size() ? QString::number(row.domain_loss[d] * scale, 'f', 3) : QString());
      }
    }
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      if (i + 1 == static_cast<int>(s.rows.size())) {
        QFont f = item->font();
        f.setBold(true);
        item->setFont(f);
      }
      table_->setItem(i, c, item);
    }
  }
  show_barrier_chart(s, scale, lm ? tr("bits/byte") : tr("loss"));
  if (s.barrier_before.empty()) {
    barrier_->clear();
  } else {
    const auto curve = [&](const std::vector<double>& loss) {
      QStringList points;
      for (double l : loss) points << QString::number(l * scale, 'f', 3);
      return points.join(QStringLiteral(" "));
    };
    QString text = tr("Held-out %1 on the straight path from the first model to the second (11 points):")
                       .arg(lm ? tr("bits/byte") : tr("loss"));
    text += QStringLiteral("\n") + tr("before alignment: %1").arg(curve(s.barrier_before));
    if (!s.barrier_after.empty()) text += QStringLiteral("\n") + tr("after alignment: %1").arg(curve(s.barrier_after));
    barrier_->setText(text);
  }
}

// The loss-barrier curves: the held-out loss at α = 0, 0.1, ..., 1 on the straight path
// from the first model (α = 0) to the second, before and after alignment.
void RecipeDock::show_barrier_chart(const RecipeSummary& s, double scale, const QString& unit) {
  auto* chart = new QChart;
  barrier_chart_->setChart(chart);  // the view owns it and deletes the one before
  if (s.barrier_before.empty()) {
    barrier_chart_->hide();
    return;
  }
  chart->setTitle(tr("Loss barrier: (1 − α) · first + α · second"));
  chart->legend()->setAlignment(Qt::AlignBottom);
  auto* x = new QValueAxis;
  x->setRange(0.0, 1.0);
  x->setTickCount(6);
  x->setTitleText(QStringLiteral("α"));
  auto* y = new QValueAxis;
  y->setTitleText(unit);
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);
  double lo = 1e300, hi = -1e300;
  const auto add = [&](const std::vector<double>& loss, const QString& name) {
    if (loss.size() != s.barrier_alpha.size()) return;
    auto* series = new QLineSeries;
    series->setName(name);
    series->setPointsVisible(true);
    for (size_t i = 0; i < loss.size(); ++i) {
      series->append(s.barrier_alpha[i], loss[i] * scale);
      lo = std::min(lo, loss[i] * scale);
      hi = std::max(hi, loss[i] * scale);
    }
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
  };
  add(s.barrier_before, tr("before alignment"));
  add(s.barrier_after, tr("after alignment"));
  const double pad = std::max(0.02, 0.08 * (hi - lo));
  y->setRange(lo - pad, hi + pad);
  y->applyNiceNumbers();
  barrier_chart_->show();
}

}  // namespace moescope
