#include "loss_chart.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QTimer>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "colormap.h"
#include "plot_axes.h"
#include "view_chrome.h"
#include "focus_state.h"
#include "run_store.h"

namespace moescope {

void LossChart::attach(RunStore* store, FocusState* focus) {
  connect(store, &RunStore::cleared, this, [this] {
    clear();
    clear_markers();
  });
  connect(store, &RunStore::step_added, this, &LossChart::add_step);
  connect(store, &RunStore::eval_added, this, &LossChart::add_eval);
  connect(store, &RunStore::intervention_added, this, [this](const InterventionEvent& e) {
    add_marker(e.step, QString::fromStdString(e.kind));
  });
  connect(focus, &FocusState::step_changed, this, &LossChart::set_cursor_step);
}
namespace {

// Room per tick label, in pixels, along each axis.
constexpr double kXTickSpacingPx = 90.0;
constexpr double kYTickSpacingPx = 45.0;

// Round tick values (0, 25000, 50000 rather than 1, 37350, 74700) without widening the range
// the way applyNiceNumbers() does: the data keep the whole plot.
void set_range(QValueAxis* axis, double min, double max, double ticks) {
  const double interval = round_interval((max - min) / ticks);
  // Qt lays out the ticks at each call: the interval must never be small for the range in
  // place (0.2 on a range of a million steps makes five million tick items). The larger of
  // the two intervals is safe for both the old range and the new one.
  axis->setTickInterval(std::max(interval, axis->tickInterval()));
  axis->setRange(min, max);
  axis->setTickInterval(interval);
}

// A log axis over [min, max] (both > 0): base 10 over two decades, 2 over a factor of 6, else
// the base that puts about four ticks in the range (QLogValueAxis ticks at powers of its
// base, and a loss from 1.4 to 3 spans no power of 10 or 2).
void set_log_range(QLogValueAxis* axis, double min, double max) {
  const double ratio = max / min;
  const double base = ratio >= 100.0 ? 10.0 : ratio >= 6.0 ? 2.0 : std::pow(ratio, 0.25);
  axis->setBase(std::max(base, 1.0001));
  axis->setRange(min, max);
}

void attach_axes(QLineSeries* series, QAbstractAxis* x_axis, QAbstractAxis* y_axis) {
  series->attachAxis(x_axis);
  series->attachAxis(y_axis);
}

}  // namespace

CompareRun compare_run_of(const QString& name, const std::vector<StepMetrics>& steps,
                          const std::vector<EvalResult>& evals) {
  CompareRun run;
  run.name = name;
  for (const StepMetrics& m : steps) {
    if (!std::isfinite(m.loss)) continue;
    run.train.emplace_back(double(m.step), m.loss);
    run.train_tokens.emplace_back(double(m.tokens), m.loss);
  }
  // The tokens at an evaluation: those of the last step at or before it (steps are in order).
  size_t next = 0;
  int64_t tokens = 0;
  for (const EvalResult& e : evals) {
    while (next < steps.size() && steps[next].step <= e.step) tokens = steps[next++].tokens;
    if (!std::isfinite(e.loss)) continue;
    run.eval.emplace_back(double(e.step), e.loss);
    run.eval_tokens.emplace_back(double(tokens), e.loss);
  }
  return run;
}

// The chart view with the markers painted in its foreground, mapped through the chart's axes
// at every paint, so they stay at their step whatever the axes do.
class MarkedChartView : public QChartView {
 public:
  struct Marker {
    qint64 step = 0;
    QString label;
  };
  using QChartView::QChartView;

  std::vector<Marker> markers;
  qint64 cursor_step = -1;
  // Where a step is on the x axis (the tokens seen by then, when the axis counts tokens).
  std::function<double(double)> axis_x = [](double step) { return step; };

