// Runs side by side: the config keys that differ (a known answer), the diverging map's ends,
// and the compare window over real logs: one heatmap and one loss curve per run, the
// difference A - B cell by cell at the shared step, the x axis by tokens, the log scale, runs
// of other shapes refused by the difference, and a log that grows read again.
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLogValueAxis>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <cmath>
#include <memory>

#include "colormap.h"
#include "compare_window.h"
#include "config_diff.h"
#include "figure.h"
#include "heatmap_widget.h"
#include "load_diff_view.h"
#include "loss_chart.h"
#include "run_log_writer.h"

using namespace moescope;

namespace {

RunInfo info(const std::string& config, int experts) {
  RunInfo i;
  i.preset = "lm-fortunes";
  i.task = "lm";
  i.router = "top_k";
  i.config_json = config;
  i.model_summary = "tiny";
  i.device = "cpu";
  i.start_time = "2026-12-03T10:00:00Z";
  i.layers = 2;
  i.experts = experts;
  i.top_k = 1;
  i.total_steps = 20;
  i.parameters = 10;
  i.active_parameters = 5;
  return i;
}

// Steps from..to, `tokens` per step, loss falling from `loss0`; a routing snapshot at `to`
// whose loads are `load` (2 layers).
void write(RunLogWriter& log, int from, int to, int64_t tokens, double loss0, std::vector<float> load) {
  for (int s = from; s <= to; ++s) {
    StepMetrics m;
    m.step = s;
    m.tokens = s * tokens;
    m.loss = loss0 / s;
    log.on_step(m);
  }
  RoutingSnapshot r;
  r.step = to;
  r.layers = 2;
  r.experts = static_cast<int64_t>(load.size() / 2);
  r.load = std::move(load);
  r.importance = r.load;
  r.entropy.assign(2, 1.0f);
  r.dropped.assign(2, 0.0f);
  log.on_routing(r);
}

}  // namespace

class CompareTest : public QObject {
  Q_OBJECT
  QTemporaryDir config_;

 private Q_SLOTS:
  void initTestCase() { qputenv("XDG_CONFIG_HOME", config_.path().toLocal8Bit()); }

