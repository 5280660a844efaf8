#include "runs_panel.h"

#include "app_settings.h"

#include <QAction>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>
#include <cmath>

namespace moescope {

namespace {
QString base_name(const std::string& path) { return QFileInfo(QString::fromStdString(path)).completeBaseName(); }
QString number_or_dash(double v, int decimals) { return std::isfinite(v) ? QString::number(v, 'f', decimals) : QStringLiteral("-"); }
}  // namespace

int RunTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(runs_.size()); }

int RunTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : Columns; }

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case NameColumn: return tr("Name");
    case PresetColumn: return tr("Preset");
    case RouterColumn: return tr("Router");
    case StepsColumn: return tr("Steps");
    case LossColumn: return tr("Val. loss");
    case AccuracyColumn: return tr("Accuracy");
    case DateColumn: return tr("Started");
    case TagsColumn: return tr("Tags");
    default: return {};
  }
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const RunSummary& r = runs_[static_cast<size_t>(index.row())];
  const QString path = QString::fromStdString(r.path);
  if (role == PathRole) return path;
  if (role == Qt::ToolTipRole) return path;
  if (role == Qt::TextAlignmentRole && index.column() >= StepsColumn && index.column() <= AccuracyColumn)
    return int(Qt::AlignRight | Qt::AlignVCenter);
  const bool sort = role == SortRole;
  if (role != Qt::DisplayRole && role != Qt::EditRole && !sort) return {};
  switch (index.column()) {
    case NameColumn: return base_name(r.path);
    case PresetColumn: return QString::fromStdString(r.preset);
    case RouterColumn: return QString::fromStdString(r.router);
    case StepsColumn:
      if (sort) return static_cast<qlonglong>(r.steps);
      return r.total_steps > 0 && r.steps < r.total_steps ? tr("%1 / %2").arg(r.steps).arg(r.total_steps)
                                                           : QString::number(r.steps);
    case LossColumn: return sort ? QVariant(std::isfinite(r.eval_loss) ? r.eval_loss : 1e300) : number_or_dash(r.eval_loss, 4);
    case AccuracyColumn:
      return sort ? QVariant(std::isfinite(r.eval_accuracy) ? r.eval_accuracy : -1.0)
                  : (std::isfinite(r.eval_accuracy) ? QStringLiteral("%1%").arg(100.0 * r.eval_accuracy, 0, 'f', 1)
                                                    : QStringLiteral("-"));
    case DateColumn: return QString::fromStdString(r.start_time);
    case TagsColumn: return tags_.value(path);
    default: return {};
  }
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const {
  Qt::ItemFlags f = QAbstractTableModel::flags(index);
  if (index.column() == NameColumn || index.column() == TagsColumn) f |= Qt::ItemIsEditable;
  return f;
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
  if (!index.isValid() || role != Qt::EditRole) return false;
  RunSummary& r = runs_[static_cast<size_t>(index.row())];
  const QString path = QString::fromStdString(r.path);
  if (index.column() == TagsColumn) {
    QStringList tags;
    for (const QString& t : value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts)) tags << t.trimmed();
    tags_[path] = tags.join(QStringLiteral(", "));
    Q_EMIT dataChanged(index, index);
    return true;
  }
  if (index.column() != NameColumn) return false;
  const QString name = value.toString().trimmed();
  last_error_.clear();
  if (name.isEmpty() || name.contains(QLatin1Char('/')) || name == QLatin1String(".") || name == QLatin1String("..")) {
    last_error_ = tr("'%1' is not a file name").arg(name);
    Q_EMIT rename_failed(last_error_);
    return false;
  }
  const QString target = QFileInfo(path).dir().filePath(name + QStringLiteral(".h5"));
  if (target == path) return true;
  if (QFileInfo::exists(target)) {
    last_error_ = tr("%1 exists already").arg(target);
    Q_EMIT rename_failed(last_error_);
    return false;
  }
  if (!QFile::rename(path, target)) {
    last_error_ = tr("cannot rename %1 to %2").arg(path, target);
    Q_EMIT rename_failed(last_error_);
    return false;
  }
  if (tags_.contains(path)) tags_[target] = tags_.take(path);
  r.path = target.toStdString();
  Q_EMIT dataChanged(this->index(index.row(), 0), this->index(index.row(), Columns - 1));
  return true;
}

int RunTableModel::row_of(const QString& path) const {
  for (size_t i = 0; i < runs_.size(); ++i)
    if (QString::fromStdString(runs_[i].path) == path) return static_cast<int>(i);
  return -1;
}

QStringList RunTableModel::paths() const {
  QStringList out;
  for (const auto& r : runs_) out << QString::fromStdString(r.path);
  return out;
}

void RunTableModel::upsert(const RunSummary& summary) {
  const int row = row_of(QString::fromStdString(summary.path));
  if (row >= 0) {
    runs_[static_cast<size_t>(row)] = summary;
    Q_EMIT dataChanged(index(row, 0), index(row, Columns - 1));
    return;
  }
  beginInsertRows({}, rowCount(), rowCount());
  runs_.push_back(summary);
  endInsertRows();
}

void RunTableModel::remove(const QString& path) {
  const int row = row_of(path);
  if (row < 0) return;
  beginRemoveRows({}, row, row);
  runs_.erase(runs_.begin() + row);
  endRemoveRows();
}