  // Scene coordinates of the plot area and of a step on the x axis.
  QRectF scene_plot() const { return chart()->mapRectToScene(chart()->plotArea()); }
  double scene_x(double step) const {
    if (chart()->series().isEmpty()) return std::numeric_limits<double>::quiet_NaN();
    // y = 1 lies on a log axis too (0 does not).
    return chart()->mapToScene(chart()->mapToPosition(QPointF(axis_x(step), 1.0))).x();
  }

 protected:
  void drawForeground(QPainter* painter, const QRectF& rect) override {
    QChartView::drawForeground(painter, rect);
    const QRectF plot = scene_plot();
    std::vector<MarkerLine> lines;
    for (const Marker& marker : markers)
      lines.push_back({scene_x(static_cast<double>(marker.step)), marker.label});
    paint_markers(*painter, plot, lines);
    if (cursor_step >= 0) paint_cursor(*painter, plot, scene_x(static_cast<double>(cursor_step)));
  }
};

QList<QPointF> decimate_min_max(const std::vector<QPointF>& points, double x_min, double x_max,
                                int columns) {
  columns = std::max(columns, 1);
  if (points.size() <= 2 * static_cast<size_t>(columns))
    return QList<QPointF>(points.begin(), points.end());

  constexpr size_t kNone = std::numeric_limits<size_t>::max();
  struct Column {
    size_t lo = kNone, hi = kNone;
    double lo_y = 0.0, hi_y = 0.0;
  };
  std::vector<Column> bucket(static_cast<size_t>(columns));
  const double span = x_max - x_min;
  const double to_column = span > 0.0 ? columns / span : 0.0;
  for (size_t i = 0; i < points.size(); ++i) {
    const double y = points[i].y();
    const double f = (points[i].x() - x_min) * to_column;
    // Written so that a NaN x lands in column 0 instead of an undefined cast.
    const int c = !(f >= 1.0) ? 0 : f >= columns ? columns - 1 : static_cast<int>(f);
    Column& column = bucket[static_cast<size_t>(c)];
    if (column.lo == kNone) {
      column = {i, i, y, y};
    } else if (y < column.lo_y) {
      column.lo = i;
      column.lo_y = y;
    } else if (y > column.hi_y) {
      column.hi = i;
      column.hi_y = y;
    }
  }

  QList<QPointF> out;
  out.reserve(2 * columns);
  for (const Column& column : bucket) {
    if (column.lo == kNone) continue;
    const size_t first = std::min(column.lo, column.hi);
    const size_t second = std::max(column.lo, column.hi);
    out.push_back(points[first]);
    if (second != first) out.push_back(points[second]);
  }
  return out;
}

void LossChart::Range::add(double value) {
  if (empty) {
    min = max = value;
    empty = false;
  } else {
    min = std::min(min, value);
    max = std::max(max, value);
  }
}

LossChart::LossChart(QWidget* parent)
    : QWidget(parent),
      view_(new MarkedChartView(this)),
      train_series_(new QLineSeries(this)),
      eval_series_(new QLineSeries(this)),
      x_axis_(new QValueAxis(this)),
      y_axis_(new QValueAxis(this)),
      y_log_axis_(new QLogValueAxis(this)),
      timer_(new QTimer(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_);
  view_->setRenderHint(QPainter::Antialiasing);

  // QChartView made its own chart; addSeries/addAxis move ownership of ours into it.
  QChart* chart = view_->chart();
  chart->setTitle(tr("Loss"));
  chart->setMargins(QMargins(4, 4, 4, 4));
  chart->legend()->setAlignment(Qt::AlignTop);

  train_series_->setName(tr("train"));
  eval_series_->setName(tr("validation"));
  eval_series_->setPointsVisible(true);
  chart->addSeries(train_series_);
  chart->addSeries(eval_series_);

  x_axis_->setTitleText(x_title());
  x_axis_->setLabelFormat(QStringLiteral("%i"));
  y_axis_->setTitleText(tr("loss (nats)"));
  y_axis_->setLabelFormat(QStringLiteral("%.3g"));
  y_log_axis_->setTitleText(tr("loss (nats, log scale)"));
  y_log_axis_->setLabelFormat(QStringLiteral("%.3g"));
  y_log_axis_->setMinorTickCount(-1);
  for (QValueAxis* axis : {x_axis_, y_axis_}) {
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
  }
  chart->addAxis(x_axis_, Qt::AlignBottom);
  chart->addAxis(y_axis_, Qt::AlignLeft);
  for (QLineSeries* series : {train_series_, eval_series_}) {
    series->attachAxis(x_axis_);
    series->attachAxis(y_axis_);
  }
  view_->axis_x = [this](double step) { return axis_x_of_step(step); };
  apply_theme();
  update_axes();
  // Any later change of plot width (a resized dock, longer tick labels) re-decimates.
  connect(chart, &QChart::plotAreaChanged, this, [this] { dirty_ = true; });

  start_refresh_timer(this, timer_, [this] { return dirty_; }, [this] { refresh(); });
}

void LossChart::add_step(const StepMetrics& metrics) {
  last_tokens_ = metrics.tokens;
  if (!std::isfinite(metrics.loss)) return;
  train_.emplace_back(static_cast<double>(metrics.step), metrics.loss);
  train_tokens_.emplace_back(static_cast<double>(metrics.tokens), metrics.loss);
  x_range_.add(shown_train().back().x());
  y_range_.add(metrics.loss);
  dirty_ = true;
}

void LossChart::add_eval(const EvalResult& result) {
  if (!std::isfinite(result.loss)) return;
  eval_.emplace_back(static_cast<double>(result.step), result.loss);
  eval_tokens_.emplace_back(static_cast<double>(last_tokens_), result.loss);
  x_range_.add(shown_eval().back().x());
  y_range_.add(result.loss);
  dirty_ = true;
}

void LossChart::rebuild_ranges() {
  x_range_ = {};
  y_range_ = {};
  const auto add = [this](const std::vector<QPointF>& points) {
    for (const QPointF& p : points) {
      x_range_.add(p.x());
      y_range_.add(p.y());
    }
  };
  add(shown_train());
  add(shown_eval());
  for (const CompareRun& run : compare_) add(shown_train(run));
  dirty_ = true;
}

double LossChart::axis_x_of_step(double step) const {
  if (!by_tokens_) return step;
  // The run shown, or in a chart of compared runs only, the first of them.
  const std::vector<QPointF>* by_step = &train_;
  const std::vector<QPointF>* by_tokens = &train_tokens_;
  if (train_.empty() && !compare_.empty()) {
    by_step = &compare_.front().train;
    by_tokens = &compare_.front().train_tokens;
  }
  const auto it = std::lower_bound(by_step->begin(), by_step->end(), step,
                                   [](const QPointF& p, double s) { return p.x() < s; });
  if (it == by_step->end()) return std::numeric_limits<double>::quiet_NaN();
  return (*by_tokens)[static_cast<size_t>(it - by_step->begin())].x();
}

QString LossChart::x_title() const { return by_tokens_ ? tr("tokens seen") : tr("step"); }

void LossChart::set_x_axis(XAxis axis) {
  if ((axis == XAxis::Tokens) == by_tokens_) return;
  by_tokens_ = axis == XAxis::Tokens;
  x_axis_->setTitleText(x_title());
  rebuild_ranges();
  refresh();
}

void LossChart::set_log_scale(bool log) {
  if (log == log_) return;
  QChart* chart = view_->chart();
  QAbstractAxis* from = log ? static_cast<QAbstractAxis*>(y_axis_) : y_log_axis_;
  QAbstractAxis* to = log ? static_cast<QAbstractAxis*>(y_log_axis_) : y_axis_;
  log_ = log;
  chart->removeAxis(from);
  from->setParent(this);  // removeAxis hands the axis back
  chart->addAxis(to, Qt::AlignLeft);
  for (QAbstractSeries* series : chart->series()) series->attachAxis(to);
  apply_theme();
  dirty_ = true;
  refresh();
}

const QAbstractAxis* LossChart::y_axis() const {
  return log_ ? static_cast<const QAbstractAxis*>(y_log_axis_) : y_axis_;
}

void LossChart::clear() {
  train_.clear();
  train_.shrink_to_fit();
  train_tokens_.clear();
  train_tokens_.shrink_to_fit();
  eval_.clear();
  eval_tokens_.clear();
  last_tokens_ = 0;
  rebuild_ranges();
}

int LossChart::plot_width_px() const {
  const double width = view_->chart()->plotArea().width();
  if (width >= 1.0) return static_cast<int>(std::ceil(width));
  // Not laid out yet: the view's width is a slight overestimate, which only costs points.
  return std::max(1, view_->width());
}

void LossChart::refresh() {
  // New ranges give the axes new labels and the plot area a new width: lay the chart out
  // first so the decimation matches the pixels it will be drawn on (and so the
  // plotAreaChanged this causes does not ask for another round).
  update_axes();
  view_->chart()->layout()->activate();
  dirty_ = false;
  train_series_->replace(decimate_min_max(shown_train(), x_range_.min, x_range_.max, plot_width_px()));
  // Evaluations are few (one per eval interval): they are drawn as they are.
  eval_series_->replace(QList<QPointF>(shown_eval().begin(), shown_eval().end()));
  // A chart of compared runs only (the compare window) shows no empty legend entries.
  train_series_->setVisible(!train_.empty());
  eval_series_->setVisible(!eval_.empty());
  for (size_t i = 0; i < compare_series_.size(); ++i)
    compare_series_[i]->replace(
        decimate_min_max(shown_train(compare_[i]), x_range_.min, x_range_.max, plot_width_px()));
  // The markers are mapped through the new axes: the whole foreground is out of date.
  view_->viewport()->update();
}

void LossChart::add_marker(qint64 step, const QString& label) {
  view_->markers.push_back({step, label});
  view_->viewport()->update();
}

void LossChart::clear_markers() {
  view_->markers.clear();
  view_->viewport()->update();
}

void LossChart::set_cursor_step(qint64 step) {
  view_->cursor_step = step < 0 ? -1 : step;
  view_->viewport()->update();
}

int LossChart::markers() const { return static_cast<int>(view_->markers.size()); }

qint64 LossChart::cursor_step() const { return view_->cursor_step; }

QPointF LossChart::scene_origin() const {
  // The view only translates the scene (no zoom, no scrolling): whole pixels, exact.
  return QPointF(view_->viewport()->mapTo(this, view_->mapFromScene(QPointF(0.0, 0.0))));
}

double LossChart::step_to_x(double step) const { return scene_origin().x() + view_->scene_x(step); }

QRectF LossChart::plot_rect() const { return view_->scene_plot().translated(scene_origin()); }

void LossChart::update_axes() {
  range_axes(x_axis_, log_ ? static_cast<QAbstractAxis*>(y_log_axis_) : y_axis_, view_->chart()->plotArea());
}

void LossChart::range_axes(QValueAxis* x_axis, QAbstractAxis* y_axis, const QRectF& area) const {
  double x_min = 0.0, x_max = 1.0, y_min = 0.0, y_max = 1.0;
  if (!x_range_.empty) {
    x_min = x_range_.min;
    x_max = x_range_.max > x_range_.min ? x_range_.max : x_range_.min + 1.0;
    const double y_span = y_range_.max - y_range_.min;
    const double margin =
        y_span > 0.0 ? 0.05 * y_span : std::max(0.05 * std::abs(y_range_.max), 0.5);
    y_min = y_range_.min - margin;
    y_max = y_range_.max + margin;
  }
  const double x_ticks =
      area.width() >= 1.0 ? std::clamp(area.width() / kXTickSpacingPx, 2.0, 10.0) : 5.0;
  const double y_ticks =
      area.height() >= 1.0 ? std::clamp(area.height() / kYTickSpacingPx, 2.0, 10.0) : 5.0;
  set_range(x_axis, x_min, x_max, x_ticks);
  if (auto* log_axis = qobject_cast<QLogValueAxis*>(y_axis)) {
    // A multiplicative margin around the positive losses (a loss of 0 has no place on it).
    const double top = y_range_.empty || !(y_range_.max > 0.0) ? 10.0 : y_range_.max * 1.05;
    const double bottom = y_range_.empty || !(y_range_.min > 0.0) ? top / 100.0 : y_range_.min / 1.05;
    set_log_range(log_axis, bottom, std::max(top, bottom * 1.01));
  } else {
    set_range(static_cast<QValueAxis*>(y_axis), y_min, y_max, y_ticks);
  }
}

void LossChart::paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const {
  // A chart of its own, at the figure's size, in a scene of its own: the screen's chart and
  // its decimation stay as they are.
  QGraphicsScene scene;
  auto* chart = new QChart;  // owned by the scene
  scene.addItem(chart);
  chart->setTheme(QChart::ChartThemeLight);
  chart->setBackgroundBrush(Qt::white);
  chart->setBackgroundRoundness(0.0);
  chart->setDropShadowEnabled(false);
  chart->setMargins(QMargins(2, 2, 2, 2));
  chart->layout()->setContentsMargins(0.0, 0.0, 0.0, 0.0);
  QFont title_font = style.font;
  title_font.setPixelSize(static_cast<int>(kFigureTitlePt));
  title_font.setBold(true);
  chart->setTitleFont(title_font);
  chart->setTitle(view_->chart()->title());
  chart->legend()->setAlignment(Qt::AlignTop);
  chart->legend()->setFont(style.font);

  auto* train = new QLineSeries;
  train->setName(train_series_->name());
  train->setPen(QPen(train_series_->pen().color(), 0.75));
  auto* eval = new QLineSeries;
  eval->setName(eval_series_->name());
  eval->setPen(QPen(eval_series_->pen().color(), 1.25));
  eval->setPointsVisible(true);
  chart->addSeries(train);
  chart->addSeries(eval);
  eval->setMarkerSize(2.5);
  std::vector<QLineSeries*> others;
  for (size_t i = 0; i < compare_.size(); ++i) {
    auto* series = new QLineSeries;
    series->setName(compare_[i].name);
    chart->addSeries(series);
    series->setPen(QPen(QColor::fromRgb(categorical(static_cast<int>(i) + 2)), 0.75));
    others.push_back(series);
  }
  auto* x_axis = new QValueAxis;
  QAbstractAxis* y_axis = nullptr;
  if (log_) {
    auto* axis = new QLogValueAxis;
    axis->setLabelFormat(y_log_axis_->labelFormat());
    axis->setMinorTickCount(-1);
    y_axis = axis;
  } else {
    auto* axis = new QValueAxis;
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setLabelFormat(y_axis_->labelFormat());
    y_axis = axis;
  }
  x_axis->setTickType(QValueAxis::TicksDynamic);
  x_axis->setTickAnchor(0.0);
  for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(x_axis), y_axis}) {
    axis->setLabelsFont(style.font);
    axis->setTitleFont(style.font);
    axis->setLinePenColor(style.palette.color(QPalette::WindowText));
  }
  x_axis->setTitleText(x_axis_->titleText());
  x_axis->setLabelFormat(x_axis_->labelFormat());
  y_axis->setTitleText(this->y_axis()->titleText());
  chart->addAxis(x_axis, Qt::AlignBottom);
  chart->addAxis(y_axis, Qt::AlignLeft);
  for (QLineSeries* series : {train, eval}) attach_axes(series, x_axis, y_axis);
  for (QLineSeries* series : others) attach_axes(series, x_axis, y_axis);
  train->setVisible(!train_.empty());
  eval->setVisible(!eval_.empty());
  chart->setGeometry(QRectF(QPointF(0.0, 0.0), target.size()));
  range_axes(x_axis, y_axis, QRectF(QPointF(0.0, 0.0), target.size() * 0.7));
  chart->layout()->activate();
  range_axes(x_axis, y_axis, chart->plotArea());  // ticks for the plot as laid out
  chart->layout()->activate();
  // The train curve decimated to the figure's own pixel columns (the plot's width at its DPI).
  const int columns = std::max(1, static_cast<int>(std::ceil(chart->plotArea().width() * style.pixels_per_unit)));
  const QList<QPointF> points = decimate_min_max(shown_train(), x_range_.min, x_range_.max, columns);
  figure_train_points_ = points.size();
  train->replace(points);
  eval->replace(QList<QPointF>(shown_eval().begin(), shown_eval().end()));
  for (size_t i = 0; i < others.size(); ++i)
    others[i]->replace(decimate_min_max(shown_train(compare_[i]), x_range_.min, x_range_.max, columns));

  painter.save();
  scene.render(&painter, target, QRectF(QPointF(0.0, 0.0), target.size()));
  painter.restore();
  // The interventions, as the screen's chart marks them.
  const QRectF plot = chart->plotArea().translated(target.topLeft());
  std::vector<MarkerLine> lines;
  for (const auto& marker : view_->markers)
    lines.push_back({target.left() + chart->mapToPosition(QPointF(axis_x_of_step(double(marker.step)), 1.0), train).x(),
                     marker.label});
  painter.save();
  painter.setFont(style.font);
  paint_markers(painter, plot, lines);
  painter.restore();
}

