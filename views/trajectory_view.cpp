#include "trajectory_view.h"

#include <QFontMetricsF>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <algorithm>

#include "colormap.h"
#include "plot_axes.h"
#include "view_chrome.h"
#include "probe_routing.h"
#include "run_store.h"
#include "view_text.h"

namespace moescope {

namespace {

// What the expert's colour at 45% opacity over the background looks like.
QColor band_tint(QRgb colour, const QColor& background) {
  constexpr float kOpacity = 0.45f;
  auto mix = [](int a, int b) { return static_cast<int>(kOpacity * a + (1.0f - kOpacity) * b); };
  return QColor(mix(qRed(colour), background.red()), mix(qGreen(colour), background.green()),
                mix(qBlue(colour), background.blue()));
}

QString tokens_text(int count) {
  return count == 1 ? TrajectoryView::tr("1 token") : TrajectoryView::tr("%1 tokens").arg(count);
}

}  // namespace

TrajectoryView::TrajectoryView(QWidget* parent) : ProbeView(parent, QSize{800, 500}, QSize{300, 200}), status_(new QLabel(this)) {
  add_controls(new QLabel(tr("Routing trajectories"), this), status_);
  refresh();
}

bool TrajectoryView::refresh_due() const {
  // At most a tenth of the time in rendering.
  return dirty() && (!since_render_.isValid() || since_render_.elapsed() >= 10 * render_ms_);
}

void TrajectoryView::set_run_info(const RunInfo& info) {
  expert_types_ = info.expert_types;
  mark_dirty();
}

void TrajectoryView::refresh() {
  mark_clean();
  hovered_band_ = -1;
  sankey_stale_ = true;
  diagram_stale_ = true;
  if (history().empty()) {
    flows_ = {};
    shown_step_ = -1;
    status_->setText(waiting_text(tr("waiting for probe-token routing")));
    update();
    return;
  }
  const auto& entry =
      following_live() ? history().back() : history()[history().nearest(requested_step())];
  flows_ = count_flows(entry.value);
  shown_step_ = entry.step;
  const QString tokens = tr("top-1 expert of %1 probe tokens per layer").arg(flows_.tokens);
  status_->setText(tr("%1, %2").arg(tokens, step_caption(store(), shown_step_, history().back().step,
                                                          following_live())));
  update();
}

int TrajectoryView::flow_count(int layer, int from, int to) const {
  return flows_.flow_count(layer, from, to);
}

int TrajectoryView::node_count(int layer, int expert) const {
  return flows_.node_count(layer, expert);
}

QRectF TrajectoryView::plot_rect() const {
  const QFontMetricsF metrics(paint_font());
  const double bottom = 6.0 + 2.0 * metrics.height() + 8.0;
  const QRectF plot = area().adjusted(8.0, 12.0, -8.0, -bottom);
  return plot.width() >= 20.0 && plot.height() >= 20.0 ? plot : QRectF();
}

const SankeyLayout& TrajectoryView::sankey() const {
  if (sankey_stale_) {
    sankey_ = layout_sankey(flows_, plot_rect());
    sankey_stale_ = false;
  }
  return sankey_;
}

QRectF TrajectoryView::node_rect(int layer, int expert) const {
  for (const SankeyNode& node : sankey().nodes)
    if (node.layer == layer && node.expert == expert) return node.rect;
  return {};
}

QString TrajectoryView::expert_name(int expert) const {
  if (expert == kDroppedNode) return tr("dropped");
  const auto index = static_cast<size_t>(expert);
  if (index < expert_types_.size() && !expert_types_[index].empty() &&
      expert_types_[index] != "ffn")
    return tr("expert %1 (%2)").arg(expert).arg(QString::fromStdString(expert_types_[index]));
  return tr("expert %1").arg(expert);
}

int TrajectoryView::band_at(QPointF widget_pos) const {
  const auto& bands = sankey().bands;
  // Later bands are painted over earlier ones: the topmost under the pointer wins.
  for (int i = static_cast<int>(bands.size()) - 1; i >= 0; --i)
    if (bands[static_cast<size_t>(i)].path.contains(widget_pos)) return i;
  return -1;
}

QString TrajectoryView::tooltip_at(QPoint widget_pos) const {
  const QPointF pos(widget_pos);
  for (const SankeyNode& node : sankey().nodes) {
    if (!node.rect.adjusted(-1.0, -1.0, 1.0, 1.0).contains(pos)) continue;
    return tr("layer %1 %2: %3 (%4)")
        .arg(node.layer)
        .arg(expert_name(node.expert), tokens_text(node.count),
             percent(static_cast<double>(node.count) / flows_.tokens));
  }
  const int band = band_at(pos);
  if (band < 0) return {};
  const SankeyBand& b = sankey().bands[static_cast<size_t>(band)];
  return tr("layer %1 %2 \u2192 layer %3 %4: %5")
      .arg(b.layer)
      .arg(expert_name(b.from))
      .arg(b.layer + 1)
      .arg(expert_name(b.to), tokens_text(b.count));
}

void TrajectoryView::paintEvent(QPaintEvent*) {
  if (diagram_stale_ || diagram_.size() != size() * devicePixelRatio()) {
    QElapsedTimer timer;
    timer.start();
    render_diagram();
    render_ms_ = timer.elapsed();
    since_render_.start();
  }
  QPainter painter(this);
  painter.drawImage(0, 0, diagram_);
  if (hovered_band_ < 0) return;
  const SankeyBand& band = sankey().bands[static_cast<size_t>(hovered_band_)];
  QColor colour = QColor::fromRgb(categorical(band.from));
  colour.setAlphaF(0.85f);
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.fillPath(band.path, colour);
}

void TrajectoryView::render_diagram() {
  diagram_stale_ = false;
  diagram_ = QImage(size() * devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
  diagram_.setDevicePixelRatio(devicePixelRatio());
  QPainter painter(&diagram_);
  painter.fillRect(rect(), paint_palette().window());
  draw_diagram(painter, sankey());
}

void TrajectoryView::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  draw_diagram(painter, layout_sankey(flows_, plot_rect()));
}

void TrajectoryView::draw_diagram(QPainter& painter, const SankeyLayout& diagram) const {
  painter.setPen(paint_palette().color(QPalette::WindowText));
  const QRectF plot = plot_rect();
  if (plot.isEmpty()) return;
  if (flows_.layers == 0) {
    painter.drawText(plot, Qt::AlignCenter, waiting_text(tr("waiting for probe-token routing")));
    return;
  }
  // Bands are painted in opaque tints of their expert's colour: alpha blending made the fill
  // five times slower (450 near-random bands at 1200 x 800: 67 ms against 13). Antialiasing
  // almost triples it (4000 bands: 84 ms against 31); past a couple of thousand bands the
  // edges it smooths are a pixel or two wide anyway.
  constexpr size_t kSmoothBands = 2000;
  const QColor background = paint_palette().color(QPalette::Window);
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, diagram.bands.size() <= kSmoothBands);
  for (const SankeyBand& band : diagram.bands)
    painter.fillPath(band.path, band_tint(categorical(band.from), background));
  painter.restore();

