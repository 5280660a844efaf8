#include "token_view.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "colormap.h"
#include "view_chrome.h"
#include "layer_box.h"
#include "probe_routing.h"
#include "run_store.h"
#include "view_text.h"

namespace moescope {

namespace {

constexpr double kCellGap = 1.0;
constexpr double kLegendSwatch = 12.0;

QString legend_text(int expert, int count) {
  return expert < 0 ? TokenView::tr("dropped: %1").arg(count)
                    : TokenView::tr("%1: %2").arg(expert).arg(count);
}

}  // namespace

QString token_glyph(unsigned char byte) {
  if (byte == '\n') return QStringLiteral("\u23ce");
  if (byte >= 0x20 && byte < 0x7f) return QString(QLatin1Char(static_cast<char>(byte)));
  return QStringLiteral("\u00b7");
}

TokenView::TokenView(QWidget* parent) : ProbeView(parent, QSize{800, 500}, QSize{300, 200}), status_(new QLabel(this)) {
  add_controls(new QLabel(tr("Probe tokens"), this), status_, tr("MoE layer whose top-1 experts colour the tokens"));
  refresh();
}

void TokenView::set_run_info(const RunInfo& info) {
  probe_text_ = info.probe_text;
  labels_.clear();
  ends_line_.clear();
  subword_ = probe_text_.empty() && !info.probe_token_texts.empty();
  if (subword_) {
    for (const auto& t : info.probe_token_texts) {
      QString label = QString::fromUtf8(t.data(), static_cast<qsizetype>(t.size()));
      const bool newline = label.endsWith(QLatin1Char('\n'));
      label.replace(QLatin1Char('\n'), QStringLiteral("\u23ce")).replace(QLatin1Char(' '), QStringLiteral("\u2423"));
      labels_.push_back(label.isEmpty() ? QStringLiteral("\u00b7") : label);
      ends_line_.push_back(newline);
    }
  } else {
    for (char byte : probe_text_) {
      labels_.push_back(token_glyph(static_cast<unsigned char>(byte)));
      ends_line_.push_back(byte == '\n');
    }
  }
  probe_tokens_ = info.probe_tokens;
  probe_image_ = info.probe_image;
  if (info.layers > 0 && layer_box()->count() != info.layers)
    fill_layer_box(layer_box(), static_cast<int>(info.layers));
  mark_dirty();
}

void TokenView::trajectory_added(const TrajectorySnapshot& trajectory) {
  if (layer_box()->count() != trajectory.layers)
    fill_layer_box(layer_box(), static_cast<int>(trajectory.layers));
}

void TokenView::refresh() {
  mark_clean();
  has_shown_ = !history().empty();
  top1_.clear();
  counts_.clear();
  shown_step_ = -1;
  if (has_shown_) {
    const auto& entry =
        following_live() ? history().back() : history()[history().nearest(requested_step())];
    shown_ = entry.value;
    shown_step_ = entry.step;
    const int shown_layer = std::min<int>(layer(), static_cast<int>(shown_.layers) - 1);
    for (int64_t token = 0; token < shown_.tokens; ++token) {
      top1_.push_back(top1_expert(shown_, shown_layer, token));
      ++counts_[top1_.back()];
    }
  }
  if (!has_shown_)
    status_->setText(token_count() > 0 ? waiting_text(tr("waiting for probe-token routing")) : QString());
  else
    status_->setText(tr("top-1 expert per token, %1")
                         .arg(step_caption(store(), shown_step_, history().back().step, following_live())));
  update();
}

int TokenView::image_tokens() const {
  if (!has_image()) return 0;
  // A fusion probe: the image's patches, then the caption's bytes; a vision probe: patches.
  const int64_t patches = probe_tokens_ - static_cast<int64_t>(labels_.size());
  return patches == kPatchColumns * kPatchColumns ? static_cast<int>(patches) : 0;
}

int TokenView::token_count() const {
  if (is_text()) return image_tokens() + static_cast<int>(labels_.size());
  return static_cast<int>(std::max<int64_t>(probe_tokens_, has_shown_ ? shown_.tokens : 0));
}

QColor TokenView::tinted_pixel(int x, int y) const {
  if (!has_image() || x < 0 || x >= 28 || y < 0 || y >= 28) return {};
  const int grey = probe_image_[static_cast<size_t>(y * 28 + x)];
  const QColor tint = colour_of_token((y / 4) * kPatchColumns + x / 4);
  if (!tint.isValid()) return QColor(grey, grey, grey);
  const auto mix = [&](int c) { return static_cast<int>(std::lround((1.0 - kTint) * grey + kTint * c)); };
  return QColor(mix(tint.red()), mix(tint.green()), mix(tint.blue()));
}

QColor TokenView::colour_of_token(int token) const {
  if (token < 0 || token >= static_cast<int>(top1_.size())) return {};
  return QColor::fromRgb(categorical(top1_[static_cast<size_t>(token)]));
}

int TokenView::tokens_of_expert(int expert) const {
  const auto it = counts_.find(expert);
  return it == counts_.end() ? 0 : it->second;
}

QString TokenView::tooltip_for_token(int token) const {
  if (token < 0 || token >= token_count()) return {};
  QString text;
  const int patches = image_tokens();
  if (is_text() && token >= patches && subword_) {
    text = tr("'%1' (token %2)").arg(labels_[static_cast<size_t>(token - patches)]).arg(token - patches);
  } else if (is_text() && token >= patches) {
    const int position = token - patches;
    const auto byte = static_cast<unsigned char>(probe_text_[static_cast<size_t>(position)]);
    text = tr("'%1' (byte 0x%2) at position %3")
               .arg(token_glyph(byte))
               .arg(byte, 2, 16, QLatin1Char('0'))
               .arg(position);
  } else {
    text = tr("patch %1 (row %2, column %3)")
               .arg(token)
               .arg(token / kPatchColumns)
               .arg(token % kPatchColumns);
  }
  if (!has_shown_ || token >= shown_.tokens) return text;
  const int64_t shown_layer = std::min<int64_t>(layer(), shown_.layers - 1);
  bool any = false;
  for (int64_t slot = 0; slot < shown_.slots; ++slot) {
    const int32_t expert = shown_.expert_at(shown_layer, token, slot);
    if (expert < 0) continue;
    text += tr("\nexpert %1: %2")
                .arg(expert)
                .arg(static_cast<double>(shown_.weight_at(shown_layer, token, slot)), 0, 'f', 2);
    any = true;
  }
  if (!any) text += tr("\ndropped");
  return text;
}

QString TokenView::token_label(int text_token) const {
  if (text_token < 0 || text_token >= static_cast<int>(labels_.size())) return {};
  return labels_[static_cast<size_t>(text_token)];
}

QRectF TokenView::content_rect() const {
  return area().adjusted(8.0, 8.0, -8.0, -6.0);
}

std::vector<TokenView::LegendItem> TokenView::legend_items() const {
  const QRectF area = content_rect();
  const QFontMetricsF metrics(paint_font());
  const double row_h = metrics.height() + 4.0;
  std::vector<LegendItem> items;
  double x = area.left() + metrics.horizontalAdvance(tr("top-1 expert: tokens")) + 10.0;
  double y = 0.0;  // rows from the top of the legend; moved to the bottom of the area below
  for (const auto& [expert, count] : counts_) {
    if (expert < 0) continue;  // dropped goes last
    const double w = kLegendSwatch + 4.0 + metrics.horizontalAdvance(legend_text(expert, count));
    if (x + w > area.right() && x > area.left() + 1.0) {
      x = area.left();
      y += row_h;
    }
    items.push_back({expert, count, QRectF(x, y, w, row_h)});
    x += w + 12.0;
  }
  if (const int dropped = tokens_of_expert(-1); dropped > 0) {
    const double w = kLegendSwatch + 4.0 + metrics.horizontalAdvance(legend_text(-1, dropped));
    if (x + w > area.right()) {
      x = area.left();
      y += row_h;
    }
    items.push_back({-1, dropped, QRectF(x, y, w, row_h)});
  }
  const double top = area.bottom() - (items.empty() ? 0.0 : items.back().rect.bottom());
  for (LegendItem& item : items) item.rect.translate(0.0, top);
  return items;
}

double TokenView::legend_height() const {
  const std::vector<LegendItem> items = legend_items();
  return items.empty() ? 0.0 : content_rect().bottom() - items.front().rect.top() + 8.0;
}

QFont TokenView::mono_font(double scale) const {
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  const QFont base = paint_font();
  if (base.pixelSize() > 0)  // a figure: sizes in the figure's units
    mono.setPixelSize(std::max(1, static_cast<int>(std::lround(base.pixelSize() * scale))));
  else
    mono.setPointSizeF((base.pointSizeF() > 0.0 ? base.pointSizeF() : mono.pointSizeF()) * scale);
  return mono;
}

TokenView::Cells TokenView::token_cells() const {
  const QRectF area = content_rect().adjusted(0.0, 0.0, 0.0, -legend_height());
  Cells cells{paint_font(), {}};
  const int count = token_count();
  if (area.width() < 10.0 || area.height() < 10.0 || count == 0) return cells;
  if (const int patches = image_tokens(); patches > 0) {
    // The image on the left (its patches a 7 x 7 grid of cells), the caption to its right.
    const double room = is_text() ? area.width() * 0.45 : area.width();
    // Whole pixels: crisp patch edges, and the last row's bottom exactly on the area's.
    const double side = std::floor(std::min({room / kPatchColumns, area.height() / kPatchColumns, 48.0}));
    for (int i = 0; i < patches; ++i)
      cells.rects.emplace_back(area.left() + (i % kPatchColumns) * side, area.top() + (i / kPatchColumns) * side, side,
                               side);
    if (!is_text()) return cells;
    const QRectF text_area = area.adjusted(kPatchColumns * side + 16.0, 0.0, 0.0, 0.0);
    std::vector<QRectF> text;
    for (double scale : {1.75, 1.5, 1.25, 1.0}) {
      cells.font = mono_font(scale);
      text = text_cells(cells.font, text_area);
      if (text.empty() || text.back().bottom() <= text_area.bottom()) break;
    }
    cells.rects.insert(cells.rects.end(), text.begin(), text.end());
    return cells;
  }
  if (!is_text()) {
    const int rows = (count + kPatchColumns - 1) / kPatchColumns;
    const double side = std::min({area.width() / kPatchColumns, area.height() / rows, 64.0});
    cells.rects.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i)
      cells.rects.emplace_back(area.left() + (i % kPatchColumns) * side,
                               area.top() + (i / kPatchColumns) * side, side - kCellGap,
                               side - kCellGap);
    return cells;
  }
  for (double scale : {2.0, 1.75, 1.5, 1.25, 1.0}) {
    cells.font = mono_font(scale);
    cells.rects = text_cells(cells.font, area);
    if (cells.rects.back().bottom() <= area.bottom()) break;
  }
  return cells;
}

