// How the routers gate, per MoE layer: the distribution of gate weights (all dispatched gates
// and each token's top-1 gate), how many experts each token got, and over the run the gate
// entropy of every layer (normalised by log E: 1 = uniform gates, 0 = one-hot) and the share
// of assignments dropped at capacity. Collapse reads as entropy falling towards 0 and top-1
// gates piling up at 1.
#pragma once

#include <QRectF>
#include <QString>
#include <vector>

#include "base/events.h"
#include "routing_frame.h"
#include "snapshot_history.h"
#include "view_base.h"

class QLabel;

namespace moescope {

class RunStore;

class GatingView : public PaintedView {
  Q_OBJECT

 public:
  enum class Panel { GateWeights, ExpertsPerToken, Entropy, Dropped };

  explicit GatingView(QWidget* parent = nullptr);


  // Snapshots the store keeps (its routing history), with the step of each (oldest first).
  int snapshots() const { return history().size(); }
  std::vector<int64_t> steps() const { return history().steps(); }
  // Step of the snapshot the histograms show (-1 before the first), and whether that is the
  // latest one.
  qint64 shown_step() const;
  // Where a panel's plot area is painted, in widget coordinates (empty when too small).
  QRectF panel_rect(Panel panel) const;
  // Where the gate-histogram bar of `bin` is painted (the top-1 series when `top1`); empty
  // when that bar has no height.
  QRectF gate_bar_rect(int bin, bool top1) const;
  // Where the bar of tokens with k experts is painted (k = kKBins - 1 stands for 16 or more).
  QRectF k_bar_rect(int k) const;
  // "gate weight 0.95–1.00\nall dispatched gates 12.0%\ntop-1 gate 40.0%" over a bar of the
  // histograms, the chosen layer's value at the nearest kept step over a time panel ("step N,
  // layer L: 3.0% dropped"), empty elsewhere.
  QString tooltip_at(QPoint widget_pos) const override;

  void paint(QPainter& painter, const QRectF& target) const override;
  QString figure_name() const override { return QStringLiteral("gating"); }
  QSizeF figure_size_in() const override { return {6.9, 3.6}; }


 public Q_SLOTS:
  void clear() override;
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;

 private:
  // The store's routing history (series of the wrong length are kept there as missing and
  // drawn as gaps); empty without a store.
  const SnapshotHistory<RoutingFrame>& history() const;
  // Layers of the newest frame (0 for none).
  int64_t layers() const;
  const SnapshotHistory<RoutingFrame>::Entry* shown() const;
  // The chosen layer's row of a [layers][bins] histogram of the shown frame; empty if absent.
  std::vector<float> histogram_row(const std::vector<float>& hist, int bins) const;
  double gate_axis_top() const;
  double k_axis_top() const;
  double dropped_axis_top() const;
  // Multiplies a layer's gate entropy into a share of the largest possible, log E.
  // 1 / log E_l, E_l the experts layer l routes to in that frame (uniform gates over them have
  // entropy log E_l); NaN for a layer of one expert.
  static float entropy_scale(const RoutingFrame& frame, int layer);
  QRectF panel_area(Panel panel) const;
  void paint_gate_weights(QPainter& painter) const;
  void paint_experts_per_token(QPainter& painter) const;
  void paint_time_panel(QPainter& painter, Panel panel) const;
  void update_status();

  QLabel* status_ = nullptr;
};

}  // namespace moescope
