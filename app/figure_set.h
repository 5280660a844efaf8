// Every view of a run as a figure, over one RunStore: what `moescope-cli plot` draws from a
// log with no window, and what File > Export figure lists. The views are the window's own
// classes, so a figure from the command line is the one the window exports.
#pragma once

#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

#include "base/events.h"

namespace moescope {

class AlertsPanel;
class FocusState;
class Figure;
class GatingView;
class HeatmapWidget;
class LoadTimelineWidget;
class LossChart;
class ModalityView;
class PaintedView;
class RunStore;
class SurgeryView;
class TokenView;
class TrajectoryView;
struct RunLog;

// Feeds a log read back by read_run_log() into `store` as a replay of `path`, in the order a
// live run sends its events.
void replay_into(RunStore& store, const QString& path, const RunLog& log);

class FigureSet {
 public:
  FigureSet();
  ~FigureSet();
  FigureSet(const FigureSet&) = delete;
  FigureSet& operator=(const FigureSet&) = delete;

  RunStore& store() { return *store_; }
  // Names of the figures, in plot --view's order: loss, heatmap, timeline, gating,
  // trajectories, tokens, modality, alerts, surgery.
  QStringList names() const;
  // The figure called `name`, or null.
  const Figure* figure(const QString& name) const;
  // Shows `step` (-1: the latest) at `layer` (-1: each view's own) in every view, and brings
  // the pictures up to date (the views refresh from a timer on screen; here at once).
  void show(qint64 step, int layer);
  // The surgery view draws this preview (a log's last surgery record).
  void set_surgery_preview(const SurgeryPreview& preview);

 private:
  std::unique_ptr<RunStore> store_;
  std::unique_ptr<FocusState> focus_;
  std::unique_ptr<LossChart> loss_;
  std::unique_ptr<HeatmapWidget> heatmap_;
  std::unique_ptr<LoadTimelineWidget> timeline_;
  std::unique_ptr<GatingView> gating_;
  std::unique_ptr<TrajectoryView> trajectories_;
  std::unique_ptr<TokenView> tokens_;
  std::unique_ptr<ModalityView> modality_;
  std::unique_ptr<AlertsPanel> alerts_;
  std::unique_ptr<SurgeryView> surgery_;
  std::vector<PaintedView*> painted_;
};

}  // namespace moescope
