#include "surgery_view.h"

#include <QFontMetricsF>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <functional>

#include "colormap.h"
#include "plot_axes.h"
#include "view_text.h"

namespace moescope {

std::vector<int> dendrogram_leaf_order(const std::vector<std::array<double, 4>>& linkage, int n) {
  std::vector<int> identity(static_cast<size_t>(std::max(0, n)));
  for (int i = 0; i < n; ++i) identity[static_cast<size_t>(i)] = i;
  if (n < 2 || linkage.size() != static_cast<size_t>(n - 1)) return identity;
  // Each id (leaf or earlier step) must be joined exactly once, by a later step.
  std::vector<int> uses(static_cast<size_t>(2 * n - 1), 0);
  for (size_t s = 0; s < linkage.size(); ++s) {
    for (int side = 0; side < 2; ++side) {
      const double id = linkage[s][static_cast<size_t>(side)];
      if (!(id >= 0.0) || id >= static_cast<double>(n) + static_cast<double>(s) || id != std::floor(id)) return identity;
      if (++uses[static_cast<size_t>(id)] > 1) return identity;
    }
  }
  std::vector<int> order;
  std::vector<int> stack{2 * n - 2};
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    if (id < n) {
      order.push_back(id);
      continue;
    }
    const auto& step = linkage[static_cast<size_t>(id - n)];
    stack.push_back(static_cast<int>(step[1]));  // right child after the left one
    stack.push_back(static_cast<int>(step[0]));
  }
  return order.size() == static_cast<size_t>(n) ? order : identity;
}

SurgeryView::SurgeryView(QWidget* parent) : PaintedView(parent, QSize{560, 380}, QSize{300, 220}) {
  auto* title = new QLabel(tr("Experts"), this);
  add_controls(title, nullptr, tr("MoE layer whose experts are shown"));
}

void SurgeryView::set_preview(const SurgeryPreview& preview) {
  preview_ = preview;
  has_preview_ = !preview_.layers.empty();
  set_layers(static_cast<int>(preview_.layers.size()));  // refreshes
}

void SurgeryView::clear() {
  preview_ = SurgeryPreview{};
  has_preview_ = false;
  order_.clear();
  set_layers(0);
}

const SurgeryLayer* SurgeryView::shown_layer() const {
  if (!has_preview_) return nullptr;
  const size_t l = static_cast<size_t>(layer());
  if (l >= preview_.layers.size()) return nullptr;
  const SurgeryLayer& s = preview_.layers[l];
  const size_t E = s.usage.size();
  if (E == 0 || s.similarity.size() != E * E || s.mean_gate.size() != E || s.saliency.size() != E) return nullptr;
  return &s;
}

void SurgeryView::refresh() {
  mark_clean();
  order_.clear();
  if (const SurgeryLayer* s = shown_layer()) {
    const int E = static_cast<int>(s->usage.size());
    order_ = dendrogram_leaf_order(s->dendrogram, E);
    low_ = 1.0;
    high_ = -1.0;
    for (int a = 0; a < E; ++a) {
      for (int b = 0; b < E; ++b) {
        const double v = s->similarity[static_cast<size_t>(a * E + b)];
        if (a == b || !std::isfinite(v)) continue;
        low_ = std::min(low_, v);
        high_ = std::max(high_, v);
      }
    }
    if (!(high_ > low_)) {
      low_ = std::min(low_, high_) - 0.5;
      high_ = low_ + 1.0;
    }
  }
  update();
}

std::vector<int> SurgeryView::plan_groups(const SurgeryLayer& layer) const {
  std::vector<int> groups(layer.usage.size(), 0);
  const std::string& kind = preview_.request.kind;
  if (kind == "merge") {
    for (size_t g = 0; g < layer.groups.size(); ++g) {
      for (int64_t e : layer.groups[g]) {
        if (e >= 0 && static_cast<size_t>(e) < groups.size()) groups[static_cast<size_t>(e)] = static_cast<int>(g);
      }
    }
  } else if (kind == "prune") {
    std::fill(groups.begin(), groups.end(), -1);
    for (int64_t e : layer.kept) {
      if (e >= 0 && static_cast<size_t>(e) < groups.size()) groups[static_cast<size_t>(e)] = 0;
    }
  }
  return groups;
}

