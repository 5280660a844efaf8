#include "modality_view.h"

#include <QComboBox>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <limits>

#include "colormap.h"
#include "plot_axes.h"
#include "run_store.h"
#include "view_text.h"

namespace moescope {

namespace {

constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();
constexpr QRgb kChosenLine = 0xff1f4e9c;
constexpr QRgb kOtherLine = 0xffa0a0a0;

// Room for the titles above the matrix and the specialisation chart: two lines.
double title_height(const QFont& font) { return QFontMetricsF(font).lineSpacing() * 2.2 + 4.0; }

}  // namespace

ModalityView::ModalityView(QWidget* parent)
    : PaintedView(parent, QSize{820, 380}, QSize{360, 200}), status_(new QLabel(this)), rows_box_(new QComboBox(this)) {
  QHBoxLayout* row = add_controls(new QLabel(tr("Modality x expert"), this), status_,
                                  tr("MoE layer whose routing the matrix shows (the timeline shows every layer)"));
  rows_box_->addItem(tr("modality"), static_cast<int>(Rows::Modality));
  rows_box_->addItem(tr("domain"), static_cast<int>(Rows::Domain));
  rows_box_->setToolTip(tr("Rows: the modalities (image, text), or the domains (languages, image classes)"));
  row->insertWidget(row->count() - 2, rows_box_);
  connect(rows_box_, &QComboBox::currentIndexChanged, this,
          [this] { set_rows(static_cast<Rows>(rows_box_->currentData().toInt())); });
  refresh();
}

void ModalityView::connect_store(RunStore* store) {
  connect(store, &RunStore::routing_added, this, [this] { mark_dirty(); });
  // A run of one modality (lm-fortunes: text; vision-fmnist: image) has one modality row to
  // show: its domains (languages, classes) are what tells its experts apart.
  connect(store, &RunStore::run_info_changed, this, [this](const RunInfo& info) {
    set_rows(info.domains.modalities.size() > 1 ? Rows::Modality : Rows::Domain);
  });
}

void ModalityView::set_rows(Rows rows) {
  rows_ = rows;
  const int index = rows_box_->findData(static_cast<int>(rows));
  if (rows_box_->currentIndex() != index) rows_box_->setCurrentIndex(index);
  mark_dirty();
  refresh();
}

void ModalityView::clear() { mark_dirty(); }

QStringList ModalityView::row_names() const {
  QStringList names;
  if (!store() || !store()->has_run_info()) return names;
  const auto& d = store()->info().domains;
  for (const auto& name : rows_ == Rows::Modality ? d.modalities : d.domains) names << QString::fromStdString(name);
  if (has_shown_ && names.size() != table_rows()) return {};
  return names;
}

const std::vector<float>& ModalityView::table() const {
  return rows_ == Rows::Modality ? shown_.modality_load : shown_.domain_load;
}

int64_t ModalityView::table_rows() const { return rows_ == Rows::Modality ? shown_.modalities : shown_.domains; }

int ModalityView::chosen_layer() const {
  return has_shown_ ? std::clamp<int>(layer(), 0, static_cast<int>(std::max<int64_t>(shown_.layers, 1)) - 1) : 0;
}

int ModalityView::expert_count() const { return has_shown_ ? static_cast<int>(shown_.experts_at(chosen_layer())) : 0; }

float ModalityView::share(int row, int expert) const {
  if (!has_shown_ || row < 0 || row >= table_rows() || expert < 0 || expert >= expert_count()) return kNaNf;
  const size_t i = static_cast<size_t>((chosen_layer() * table_rows() + row) * shown_.experts + expert);
  return i < table().size() ? table()[i] : kNaNf;
}

double ModalityView::specialisation() const {
  if (!has_shown_) return std::nan("");
  const auto& s = rows_ == Rows::Modality ? shown_.modality_specialisation : shown_.domain_specialisation;
  const auto l = static_cast<size_t>(chosen_layer());
  return l < s.size() ? double(s[l]) : std::nan("");
}

void ModalityView::refresh() {
  mark_clean();
  const auto& history = routing_history(store());
  series_.clear();
  has_shown_ = false;
  const RoutingFrame* chosen = nullptr;
  int64_t chosen_step = -1;
  // The tagged frames: the timeline's points, and the one nearest the step shown.
  for (int i = 0; i < history.size(); ++i) {
    const auto& entry = history[i];
    const RoutingFrame& f = entry.value;
    if (f.modalities == 0) continue;
    const auto& score = rows_ == Rows::Modality ? f.modality_specialisation : f.domain_specialisation;
    series_.push_back({entry.step, score});
    const bool nearer = chosen == nullptr || following_live() ||
                        std::llabs(entry.step - requested_step()) < std::llabs(chosen_step - requested_step());
    if (nearer) {
      chosen = &f;
      chosen_step = entry.step;
    }
  }
  if (chosen) {
    shown_ = *chosen;
    shown_step_ = chosen_step;
    has_shown_ = true;
    if (layer_box()->count() != shown_.layers) set_layers(static_cast<int>(shown_.layers));
  }
  float largest = 0.0f;
  for (int r = 0; r < table_rows(); ++r)
    for (int e = 0; e < expert_count(); ++e)
      if (std::isfinite(share(r, e))) largest = std::max(largest, share(r, e));
  scale_max_ = load_scale_max(largest, std::max(1, expert_count()));
  if (!has_shown_) {
    const bool untagged = !history.empty();
    status_->setText(untagged ? tr("this run's snapshots carry no per-modality routing (a log from before they were "
                                   "recorded)")
                              : waiting_text(tr("waiting for routing data")));
  } else {
    const double s = specialisation();
    status_->setText(tr("layer %1: specialisation %2, %3")
                         .arg(chosen_layer())
                         .arg(std::isfinite(s) ? QString::number(s, 'f', 3) : tr("n/a"))
                         .arg(step_caption(store(), shown_step_, series_.back().step, following_live())));
  }
  update();
}

QRectF ModalityView::matrix_rect() const {
  const QRectF a = area();
  const QFontMetricsF metrics(paint_font());
  double label_w = metrics.horizontalAdvance(QStringLiteral("image"));
  for (const auto& name : row_names()) label_w = std::max(label_w, metrics.horizontalAdvance(name));
  const double left = a.left() + 8.0 + label_w + 8.0;
  const double top = a.top() + title_height(paint_font()) + metrics.height() + 6.0;  // title, group names
  const double right = a.left() + a.width() * 0.58 - (8.0 + 12.0 + metrics.horizontalAdvance(QStringLiteral("100.0%")) + 8.0);
  const double bottom = a.bottom() - (6.0 + 2.0 * metrics.height() + 8.0);
  const QRectF plot(QPointF(left, top), QPointF(right, bottom));
  return plot.width() >= 8.0 && plot.height() >= 8.0 ? plot : QRectF();
}

QRectF ModalityView::timeline_rect() const {
  const QRectF a = area();
  const QFontMetricsF metrics(paint_font());
  // After the colour bar's labels: a gap, the rotated axis title, the tick labels (as
  // paint_timeline() places them).
  const double left = a.left() + a.width() * 0.58 + 8.0 + metrics.height() + 4.0 +
                      metrics.horizontalAdvance(QStringLiteral("0.0")) + 6.0;
  const QRectF plot(QPointF(left, a.top() + title_height(paint_font()) + metrics.height() + 6.0),
                    QPointF(a.right() - 12.0, a.bottom() - (6.0 + 2.0 * metrics.height() + 8.0)));
  return plot.width() >= 8.0 && plot.height() >= 8.0 ? plot : QRectF();
}

QRectF ModalityView::cell_rect(int row, int expert) const {
  const QRectF plot = matrix_rect();
  const int rows = row_count(), experts = expert_count();
  if (plot.isEmpty() || row < 0 || row >= rows || expert < 0 || expert >= experts) return {};
  const double w = plot.width() / experts, h = plot.height() / rows;
  return {plot.left() + expert * w, plot.top() + row * h, w, h};
}

double ModalityView::step_to_x(int64_t step, const QRectF& plot) const {
  if (series_.empty()) return std::nan("");
  const double first = double(series_.front().step), last = double(series_.back().step);
  if (last <= first) return plot.center().x();
  return plot.left() + (double(step) - first) / (last - first) * plot.width();
}

QString ModalityView::tooltip_at(QPoint widget_pos) const {
  const QStringList names = row_names();
  for (int r = 0; r < names.size(); ++r) {
    for (int e = 0; e < expert_count(); ++e) {
      if (!cell_rect(r, e).contains(widget_pos)) continue;
      const float s = share(r, e);
      return tr("%1 tokens -> expert %2\n%3 of their assignments (ideal %4)\nlayer %5, step %6")
          .arg(names[r])
          .arg(e)
          .arg(std::isfinite(s) ? percent(s) : tr("n/a"), percent(1.0 / std::max(1, expert_count())))
          .arg(chosen_layer())
          .arg(shown_step_);
    }
  }
  const QRectF plot = timeline_rect();
  if (series_.empty() || plot.isEmpty() || !plot.adjusted(-4, -4, 4, 4).contains(widget_pos)) return {};
  const Point* nearest = &series_.front();
  for (const auto& p : series_)
    if (std::abs(step_to_x(p.step, plot) - widget_pos.x()) < std::abs(step_to_x(nearest->step, plot) - widget_pos.x()))
      nearest = &p;
  QString text = tr("step %1").arg(nearest->step);
  for (size_t l = 0; l < nearest->score.size(); ++l) {
    const float v = nearest->score[l];
    text += tr("\nlayer %1: %2").arg(l).arg(std::isfinite(v) ? QString::number(double(v), 'f', 3) : tr("n/a"));
  }
  return text;
}

void ModalityView::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  painter.setPen(paint_palette().color(QPalette::WindowText));
  QFont title_font = paint_font();
  title_font.setBold(true);
  painter.setFont(title_font);
  const QString what = rows_ == Rows::Modality ? tr("modality") : tr("domain");
  QString title = waiting_text(tr("Modality x expert: waiting for routing data"));
  if (has_shown_) {
    title = tr("Routed share per %1, layer %2, %3")
                .arg(what)
                .arg(chosen_layer())
                .arg(step_caption(store(), shown_step_, series_.back().step, following_live()));
  }
  const double title_h = title_height(paint_font());
  // Two lines when one does not hold it (a narrow dock): never cut off at both ends.
  painter.drawText(QRectF(target.left() + 2.0, target.top() + 2.0, target.width() * 0.58 - 4.0, title_h),
                   Qt::AlignCenter | Qt::TextWordWrap, title);
  painter.drawText(QRectF(target.left() + target.width() * 0.58, target.top() + 2.0, target.width() * 0.42, title_h),
                   Qt::AlignCenter | Qt::TextWordWrap, tr("Specialisation I(%1; E) / H(%1)").arg(rows_ == Rows::Modality ? "M" : "D"));
  painter.setFont(paint_font());
  const QRectF matrix = matrix_rect(), timeline = timeline_rect();
  if (!matrix.isEmpty()) {
    if (has_shown_ && row_count() > 0) {
      paint_matrix(painter, matrix);
      paint_groups(painter, matrix);
    } else {
      painter.drawRect(matrix);
    }
  }
  if (!timeline.isEmpty()) paint_timeline(painter, timeline);
}

