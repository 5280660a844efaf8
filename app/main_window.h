// The MoE Scope window: run controls and collapse alerts on the left; loss chart, gating
// distributions, expert-load heatmap and load-over-time in the middle; routing trajectories
// and the probe-token view on the right, the surgery dock tabbed with the trajectories; step, throughput and device in the status bar.
// Every view reads one RunStore (fed live by the EventBus, or by a replay read off the GUI
// thread) and follows one FocusState: clicking an alert moves every view to its layer and
// step, Esc follows the run again. It drives a Session through EngineThread and sees only the
// EventBus's value events.
#pragma once

#include <QMainWindow>
#include <QByteArray>
#include <QStringList>

#include <memory>
#include <vector>

#include "base/commands.h"
#include "base/events.h"
#include "engine_thread.h"

class QAction;
class QDragEnterEvent;
class QDropEvent;
class QMenu;
class QDockWidget;
class QLabel;

namespace moescope {

class AlertsPanel;
class EngineThread;
class EventBus;
class Figure;
class FocusState;
class GatingView;
class HeatmapWidget;
class TokenView;
class TrajectoryView;
class LoadTimelineWidget;
class LossChart;
class ModalityView;
class RunControls;
class RunStore;
class RunsPanel;
class CompareWindow;
class SurgeryDock;
class RecipeDock;
struct RunLog;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  RunControls* controls() const { return controls_; }
  HeatmapWidget* heatmap() const { return heatmap_; }
  LossChart* loss_chart() const { return loss_chart_; }
  // The runs side by side of the last Compare of two runs or more; null before.
  CompareWindow* compare_window() const { return compare_; }
  LoadTimelineWidget* timeline() const { return timeline_; }
  GatingView* gating() const { return gating_; }
  TrajectoryView* trajectories() const { return trajectories_; }
  TokenView* tokens() const { return tokens_; }
  ModalityView* modality() const { return modality_; }
  AlertsPanel* alerts() const { return alerts_; }
  SurgeryDock* surgery() const { return surgery_; }
  RecipeDock* recipes() const { return recipes_; }
  RunsPanel* runs() const { return runs_; }
  // The run the views show, and what they look at.
  RunStore* store() const { return store_; }
  FocusState* focus_state() const { return focus_; }
  bool running() const;
  RunState run_state() const { return state_; }  // of the last state the engine published
  // Every view as a figure, in File > Export figure's order, and the one last clicked.
  std::vector<const Figure*> figures() const;
  const Figure* active_figure() const { return active_figure_; }
  // Help > About: the versions of MoE Scope, LibTorch, Qt and HDF5, and the devices.
  QString about_text() const;
  // Where the next run's HDF5 log goes; empty = a new file under the runs folder.
  void set_log_path(const QString& path) { next_log_path_ = path; }
  QString log_path() const { return log_path_; }

