// The Surgery dock: prune, merge, skip or quantize the experts of a paused run, and see the
// price before paying it (docs/surgery.md). The form says what to try; Preview posts it (the
// engine calibrates once per step, plans, measures the changed model on the held-out split
// and puts it back), with progress and Cancel; the preview shows as the experts' picture
// (SurgeryView), the plan table (SurgeryPlanModel, whose per-layer budgets can be edited
// and previewed again) and the cost panel: predicted next to measured, parameters, FLOPs,
// times, warnings. Sweep previews the method at every budget and draws the predicted and
// measured cost curves of every sweep of the run (SurgerySweepChart). Apply commits the last preview between steps; Undo puts the model back
// until the next step. Every preview, apply and undo of the run is in the history box, live
// or read back from the log's /surgery table by a replay.
#pragma once

#include <QWidget>

#include "base/events.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;
class QToolButton;

namespace moescope {

class FocusState;
class RunStore;
class SurgeryPlanModel;
class SurgerySweepChart;
class SurgeryView;

class SurgeryDock : public QWidget {
  Q_OBJECT

 public:
  explicit SurgeryDock(QWidget* parent = nullptr);
  // Shows `store`'s surgery history; the picture follows `focus`'s layer.
  void attach(RunStore* store, FocusState* focus);

  // The live run's state: previews and Apply need a paused run (surgery happens between steps).
  void set_run_state(RunState state);
  // What Preview would ask for now: the form, with the plan table's budgets when edited.
  SurgeryRequest request() const;
  void set_request(const SurgeryRequest& request);

  SurgeryView* view() const { return view_; }
  SurgeryPlanModel* plan() const { return plan_; }
  QTableView* plan_table() const { return table_; }
  QPushButton* preview_button() const { return preview_; }
  QPushButton* sweep_button() const { return sweep_; }
  SurgerySweepChart* sweep_chart() const { return chart_; }
  QTabWidget* tabs() const { return tabs_; }
  QPushButton* apply_button() const { return apply_; }
  QPushButton* undo_button() const { return undo_; }
  QComboBox* history_box() const { return history_; }
  QLabel* cost_label() const { return cost_; }
  QLabel* message_label() const { return message_; }
  QProgressBar* progress_bar() const { return progress_; }

 public Q_SLOTS:
  // The engine's progress of a preview ("calibrating", ...; "failed: ..." when it could not).
  void show_progress(double share, const QString& what);
  // Shows record `index` of the store's history (the newest by default).
  void show_record(int index);

 Q_SIGNALS:
  void preview_requested(const moescope::SurgeryRequest& request);
  // The form's method at every budget (its budget and the plan table's are not used).
  void sweep_requested(const moescope::SurgeryRequest& request);
  void apply_requested(qint64 preview_id);
  void undo_requested();
  void cancel_requested();

 private:
  void build_form();
  void on_kind_changed();
  void on_record_added(const SurgeryRecord& record);
  void on_step();
  void update_buttons();
  void busy(bool busy);
  // The engine answered: the wait ends, the bar reads done, the message says what is next.
  void finished(const QString& message);
  QString cost_text(const SurgeryRecord& record) const;

  RunStore* store_ = nullptr;
  RunState state_ = RunState::Finished;
  bool busy_ = false;
  bool sweeping_ = false;
  qint64 applicable_ = 0;  // the preview Apply would apply (0: none)
  bool undoable_ = false;
  QComboBox* kind_;
  QComboBox* method_;
  QSpinBox* experts_;
  QDoubleSpinBox* beta_;
  QComboBox* bits_;
  QDoubleSpinBox* average_bits_;
  QCheckBox* align_;
  QComboBox* router_;
  QSpinBox* tokens_;
  QComboBox* similarity_;
  QLabel* experts_label_;
  QLabel* beta_label_;
  QLabel* bits_label_;
  QLabel* router_label_;
  QPushButton* preview_;
  QPushButton* sweep_;
  QPushButton* apply_;
  QPushButton* undo_;
  QToolButton* cancel_;
  QProgressBar* progress_;
  QLabel* message_;
  QComboBox* history_;
  SurgeryView* view_;
  SurgerySweepChart* chart_;
  QTabWidget* tabs_;
  SurgeryPlanModel* plan_;
  QTableView* table_;
  QLabel* cost_;
};

}  // namespace moescope
