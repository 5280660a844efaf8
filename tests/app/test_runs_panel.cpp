// The runs panel lists the logs of its folders with what read_run_summary() reads back
// (preset, router, steps, final validation loss and accuracy, start time), sorts by the
// numbers, filters by text, renames a log on disk, keeps tags, follows a log that grows, and
// moves deleted logs out of the folder.
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

#include "run_log_writer.h"
#include "loss_chart.h"
#include "main_window.h"
#include "runs_panel.h"

using namespace moescope;

namespace {

RunInfo info(const std::string& preset, const std::string& router, const std::string& start) {
  RunInfo i;
  i.preset = preset;
  i.task = "lm";
  i.router = router;
  i.config_json = R"({"preset": ")" + preset + R"("})";
  i.model_summary = "tiny";
  i.device = "cpu";
  i.start_time = start;
  i.layers = 1;
  i.experts = 2;
  i.top_k = 1;
  i.total_steps = 50;
  i.parameters = 10;
  i.active_parameters = 5;
  return i;
}

void steps(RunLogWriter& log, int from, int to, double eval_loss) {
  for (int s = from; s <= to; ++s) {
    StepMetrics m;
    m.step = s;
    m.loss = 3.0;
    log.on_step(m);
  }
  EvalResult e;
  e.step = to;
  e.loss = eval_loss;
  e.accuracy = 0.5;
  log.on_eval(e);
}

}  // namespace

class RunsPanelTest : public QObject {
  Q_OBJECT
  QTemporaryDir config_;

 private Q_SLOTS:
  void initTestCase() { qputenv("XDG_CONFIG_HOME", config_.path().toLocal8Bit()); }

