// The base of the painted views (PlotJuggler's PlotWidgetBase): what every one of them does
// the same way. Events only mark a view dirty and a <= 30 Hz timer refreshes it while it is
// visible (a hidden dock costs nothing until its showEvent); an optional control row (title,
// status line, layer chooser) sits above the picture; intervention markers; the hover
// tooltip. The picture itself is ONE virtual, paint(painter, target), which draws into the
// rectangle it is given and reads nothing from child-widget geometry, so the same code paints
// the screen, a PNG, an SVG or a PDF of any size.
#pragma once

#include <QRectF>
#include <QString>
#include <QWidget>
#include <optional>
#include <vector>

#include "figure.h"

class QComboBox;
class QHBoxLayout;
class QImage;
class QLabel;
class QPainter;
class QTimer;

namespace moescope {

class FocusState;
class RunStore;

class PaintedView : public QWidget, public Figure {
  Q_OBJECT
 public:
  // `size_hint` and `minimum_size_hint`: what the layout should give the view.
  PaintedView(QWidget* parent, QSize size_hint, QSize minimum_size_hint);
  QSize sizeHint() const override { return size_hint_; }
  QSize minimumSizeHint() const override { return minimum_size_hint_; }

  // Draws `store`'s run and follows `focus` (both outlive the view): a new run clears the
  // view, interventions become markers, the focus moves the layer chooser and the shown step.
  // The window wires a store and a focus, never each event; nothing assumes one store.
  virtual void attach(RunStore* store, FocusState* focus);
  const RunStore* store() const { return store_; }

  // Draws the view into `target` on any paint device. The screen calls it with
  // painting_area(); an export calls it with the page or image rectangle.
  virtual void paint(QPainter& painter, const QRectF& target) const = 0;
  // Where the picture goes on screen: the widget below its control row.
  QRectF painting_area() const;
  // The picture at `size` pixels, through paint(), in the screen's palette (a test).
  QImage render_image(QSize size) const;
  // The picture as a figure (export_figure()): paint() on paper, in the figure's font,
  // below the control row's title (with the layer shown) and status line, unless the view
  // paints its own title.
  void paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const override;

  // What the point (widget coordinates) is over, as the hover tooltip; empty for nothing.
  virtual QString tooltip_at(QPoint widget_pos) const;
  // The chosen layer (0 when there is no chooser or no layer yet).
  int layer() const;
  // Intervention markers kept (over clear(), until clear_markers()).
  int markers() const { return static_cast<int>(markers_.size()); }
  // Whether the view shows the newest data (no step asked for by show_step()).
  bool following_live() const { return requested_step_ < 0; }

 public Q_SLOTS:
  // Fills the layer chooser with layers 0..layers-1, keeping the choice when it still exists.
  void set_layers(int layers);
  void set_layer(int layer);
  // A dashed line at `step` with a short label (the user's interventions).
  void add_marker(qint64 step, const QString& label);
  void clear_markers();
  // Shows the data nearest to `step` (a cursor there on time axes); -1 follows the latest.
  void show_step(qint64 step);
  // Forgets the run's data (markers stay until clear_markers()).
  virtual void clear() = 0;
  // Rebuilds what the picture needs now and schedules a repaint (the timer calls it when dirty).
  virtual void refresh() = 0;

 protected:
  struct Marker {
    qint64 step = 0;
    QString label;
  };
  // The control row above the picture: `title` (made bold), `status` (stretched; null for
  // none) and, when `layer_tooltip` is not empty, the layer chooser. Returns the row.
  QHBoxLayout* add_controls(QLabel* title, QLabel* status, const QString& layer_tooltip = QString());
  QComboBox* layer_box() const { return layer_box_; }
  // The view's own events of the store (attach() connects the rest).
  virtual void connect_store(RunStore* store) = 0;
  // The step show_step() asked for, -1 while following.
  qint64 requested_step() const { return requested_step_; }
  const std::vector<Marker>& marker_list() const { return markers_; }
  // `waiting` (e.g. "waiting for routing data"), or, for a dense model's run, which routes
  // nothing, a line that says so.
  QString waiting_text(const QString& waiting) const;

  // Whether paint() draws the view's title itself (a figure then adds none).
  virtual bool paints_own_title() const { return false; }
  // Whether the timer should call refresh() now; a view whose refresh is costly can wait.
  virtual bool refresh_due() const { return dirty_; }
  void mark_dirty() { dirty_ = true; }
  bool dirty() const { return dirty_; }
  // Called by refresh() implementations first.
  void mark_clean() { dirty_ = false; }

  // The rectangle the picture is being painted into: paint()'s target while a PaintTarget
  // is alive, else painting_area(). Geometry helpers (plot rectangles, hit tests) read this,
  // so hovering the screen and painting a page of another size share one layout.
  QRectF area() const { return target_ ? *target_ : painting_area(); }
  // What paint() paints with: the widget's palette and font on screen, the paper's while a
  // figure is painted.
  const QPalette& paint_palette() const { return figure_ ? figure_->palette : palette(); }
  QFont paint_font() const { return figure_ ? figure_->font : font(); }
  // Device pixels per unit of paint()'s coordinates: 1 on screen, the DPI / 72 of a figure.
  // Curves are decimated to target width x this.
  double pixels_per_unit() const { return figure_ ? figure_->pixels_per_unit : 1.0; }
  class PaintTarget {
   public:
    PaintTarget(const PaintedView* view, const QRectF& target) : view_(view) { view_->target_ = target; }
    ~PaintTarget() { view_->target_.reset(); }
    PaintTarget(const PaintTarget&) = delete;
    PaintTarget& operator=(const PaintTarget&) = delete;

   private:
    const PaintedView* view_;
  };


  void paintEvent(QPaintEvent* event) override;
  void showEvent(QShowEvent* event) override;
  // A new palette (View > Theme): everything cached is drawn again.
  void changeEvent(QEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;

 private:
  QSize size_hint_;
  QSize minimum_size_hint_;
  bool dirty_ = false;
  QTimer* timer_ = nullptr;
  QComboBox* layer_box_ = nullptr;
  QWidget* controls_end_ = nullptr;
  QLabel* title_label_ = nullptr;
  QLabel* status_label_ = nullptr;  // the lowest control: the picture starts below it
  std::vector<Marker> markers_;
  qint64 requested_step_ = -1;
  const RunStore* store_ = nullptr;
  mutable std::optional<QRectF> target_;
  mutable const FigureStyle* figure_ = nullptr;
};

}  // namespace moescope
