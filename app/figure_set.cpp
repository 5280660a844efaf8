#include "figure_set.h"

#include "alerts_panel.h"
#include "focus_state.h"
#include "gating_view.h"
#include "heatmap_widget.h"
#include "run_log_reader.h"
#include "load_timeline_widget.h"
#include "loss_chart.h"
#include "modality_view.h"
#include "run_store.h"
#include "surgery_view.h"
#include "token_view.h"
#include "trajectory_view.h"

namespace moescope {

void replay_into(RunStore& store, const QString& path, const RunLog& log) {
  store.begin_replay(path);
  store.set_run_info(log.info);
  for (const auto& m : log.steps) store.add_step(m);
  for (const auto& e : log.evals) store.add_eval(e);
  for (const auto& s : log.routing) store.add_routing(s);
  for (const auto& t : log.trajectories) store.add_trajectory(t);
  for (const auto& a : log.alerts) store.add_alert(a);
  for (const auto& e : log.interventions) store.add_intervention(e);
  for (const auto& r : log.surgery) store.add_surgery(r);
}

FigureSet::FigureSet()
    : store_(std::make_unique<RunStore>()),
      focus_(std::make_unique<FocusState>()),
      loss_(std::make_unique<LossChart>()),
      heatmap_(std::make_unique<HeatmapWidget>()),
      timeline_(std::make_unique<LoadTimelineWidget>()),
      gating_(std::make_unique<GatingView>()),
      trajectories_(std::make_unique<TrajectoryView>()),
      tokens_(std::make_unique<TokenView>()),
      modality_(std::make_unique<ModalityView>()),
      alerts_(std::make_unique<AlertsPanel>()),
      surgery_(std::make_unique<SurgeryView>()),
      painted_{heatmap_.get(), timeline_.get(), gating_.get(), trajectories_.get(),
               tokens_.get(), modality_.get(), surgery_.get()} {
  loss_->attach(store_.get(), focus_.get());
  alerts_->attach(store_.get(), focus_.get());
  for (PaintedView* view : painted_) view->attach(store_.get(), focus_.get());
}

FigureSet::~FigureSet() = default;

QStringList FigureSet::names() const {
  return {QStringLiteral("loss"),         QStringLiteral("heatmap"), QStringLiteral("timeline"),
          QStringLiteral("gating"),       QStringLiteral("trajectories"), QStringLiteral("tokens"),
          QStringLiteral("modality"),     QStringLiteral("alerts"),  QStringLiteral("surgery")};
}

const Figure* FigureSet::figure(const QString& name) const {
  const Figure* all[] = {loss_.get(),   heatmap_.get(), timeline_.get(), gating_.get(), trajectories_.get(),
                         tokens_.get(), modality_.get(), alerts_.get(),  surgery_.get()};
  for (const Figure* f : all)
    if (f->figure_name() == name) return f;
  return nullptr;
}

void FigureSet::show(qint64 step, int layer) {
  // The painted views follow the focus (attach()): it moves their layer choosers and shown
  // step, and each refreshes at once. The loss chart draws its cursor from it too; its curve
  // is brought up to date here (on screen its timer does that).
  focus_->focus(layer, step);
  loss_->refresh();
}

void FigureSet::set_surgery_preview(const SurgeryPreview& preview) {
  surgery_->set_preview(preview);
  surgery_->refresh();
}

}  // namespace moescope