 public Q_SLOTS:
  void start_run();
  void toggle_pause();
  void stop_run();
  // Replays a finished or live log into the views. The log is read on a worker thread (a
  // busy dialog shows for a large one) while the window keeps painting; returns when the
  // views hold it, false with a message box for a log that cannot be read.
  bool open_log(const QString& path);
  // Opens a checkpoint (a trained, pruned or merged model) as a paused run at its step, to
  // inspect, preview and apply surgery, save, or train on: Resume trains to the checkpoint's
  // own step count, or 200 steps further when it had reached it (a fine-tune). False, with a
  // message box, for a file that is no checkpoint; nothing starts.
  bool open_checkpoint(const QString& path);
  // Opens a Hugging Face MoE model folder (config.json, safetensors, tokenizer.json;
  // docs/hf-models.md) and runs the text files through it, each a domain: every view shows
  // its routing, the token view the probe's subword tokens. False, with a message box naming
  // the file, for a folder or text that cannot be read; nothing starts.
  bool open_model(const QString& folder, const QStringList& texts);
  // File > Open model: asks for the folder, then for the text files.
  void open_model_dialog();
  // Asks the engine to write a checkpoint there after the current step.
  void save_checkpoint(const QString& path);
  // Shows and raises the Surgery dock (Run > Expert surgery, Ctrl+Shift+U).
  void show_surgery();
  // Shows and raises the Recipes dock (Run > Merging recipes, Ctrl+Shift+M).
  void show_recipes();
  // Shows and raises a dock by its short name (run, alerts, trajectories, tokens, surgery,
  // modality, runs, recipes: moescope --show); false for another name.
  bool raise_dock(const QString& name);
  // Moves every view to this layer and step (an alert's); step -1 follows the run again.
  void focus(int layer, qint64 step);
  // The Export figure dialog for `figure` (null: the active view).
  void export_figure_dialog(const Figure* figure = nullptr);
  // File > Export data...: a table of the run's log as CSV (the step shown, when one is).
  void export_data();
  // Overlays these logs' loss curves on the loss chart (the Runs panel's Compare) and, for two
  // logs or more, shows them side by side in the compare window; returns how many other runs
  // were overlaid. An empty list clears the overlay.
  int compare_runs(const QStringList& paths);
  // View > Reset layout: the docks where a new window puts them.
  void reset_layout();
  // View > Theme: "system" (the platform's palette, as Qt 6.4 reads it), "light" or "dark";
  // kept in the settings. Every view, colour bar and chart repaints in it.
  void set_theme(const QString& theme);
  QString theme() const { return theme_; }
  // View > Language: "system" (the locale's), "en", "de" or "zh_CN"; kept in the settings and
  // applied by load_translations() at the next start (a running window keeps its strings).
  void set_language(const QString& language);
  // Opens a dropped, recent or command-line file by its suffix: .pt a checkpoint, anything
  // else a log.
  bool open_file(const QString& path);
  // Help > User guide (F1): docs/guide.md from the resources, in a window of its own.
  void show_user_guide();
  QWidget* user_guide() const { return guide_; }
  // The runs folder new logs go to (File > Log folder..., kept in the settings).
  QString log_folder() const { return log_folder_; }
  void set_log_folder(const QString& folder);
  // Logs and checkpoints opened or written, newest first (File > Open recent), at most 10.
  QStringList recent_files() const { return recent_; }
  void add_recent(const QString& path);
  // The preset the last session started (what --preset defaults to).
  QString last_preset() const { return last_preset_; }
  // Writes geometry, dock layout, preset, recent files and folders to the settings now (the
  // window does so when it closes).
  void save_settings() const;
  // Reads the settings back (geometry, dock layout, preset, recent files, folders) and keeps
  // them from then on: closing the window saves them. The program calls it; a window made
  // without it (a test's) neither reads nor writes them.
  void restore_settings();

 protected:
  void closeEvent(QCloseEvent* event) override;
  // A .h5 log or a .pt checkpoint dropped on the window opens it.
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void build_menus();
  void connect_bus();
  void clear_status();
  void on_run_info(const RunInfo& info);
  void on_step(const StepMetrics& m);
  void on_eval(const EvalResult& e);
  void on_state(const SessionState& s);
  void on_focus(int layer, qint64 step);
  void post(Command command, const QString& message);
  void launch(EngineJob job, bool paused);
  // Opens a checkpoint as the run, paused or training at once (a recipe's result); false,
  // with a message box, when it cannot.
  bool open_checkpoint_run(const QString& path, bool paused, int64_t* opened_step = nullptr,
                           int64_t* total_steps = nullptr);
  void replay(const QString& path, const RunLog& log);

  EventBus* bus_;
  RunStore* store_;
  FocusState* focus_;
  std::unique_ptr<EngineThread> engine_;
  RunControls* controls_;
  LossChart* loss_chart_;
  HeatmapWidget* heatmap_;
  LoadTimelineWidget* timeline_;
  GatingView* gating_;
  TrajectoryView* trajectories_;
  TokenView* tokens_;
  ModalityView* modality_;
  AlertsPanel* alerts_;
  SurgeryDock* surgery_;
  RecipeDock* recipes_ = nullptr;
  RunsPanel* runs_ = nullptr;
  CompareWindow* compare_ = nullptr;
  QWidget* guide_ = nullptr;  // made at the first Help > User guide  // made at the first comparison of two runs or more
  QStringList run_folders_;  // folders the runs panel lists besides the log folder
  QLabel* state_label_;
  QLabel* step_label_;
  QLabel* speed_label_;
  QLabel* eval_label_;
  QLabel* device_label_;
  QAction* pause_action_ = nullptr;
  const Figure* active_figure_ = nullptr;
  QString figure_folder_;
  QString log_folder_;
  QString last_preset_;
  QString theme_ = QStringLiteral("system");
  QStringList recent_;
  QByteArray default_state_;
  QMenu* recent_menu_ = nullptr;
  void fill_recent_menu();
  bool keeps_settings_ = false;
  std::vector<QDockWidget*> docks_;  // run, alerts, trajectories, tokens, surgery, modality, runs, recipes
  RunState state_ = RunState::Finished;
  double smoothed_tokens_per_s_ = 0.0;
  QString next_log_path_, log_path_;
};

}  // namespace moescope