void ModalityView::paint_matrix(QPainter& painter, const QRectF& plot) const {
  const QStringList names = row_names();
  const int experts = expert_count();
  const QFontMetricsF metrics(painter.font());
  const QColor text_colour = paint_palette().color(QPalette::WindowText);
  for (int r = 0; r < names.size(); ++r) {
    for (int e = 0; e < experts; ++e) {
      const QRectF cell = cell_rect(r, e);
      const float s = share(r, e);
      const QColor fill = QColor::fromRgb(std::isfinite(s) ? viridis(s / scale_max_) : kMissingColour);
      painter.fillRect(cell, fill);
      const QString label = std::isfinite(s) ? QString::number(std::lround(100.0 * s)) : QString();
      if (cell.width() >= metrics.horizontalAdvance(QStringLiteral("100")) + 4.0 && cell.height() >= metrics.height()) {
        painter.setPen(text_colour_on(fill));
        painter.drawText(cell, Qt::AlignCenter, label);
      }
    }
    painter.setPen(text_colour);
    const QRectF row = cell_rect(r, 0);
    painter.drawText(QRectF(area().left() + 4.0, row.top(), plot.left() - area().left() - 10.0, row.height()),
                     Qt::AlignRight | Qt::AlignVCenter, names[r]);
  }
  // Domains of another modality below: a line between them.
  if (rows_ == Rows::Domain && store()) {
    const auto& of = store()->info().domains.modality_of;
    for (int r = 1; r < names.size() && size_t(r) < of.size(); ++r) {
      if (of[size_t(r)] == of[size_t(r - 1)]) continue;
      const double y = cell_rect(r, 0).top();
      painter.setPen(QPen(text_colour, 2.0));
      painter.drawLine(QPointF(plot.left() - 6.0, y), QPointF(plot.right(), y));
    }
  }
  painter.setPen(text_colour);
  std::vector<AxisTick> ticks;
  const double label_w = metrics.horizontalAdvance(QString::number(experts - 1));
  for (int e : integer_ticks(experts, plot.width() / experts, label_w + 8.0))
    ticks.push_back({static_cast<double>(e), QString::number(e)});
  paint_column_axis(painter, plot, experts, tr("expert (cells: percent of the row's assignments)"), ticks);
  paint_colour_bar(painter, colour_bar_beside(plot), scale_max_, 1.0f / static_cast<float>(std::max(1, experts)));
}