qsizetype LossChart::displayed_train_points() const { return train_series_->count(); }

QPointF LossChart::y_axis_range() const {
  return log_ ? QPointF(y_log_axis_->min(), y_log_axis_->max()) : QPointF(y_axis_->min(), y_axis_->max());
}

QPointF LossChart::x_axis_range() const { return {x_axis_->min(), x_axis_->max()}; }

void LossChart::resizeEvent(QResizeEvent* event) {
  dirty_ = true;  // another width, another decimation
  QWidget::resizeEvent(event);
}

void LossChart::set_compare(const std::vector<CompareRun>& runs) {
  QChart* chart = view_->chart();
  for (QLineSeries* series : compare_series_) {
    chart->removeSeries(series);
    delete series;
  }
  compare_series_.clear();
  compare_ = runs;
  for (size_t i = 0; i < compare_.size(); ++i) {
    auto* series = new QLineSeries(this);
    series->setName(compare_[i].name);
    chart->addSeries(series);
    series->setPen(QPen(QColor::fromRgb(categorical(static_cast<int>(i) + 2)), 1.0));
    attach_axes(series, x_axis_, log_ ? static_cast<QAbstractAxis*>(y_log_axis_) : y_axis_);
    compare_series_.push_back(series);
  }
  rebuild_ranges();
  refresh();
}