std::vector<QRectF> TokenView::text_cells(const QFont& font, const QRectF& area) const {
  const QFontMetricsF metrics(font);
  const double w = metrics.horizontalAdvance(QLatin1Char('M')) + 4.0;
  const double h = metrics.height() + 4.0;
  std::vector<QRectF> cells;
  cells.reserve(labels_.size());
  double x = area.left(), y = area.top();
  for (size_t i = 0; i < labels_.size(); ++i) {
    // A byte is one character wide; a subword token as wide as its text.
    const double cw = subword_ ? std::max(w, metrics.horizontalAdvance(labels_[i]) + 6.0) : w;
    if (x + cw > area.right() && x > area.left()) {
      x = area.left();
      y += h + kCellGap;
    }
    cells.emplace_back(x, y, std::min(cw, area.width()), h);
    x += cw + kCellGap;
    // A newline ends its row, as it does in the text.
    if (ends_line_[i]) x = area.right() + 1.0;
  }
  return cells;
}

QRectF TokenView::token_rect(int token) const {
  const std::vector<QRectF> cells = token_cells().rects;
  if (token < 0 || token >= static_cast<int>(cells.size())) return {};
  const QRectF& cell = cells[static_cast<size_t>(token)];
  const double bottom = content_rect().bottom() - legend_height();
  return cell.bottom() <= bottom ? cell : QRectF();
}