// Above the columns, the modality each group of experts serves (moma, moiie, mot layouts).
void ModalityView::paint_groups(QPainter& painter, const QRectF& plot) const {
  if (!store()) return;
  const auto& info = store()->info();
  const auto l = static_cast<size_t>(chosen_layer());
  if (l >= info.shape.layers.size()) return;
  const auto& group = info.shape.layers[l].expert_group;
  const int experts = expert_count();
  if (group.empty() || int(group.size()) != experts) return;
  const QFontMetricsF metrics(painter.font());
  const double w = plot.width() / experts, y = plot.top() - metrics.height() - 4.0;
  for (int start = 0; start < experts;) {
    int end = start;
    while (end < experts && group[size_t(end)] == group[size_t(start)]) ++end;
    const int64_t g = group[size_t(start)];
    const auto& names = info.domains.modalities;
    const QString name = g >= 0 && size_t(g) < names.size() ? QString::fromStdString(names[size_t(g)]) : tr("shared");
    const QRectF span(plot.left() + start * w + 2.0, y, (end - start) * w - 4.0, metrics.height() + 2.0);
    painter.drawLine(QPointF(span.left(), span.bottom()), QPointF(span.right(), span.bottom()));
    painter.drawText(span, Qt::AlignCenter, metrics.elidedText(name, Qt::ElideRight, span.width()));
    start = end;
  }
}

