#include "view_base.h"

#include <QComboBox>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QImage>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "focus_state.h"
#include "layer_box.h"
#include "run_store.h"
#include "view_chrome.h"

namespace moescope {

PaintedView::PaintedView(QWidget* parent, QSize size_hint, QSize minimum_size_hint)
    : QWidget(parent), size_hint_(size_hint), minimum_size_hint_(minimum_size_hint), timer_(new QTimer(this)) {
  setMouseTracking(true);
  start_refresh_timer(this, timer_, [this] { return refresh_due(); }, [this] { refresh(); });
}

void PaintedView::attach(RunStore* store, FocusState* focus) {
  store_ = store;
  connect(store, &RunStore::cleared, this, [this] {
    clear();
    clear_markers();
  });
  connect(store, &RunStore::run_info_changed, this, [this](const RunInfo& info) {
    if (layer_box_ && info.layers > 0) set_layers(static_cast<int>(info.layers));
  });
  connect(store, &RunStore::intervention_added, this, [this](const InterventionEvent& e) {
    add_marker(e.step, QString::fromStdString(e.kind));
  });
  connect(focus, &FocusState::focused, this, [this](int layer, qint64 step) {
    if (layer >= 0) set_layer(layer);
    show_step(step);
  });
  connect_store(store);
}

QString PaintedView::waiting_text(const QString& waiting) const {
  const bool dense = store_ && store_->has_run_info() && store_->info().layers == 0;
  return dense ? tr("dense model: nothing routed") : waiting;
}

void PaintedView::show_step(qint64 step) {
  requested_step_ = step < 0 ? -1 : step;
  dirty_ = true;
  refresh();
}

QHBoxLayout* PaintedView::add_controls(QLabel* title, QLabel* status, const QString& layer_tooltip) {
  QHBoxLayout* row = add_view_header(this, title, status);
  title_label_ = title;
  status_label_ = status;
  // A label that wraps to another line moves the picture's top: paint again when it does.
  for (QLabel* label : {title, status})
    if (label) label->installEventFilter(this);
  controls_end_ = status ? status : title;
  if (!layer_tooltip.isEmpty()) {
    layer_box_ = add_layer_box(this, row, layer_tooltip);
    controls_end_ = layer_box_;
    connect(layer_box_, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
  }
  return row;
}

QRectF PaintedView::painting_area() const {
  if (!controls_end_) return QRectF(rect());
  // Below every control of the row (a wrapped status line is the tallest). Before the first
  // layout the controls have no geometry yet; their size hints stand in.
  // (A wrapped label's size hint assumes another width: only its geometry counts.)
  int bottom = std::max(controls_end_->geometry().bottom(), controls_end_->sizeHint().height());
  for (const QLabel* label : {title_label_, status_label_})
    if (label) bottom = std::max(bottom, label->geometry().bottom());
  return QRectF(rect()).adjusted(0.0, bottom, 0.0, 0.0);
}

QImage PaintedView::render_image(QSize size) const {
  QImage image(size, QImage::Format_ARGB32_Premultiplied);
  image.fill(palette().color(QPalette::Window));
  QPainter painter(&image);
  painter.setFont(font());
  paint(painter, QRectF(QPointF(0.0, 0.0), QSizeF(size)));
  return image;
}

void PaintedView::paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const {
  struct Restore {
    const PaintedView* view;
    ~Restore() { view->figure_ = nullptr; }
  } restore{this};
  figure_ = &style;
  painter.setPen(style.palette.color(QPalette::WindowText));
  QRectF body = target;
  if (title_label_ && !paints_own_title()) {
    QFont title_font = style.font;
    title_font.setPixelSize(static_cast<int>(kFigureTitlePt));
    title_font.setBold(true);
    QString title = title_label_->text();
    if (layer_box_ && layer_box_->count() > 1) title += tr(", layer %1").arg(layer());
    const QFontMetricsF title_metrics(title_font);
    const double h = title_metrics.lineSpacing() * 1.3;
    painter.setFont(title_font);
    painter.drawText(QRectF(target.left(), target.top(), target.width(), h), Qt::AlignCenter,
                     title_metrics.elidedText(title, Qt::ElideRight, target.width()));
    body.setTop(target.top() + h);
    if (status_label_ && !status_label_->text().isEmpty()) {
      const QFontMetricsF metrics(style.font);
      painter.setFont(style.font);
      painter.drawText(QRectF(target.left(), body.top(), target.width(), metrics.lineSpacing()), Qt::AlignCenter,
                       metrics.elidedText(status_label_->text(), Qt::ElideRight, target.width()));
      body.setTop(body.top() + metrics.lineSpacing() * 1.2);
    }
  }
  painter.setFont(style.font);
  paint(painter, body);
}

int PaintedView::layer() const { return layer_box_ ? std::max(0, layer_box_->currentIndex()) : 0; }

void PaintedView::set_layers(int layers) {
  if (layer_box_) fill_layer_box(layer_box_, layers);
  refresh();
}

void PaintedView::set_layer(int layer) {
  if (!layer_box_ || layer < 0 || layer >= layer_box_->count()) return;
  if (layer != layer_box_->currentIndex())
    layer_box_->setCurrentIndex(layer);  // refreshes through currentIndexChanged
  else if (dirty_)
    refresh();
}

void PaintedView::add_marker(qint64 step, const QString& label) {
  markers_.push_back({step, label});
  dirty_ = true;
  update();
}

void PaintedView::clear_markers() {
  markers_.clear();
  dirty_ = true;
  update();
}

QString PaintedView::tooltip_at(QPoint) const { return QString(); }

void PaintedView::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), palette().window());  // the control row's background too
  paint(painter, painting_area());
}

void PaintedView::showEvent(QShowEvent* event) {
  if (dirty_) refresh();
  QWidget::showEvent(event);
}

void PaintedView::mouseMoveEvent(QMouseEvent* event) {
  show_hover_tooltip(this, event, tooltip_at(event->position().toPoint()));
  QWidget::mouseMoveEvent(event);
}

bool PaintedView::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Resize && (watched == title_label_ || watched == status_label_)) update();
  return QWidget::eventFilter(watched, event);
}

void PaintedView::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) {
    dirty_ = true;
    refresh();
  }
  QWidget::changeEvent(event);
}

void PaintedView::leaveEvent(QEvent* event) {
  QToolTip::hideText();
  QWidget::leaveEvent(event);
}

}  // namespace moescope