int TokenView::token_at(QPoint widget_pos) const {
  const std::vector<QRectF> cells = token_cells().rects;
  const double bottom = content_rect().bottom() - legend_height();
  for (size_t i = 0; i < cells.size(); ++i)
    if (cells[i].bottom() <= bottom && cells[i].contains(widget_pos)) return static_cast<int>(i);
  return -1;
}

void TokenView::paint(QPainter& painter, const QRectF& target) const {
  const PaintTarget scope(this, target);
  painter.fillRect(target, paint_palette().window());
  const QColor text_colour = paint_palette().color(QPalette::WindowText);
  painter.setPen(text_colour);
  const QRectF area = content_rect();
  if (token_count() == 0) {
    painter.drawText(area, Qt::AlignCenter, waiting_text(tr("waiting for the run's probe tokens")));
    return;
  }

  // Cells that do not fit above the legend are left out.
  const Cells layout = token_cells();
  const std::vector<QRectF>& cells = layout.rects;
  const double bottom = area.bottom() - legend_height();
  painter.setFont(layout.font);
  const QColor empty = paint_palette().color(QPalette::Base);
  const size_t patches = static_cast<size_t>(image_tokens());
  for (size_t i = 0; i < cells.size(); ++i) {
    if (cells[i].bottom() > bottom) break;
    if (i < patches) {  // the patch's pixels under its expert's tint
      const double px = cells[i].width() / 4.0;
      const int x0 = static_cast<int>(i % kPatchColumns) * 4, y0 = static_cast<int>(i / kPatchColumns) * 4;
      for (int y = 0; y < 4; ++y)
        for (int x = 0; x < 4; ++x)
          painter.fillRect(QRectF(cells[i].left() + x * px, cells[i].top() + y * px, px + 0.5, px + 0.5),
                           tinted_pixel(x0 + x, y0 + y));
      continue;
    }
    const QColor fill = colour_of_token(static_cast<int>(i));
    const QColor background = fill.isValid() ? fill : empty;
    painter.fillRect(cells[i], background);
    painter.setPen(text_colour_on(background));
    const QString label = is_text() ? labels_[i - patches] : QString::number(i);
    painter.drawText(cells[i], Qt::AlignCenter, label);
  }
  if (patches > 0 && cells.size() >= patches) {  // the image's outline
    painter.setPen(text_colour);
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(cells.front().united(cells[patches - 1]));
  }

  painter.setFont(paint_font());
  painter.setPen(text_colour);
  const std::vector<LegendItem> items = legend_items();
  if (items.empty()) return;
  const QFontMetricsF metrics(paint_font());
  const double first_row = items.front().rect.top();
  painter.drawText(QRectF(area.left(), first_row, area.width(), metrics.height() + 4.0),
                   Qt::AlignLeft | Qt::AlignVCenter, tr("top-1 expert: tokens"));
  for (const LegendItem& item : items) {
    const QRectF swatch(item.rect.left(), item.rect.center().y() - kLegendSwatch / 2.0,
                        kLegendSwatch, kLegendSwatch);
    painter.fillRect(swatch, QColor::fromRgb(categorical(item.expert)));
    painter.drawText(item.rect.adjusted(kLegendSwatch + 4.0, 0.0, 0.0, 0.0),
                     Qt::AlignLeft | Qt::AlignVCenter, legend_text(item.expert, item.count));
  }
}

QString TokenView::tooltip_at(QPoint widget_pos) const {
  const int token = token_at(widget_pos);
  return token < 0 ? QString() : tooltip_for_token(token);
}

}  // namespace moescope
