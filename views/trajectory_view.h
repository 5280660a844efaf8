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
#include "probe_view.h"

class QLabel;

namespace moescope {

class RunStore;

class TrajectoryView : public ProbeView {
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
  QString tooltip_at(QPoint widget_pos) const override;
  // Where the diagram is painted (the columns' axis is below it).
  QRectF plot_rect() const;


  void paint(QPainter& painter, const QRectF& target) const override;
  QString figure_name() const override { return QStringLiteral("trajectories"); }
  QSizeF figure_size_in() const override { return {6.9, 3.0}; }


 public Q_SLOTS:
  // Expert kinds (MoE++ zero-computation experts) for the tooltips.
  void set_run_info(const moescope::RunInfo& info) override;
  void refresh() override;

 protected:
  // The screen keeps the diagram as an image and repaints only the hovered band over it.
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
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

  std::vector<std::string> expert_types_;
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
