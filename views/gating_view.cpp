#include "gating_view.h"

#include <QComboBox>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <algorithm>
#include <cmath>
#include <limits>

#include "plot_axes.h"
#include "view_chrome.h"
#include "layer_box.h"
#include "gating_panels.h"
#include "run_store.h"
#include "view_text.h"

namespace moescope {

void GatingView::connect_store(RunStore* store) {
  // The store keeps the frames; a new one marks the view stale, a new model refills the
  // layer chooser at once (a focus on its layer may come before the next refresh).
  connect(store, &RunStore::routing_added, this, [this] {
    if (layer_box()->count() != layers()) set_layers(static_cast<int>(layers()));
    mark_dirty();
  });
}
namespace {

constexpr int kGateBins = RoutingSnapshot::kGateBins;
constexpr int kKBins = RoutingSnapshot::kKBins;
constexpr QRgb kAllGatesColour = 0xff1f77b4;
constexpr QRgb kTop1Colour = 0xffff7f0e;
constexpr QRgb kKColour = 0xff2ca02c;
constexpr QRgb kChosenLayerColour = 0xff1f77b4;
constexpr QRgb kOtherLayerColour = 0xffc4c4c4;
constexpr int kMaxOtherLines = 12;

// "12.0%", or "n/a" for a share the engine could not compute.
QString share_text(float share) {
  return std::isfinite(share) ? percent(share) : GatingView::tr("n/a");
}

float value_or_nan(const std::vector<float>& series, int64_t index) {
  return index >= 0 && index < static_cast<int64_t>(series.size())
             ? series[static_cast<size_t>(index)]
             : std::numeric_limits<float>::quiet_NaN();
}

}  // namespace

GatingView::GatingView(QWidget* parent) : PaintedView(parent, QSize{800, 500}, QSize{360, 260}), status_(new QLabel(this)) {
  add_controls(new QLabel(tr("Gating"), this), status_, tr("MoE layer whose gates are shown"));
  update_status();
}

const SnapshotHistory<RoutingFrame>& GatingView::history() const {
  return routing_history(store());
}

int64_t GatingView::layers() const {
  return history().empty() ? 0 : history().back().value.layers;
}

void GatingView::clear() { mark_dirty(); }

void GatingView::refresh() {
  // A new model: set_layers() refills the chooser and refreshes again.
  if (layer_box()->count() != layers()) return set_layers(static_cast<int>(layers()));
  mark_clean();
  update_status();
  update();
}

const SnapshotHistory<RoutingFrame>::Entry* GatingView::shown() const {
  const auto& history = this->history();
  if (history.empty()) return nullptr;
  return following_live() ? &history.back() : &history[history.nearest(requested_step())];
}

qint64 GatingView::shown_step() const {
  const auto* entry = shown();
  return entry ? entry->step : -1;
}

void GatingView::update_status() {
  const auto* entry = shown();
  if (!entry)
    status_->setText(waiting_text(tr("waiting for routing data")));
  else
    status_->setText(step_caption(store(), entry->step, history().back().step, following_live()));
}

std::vector<float> GatingView::histogram_row(const std::vector<float>& hist, int bins) const {
  const int shown_layer = layer();
  if (hist.size() != static_cast<size_t>(layers() * bins) || shown_layer >= layers()) return {};
  const auto first = hist.begin() + static_cast<std::ptrdiff_t>(shown_layer) * bins;
  return std::vector<float>(first, first + bins);
}

double GatingView::gate_axis_top() const {
  const auto* entry = shown();
  double largest = 0.0;
  if (entry)
    for (const auto* hist : {&entry->value.gate_hist, &entry->value.top1_hist})
      for (float share : histogram_row(*hist, kGateBins))
        if (std::isfinite(share)) largest = std::max<double>(largest, share);
  return axis_top(largest, 0.05);
}

double GatingView::k_axis_top() const {
  const auto* entry = shown();
  double largest = 0.0;
  if (entry)
    for (float share : histogram_row(entry->value.k_hist, kKBins))
      if (std::isfinite(share)) largest = std::max<double>(largest, share);
  return axis_top(largest, 0.05);
}

double GatingView::dropped_axis_top() const {
  double largest = 0.0;
  for (int i = 0; i < history().size(); ++i)
    for (float share : history()[i].value.dropped)
      if (std::isfinite(share)) largest = std::max<double>(largest, share);
  return axis_top(largest, 0.01);
}

float GatingView::entropy_scale(const RoutingFrame& frame, int layer) {
  if (layer < 0 || layer >= frame.layers) return std::numeric_limits<float>::quiet_NaN();
  const int64_t experts = frame.experts_at(layer);
  return experts > 1 ? 1.0f / std::log(static_cast<float>(experts)) : std::numeric_limits<float>::quiet_NaN();
}

QRectF GatingView::panel_area(Panel panel) const {
  const QRectF area = this->area().adjusted(6.0, 8.0, -6.0, -4.0);
  constexpr double kGapX = 16.0, kGapY = 8.0;
  const double w = (area.width() - kGapX) / 2.0;
  const double h = (area.height() - kGapY) / 2.0;
  const int index = static_cast<int>(panel);
  return {area.left() + (index % 2) * (w + kGapX), area.top() + (index / 2) * (h + kGapY), w, h};
}

QRectF GatingView::panel_rect(Panel panel) const {
  return panel_frame(paint_font(), panel_area(panel)).plot;
}

QRectF GatingView::gate_bar_rect(int bin, bool top1) const {
  const auto* entry = shown();
  if (!entry || bin < 0 || bin >= kGateBins) return {};
  const std::vector<float> row =
      histogram_row(top1 ? entry->value.top1_hist : entry->value.gate_hist, kGateBins);
  if (row.empty()) return {};
  return bar_rect(panel_rect(Panel::GateWeights), kGateBins, bin, 2, top1 ? 1 : 0,
                  row[static_cast<size_t>(bin)], gate_axis_top());
}

QRectF GatingView::k_bar_rect(int k) const {
  const auto* entry = shown();
  if (!entry || k < 0 || k >= kKBins) return {};
  const std::vector<float> row = histogram_row(entry->value.k_hist, kKBins);
  if (row.empty()) return {};
  return bar_rect(panel_rect(Panel::ExpertsPerToken), kKBins, k, 1, 0, row[static_cast<size_t>(k)],
                  k_axis_top());
}

void GatingView::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  painter.setPen(paint_palette().color(QPalette::WindowText));
  if (history().empty()) {
    const QRectF area = panel_area(Panel::GateWeights).united(panel_area(Panel::Dropped));
    painter.drawText(area, Qt::AlignCenter, waiting_text(tr("waiting for routing data")));
    return;
  }
  paint_gate_weights(painter);
  paint_experts_per_token(painter);
  paint_time_panel(painter, Panel::Entropy);
  paint_time_panel(painter, Panel::Dropped);
}