  void lists_sorts_filters_renames_follows_and_deletes() {
    QTemporaryDir dir;
    const auto path = [&](const char* name) { return dir.filePath(QString::fromLatin1(name)).toStdString(); };
    {
      RunLogWriter a(path("a.h5"), info("lm-fortunes", "top_k", "2026-12-01T10:00:00Z"));
      steps(a, 1, 20, 2.5);
      RunLogWriter b(path("b.h5"), info("collapse-demo", "switch", "2026-12-02T10:00:00Z"));
      steps(b, 1, 30, 3.5);
    }
    QFile junk(dir.filePath(QStringLiteral("not-a-log.h5")));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("junk");
    junk.close();

    RunsPanel panel;
    panel.set_folders({dir.path()});
    RunTableModel* model = panel.model();
    QCOMPARE(model->rowCount(), 2);  // the junk file is not a run
    const int a = model->row_of(dir.filePath(QStringLiteral("a.h5")));
    QVERIFY(a >= 0);
    QCOMPARE(model->index(a, RunTableModel::PresetColumn).data().toString(), QStringLiteral("lm-fortunes"));
    QCOMPARE(model->index(a, RunTableModel::RouterColumn).data().toString(), QStringLiteral("top_k"));
    QCOMPARE(model->index(a, RunTableModel::StepsColumn).data().toString(), QStringLiteral("20 / 50"));
    QCOMPARE(model->index(a, RunTableModel::LossColumn).data().toString(), QStringLiteral("2.5000"));
    QCOMPARE(model->index(a, RunTableModel::AccuracyColumn).data().toString(), QStringLiteral("50.0%"));

    // Sorted by validation loss, ascending: a (2.5) before b (3.5); the filter keeps b alone.
    QSortFilterProxyModel* proxy = panel.proxy();
    proxy->sort(RunTableModel::LossColumn, Qt::AscendingOrder);
    QCOMPARE(proxy->index(0, RunTableModel::NameColumn).data().toString(), QStringLiteral("a"));
    panel.filter_box()->setText(QStringLiteral("COLLAPSE"));
    QCOMPARE(proxy->rowCount(), 1);
    QCOMPARE(proxy->index(0, RunTableModel::NameColumn).data().toString(), QStringLiteral("b"));
    panel.filter_box()->clear();

    // Rename: the file moves; a name that exists already is refused.
    QVERIFY(model->setData(model->index(a, RunTableModel::NameColumn), QStringLiteral("baseline"), Qt::EditRole));
    QVERIFY(QFile::exists(dir.filePath(QStringLiteral("baseline.h5"))));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.h5"))));
    const int renamed = model->row_of(dir.filePath(QStringLiteral("baseline.h5")));
    QVERIFY(!model->setData(model->index(renamed, RunTableModel::NameColumn), QStringLiteral("b"), Qt::EditRole));
    QVERIFY(model->last_error().contains(QStringLiteral("exists")));
    QVERIFY2(panel.status().contains(QStringLiteral("exists")), qPrintable(panel.status()));
    // Tags are found by the filter.
    QVERIFY(model->setData(model->index(renamed, RunTableModel::TagsColumn), QStringLiteral("paper, fig3 "), Qt::EditRole));
    QCOMPARE(model->index(renamed, RunTableModel::TagsColumn).data().toString(), QStringLiteral("paper, fig3"));
    panel.filter_box()->setText(QStringLiteral("fig3"));
    QCOMPARE(proxy->rowCount(), 1);
    panel.filter_box()->clear();

    // A log that grows (a run still writing) is read again at the next scan.
    {
      auto c = std::make_unique<RunLogWriter>(path("c.h5"), info("vision-fmnist", "top_k", "2026-12-03T10:00:00Z"));
      steps(*c, 1, 5, 1.0);
      c->flush();
      panel.rescan();
      const int row = model->row_of(dir.filePath(QStringLiteral("c.h5")));
      QVERIFY(row >= 0);
      QCOMPARE(model->run(row).steps, int64_t{5});
      QTest::qWait(1100);  // a newer modification time than the last read
      steps(*c, 6, 12, 0.9);
      c->flush();
      panel.rescan();
      QCOMPARE(model->run(model->row_of(dir.filePath(QStringLiteral("c.h5")))).steps, int64_t{12});
    }

    // Delete (without the question): the log leaves the folder and the table.
    panel.table()->selectRow(proxy->mapFromSource(model->index(model->row_of(dir.filePath(QStringLiteral("b.h5"))), 0)).row());
    panel.delete_selected(false);
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("b.h5"))));
    QCOMPARE(model->row_of(dir.filePath(QStringLiteral("b.h5"))), -1);
    QCOMPARE(model->rowCount(), 2);
  }

  void compare_overlays_one_series_per_run() {
    QTemporaryDir dir;
    for (const char* name : {"x.h5", "y.h5", "z.h5"}) {
      RunLogWriter log(dir.filePath(QString::fromLatin1(name)).toStdString(), info("lm-fortunes", "top_k", "2026-12-01"));
      steps(log, 1, 10, 2.0);
    }
    MainWindow window;
    const int base = static_cast<int>(window.loss_chart()->findChild<QChartView*>()->chart()->series().size());
    QCOMPARE(window.compare_runs({dir.filePath(QStringLiteral("x.h5")), dir.filePath(QStringLiteral("y.h5")),
                                  dir.filePath(QStringLiteral("z.h5"))}),
             3);
    QCOMPARE(window.loss_chart()->compare_series(), 3);
    const auto series = window.loss_chart()->findChild<QChartView*>()->chart()->series();
    QCOMPARE(static_cast<int>(series.size()), base + 3);
    QStringList names;
    for (auto* s : series) names << s->name();
    QVERIFY2(names.contains(QStringLiteral("x")) && names.contains(QStringLiteral("z")), qPrintable(names.join(',')));
    QCOMPARE(window.compare_runs({}), 0);
    QCOMPARE(window.loss_chart()->compare_series(), 0);
  }
};

QTEST_MAIN(RunsPanelTest)
#include "test_runs_panel.moc"
