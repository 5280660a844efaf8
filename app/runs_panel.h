// The runs panel: every run log in the log folder (and the folders the user adds) as a table
// of name, preset, router, steps, final validation loss, accuracy, date and tags, sorted by
// any column and filtered by a text box. Names rename the file, tags are kept in the
// settings, Delete moves a log to the trash after asking. Logs still being written grow in
// the table as their runs go on (the folder is read again every two seconds, each log only
// when it changed). Double-click opens a log in the window.
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QStringList>
#include <QWidget>
#include <vector>

#include "run_log_reader.h"

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace moescope {

class RunTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { NameColumn, PresetColumn, RouterColumn, StepsColumn, LossColumn, AccuracyColumn, DateColumn,
                TagsColumn, Columns };
  // The raw value of a cell (a number for the numeric columns), for sorting.
  static constexpr int SortRole = Qt::UserRole;
  static constexpr int PathRole = Qt::UserRole + 1;

  using QAbstractTableModel::QAbstractTableModel;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  // Editing a name renames the log on disk (the name without .h5); editing tags stores them.
  bool setData(const QModelIndex& index, const QVariant& value, int role) override;

  // Adds or updates the run of summary.path; removes runs whose file is gone.
  void upsert(const RunSummary& summary);
  void remove(const QString& path);
  int row_of(const QString& path) const;
  const RunSummary& run(int row) const { return runs_[static_cast<size_t>(row)]; }
  QStringList paths() const;
  // Tags by log path (comma-separated text), kept in the settings under "runs/tags".
  void set_tags(const QHash<QString, QString>& tags) { tags_ = tags; }
  const QHash<QString, QString>& tags() const { return tags_; }
  // The error of the last rename (empty after one that worked).
  QString last_error() const { return last_error_; }

 Q_SIGNALS:
  // A rename was refused: `error` says why (shown under the table).
  void rename_failed(const QString& error);

 private:
  std::vector<RunSummary> runs_;
  QHash<QString, QString> tags_;
  QString last_error_;
};

class RunsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit RunsPanel(QWidget* parent = nullptr);

  // The folders listed (the log folder first); each is read at once and then every 2 s.
  void set_folders(const QStringList& folders);
  QStringList folders() const { return folders_; }
  // Reads the folders again now: new logs are added, changed ones re-read, gone ones removed.
  void rescan();
  RunTableModel* model() const { return model_; }
  QSortFilterProxyModel* proxy() const { return proxy_; }
  QTableView* table() const { return table_; }
  QLineEdit* filter_box() const { return filter_; }
  // The line under the table: how many runs, or what went wrong.
  QString status() const;
  // Deletes the selected logs (moved to the trash) after asking; `ask` false skips the question.
  void delete_selected(bool ask = true);
  QStringList selected_paths() const;

 Q_SIGNALS:
  void open_requested(const QString& path);
  // Compare: the selected logs' loss curves over the run shown (none: clear the overlay).
  void compare_requested(const QStringList& paths);
  void folders_changed(const QStringList& folders);

 private:
  RunTableModel* model_;
  QSortFilterProxyModel* proxy_;
  QTableView* table_;
  QLineEdit* filter_;
  QLabel* status_;
  QTimer* timer_;
  QStringList folders_;
  QHash<QString, QDateTime> seen_;  // log path -> modification time when last read
};

}  // namespace moescope
