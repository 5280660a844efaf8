// The Recipes dock: build an MoE from other models, see it measured before paying for any
// training, then train it (docs/merging.md). Upcycle turns a dense checkpoint into an MoE of
// copies of its FFN; Branch-Train-MiX trains one branch of a dense seed per language and mixes
// their FFNs as experts; Merge averages, task-arithmetics or TIES-merges checkpoints of one
// architecture, aligned first if asked. Preview runs the recipe on a worker thread, with
// progress and Cancel, writes the result beside the run logs and shows, per model, experts,
// parameters, active parameters, forward FLOPs per token and the held-out loss overall and
// per language (and for a merge of two, the loss-barrier curve before and after alignment).
// Apply and train opens the result as the window's run, in every view.
#pragma once

#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>

#include "recipe_runner.h"

class QChartView;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QThread;
class QToolButton;

namespace moescope {

class RecipeDock : public QWidget {
  Q_OBJECT

 public:
  explicit RecipeDock(QWidget* parent = nullptr);
  ~RecipeDock() override;  // cancels a running preview and waits for it

  // Where previews write their checkpoints: a "recipes" folder inside the folder this gives
  // (the window's log folder; the system's temporary folder without one).
  void set_output_folder(std::function<QString()> folder) { output_folder_ = std::move(folder); }
  // What Preview would run now.
  RecipeRequest request() const;
  void set_request(const RecipeRequest& request);
  bool busy() const { return worker_ != nullptr; }
  // The last preview's result; its out is empty before the first.
  const RecipeSummary& summary() const { return summary_; }

  QComboBox* kind_box() const { return kind_; }
  QPushButton* preview_button() const { return preview_; }
  QPushButton* apply_button() const { return apply_; }
  QTableWidget* table() const { return table_; }
  QLabel* message_label() const { return message_; }
  QLabel* barrier_label() const { return barrier_; }
  QChartView* barrier_chart() const { return barrier_chart_; }

 public Q_SLOTS:
  void preview();
  void cancel();

 Q_SIGNALS:
  // Apply and train: open this checkpoint as the window's run and train it.
  void train_requested(const QString& checkpoint);
  void preview_finished(bool ok);

 private:
  void build();
  void on_kind_changed();
  void update_buttons();
  void show_summary(const RecipeSummary& summary);
  void finished(bool ok, const QString& message);
  void show_barrier_chart(const RecipeSummary& summary, double scale, const QString& unit);
  QLineEdit* path_row(QFormLayout* form, const QString& label, QLabel** label_out);

  std::function<QString()> output_folder_;
  RecipeSummary summary_;
  QThread* worker_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;

  QComboBox* kind_;
  QLineEdit* first_;
  QLineEdit* second_;
  QLineEdit* base_;
  QLabel* first_label_;
  QLabel* second_label_;
  QLabel* base_label_;
  QSpinBox* experts_;
  QSpinBox* top_k_;
  QDoubleSpinBox* drop_;
  QSpinBox* branch_steps_;
  QComboBox* router_;
  QComboBox* method_;
  QDoubleSpinBox* lambda_;
  QDoubleSpinBox* density_;
  QCheckBox* align_;
  QLabel* experts_label_;
  QLabel* top_k_label_;
  QLabel* drop_label_;
  QLabel* branch_label_;
  QLabel* router_label_;
  QLabel* method_label_;
  QLabel* lambda_label_;
  QLabel* density_label_;
  QPushButton* preview_;
  QPushButton* apply_;
  QToolButton* cancel_button_;
  QProgressBar* progress_;
  QLabel* message_;
  QLabel* title_;
  QTableWidget* table_;
  QChartView* barrier_chart_;
  QLabel* barrier_;
};

}  // namespace moescope