RunsPanel::RunsPanel(QWidget* parent)
    : QWidget(parent),
      model_(new RunTableModel(this)),
      proxy_(new QSortFilterProxyModel(this)),
      table_(new QTableView(this)),
      filter_(new QLineEdit(this)),
      status_(new QLabel(this)),
      timer_(new QTimer(this)) {
  proxy_->setSourceModel(model_);
  proxy_->setSortRole(RunTableModel::SortRole);
  proxy_->setFilterKeyColumn(-1);  // every column
  proxy_->setFilterCaseSensitivity(Qt::CaseInsensitive);
  table_->setModel(proxy_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(RunTableModel::DateColumn, Qt::DescendingOrder);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setEditTriggers(QAbstractItemView::EditKeyPressed | QAbstractItemView::SelectedClicked);
  table_->verticalHeader()->hide();
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->setToolTip(tr("Double-click: open the run. F2: rename or tag. Del: move the log to the trash."));
  filter_->setPlaceholderText(tr("Filter runs (name, preset, router, tags...)"));
  filter_->setClearButtonEnabled(true);
  auto* add = new QPushButton(tr("Add &folder..."), this);
  auto* compare = new QPushButton(tr("&Compare"), this);
  compare->setToolTip(tr("Overlay the selected runs' loss curves on the loss chart and, with two runs or more, open them "
                        "side by side in the compare window (nothing selected: clear the overlay)"));
  auto* top = new QHBoxLayout;
  top->addWidget(filter_, 1);
  top->addWidget(compare);
  top->addWidget(add);
  connect(compare, &QPushButton::clicked, this, [this] { Q_EMIT compare_requested(selected_paths()); });
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(top);
  layout->addWidget(table_, 1);
  layout->addWidget(status_);
  // Small when docked under the views: the table scrolls.
  table_->setMinimumHeight(60);
  status_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

  QSettings settings = app_settings();
  QHash<QString, QString> tags;
  settings.beginGroup(QStringLiteral("runs_tags"));
  for (const QString& key : settings.childKeys()) tags.insert(QString::fromUtf8(QByteArray::fromBase64(key.toLatin1(), QByteArray::Base64UrlEncoding)), settings.value(key).toString());
  settings.endGroup();
  model_->set_tags(tags);

  connect(filter_, &QLineEdit::textChanged, proxy_, &QSortFilterProxyModel::setFilterFixedString);
  connect(table_, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
    if (index.column() == RunTableModel::NameColumn || index.column() == RunTableModel::TagsColumn) return;  // editing
    Q_EMIT open_requested(index.data(RunTableModel::PathRole).toString());
  });
  connect(add, &QPushButton::clicked, this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Add a folder of run logs"));
    if (folder.isEmpty() || folders_.contains(folder)) return;
    set_folders(folders_ + QStringList{folder});
    Q_EMIT folders_changed(folders_);
  });
  connect(model_, &QAbstractItemModel::dataChanged, this, [this](const QModelIndex& from, const QModelIndex& to) {
    if (from.column() <= RunTableModel::TagsColumn && to.column() >= RunTableModel::TagsColumn) {
      QSettings s = app_settings();
      s.beginGroup(QStringLiteral("runs_tags"));
      s.remove(QString());
      for (auto it = model_->tags().begin(); it != model_->tags().end(); ++it)
        if (!it.value().isEmpty())
          s.setValue(QString::fromLatin1(it.key().toUtf8().toBase64(QByteArray::Base64UrlEncoding)), it.value());
      s.endGroup();
    }
  });
  connect(model_, &RunTableModel::rename_failed, status_, &QLabel::setText);
  const auto count = [this] { status_->setText(tr("%n run(s)", nullptr, model_->rowCount())); };
  connect(model_, &QAbstractItemModel::rowsInserted, status_, count);
  connect(model_, &QAbstractItemModel::rowsRemoved, status_, count);
  auto* remove = new QAction(tr("Move to trash"), table_);
  remove->setShortcut(QKeySequence::Delete);
  remove->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  connect(remove, &QAction::triggered, this, [this] { delete_selected(); });
  table_->addAction(remove);
  timer_->setInterval(2000);
  connect(timer_, &QTimer::timeout, this, [this] {
    if (isVisible()) rescan();
  });
  timer_->start();
}

QString RunsPanel::status() const { return status_->text(); }

void RunsPanel::set_folders(const QStringList& folders) {
  folders_ = folders;
  rescan();
}

void RunsPanel::rescan() {
  QStringList present;
  for (const QString& folder : folders_) {
    const QFileInfoList logs = QDir(folder).entryInfoList({QStringLiteral("*.h5")}, QDir::Files, QDir::Name);
    for (const QFileInfo& log : logs) {
      const QString path = log.absoluteFilePath();
      present << path;
      const QDateTime modified = log.lastModified();
      if (seen_.value(path) == modified && model_->row_of(path) >= 0) continue;
      seen_[path] = modified;
      try {
        model_->upsert(read_run_summary(path.toStdString()));
      } catch (const std::exception&) {
        model_->remove(path);  // not a run log (or not yet one): not listed
      }
    }
  }
  for (const QString& path : model_->paths())
    if (!present.contains(path)) {
      model_->remove(path);
      seen_.remove(path);
    }
}

QStringList RunsPanel::selected_paths() const {
  QStringList paths;
  for (const QModelIndex& index : table_->selectionModel()->selectedRows())
    paths << index.data(RunTableModel::PathRole).toString();
  return paths;
}

void RunsPanel::delete_selected(bool ask) {
  const QStringList paths = selected_paths();
  if (paths.isEmpty()) return;
  if (ask && QMessageBox::question(this, tr("Delete runs"),
                                   tr("Move %n run log(s) to the trash?\n%1", nullptr, int(paths.size()))
                                       .arg(paths.join(QLatin1Char('\n')))) != QMessageBox::Yes)
    return;
  for (const QString& path : paths) {
    if (!QFile::moveToTrash(path) && !QFile::remove(path)) {
      QMessageBox::warning(this, tr("Delete runs"), tr("cannot delete %1").arg(path));
      continue;
    }
    model_->remove(path);
    seen_.remove(path);
  }
}

}  // namespace moescope