SurgeryView::Layout SurgeryView::layout(const QRectF& target) const {
  Layout box;
  const QFontMetricsF fm(paint_font());
  const double line = fm.height();
  box.title = QRectF(target.left(), target.top() + 2.0, target.width(), line * 1.4);
  const QRectF body = target.adjusted(6.0, box.title.height() + 4.0, -6.0, -6.0);
  const double label_w = fm.horizontalAdvance(QStringLiteral("00")) + 8.0;
  const double bar_area_w = body.width() * 0.40;
  const double colour_bar_w = 12.0 + fm.horizontalAdvance(QStringLiteral("-0.00")) + 6.0;
  const double dendro_h = std::max(24.0, body.height() * 0.16);
  const double strip = 8.0;
  const double side = std::min(body.width() - bar_area_w - label_w - strip - colour_bar_w - 10.0,
                               body.height() - dendro_h - strip - line * 1.6);
  if (side < 40.0) return box;
  const double left = body.left() + label_w + strip;
  box.dendrogram = QRectF(left, body.top(), side, dendro_h);
  box.matrix = QRectF(left, box.dendrogram.bottom() + strip, side, side);
  box.strip = QRectF(left - strip, box.matrix.top(), strip - 2.0, side);
  box.colour_bar = QRectF(box.matrix.right() + 8.0, box.matrix.top(), 12.0, side);
  const double bars_left = box.colour_bar.right() + colour_bar_w - 6.0;
  const double bar_w = (body.right() - bars_left) / 3.0;
  for (int i = 0; i < 3; ++i) {
    box.bars[i] = QRectF(bars_left + i * bar_w + 4.0, box.matrix.top(), bar_w - 8.0, side);
  }
  return box;
}

QRectF SurgeryView::matrix_rect() const { return shown_layer() ? layout(area()).matrix : QRectF(); }

void SurgeryView::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  painter.setPen(paint_palette().color(QPalette::WindowText));
  QFont bold = paint_font();
  bold.setBold(true);
  const Layout box = layout(target);
  const SurgeryLayer* s = shown_layer();
  QString title = tr("Preview an expert surgery to see the experts here");
  if (s) {
    const QString kind = QString::fromStdString(preview_.request.similarity);
    const QString what = kind == QLatin1String("weights") ? tr("weights")
                         : kind == QLatin1String("logits") ? tr("router logits")
                                                            : tr("mean outputs");
    title = tr("Layer %1: expert similarity (%2), preview %3 at step %4")
                .arg(s->layer)
                .arg(what)
                .arg(preview_.id)
                .arg(preview_.step);
  }
  painter.setFont(bold);
  painter.drawText(box.title, Qt::AlignHCenter | Qt::AlignVCenter, title);
  painter.setFont(paint_font());
  if (!s || box.matrix.isEmpty()) return;
  paint_dendrogram(painter, box.dendrogram, *s);
  const auto groups = plan_groups(*s);
  paint_matrix(painter, box, *s, groups);
  paint_bars(painter, box.bars[0], s->usage, tr("usage"), groups);
  paint_bars(painter, box.bars[1], s->mean_gate, tr("mean gate"), groups);
  paint_bars(painter, box.bars[2], s->saliency, tr("saliency"), groups);
}

void SurgeryView::paint_dendrogram(QPainter& painter, const QRectF& box, const SurgeryLayer& layer) const {
  const int E = static_cast<int>(order_.size());
  if (layer.dendrogram.size() != static_cast<size_t>(E - 1) || E < 2) return;
  std::vector<double> x(static_cast<size_t>(2 * E - 1)), y(static_cast<size_t>(2 * E - 1), 0.0);
  const double cell = box.width() / E;
  for (int i = 0; i < E; ++i) x[static_cast<size_t>(order_[static_cast<size_t>(i)])] = box.left() + (i + 0.5) * cell;
  double top = 0.0;
  for (const auto& step : layer.dendrogram) top = std::max(top, step[2]);
  if (!(top > 0.0)) top = 1.0;
  const auto height = [&](double d) { return box.bottom() - std::clamp(d / top, 0.0, 1.0) * (box.height() - 2.0); };
  for (int e = 0; e < E; ++e) y[static_cast<size_t>(e)] = box.bottom();
  painter.save();
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setPen(QPen(paint_palette().color(QPalette::WindowText), 1.0));
  for (size_t s = 0; s < layer.dendrogram.size(); ++s) {
    const auto a = static_cast<size_t>(layer.dendrogram[s][0]);
    const auto b = static_cast<size_t>(layer.dendrogram[s][1]);
    const size_t node = static_cast<size_t>(E) + s;
    y[node] = height(layer.dendrogram[s][2]);
    x[node] = 0.5 * (x[a] + x[b]);
    QPainterPath link;
    link.moveTo(x[a], y[a]);
    link.lineTo(x[a], y[node]);
    link.lineTo(x[b], y[node]);
    link.lineTo(x[b], y[b]);
    painter.drawPath(link);
  }
  painter.restore();
}