  void config_diff_keeps_the_keys_that_differ() {
    const auto diff = config_diff({R"({"a": 1, "model": {"experts": 8, "top_k": 2}, "lr": [1, 2]})",
                                   R"({"a": 1, "model": {"experts": 16, "top_k": 2}, "x": true})"});
    QCOMPARE(diff.size(), size_t{3});
    QCOMPARE(diff[0].key, std::string("lr"));
    QCOMPARE(*diff[0].values[0], std::string("[1,2]"));
    QVERIFY(!diff[0].values[1].has_value());
    QCOMPARE(diff[1].key, std::string("model.experts"));
    QCOMPARE(*diff[1].values[0], std::string("8"));
    QCOMPARE(*diff[1].values[1], std::string("16"));
    QCOMPARE(diff[2].key, std::string("x"));
    QVERIFY(!diff[2].values[0].has_value());
    QVERIFY(config_diff({R"({"a": 1})", R"({"a": 1})"}).empty());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, config_diff({"{}", "[1, 2]"}));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, config_diff({"{\"a\": "}));
  }

  void diverging_map_runs_blue_white_red() {
    QCOMPARE(diverging(-1.0f), qRgb(0x05, 0x30, 0x61));
    QCOMPARE(diverging(0.0f), qRgb(0xf7, 0xf7, 0xf7));
    QCOMPARE(diverging(1.0f), qRgb(0x67, 0x00, 0x1f));
    QCOMPARE(diverging(5.0f), diverging(1.0f));
    QCOMPARE(diverging(std::nanf("")), diverging(0.0f));
    QVERIFY(qBlue(diverging(-0.5f)) > qRed(diverging(-0.5f)));
    QVERIFY(qRed(diverging(0.5f)) > qBlue(diverging(0.5f)));
  }

  void compare_window_shows_runs_side_by_side() {
    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a.h5")), b = dir.filePath(QStringLiteral("b.h5")),
                  c = dir.filePath(QStringLiteral("c.h5"));
    {
      RunLogWriter log_a(a.toStdString(), info(R"({"router": {"kind": "top_k"}, "steps": 20})", 4));
      write(log_a, 1, 10, 100, 4.0, {0.25f, 0.25f, 0.25f, 0.25f, 0.4f, 0.2f, 0.2f, 0.2f});
      write(log_a, 11, 20, 100, 4.0, {0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f});
      RunLogWriter log_b(b.toStdString(), info(R"({"router": {"kind": "switch"}, "steps": 20})", 4));
      write(log_b, 1, 10, 200, 3.0, {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f});
      write(log_b, 11, 20, 200, 3.0, {0.4f, 0.2f, 0.2f, 0.2f, 0.1f, 0.3f, 0.3f, 0.3f});
      RunLogWriter log_c(c.toStdString(), info(R"({"router": {"kind": "top_k"}, "steps": 20})", 3));
      write(log_c, 1, 20, 100, 4.0, {0.5f, 0.25f, 0.25f, 0.2f, 0.4f, 0.4f});
    }
    CompareWindow window;
    QStringList errors;
    QCOMPARE(window.set_runs({a, b, dir.filePath(QStringLiteral("missing.h5"))}, &errors), 2);
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors[0].contains(QStringLiteral("missing.h5")), qPrintable(errors[0]));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.heatmaps().size(), size_t{2});
    QCOMPARE(window.loss_chart()->compare_series(), 2);
    QCOMPARE(window.figures().size(), size_t{4});  // loss, two heatmaps, difference

    // The config keys that differ: the router's kind only.
    QCOMPARE(window.config_table()->rowCount(), 1);
    QCOMPARE(window.config_table()->verticalHeaderItem(0)->text(), QStringLiteral("router.kind"));
    QCOMPARE(window.config_table()->item(0, 0)->text(), QStringLiteral("\"top_k\""));
    QCOMPARE(window.config_table()->item(0, 1)->text(), QStringLiteral("\"switch\""));

    // The newest step: A - B cell by cell.
    LoadDiffView* diff = window.difference();
    QVERIFY(diff);
    diff->refresh();
    QCOMPARE(diff->step_a(), qint64(20));
    QCOMPARE(diff->difference().size(), size_t{8});
    const float newest[8] = {0.3f, -0.1f, -0.1f, -0.1f, 0.15f, -0.05f, -0.05f, -0.05f};
    for (int i = 0; i < 8; ++i) QVERIFY(std::abs(diff->difference()[size_t(i)] - newest[i]) < 1e-6f);
    QVERIFY(std::abs(diff->scale() - 0.3f) < 1e-6f);
    // Red where A routes more, blue where B does.
    QVERIFY(qRed(diff->image().pixel(0, 0)) > qBlue(diff->image().pixel(0, 0)));
    QVERIFY(qBlue(diff->image().pixel(1, 0)) > qRed(diff->image().pixel(1, 0)));

    // The shared step: every heatmap and the difference move to step 10.
    window.step_slider()->setValue(10);
    for (HeatmapWidget* h : window.heatmaps()) {
      h->refresh();
      QCOMPARE(h->shown_step(), qint64(10));
    }
    diff->refresh();
    QCOMPARE(diff->step_a(), qint64(10));
    QVERIFY(std::abs(diff->difference()[4] - 0.15f) < 1e-6f);
    QCOMPARE(window.loss_chart()->cursor_step(), qint64(10));

    // The loss by tokens seen: B saw 200 tokens a step, 4000 by step 20.
    window.x_axis_box()->setCurrentIndex(1);
    QCOMPARE(window.loss_chart()->x_axis(), LossChart::XAxis::Tokens);
    QVERIFY(window.loss_chart()->x_axis_range().y() >= 4000.0);
    window.x_axis_box()->setCurrentIndex(0);
    QVERIFY(window.loss_chart()->x_axis_range().y() < 100.0);
    // The log scale: a log axis over the losses (4 / 20 = 0.2 .. 4).
    window.log_box()->setChecked(true);
    QVERIFY(qobject_cast<const QLogValueAxis*>(window.loss_chart()->y_axis()));
    const QPointF y = window.loss_chart()->y_axis_range();
    QVERIFY2(y.x() > 0.1 && y.x() < 0.15 && y.y() > 4.0 && y.y() < 4.5,
             qPrintable(QStringLiteral("%1 .. %2").arg(y.x()).arg(y.y())));
    window.log_box()->setChecked(false);
    QVERIFY(!qobject_cast<const QLogValueAxis*>(window.loss_chart()->y_axis()));

    // The difference as a figure: its title and colour bar in the SVG.
    const QString svg = dir.filePath(QStringLiteral("diff.svg"));
    QCOMPARE(export_figure(*diff, svg), QString());
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(file.readAll());
    QVERIFY(text.contains(QStringLiteral("Load share a")));
    QVERIFY(text.contains(QStringLiteral(" pp")));

    // Another shape (3 experts): the difference says so and draws no cells.
    QCOMPARE(window.set_runs({a, c}), 2);
    window.difference()->refresh();
    QVERIFY(window.difference()->difference().empty());
    QVERIFY(window.difference()->image().isNull());
  }

  void a_growing_log_is_read_again() {
    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a.h5")), b = dir.filePath(QStringLiteral("b.h5"));
    auto log_a = std::make_unique<RunLogWriter>(a.toStdString(), info("{}", 4));
    write(*log_a, 1, 10, 100, 4.0, {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f});
    log_a->flush();
    {
      RunLogWriter log_b(b.toStdString(), info("{}", 4));
      write(log_b, 1, 10, 100, 4.0, {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f});
    }
    CompareWindow window;
    QCOMPARE(window.set_runs({a, b}), 2);
    QCOMPARE(window.step_slider()->maximum(), 10);
    QThread::msleep(20);
    write(*log_a, 11, 30, 100, 4.0, {0.7f, 0.1f, 0.1f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f});
    log_a->flush();
    window.reread_changed();
    QCOMPARE(window.step_slider()->maximum(), 30);
    window.heatmaps()[0]->refresh();
    QCOMPARE(window.heatmaps()[0]->shown_step(), qint64(30));
  }
};

QTEST_MAIN(CompareTest)
#include "test_compare.moc"