  const QFontMetricsF metrics(paint_font());
  QColor label_background = paint_palette().color(QPalette::Window);
  label_background.setAlpha(200);
  for (const SankeyNode& node : diagram.nodes) {
    const QColor colour = QColor::fromRgb(categorical(node.expert));
    painter.fillRect(node.rect, colour);
    if (node.expert == kDroppedNode)
      painter.fillRect(node.rect, QBrush(Qt::black, Qt::BDiagPattern));
    // Expert ids beside nodes tall enough for them, where the columns leave room.
    const QString label =
        node.expert == kDroppedNode ? tr("dropped") : QString::number(node.expert);
    const double label_w = metrics.horizontalAdvance(label) + 4.0;
    if (node.rect.height() < metrics.height() * 0.8 ||
        diagram.column_spacing < node.rect.width() + label_w + 12.0)
      continue;
    const QRectF box(node.rect.right() + 2.0, node.rect.center().y() - metrics.height() / 2.0,
                     label_w, metrics.height());
    painter.fillRect(box, label_background);
    painter.drawText(box, Qt::AlignCenter, label);
  }

  const double label_w = metrics.horizontalAdvance(QString::number(flows_.layers - 1));
  std::vector<AxisTick> ticks;
  for (int layer : integer_ticks(flows_.layers, diagram.column_spacing, label_w + 10.0))
    ticks.push_back({static_cast<double>(layer), QString::number(layer)});
  paint_column_axis(painter, plot, flows_.layers, tr("layer (node: top-1 expert, band: tokens)"),
                    ticks);
}

void TrajectoryView::resizeEvent(QResizeEvent* event) {
  sankey_stale_ = true;
  diagram_stale_ = true;
  hovered_band_ = -1;
  QWidget::resizeEvent(event);
}

void TrajectoryView::mouseMoveEvent(QMouseEvent* event) {
  const int band = band_at(event->position());
  if (band != hovered_band_) {
    hovered_band_ = band;
    update();  // the band under the pointer is drawn opaque
  }
  PaintedView::mouseMoveEvent(event);  // the tooltip
}

void TrajectoryView::leaveEvent(QEvent* event) {
  if (hovered_band_ >= 0) {
    hovered_band_ = -1;
    update();
  }
  PaintedView::leaveEvent(event);
}

}  // namespace moescope