void SurgeryView::paint_matrix(QPainter& painter, const Layout& box, const SurgeryLayer& layer,
                               const std::vector<int>& groups) const {
  const int E = static_cast<int>(order_.size());
  const QRectF& plot = box.matrix;
  QImage image(E, E, QImage::Format_RGB32);
  for (int r = 0; r < E; ++r) {
    auto* row = reinterpret_cast<QRgb*>(image.scanLine(r));
    for (int c = 0; c < E; ++c) {
      const double v = layer.similarity[static_cast<size_t>(order_[static_cast<size_t>(r)] * E + order_[static_cast<size_t>(c)])];
      row[c] = std::isfinite(v) ? viridis(static_cast<float>((v - low_) / (high_ - low_))) : kMissingColour;
    }
  }
  painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
  painter.drawImage(plot, image);
  const double cell = plot.width() / E;
  std::vector<int> position(static_cast<size_t>(E));
  for (int i = 0; i < E; ++i) position[static_cast<size_t>(order_[static_cast<size_t>(i)])] = i;

  // The plan on the left edge: each group one colour, pruned experts grey and crossed out.
  for (int i = 0; i < E; ++i) {
    const int g = groups[static_cast<size_t>(order_[static_cast<size_t>(i)])];
    const QRectF strip(box.strip.left(), plot.top() + i * cell, box.strip.width(), cell);
    painter.fillRect(strip, QColor::fromRgb(g < 0 ? kDroppedColour : categorical(g)));
    if (g < 0) {
      painter.save();
      painter.setPen(QPen(QColor(0xc0, 0x39, 0x2b), 1.5));
      painter.drawLine(QLineF(plot.left(), plot.top() + (i + 0.5) * cell, plot.right(), plot.top() + (i + 0.5) * cell));
      painter.restore();
    }
  }
  // Merge: REAP's merge error of each pair, a dot whose area follows the error.
  double worst = 0.0;
  for (const auto& pair : layer.pair_errors) worst = std::max(worst, pair[2]);
  if (worst > 0.0 && cell >= 6.0) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    for (const auto& pair : layer.pair_errors) {
      const auto a = static_cast<int>(pair[0]), b = static_cast<int>(pair[1]);
      if (a < 0 || b < 0 || a >= E || b >= E || !(pair[2] > 0.0)) continue;
      const double radius = 0.42 * cell * std::sqrt(pair[2] / worst);
      const bool warn = pair[2] > kMergeErrorWarning;
      painter.setPen(QPen(warn ? QColor(Qt::white) : QColor(0x20, 0x20, 0x20), 1.0));
      painter.setBrush(warn ? QColor(0xc0, 0x39, 0x2b) : QColor(0xf0, 0xf0, 0xf0));
      for (const auto& [r, c] : {std::pair{position[size_t(a)], position[size_t(b)]}, std::pair{position[size_t(b)], position[size_t(a)]}}) {
        painter.drawEllipse(QPointF(plot.left() + (c + 0.5) * cell, plot.top() + (r + 0.5) * cell), radius, radius);
      }
    }
    painter.restore();
  }
  // Expert ids along both edges, thinned to fit.
  const QFontMetricsF fm(painter.font());
  const int every = std::max(1, static_cast<int>(std::ceil(fm.height() / cell)));
  for (int i = 0; i < E; i += every) {
    const QString id = QString::number(order_[static_cast<size_t>(i)]);
    painter.drawText(QRectF(box.strip.left() - 40.0, plot.top() + i * cell, 38.0, cell), Qt::AlignRight | Qt::AlignVCenter, id);
    painter.drawText(QRectF(plot.left() + i * cell - 20.0, plot.bottom() + 2.0, cell + 40.0, fm.height()), Qt::AlignHCenter | Qt::AlignTop, id);
  }
  painter.drawText(QRectF(plot.left() - 40.0, plot.bottom() + fm.height() + 2.0, plot.width() + 80.0, fm.height()),
                   Qt::AlignHCenter, tr("expert"));
  // Colour bar of the similarity, its range at the ends.
  const QRectF& bar = box.colour_bar;
  paint_gradient_bar(painter, bar, BarMap::Viridis);
  paint_bar_labels(painter, bar, QString::number(high_, 'f', 2), QString(), QString::number(low_, 'f', 2));
}

