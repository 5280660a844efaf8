// The Recipes dock, driven as a user would: preview a recipe on real checkpoints, read the
// measured rows, then Apply and train, and the window trains the new model in every view.
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

#include <cmath>
#include <filesystem>

#include "engine/session.h"
#include "loss_chart.h"
#include "main_window.h"
#include "recipe_dock.h"
#include "run_store.h"
#include "test_support.h"

namespace moescope {
namespace {

// A dense language model trained a few steps (seed: its own data order and start).
std::string dense_checkpoint(const test::TempDir& dir, const std::string& name, int64_t seed) {
  auto config = test::tiny_lm_config((dir.path() / "fortunes").string());
  config.model.ffn = "dense";
  config.model.expert_hidden = 64;
  config.train.steps = 12;
  config.train.seed = seed;
  const auto path = dir.file(name);
  Session session(config);
  session.run();
  session.save_checkpoint(path);
  return path;
}

}  // namespace

class RecipesTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void upcyclePreviewsThenTrainsTheMoEInTheWindow() {
    test::TempDir dir;
    test::write_fortunes_tree(dir.path() / "fortunes", 60);
    const auto dense = dense_checkpoint(dir, "dense.pt", 1);
    MainWindow window;
    window.set_log_folder(QString::fromStdString(dir.file("runs")));
    window.set_log_path(QString::fromStdString(dir.file("upcycled.h5")));
    window.show();
    window.show_recipes();
    RecipeDock* dock = window.recipes();
    RecipeRequest request;
    request.kind = RecipeKind::upcycle;
    request.checkpoints = {dense};
    request.experts = 4;
    request.top_k = 1;
    dock->set_request(request);
    QVERIFY(dock->preview_button()->isEnabled());
    QVERIFY(!dock->apply_button()->isEnabled());  // nothing previewed yet
    QSignalSpy done(dock, &RecipeDock::preview_finished);
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QCOMPARE(done.at(0).at(0).toBool(), true);
    const auto& rows = dock->summary().rows;
    QCOMPARE(rows.size(), size_t(2));  // the dense model, the upcycled one
    // No drop, renormalised top-1 gates: the dense model's function, measured.
    QVERIFY2(std::abs(rows[1].loss - rows[0].loss) < 1e-5, qPrintable(QString::number(rows[1].loss - rows[0].loss)));
    QCOMPARE(rows[0].experts, int64_t(0));
    QCOMPARE(rows[1].experts, int64_t(4));
    QVERIFY(rows[1].parameters > rows[0].parameters);
    QVERIFY(rows[1].active_parameters - rows[0].active_parameters < rows[1].parameters - rows[0].parameters);
    QCOMPARE(dock->table()->rowCount(), 2);
    QCOMPARE(dock->table()->item(1, 5)->text(), dock->table()->item(0, 5)->text());  // bits/byte, as shown
    QCOMPARE(dock->table()->columnCount(), 6 + 2);  // en, de of the test corpus
    QVERIFY(std::filesystem::exists(dock->summary().out));
    QVERIFY(QString::fromStdString(dock->summary().out).startsWith(QString::fromStdString(dir.file("runs"))));

    QVERIFY(dock->apply_button()->isEnabled());
    QTest::mouseClick(dock->apply_button(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->has_run_info(), 60000);
    QCOMPARE(window.store()->info().experts, int64_t(4));
    QTRY_VERIFY_WITH_TIMEOUT(window.loss_chart()->train_points() >= 2, 120000);  // it trains
    window.stop_run();
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 120000);
  }

  void alignedMergeShowsTheLossBarrierAndBadInputIsAMessage() {
    test::TempDir dir;
    test::write_fortunes_tree(dir.path() / "fortunes", 60);
    const auto a = dense_checkpoint(dir, "a.pt", 1), b = dense_checkpoint(dir, "b.pt", 2);
    RecipeDock dock;
    dock.set_output_folder([&dir] { return QString::fromStdString(dir.path().string()); });
    RecipeRequest request;
    request.kind = RecipeKind::merge;
    request.checkpoints = {a, b};
    request.align = true;
    dock.set_request(request);
    QSignalSpy done(&dock, &RecipeDock::preview_finished);
    dock.preview();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, 120000);
    QCOMPARE(done.at(0).at(0).toBool(), true);
    const auto& s = dock.summary();
    QCOMPARE(s.rows.size(), size_t(3));  // a, b, merged
    QCOMPARE(s.barrier_before.size(), size_t(11));
    QCOMPARE(s.barrier_after.size(), size_t(11));
    // The ends are the models themselves; alignment keeps b's function.
    QVERIFY(std::abs(s.barrier_before.front() - s.rows[0].loss) < 1e-6);
    QVERIFY(std::abs(s.barrier_after.back() - s.rows[1].loss) < 1e-4);
    QVERIFY(dock.barrier_label()->text().contains(QStringLiteral("after alignment")));
    QVERIFY(dock.barrier_chart()->isVisibleTo(&dock));  // the curves drawn
    const auto series = dock.barrier_chart()->chart()->series();
    QCOMPARE(series.size(), 2);
    QCOMPARE(static_cast<QLineSeries*>(series[1])->count(), 11);
    QCOMPARE(static_cast<QLineSeries*>(series[1])->at(10).y(), s.barrier_after.back() / std::log(2.0));

    request.checkpoints = {a, dir.file("missing.pt")};
    dock.set_request(request);
    dock.preview();
    QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, 60000);
    QCOMPARE(done.at(1).at(0).toBool(), false);
    QVERIFY2(dock.message_label()->text().contains(QStringLiteral("missing.pt")), qPrintable(dock.message_label()->text()));
  }
};

}  // namespace moescope

QTEST_MAIN(moescope::RecipesTest)
#include "test_recipes.moc"