void LossChart::apply_theme() {
  QChart* chart = view_->chart();
  const bool dark = palette().color(QPalette::Window).lightness() < 128;
  chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
  chart->setBackgroundBrush(palette().color(QPalette::Window));
  chart->setTitleBrush(palette().color(QPalette::WindowText));
  chart->legend()->setLabelColor(palette().color(QPalette::WindowText));
  for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(x_axis_), static_cast<QAbstractAxis*>(y_axis_),
                              static_cast<QAbstractAxis*>(y_log_axis_)}) {
    axis->setLabelsColor(palette().color(QPalette::WindowText));
    axis->setTitleBrush(palette().color(QPalette::WindowText));
  }
  // The theme sets series colours of its own: ours are the same in every view and figure.
  train_series_->setPen(QPen(QColor(31, 119, 180), 1.0));
  eval_series_->setPen(QPen(QColor(255, 127, 14), 2.0));
  eval_series_->setBrush(QColor(255, 127, 14));
  eval_series_->setMarkerSize(3.0);
}

void LossChart::changeEvent(QEvent* event) {
  if (event->type() == QEvent::PaletteChange) {
    apply_theme();
    dirty_ = true;
  }
  QWidget::changeEvent(event);
}

void LossChart::showEvent(QShowEvent* event) {
  dirty_ = true;
  QWidget::showEvent(event);
}

}  // namespace moescope