void GatingView::paint_gate_weights(QPainter& painter) const {
  const PanelFrame frame = panel_frame(paint_font(), panel_area(Panel::GateWeights));
  paint_panel_title(painter, frame.title_row, tr("Gate weights"),
                    {{QColor::fromRgb(kAllGatesColour), tr("all gates")},
                     {QColor::fromRgb(kTop1Colour), tr("top-1 gate")}});
  if (frame.plot.isEmpty()) return;
  const auto& value = shown()->value;
  const std::vector<float> all = histogram_row(value.gate_hist, kGateBins);
  const std::vector<float> top1 = histogram_row(value.top1_hist, kGateBins);
  const double y_max = gate_axis_top();
  paint_y_axis(painter, frame.plot, y_max, true);
  if (all.empty() && top1.empty()) {
    painter.drawText(frame.plot, Qt::AlignCenter, tr("no gate histogram in this snapshot"));
  } else {
    // A missing series keeps its place (all bars stay where gate_bar_rect says).
    const std::vector<float> none(kGateBins, std::numeric_limits<float>::quiet_NaN());
    paint_bars(painter, frame.plot,
               {{all.empty() ? none : all, QColor::fromRgb(kAllGatesColour)},
                {top1.empty() ? none : top1, QColor::fromRgb(kTop1Colour)}},
               y_max);
  }
  // Ticks at round gate weights, on bin edges: weight w is at column w * bins - 0.5.
  const int max_ticks = std::max(1, static_cast<int>(frame.plot.width() / 50.0));
  std::vector<AxisTick> ticks;
  for (double weight : value_ticks(0.0, 1.0, max_ticks))
    ticks.push_back({weight * kGateBins - 0.5, QString::number(weight, 'g', 3)});
  paint_column_axis(painter, frame.plot, kGateBins, tr("gate weight"), ticks);
}

