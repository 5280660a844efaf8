// The surgery dock's sweep chart: for every sweep of the run that swept the same quantity as
// the newest (experts kept, β or average bits), the measured cost (the change of validation
// bits/byte, or the accuracy lost, on the left axis; solid) and the predicted cost (the mean
// relative reconstruction error on the cache, on the right axis; dashed) of each point, one
// colour per sweep, so methods can be compared where they break.
#pragma once

#include <QWidget>
#include <string>
#include <vector>

#include "base/events.h"

class QChart;
class QChartView;
class QValueAxis;

namespace moescope {

// One sweep's curves: x, the measured cost change and the predicted error per point.
struct SweepCurve {
  int64_t sweep = 0;
  std::string label;  // "reap", "hc-smoe aligned", "skip", ...
  std::vector<double> x, measured, predicted;
};

// The curves the chart draws from a run's surgery history: sweeps whose kind sweeps the same
// quantity as the newest sweep's, in the order they ran; each point once (the previews of a
// sweep, not the apply or undo records). `lm`: measured is the change of bits/byte, else the
// accuracy lost in percentage points.
std::vector<SweepCurve> sweep_curves(const std::vector<SurgeryRecord>& records, bool lm);

class SurgerySweepChart : public QWidget {
  Q_OBJECT

 public:
  explicit SurgerySweepChart(QWidget* parent = nullptr);

  void set_records(const std::vector<SurgeryRecord>& records, bool lm);
  const std::vector<SweepCurve>& curves() const { return curves_; }
  QChart* chart() const { return chart_; }

 private:
  QChartView* view_;
  QChart* chart_;
  QValueAxis* x_;
  QValueAxis* measured_;
  QValueAxis* predicted_;
  std::vector<SweepCurve> curves_;
};

}  // namespace moescope