void SurgeryView::paint_bars(QPainter& painter, const QRectF& box, const std::vector<double>& values,
                             const QString& title, const std::vector<int>& groups) const {
  const int E = static_cast<int>(order_.size());
  if (box.width() < 20.0 || values.size() != static_cast<size_t>(E)) return;
  const QFontMetricsF fm(painter.font());
  painter.drawText(QRectF(box.left(), box.top() - fm.height() - 2.0, box.width(), fm.height()), Qt::AlignHCenter, title);
  double top = 0.0;
  for (double v : values) {
    if (std::isfinite(v)) top = std::max(top, v);
  }
  if (!(top > 0.0)) top = 1.0;
  const double cell = box.height() / E;
  for (int i = 0; i < E; ++i) {
    const auto e = static_cast<size_t>(order_[static_cast<size_t>(i)]);
    const double v = std::isfinite(values[e]) ? values[e] : 0.0;
    const int g = groups[e];
    const QRectF bar(box.left(), box.top() + i * cell + cell * 0.12, box.width() * std::clamp(v / top, 0.0, 1.0),
                     cell * 0.76);
    painter.fillRect(bar, QColor::fromRgb(g < 0 ? kDroppedColour : categorical(g)));
  }
  painter.save();
  painter.setPen(paint_palette().color(QPalette::Mid));
  painter.drawLine(QLineF(box.left(), box.top(), box.left(), box.bottom()));
  painter.restore();
  const QString scale = title == tr("usage") ? percent(top) : QString::number(top, 'g', 3);
  painter.drawText(QRectF(box.left(), box.bottom() + 2.0, box.width(), fm.height()), Qt::AlignRight | Qt::AlignTop, scale);
}

QString SurgeryView::tooltip_at(QPoint widget_pos) const {
  const SurgeryLayer* s = shown_layer();
  if (!s) return {};
  const Layout box = layout(area());
  const int E = static_cast<int>(order_.size());
  const QPointF p(widget_pos);
  const auto row_at = [&](const QRectF& r) {
    return std::clamp(static_cast<int>((p.y() - r.top()) / r.height() * E), 0, E - 1);
  };
  if (box.matrix.contains(p)) {
    const int r = row_at(box.matrix);
    const int c = std::clamp(static_cast<int>((p.x() - box.matrix.left()) / box.matrix.width() * E), 0, E - 1);
    const int a = order_[static_cast<size_t>(r)], b = order_[static_cast<size_t>(c)];
    QString text = tr("experts %1 and %2: similarity %3")
                       .arg(a)
                       .arg(b)
                       .arg(s->similarity[static_cast<size_t>(a * E + b)], 0, 'f', 3);
    for (const auto& pair : s->pair_errors) {
      if ((int(pair[0]) == a && int(pair[1]) == b) || (int(pair[0]) == b && int(pair[1]) == a))
        text += tr(", merge error %1").arg(pair[2], 0, 'g', 3);
    }
    return text;
  }
  for (const QRectF& bars : box.bars) {
    if (!bars.contains(p)) continue;
    const auto e = static_cast<size_t>(order_[static_cast<size_t>(row_at(bars))]);
    return tr("expert %1\nusage %2\nmean gate %3\nsaliency %4")
        .arg(e)
        .arg(percent(s->usage[e]))
        .arg(s->mean_gate[e], 0, 'f', 3)
        .arg(s->saliency[e], 0, 'g', 3);
  }
  return {};
}

}  // namespace moescope
