#include "surgery_sweep_chart.h"

#include <QChart>
#include <QChartView>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QScatterSeries>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

#include "colormap.h"

namespace moescope {

namespace {

// What a sweep swept: experts (prune and merge), β or bits.
std::string swept(const std::string& kind) {
  if (kind == "skip" || kind == "quantize") return kind;
  return "experts";
}

}  // namespace

std::vector<SweepCurve> sweep_curves(const std::vector<SurgeryRecord>& records, bool lm) {
  std::string quantity;
  for (auto it = records.rbegin(); it != records.rend() && quantity.empty(); ++it) {
    if (it->action == "preview" && it->preview.request.sweep > 0) quantity = swept(it->preview.request.kind);
  }
  std::vector<SweepCurve> curves;
  for (const auto& record : records) {
    const SurgeryPreview& p = record.preview;
    if (record.action != "preview" || p.request.sweep <= 0 || swept(p.request.kind) != quantity) continue;
    if (curves.empty() || curves.back().sweep != p.request.sweep) {
      SweepCurve c;
      c.sweep = p.request.sweep;
      const bool counts = p.request.kind == "prune" || p.request.kind == "merge";
      c.label = counts ? p.request.method + (p.request.kind == "merge" && p.request.align ? " aligned" : "")
                       : p.request.kind;
      curves.push_back(std::move(c));
    }
    SweepCurve& c = curves.back();
    c.x.push_back(surgery_budget(p.request));
    c.measured.push_back(lm ? (p.after.loss - p.before.loss) / std::log(2.0)
                            : 100.0 * (p.before.accuracy - p.after.accuracy));
    c.predicted.push_back(surgery_means(p).reconstruction_error);
  }
  return curves;
}

SurgerySweepChart::SurgerySweepChart(QWidget* parent)
    : QWidget(parent), chart_(new QChart), x_(new QValueAxis), measured_(new QValueAxis), predicted_(new QValueAxis) {
  chart_->setTitle(tr("Sweep: preview a method at every budget (Sweep button)"));
  chart_->legend()->setAlignment(Qt::AlignBottom);
  chart_->addAxis(x_, Qt::AlignBottom);
  chart_->addAxis(measured_, Qt::AlignLeft);
  chart_->addAxis(predicted_, Qt::AlignRight);
  predicted_->setTitleText(tr("recon. error (predicted, dashed)"));
  for (auto* axis : {x_, measured_, predicted_}) axis->setLabelFormat(QStringLiteral("%.3g"));
  view_ = new QChartView(chart_, this);
  view_->setRenderHint(QPainter::Antialiasing);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(view_);
}

void SurgerySweepChart::set_records(const std::vector<SurgeryRecord>& records, bool lm) {
  curves_ = sweep_curves(records, lm);
  chart_->removeAllSeries();
  measured_->setTitleText(lm ? tr("Δ bits/byte (measured)") : tr("accuracy lost, pt (measured)"));
  if (curves_.empty()) return;
  double x0 = curves_.front().x.front(), x1 = x0, m0 = 0.0, m1 = 0.0, p1 = 0.0;
  for (size_t i = 0; i < curves_.size(); ++i) {
    const SweepCurve& c = curves_[i];
    const QColor colour = QColor::fromRgb(categorical(static_cast<int>(i)));
    auto* measured = new QLineSeries;
    auto* predicted = new QLineSeries;
    auto* dots = new QScatterSeries;
    measured->setName(QString::fromStdString(c.label));
    measured->setPen(QPen(colour, 2.0));
    predicted->setPen(QPen(colour, 1.5, Qt::DashLine));
    dots->setColor(colour);
    dots->setBorderColor(colour);
    dots->setMarkerSize(7.0);
    for (size_t j = 0; j < c.x.size(); ++j) {
      if (!std::isfinite(c.measured[j]) || !std::isfinite(c.predicted[j])) continue;
      measured->append(c.x[j], c.measured[j]);
      dots->append(c.x[j], c.measured[j]);
      predicted->append(c.x[j], c.predicted[j]);
      x0 = std::min(x0, c.x[j]);
      x1 = std::max(x1, c.x[j]);
      m0 = std::min(m0, c.measured[j]);
      m1 = std::max(m1, c.measured[j]);
      p1 = std::max(p1, c.predicted[j]);
    }
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{measured, predicted, dots}) {
      chart_->addSeries(s);
      s->attachAxis(x_);
    }
    measured->attachAxis(measured_);
    dots->attachAxis(measured_);
    predicted->attachAxis(predicted_);
    // One legend entry per sweep: its measured line.
    for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{predicted, dots}) {
      for (QLegendMarker* marker : chart_->legend()->markers(s)) marker->setVisible(false);
    }
  }
  const QString quantity = curves_.back().label == "skip"       ? tr("β (skip below β × top gate)")
                           : curves_.back().label == "quantize" ? tr("average bits")
                                                                : tr("experts kept per layer");
  x_->setTitleText(quantity);
  // Ticks at the swept values: whole experts and bits, tenths of β.
  const bool beta = curves_.back().label == "skip";
  const double step = beta ? 0.1 : 1.0;
  if (!(x1 > x0)) x1 = x0 + step;
  const int ticks = static_cast<int>(std::lround((x1 - x0) / step)) + 1;
  x_->setTickCount(ticks <= 12 ? ticks : 5);
  x_->setLabelFormat(beta ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
  x_->setRange(x0, x1);
  measured_->setRange(m0, m1 > m0 ? m1 * 1.05 : m0 + 1.0);
  predicted_->setRange(0.0, p1 > 0.0 ? p1 * 1.05 : 1.0);
  chart_->setTitle(tr("Sweep: cost at every budget, %n sweep(s)", "", static_cast<int>(curves_.size())));
}

}  // namespace moescope