void ModalityView::paint_timeline(QPainter& painter, const QRectF& plot) const {
  const QColor text_colour = paint_palette().color(QPalette::WindowText);
  const QFontMetricsF metrics(painter.font());
  painter.setPen(QPen(text_colour.lighter(160), 1.0));
  for (double v : {0.0, 0.5, 1.0}) {
    const double y = plot.bottom() - v * plot.height();
    painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
  }
  painter.setPen(text_colour);
  painter.drawRect(plot);
  const double tick_w = metrics.horizontalAdvance(QStringLiteral("0.0"));
  for (double v : {0.0, 0.5, 1.0}) {
    const double y = plot.bottom() - v * plot.height();
    painter.drawText(QRectF(plot.left() - 6.0 - tick_w - 2.0, y - metrics.height() / 2.0, tick_w + 2.0, metrics.height()),
                     Qt::AlignRight | Qt::AlignVCenter, QString::number(v, 'f', 1));
  }
  painter.save();
  painter.translate(plot.left() - 6.0 - tick_w - 4.0 - metrics.height() / 2.0, plot.center().y());
  painter.rotate(-90.0);
  painter.drawText(QRectF(-plot.height() / 2.0, -metrics.height() / 2.0, plot.height(), metrics.height()),
                   Qt::AlignCenter, tr("specialisation"));
  painter.restore();
  if (series_.empty()) return;
  // Step axis: the first and last step, and a few between.
  const double first = double(series_.front().step), last = double(series_.back().step);
  for (double step : value_ticks(first, last, std::max(2, int(plot.width() / 90.0)))) {
    const double x = step_to_x(int64_t(std::llround(step)), plot);
    painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4.0));
    painter.drawText(QRectF(x - 40.0, plot.bottom() + 6.0, 80.0, metrics.height()), Qt::AlignHCenter | Qt::AlignTop,
                     QString::number(std::llround(step)));
  }
  paint_centred_label(painter, plot.center().x(), plot.bottom() + 6.0 + metrics.height(),
                      tr("step (bold: layer %1; grey: the other layers)").arg(chosen_layer()),
                      area().left() + area().width() * 0.58, area().right());
  const size_t layers = series_.back().score.size();
  painter.save();
  painter.setClipRect(plot.adjusted(-2, -2, 2, 2));
  painter.setRenderHint(QPainter::Antialiasing, true);
  const auto chosen = static_cast<size_t>(chosen_layer());
  for (size_t pass = 0; pass < 2; ++pass) {  // the other layers, then the chosen one on top
    for (size_t l = 0; l < layers; ++l) {
      if ((l == chosen) != (pass == 1)) continue;
      QPainterPath path;
      bool pen_down = false;
      for (const auto& p : series_) {
        const float v = l < p.score.size() ? p.score[l] : kNaNf;
        if (!std::isfinite(v)) {
          pen_down = false;
          continue;
        }
        const QPointF at(step_to_x(p.step, plot), plot.bottom() - std::clamp(double(v), 0.0, 1.0) * plot.height());
        if (pen_down) path.lineTo(at);
        else path.moveTo(at);
        pen_down = true;
      }
      painter.setPen(QPen(QColor::fromRgb(pass == 1 ? kChosenLine : kOtherLine), pass == 1 ? 2.5 : 1.2));
      painter.setBrush(Qt::NoBrush);
      painter.drawPath(path);
    }
  }
  painter.restore();
  std::vector<MarkerLine> lines;
  for (const auto& m : marker_list()) lines.push_back({step_to_x(m.step, plot), m.label});
  paint_markers(painter, plot, lines);
  if (!following_live() && has_shown_) paint_cursor(painter, plot, step_to_x(shown_step_, plot));
}

}  // namespace moescope
