// Training and validation loss over steps. A run keeps every point (a million steps is
// 16 MB); the chart only ever holds what the pixels can show.
#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QWidget>
#include <vector>

#include "base/events.h"
#include "figure.h"

class QAbstractAxis;
class QLineSeries;
class QLogValueAxis;
class QTimer;
class QValueAxis;

namespace moescope {

class FocusState;
class RunStore;

class MarkedChartView;

// Min/max decimation to pixel columns (what oscilloscopes and PlotJuggler do): points are
// bucketed by x into `columns` equal columns over [x_min, x_max] and each column keeps its
// lowest and highest point, in their original order. At most 2 * columns points come back, a
// spike survives at any zoom, and the drawn envelope is the one the full data would draw.
// With no more than 2 * columns points, all of them come back unchanged.
QList<QPointF> decimate_min_max(const std::vector<QPointF>& points, double x_min, double x_max,
                                int columns);

// On screen a Qt Charts chart. As a figure (export_figure()) the chart is built again for
// paper, at the figure's size: the same series, decimated to the figure's pixel width, axes,
// legend and markers, rendered through its scene into the figure's painter.
// Another run's curves, overlaid for comparison (Runs panel > Compare).
struct CompareRun {
  QString name;
  std::vector<QPointF> train, eval;                // (step, loss)
  std::vector<QPointF> train_tokens, eval_tokens;  // (tokens seen, loss)
};
// A run's curves as CompareRun holds them: finite losses only, each evaluation at the tokens
// of the step it follows.
CompareRun compare_run_of(const QString& name, const std::vector<StepMetrics>& steps,
                          const std::vector<EvalResult>& evals);

class LossChart : public QWidget, public Figure {
  Q_OBJECT

 public:
  explicit LossChart(QWidget* parent = nullptr);

  // Plots `store`'s steps and evaluations, marks its interventions, and draws the cursor at
  // `focus`'s step.
  void attach(RunStore* store, FocusState* focus);

  // Points now in the train series (after decimation).
  qsizetype displayed_train_points() const;
  // Points received (non-finite losses are not kept: they would break the line).
  size_t train_points() const { return train_.size(); }
  size_t eval_points() const { return eval_.size(); }
  // Pixel columns the train series is decimated to: the plot area's width.
  int plot_width_px() const;
  // (min, max) of the y axis as shown, after the last refresh().
  QPointF y_axis_range() const;
  // (min, max) of the x axis as shown, after the last refresh().
  QPointF x_axis_range() const;
  // Where `step` is on the x axis, in this widget's coordinates, after the last refresh().
  double step_to_x(double step) const;
  // Where the series are plotted, in this widget's coordinates.
  QRectF plot_rect() const;
  int markers() const;
  qint64 cursor_step() const;

  QSize sizeHint() const override { return {520, 320}; }

  // Overlays these runs' train curves (one series each, named by run, coloured by the
  // categorical palette; validation points as dots) over the run shown; empty clears them.
  void set_compare(const std::vector<CompareRun>& runs);
  int compare_series() const { return static_cast<int>(compare_series_.size()); }

  // What the x axis counts: steps, or tokens seen (runs of other batch sizes or context
  // lengths line up by data, not by updates).
  enum class XAxis { Steps, Tokens };
  void set_x_axis(XAxis axis);
  XAxis x_axis() const { return by_tokens_ ? XAxis::Tokens : XAxis::Steps; }
  // A logarithmic loss axis (QLogValueAxis); its base is 10 over two decades or more, 2 over
  // a factor of 6, else the one that gives about four ticks.
  void set_log_scale(bool log);
  bool log_scale() const { return log_; }
  // The y axis on show (a QValueAxis, or a QLogValueAxis on a log scale).
  const QAbstractAxis* y_axis() const;

  void paint_figure(QPainter& painter, const QRectF& target, const FigureStyle& style) const override;
  QString figure_name() const override { return QStringLiteral("loss"); }
  // Points the train series of the last figure held (after decimation to its width).
  qsizetype figure_train_points() const { return figure_train_points_; }

 public Q_SLOTS:
  void add_step(const moescope::StepMetrics& metrics);
  void add_eval(const moescope::EvalResult& result);
  // Forgets the points; markers stay (they belong to the run, cleared with clear_markers()).
  void clear();
  // A dashed vertical line at `step` with a short label (the user's interventions), drawn over
  // the chart and kept at its step as the axes rescale. Markers outside the x range are not
  // drawn.
  void add_marker(qint64 step, const QString& label);
  void clear_markers();
  // A solid vertical line at `step` (the step the other views show); -1 hides it.
  void set_cursor_step(qint64 step);
  // Re-decimates and re-ranges now (the timer calls this when new points arrived).
  void refresh();

 protected:
  void resizeEvent(QResizeEvent* event) override;
  // The chart's theme follows the palette (light or dark window).
  void changeEvent(QEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  struct Range {
    double min = 0.0;
    double max = 0.0;
    bool empty = true;
    void add(double value);
  };
  void update_axes();
  // Qt Charts' light or dark theme by the palette's window colour, then the series' own pens.
  void apply_theme();
  // Ranges `x_axis` and `y_axis` (linear or log) over the data with ticks spaced for a plot
  // of `area`.
  void range_axes(QValueAxis* x_axis, QAbstractAxis* y_axis, const QRectF& area) const;
  // The curves as the x axis counts them.
  const std::vector<QPointF>& shown_train() const { return by_tokens_ ? train_tokens_ : train_; }
  const std::vector<QPointF>& shown_eval() const { return by_tokens_ ? eval_tokens_ : eval_; }
  const std::vector<QPointF>& shown_train(const CompareRun& run) const { return by_tokens_ ? run.train_tokens : run.train; }
  // The x and y ranges over every curve drawn, for the axis counted now.
  void rebuild_ranges();
  QString x_title() const;
  // Where `step` is on the x axis: the step, or the tokens seen at it (NaN past the data).
  double axis_x_of_step(double step) const;
  // Where the chart scene's (0, 0) is in this widget.
  QPointF scene_origin() const;

  std::vector<QPointF> train_, train_tokens_;
  std::vector<QPointF> eval_, eval_tokens_;
  int64_t last_tokens_ = 0;  // of the newest step: where an evaluation after it stands
  bool by_tokens_ = false;
  bool log_ = false;
  Range x_range_;
  Range y_range_;
  bool dirty_ = false;

  MarkedChartView* view_ = nullptr;
  QLineSeries* train_series_ = nullptr;
  QLineSeries* eval_series_ = nullptr;
  QValueAxis* x_axis_ = nullptr;
  QValueAxis* y_axis_ = nullptr;
  QLogValueAxis* y_log_axis_ = nullptr;
  QTimer* timer_ = nullptr;
  mutable qsizetype figure_train_points_ = 0;
  std::vector<CompareRun> compare_;
  std::vector<QLineSeries*> compare_series_;
};

}  // namespace moescope
