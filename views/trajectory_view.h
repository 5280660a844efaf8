// Routing trajectories of the fixed probe tokens: which top-1 expert each token reaches in
// every MoE layer, as an alluvial diagram (sankey_layout.h). Experts that specialise show as
// bands that stay apart; a collapsed router funnels every band into one node.
#pragma once

#include <QElapsedTimer>
#include <QImage>
#include <QRectF>
#include <QString>
#include <string>
#include <vector>

#include "base/events.h"
#include "sankey_layout.h"
#include "snapshot_history.h"
#include "view_base.h"

class QLabel;

namespace moescope {

class RunStore;

class TrajectoryView : public PaintedView {
  Q_OBJECT

 public:
  explicit TrajectoryView(QWidget* parent = nullptr);


  // Of the trajectory shown after the last refresh(): probe tokens whose top-1 expert is
  // `from` at `layer` and `to` at layer + 1, and those whose top-1 expert at `layer` is
  // `expert` (kDroppedNode, -1, for tokens no expert took).
  int flow_count(int layer, int from, int to) const;
  int node_count(int layer, int expert) const;
  // Where that node is painted, in widget coordinates; empty when it has no token.
  QRectF node_rect(int layer, int expert) const;
  // "layer l expert a → layer l+1 expert b: n tokens" over a band, "layer l expert a: n tokens
  // (p%)" over a node, empty elsewhere.
  QString tooltip_at(QPoint widget_pos) const;
  // Where the diagram is painted (the columns' axis is below it).
  QRectF plot_rect() const;

  int trajectories() const { return history().size(); }
  // Step of the shown trajectory, -1 before the first.
  qint64 shown_step() const { return shown_step_; }

  void paint(QPainter& painter, const QRectF& target) const override;

  QSize sizeHint() const override { return {800, 500}; }
  QSize minimumSizeHint() const override { return {300, 200}; }

 public Q_SLOTS:
  // Expert kinds (MoE++ zero-computation experts) for the tooltips.
  void set_run_info(const moescope::RunInfo& info);
  // Forgets the history and shows this trajectory.
  void set_trajectory(const moescope::TrajectorySnapshot& trajectory);
  // Keeps the trajectory in the history (evenly thinned when full, see SnapshotHistory); the
  // view follows the latest unless show_step() chose one. A trajectory of another shape starts
  // a new history; one whose sizes do not match its vectors is ignored.
  void add_trajectory(const moescope::TrajectorySnapshot& trajectory);
  void clear() override;
  // Recounts and repaints now (the timer calls this when there is something new to show).
  void refresh() override;

 protected:
  void connect_store(RunStore* store) override;
  // The screen keeps the diagram as an image and repaints only the hovered band over it.
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  QString hover_text(QPoint widget_pos) const override { return tooltip_at(widget_pos); }
  bool refresh_due() const override;

 private:
  const SankeyLayout& sankey() const;
  QString expert_name(int expert) const;
  int band_at(QPointF widget_pos) const;
  // Paints the whole diagram into diagram_; hovering repaints only the band under the pointer
  // over it.
  void render_diagram();
  // The diagram laid out as `diagram`, into area() (paint()'s target, or the screen's).
  void draw_diagram(QPainter& painter, const SankeyLayout& diagram) const;

  // What the view draws: the store's trajectories once attached, else its own (a view on its
  // own, fed by add_trajectory()).
  const SnapshotHistory<TrajectorySnapshot>& history() const;
  SnapshotHistory<TrajectorySnapshot> history_;
  std::vector<std::string> expert_types_;
  qint64 shown_step_ = -1;
  SankeyFlows flows_;
  int hovered_band_ = -1;
  // Geometry follows the widget's size: rebuilt on first use after a resize or a recount.
  mutable SankeyLayout sankey_;
  mutable bool sankey_stale_ = true;
  QImage diagram_;
  bool diagram_stale_ = true;
  // Thousands of long bands (many layers, many tokens, routing near random) take tens of
  // milliseconds to fill: a new trajectory is shown at most every ten render times, so
  // drawing takes at most a tenth of the GUI thread.
  QElapsedTimer since_render_;
  qint64 render_ms_ = 0;

  QLabel* status_ = nullptr;
};

}  // namespace moescope