void GatingView::paint_experts_per_token(QPainter& painter) const {
  const PanelFrame frame = panel_frame(paint_font(), panel_area(Panel::ExpertsPerToken));
  const auto& value = shown()->value;
  const float mean_k = value_or_nan(value.mean_k, layer());
  const QString title =
      std::isfinite(mean_k)
          ? tr("Experts per token (mean %1)").arg(static_cast<double>(mean_k), 0, 'f', 2)
          : tr("Experts per token");
  paint_panel_title(painter, frame.title_row, title, {});
  if (frame.plot.isEmpty()) return;
  const std::vector<float> row = histogram_row(value.k_hist, kKBins);
  const double y_max = k_axis_top();
  paint_y_axis(painter, frame.plot, y_max, true);
  if (row.empty())
    painter.drawText(frame.plot, Qt::AlignCenter, tr("no k histogram in this snapshot"));
  else
    paint_bars(painter, frame.plot, {{row, QColor::fromRgb(kKColour)}}, y_max);
  const double label_w = QFontMetricsF(paint_font()).horizontalAdvance(QStringLiteral("16+"));
  std::vector<AxisTick> ticks;
  for (int k : integer_ticks(kKBins, frame.plot.width() / kKBins, label_w + 6.0))
    ticks.push_back({static_cast<double>(k), QString::number(k)});
  // The last column's "16+" replaces any tick too close to it to be read apart.
  const double column_w = frame.plot.width() / kKBins;
  while (!ticks.empty() && (kKBins - 1.0 - ticks.back().column) * column_w < label_w + 6.0) ticks.pop_back();
  ticks.push_back({kKBins - 1.0, tr("%1+").arg(kKBins - 1)});
  paint_column_axis(painter, frame.plot, kKBins, tr("experts per token (k)"), ticks);
}

void GatingView::paint_time_panel(QPainter& painter, Panel panel) const {
  const bool entropy = panel == Panel::Entropy;
  const PanelFrame frame = panel_frame(paint_font(), panel_area(panel));
  // Past a dozen, the other layers' lines merge into a grey band anyway: it is drawn as one.
  const bool other_range = layers() - 1 > kMaxOtherLines;
  std::vector<LegendEntry> legend = {
      {QColor::fromRgb(kChosenLayerColour), tr("layer %1").arg(layer()), true}};
  if (layers() > 1)
    legend.push_back({QColor::fromRgb(kOtherLayerColour),
                      other_range ? tr("other layers (range)") : tr("other layers"), !other_range});
  paint_panel_title(painter, frame.title_row,
                    entropy ? tr("Gate entropy / log E") : tr("Dropped at capacity"), legend);
  if (frame.plot.isEmpty()) return;
  const double y_max = entropy ? 1.0 : dropped_axis_top();
  paint_y_axis(painter, frame.plot, y_max, !entropy);
  const double x_min = static_cast<double>(history()[0].step);
  const double x_max = static_cast<double>(history().back().step);

  // The panel's value of layer `l` in a frame: the dropped share, or the normalised entropy.
  // Each layer's entropy as a share of its own largest, log E_l, at that step.
  auto value_at = [entropy](const RoutingFrame& frame, int l) {
    return entropy ? value_or_nan(frame.entropy, l) * entropy_scale(frame, l)
                   : value_or_nan(frame.dropped, l);
  };
  const int shown_layer = layer();
  if (other_range) {
    StepRange range(frame.plot, x_min, x_max, y_max);
    for (int i = 0; i < history().size(); ++i) {
      const auto& entry = history()[i];
      const std::vector<float>& values = entropy ? entry.value.entropy : entry.value.dropped;
      const int column = range.column(static_cast<double>(entry.step));
      for (int l = 0; l < static_cast<int>(values.size()); ++l)
        if (l != shown_layer) range.add(column, value_at(entry.value, l));
    }
    range.paint(painter, QColor::fromRgb(kOtherLayerColour));
  }
  for (int l = 0; l < layers(); ++l) {
    if (l == shown_layer || other_range) continue;
    StepSeries series{{}, QColor::fromRgb(kOtherLayerColour), 1.0, false};
    for (int i = 0; i < history().size(); ++i)
      series.points.emplace_back(static_cast<double>(history()[i].step),
                                 value_at(history()[i].value, l));
    paint_step_series(painter, frame.plot, x_min, x_max, y_max, series, pixels_per_unit());
  }
  StepSeries chosen{{}, QColor::fromRgb(kChosenLayerColour), 2.0, true};
  for (int i = 0; i < history().size(); ++i)
    chosen.points.emplace_back(static_cast<double>(history()[i].step),
                               value_at(history()[i].value, shown_layer));
  paint_step_series(painter, frame.plot, x_min, x_max, y_max, chosen, pixels_per_unit());

  std::vector<MarkerLine> lines;
  for (const Marker& marker : marker_list())
    lines.push_back(
        {step_to_x(frame.plot, x_min, x_max, static_cast<double>(marker.step)), marker.label});
  paint_markers(painter, frame.plot, lines);
  if (!following_live())
    paint_cursor(painter, frame.plot,
                 step_to_x(frame.plot, x_min, x_max, static_cast<double>(shown_step())));
  paint_step_axis(painter, frame.plot, x_min, x_max, tr("step"));
}

