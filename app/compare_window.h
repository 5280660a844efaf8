// Runs side by side (Runs panel > Compare with two runs or more): the runs' loss curves on one
// chart (by step or by tokens seen, linear or log), each run's expert-load heatmap next to
// the others at one shared step (the slider; Esc follows the newest step again), the
// difference of two runs' loads on a diverging map, and the config keys in which the runs
// differ. Logs still being written are read again when they change (checked every 2 s), so
// a run going on in moescope-cli is followed here too.
#pragma once

#include <QDateTime>
#include <QStringList>
#include <QWidget>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QSplitter;
class QTableWidget;
class QTimer;

namespace moescope {

class Figure;
class FocusState;
class HeatmapWidget;
class LoadDiffView;
class LossChart;
class RunStore;

class CompareWindow : public QWidget {
  Q_OBJECT
 public:
  // At most this many heatmaps side by side (the loss chart and the config diff take all runs).
  static constexpr int kMaxSideBySide = 4;

  explicit CompareWindow(QWidget* parent = nullptr);
  ~CompareWindow() override;

  // Reads the logs and shows them; returns how many could be read. Each log that could not is
  // named with its problem in `errors`.
  int set_runs(const QStringList& paths, QStringList* errors = nullptr);
  int runs() const { return static_cast<int>(runs_.size()); }

  LossChart* loss_chart() const { return loss_; }
  const std::vector<HeatmapWidget*>& heatmaps() const { return heatmaps_; }
  LoadDiffView* difference() const { return difference_; }
  QTableWidget* config_table() const { return config_; }
  QSlider* step_slider() const { return slider_; }
  QComboBox* x_axis_box() const { return x_axis_; }
  QCheckBox* log_box() const { return log_; }
  QComboBox* difference_a() const { return diff_a_; }
  QComboBox* difference_b() const { return diff_b_; }
  // Every view here, for File > Export figure and right-click.
  std::vector<const Figure*> figures() const;

  // Shows `step` in every run (-1: each run's newest).
  void show_step(qint64 step);
  // Reads again the logs whose file changed since they were read (the timer calls it).
  void reread_changed();

 protected:
  void keyPressEvent(QKeyEvent* event) override;

 private:
  struct Run;
  void rebuild();
  void read(Run& run);
  void update_compare_curves();
  void update_slider();
  void update_difference();
  void fill_config_diff();
  void add_export_menu(QWidget* widget, const Figure* figure);

  std::vector<std::unique_ptr<Run>> runs_;
  FocusState* focus_;
  LossChart* loss_;
  QTableWidget* config_;
  QSplitter* heatmap_row_;
  std::vector<HeatmapWidget*> heatmaps_;
  LoadDiffView* difference_;
  QComboBox* x_axis_;
  QCheckBox* log_;
  QSlider* slider_;
  QLabel* step_label_;
  QComboBox* diff_a_;
  QComboBox* diff_b_;
  QLabel* status_;
  QTimer* timer_;
  QString figure_folder_;
};

}  // namespace moescope