QString GatingView::tooltip_at(QPoint widget_pos) const {
  const auto* entry = shown();
  if (!entry) return {};
  const QPointF pos(widget_pos);
  const QRectF gates = panel_rect(Panel::GateWeights);
  if (gates.contains(pos)) {
    const int bin = std::clamp(
        static_cast<int>((pos.x() - gates.left()) / gates.width() * kGateBins), 0, kGateBins - 1);
    const std::vector<float> all = histogram_row(entry->value.gate_hist, kGateBins);
    const std::vector<float> top1 = histogram_row(entry->value.top1_hist, kGateBins);
    const double width = 1.0 / kGateBins;
    QString text =
        tr("gate weight %1\u2013%2").arg(bin * width, 0, 'f', 2).arg((bin + 1) * width, 0, 'f', 2);
    if (!all.empty()) text += tr("\nall dispatched gates %1").arg(share_text(all[bin]));
    if (!top1.empty()) text += tr("\ntop-1 gate %1").arg(share_text(top1[bin]));
    return text;
  }
  const QRectF k_plot = panel_rect(Panel::ExpertsPerToken);
  if (k_plot.contains(pos)) {
    const std::vector<float> row = histogram_row(entry->value.k_hist, kKBins);
    if (row.empty()) return {};
    const int k = std::clamp(static_cast<int>((pos.x() - k_plot.left()) / k_plot.width() * kKBins),
                             0, kKBins - 1);
    if (k == kKBins - 1)
      return tr("%1 or more experts: %2 of tokens").arg(k).arg(share_text(row[k]));
    return k == 1 ? tr("1 expert: %1 of tokens").arg(share_text(row[k]))
                  : tr("%1 experts: %2 of tokens").arg(k).arg(share_text(row[k]));
  }
  for (Panel panel : {Panel::Entropy, Panel::Dropped}) {
    const QRectF plot = panel_rect(panel);
    if (!plot.contains(pos)) continue;
    const double x_min = static_cast<double>(history()[0].step);
    const double x_max = static_cast<double>(history().back().step);
    const double span = x_max > x_min ? x_max - x_min : 1.0;
    const auto step =
        static_cast<int64_t>(std::llround(x_min + (pos.x() - plot.left()) / plot.width() * span));
    const auto& near = history()[history().nearest(step)];
    if (panel == Panel::Dropped)
      return tr("step %1, layer %2: %3 dropped")
          .arg(near.step)
          .arg(layer())
          .arg(share_text(value_or_nan(near.value.dropped, layer())));
    const float nats = value_or_nan(near.value.entropy, layer());
    if (!std::isfinite(nats))
      return tr("step %1, layer %2: entropy n/a").arg(near.step).arg(layer());
    return tr("step %1, layer %2: entropy %3 nats (%4 of log E)")
        .arg(near.step)
        .arg(layer())
        .arg(static_cast<double>(nats), 0, 'f', 3)
        .arg(share_text(nats * entropy_scale(near.value, layer())));
  }
  return {};
}

}  // namespace moescope
