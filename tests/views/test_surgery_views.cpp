// The surgery dock's parts without an engine: the dendrogram's leaf order, the plan table and
// its editable budgets, the experts' picture (order, plan strip, similarity colours), the
// store's surgery history, and the dock's buttons through a live run's states and a replay.
#include <QComboBox>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>
#include <cmath>

#include "colormap.h"
#include "focus_state.h"
#include "run_store.h"
#include "surgery_dock.h"
#include "surgery_plan_model.h"
#include "surgery_sweep_chart.h"
#include "surgery_view.h"

using namespace moescope;

namespace {

// 4 experts: 1 and 3 alike, 0 and 2 alike; the linkage joins {1, 3}, then {0, 2}, then both.
SurgeryLayer four_expert_layer(int64_t layer) {
  SurgeryLayer s;
  s.layer = layer;
  s.experts_before = 4;
  s.usage = {0.4, 0.3, 0.05, 0.25};
  s.mean_gate = {0.5, 0.4, 0.1, 0.3};
  s.saliency = {2.0, 1.5, 0.2, 1.0};
  const double near = 0.9, far = -0.2;
  s.similarity = {1.0, far, near, far,  //
                  far, 1.0, far, near,  //
                  near, far, 1.0, far,  //
                  far, near, far, 1.0};
  s.dendrogram = {{1, 3, 0.1, 2}, {0, 2, 0.2, 2}, {4, 5, 1.1, 4}};
  s.gini = 0.3 + 0.1 * static_cast<double>(layer);
  return s;
}

SurgeryPreview prune_preview(int64_t id, int64_t step) {
  SurgeryPreview p;
  p.id = id;
  p.step = step;
  p.request.kind = "prune";
  p.request.method = "reap";
  p.request.experts = 3;
  p.description = "prune reap: 3 of 4 experts per layer";
  for (int64_t l = 0; l < 2; ++l) {
    SurgeryLayer s = four_expert_layer(l);
    s.kept = {0, 1, 3};
    s.experts_after = 3;
    s.routed_share = 0.05;
    s.saliency_removed = 0.043;
    s.reconstruction_error = 0.012;
    p.layers.push_back(s);
  }
  p.before.loss = 2.5;
  p.after.loss = 2.6;
  p.parameters_before = 1000000;
  p.parameters_after = 800000;
  p.active_before = p.active_after = 500000;
  p.expert_flops_kept = 1.0;
  return p;
}

}  // namespace

class TestSurgeryViews : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void leaf_order_follows_the_linkage() {
    const auto layer = four_expert_layer(0);
    QCOMPARE(dendrogram_leaf_order(layer.dendrogram, 4), (std::vector<int>{1, 3, 0, 2}));
    // Malformed linkages (an id joined twice, a later step, too few steps) keep the expert order.
    QCOMPARE(dendrogram_leaf_order({{1, 1, 0.1, 2}, {0, 2, 0.2, 2}, {4, 5, 1.0, 4}}, 4), (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(dendrogram_leaf_order({{1, 5, 0.1, 2}, {0, 2, 0.2, 2}, {4, 3, 1.0, 4}}, 4), (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(dendrogram_leaf_order({}, 3), (std::vector<int>{0, 1, 2}));
  }

  void plan_texts() {
    QCOMPARE(expert_ranges_text({5, 0, 1, 2, 3, 7}), QStringLiteral("0-3, 5, 7"));
    QCOMPARE(expert_ranges_text({0, 1}), QStringLiteral("0, 1"));
    SurgeryLayer merged;
    merged.groups = {{0, 4}, {1}, {2, 3, 5}};
    QCOMPARE(surgery_change_text("merge", merged), QStringLiteral("merges {0, 4} {2, 3, 5}"));
    SurgeryLayer kept;
    kept.kept = {0, 1, 2, 6};
    QCOMPARE(surgery_change_text("prune", kept), QStringLiteral("keeps 0-2, 6"));
  }

  void plan_budgets_are_edited_within_the_layer() {
    SurgeryPlanModel model;
    model.set_preview(prune_preview(1, 10));
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex budget = model.index(0, SurgeryPlanModel::BudgetColumn);
    QCOMPARE(model.data(budget).toString(), QStringLiteral("4 → 3"));
    QVERIFY(!(model.flags(budget) & Qt::ItemIsEditable));  // not editable until a live run says so
    QVERIFY(!model.setData(budget, 2));
    model.set_editable(true);
    QVERIFY(model.flags(budget) & Qt::ItemIsEditable);
    QSignalSpy changed(&model, &SurgeryPlanModel::budgets_changed);
    QVERIFY(!model.setData(budget, 5));  // above the layer's experts
    QVERIFY(!model.setData(budget, 0));
    QVERIFY(!model.setData(budget, QStringLiteral("many")));
    QVERIFY(!model.budgets_edited());
    QVERIFY(model.setData(budget, QStringLiteral("4 → 2")));
    QCOMPARE(model.budgets(), (std::vector<int64_t>{2, 3}));
    QVERIFY(model.budgets_edited());
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.data(model.index(1, SurgeryPlanModel::ChangeColumn)).toString(), QStringLiteral("keeps 0, 1, 3"));
    // Skipping has no budgets.
    auto skip = prune_preview(2, 10);
    skip.request.kind = "skip";
    model.set_preview(skip);
    QVERIFY(!(model.flags(budget) & Qt::ItemIsEditable));
  }

  void merge_error_above_the_warning_is_red() {
    SurgeryPlanModel model;
    auto p = prune_preview(1, 0);
    p.request.kind = "merge";
    p.layers[0].largest_pair_error = 2 * kMergeErrorWarning;
    p.layers[1].largest_pair_error = kMergeErrorWarning / 2;
    model.set_preview(p);
    QCOMPARE(model.data(model.index(0, SurgeryPlanModel::PairErrorColumn), Qt::ForegroundRole).value<QColor>(),
             QColor(0xc0, 0x39, 0x2b));
    QVERIFY(!model.data(model.index(1, SurgeryPlanModel::PairErrorColumn), Qt::ForegroundRole).isValid());
  }

  void picture_orders_experts_and_marks_the_plan() {
    SurgeryView view;
    view.resize(700, 420);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.set_preview(prune_preview(1, 10));
    QCOMPARE(view.order(), (std::vector<int>{1, 3, 0, 2}));
    const QRectF m = view.matrix_rect();
    QVERIFY(m.width() > 40.0);
    const QImage shot = view.grab().toImage();
    const double cell = m.width() / 4;
    const auto at = [&](double x, double y) { return shot.pixel(QPointF(x, y).toPoint()) & 0xffffff; };
    // Row 0 is expert 1: like expert 3 (column 1, top of the scale), unlike expert 0 (column 2).
    QCOMPARE(at(m.left() + 1.5 * cell, m.top() + 0.3 * cell), viridis(1.0f) & 0xffffff);
    QCOMPARE(at(m.left() + 2.5 * cell, m.top() + 0.3 * cell), viridis(0.0f) & 0xffffff);
    // The plan strip left of the rows: expert 2 (the last row) is pruned, expert 1 kept.
    QCOMPARE(at(m.left() - 4.0, m.top() + 3.5 * cell), kDroppedColour & 0xffffff);
    QCOMPARE(at(m.left() - 4.0, m.top() + 0.5 * cell), categorical(0) & 0xffffff);
    QVERIFY(view.tooltip_at(QPointF(m.left() + 1.5 * cell, m.top() + 0.5 * cell).toPoint())
                .startsWith(QStringLiteral("experts 1 and 3: similarity 0.900")));
  }

  void store_keeps_the_history_as_the_log_does() {
    RunStore store;
    store.begin_live(QString());
    QSignalSpy added(&store, &RunStore::surgery_added);
    const auto p = prune_preview(3, 20);
    store.add_surgery_preview(p);
    SurgeryApplied a;
    a.id = 3;
    a.step = 20;
    a.description = p.description;
    a.after.loss = 2.7;
    a.parameters = 800000;
    store.add_surgery_applied(a);
    QCOMPARE(added.count(), 2);
    QCOMPARE(store.surgery().size(), size_t(2));
    const SurgeryRecord expected = surgery_record(a, p);
    const SurgeryRecord& applied = store.surgery()[1];
    QCOMPARE(applied.action, std::string("apply"));
    QCOMPARE(applied.preview.after.loss, expected.preview.after.loss);
    QCOMPARE(applied.preview.parameters_after, int64_t(800000));
    QCOMPARE(applied.preview.layers.size(), size_t(2));
    QCOMPARE(applied.preview.layers[0].kept, (std::vector<int64_t>{0, 1, 3}));
    store.begin_live(QString());
    QVERIFY(store.surgery().empty());
  }

  void sweep_curves_group_the_points_of_each_sweep() {
    std::vector<SurgeryRecord> records;
    const auto point = [](int64_t sweep, const std::string& kind, const std::string& method, int64_t experts,
                          double loss_after) {
      SurgeryPreview p = prune_preview(0, 10);
      p.request.kind = kind;
      p.request.method = method;
      p.request.experts = experts;
      p.request.sweep = sweep;
      p.before.loss = std::log(2.0);  // 1 bit per byte
      p.after.loss = loss_after * std::log(2.0);
      p.layers[0].reconstruction_error = 0.1 * double(4 - experts);
      p.layers[1].reconstruction_error = 0.3 * double(4 - experts);
      return SurgeryRecord{"preview", p};
    };
    records.push_back(point(1, "prune", "reap", 3, 1.25));
    records.push_back(point(1, "prune", "reap", 2, 1.5));
    records.push_back(point(0, "prune", "reap", 2, 1.5));   // a preview of its own
    records.push_back(SurgeryRecord{"apply", records.back().preview});
    records.push_back(point(4, "skip", "", 0, 1.0));        // another quantity, then:
    records.push_back(point(5, "merge", "hc-smoe", 3, 1.125));
    const auto curves = sweep_curves(records, true);
    QCOMPARE(curves.size(), size_t(2));  // the skip sweep sweeps β, not experts
    QCOMPARE(curves[0].label, std::string("reap"));
    QCOMPARE(curves[0].x, (std::vector<double>{3, 2}));
    QCOMPARE(curves[0].measured.size(), size_t(2));
    QCOMPARE(curves[0].measured[0], 0.25);  // bits per byte gained
    QCOMPARE(curves[0].measured[1], 0.5);
    QCOMPARE(curves[0].predicted[1], 0.4);  // mean of 0.2 and 0.6
    QCOMPARE(curves[1].label, std::string("hc-smoe"));
    SurgerySweepChart chart;
    chart.set_records(records, true);
    QCOMPARE(chart.curves().size(), size_t(2));
  }

  void dock_buttons_follow_the_run() {
    RunStore store;
    FocusState focus;
    SurgeryDock dock;
    dock.attach(&store, &focus);
    store.begin_live(QString());
    RunInfo info;
    info.task = "lm";
    info.layers = 2;
    store.set_run_info(info);
    dock.set_run_state(RunState::Running);
    QVERIFY(!dock.preview_button()->isEnabled());
    QVERIFY(dock.message_label()->text().contains(QStringLiteral("Pause")));
    dock.set_run_state(RunState::Paused);
    QVERIFY(dock.preview_button()->isEnabled());
    QVERIFY(!dock.apply_button()->isEnabled());

    QSignalSpy previews(&dock, &SurgeryDock::preview_requested);
    QTest::mouseClick(dock.preview_button(), Qt::LeftButton);
    QCOMPARE(previews.count(), 1);
    const auto asked = previews.at(0).at(0).value<SurgeryRequest>();
    QCOMPARE(asked.kind, std::string("prune"));
    QCOMPARE(asked.method, std::string("reap"));
    QVERIFY(asked.layer_experts.empty());
    QVERIFY(!dock.preview_button()->isEnabled());  // busy until the engine answers

    dock.show_progress(0.4, QStringLiteral("calibrating"));
    QCOMPARE(dock.progress_bar()->value(), 400);
    store.add_surgery_preview(prune_preview(1, 10));
    QCOMPARE(dock.history_box()->count(), 1);
    QVERIFY(dock.apply_button()->isEnabled());
    QVERIFY(dock.cost_label()->text().contains(QStringLiteral("3.607")));  // 2.5 nats in bits
    QVERIFY(dock.cost_label()->text().contains(QStringLiteral("Sharpest cliff: layer 1")));

    // Edited budgets go into the next request.
    QVERIFY(dock.plan()->setData(dock.plan()->index(1, SurgeryPlanModel::BudgetColumn), 4));
    QCOMPARE(dock.request().layer_experts, (std::vector<int64_t>{3, 4}));

    QSignalSpy applies(&dock, &SurgeryDock::apply_requested);
    QTest::mouseClick(dock.apply_button(), Qt::LeftButton);
    QCOMPARE(applies.count(), 1);
    QCOMPARE(applies.at(0).at(0).toLongLong(), qint64(1));
    SurgeryApplied a;
    a.id = 1;
    a.step = 10;
    store.add_surgery_applied(a);
    QVERIFY(!dock.apply_button()->isEnabled());
    QVERIFY(dock.undo_button()->isEnabled());
    StepMetrics m;
    m.step = 11;
    store.add_step(m);
    QVERIFY(!dock.undo_button()->isEnabled());  // a step makes the undo copy stale

    // A sweep keeps the dock busy over its points and ends on the Sweep tab, with nothing to apply.
    QSignalSpy sweeps(&dock, &SurgeryDock::sweep_requested);
    QTest::mouseClick(dock.sweep_button(), Qt::LeftButton);
    QCOMPARE(sweeps.count(), 1);
    QVERIFY(sweeps.at(0).at(0).value<SurgeryRequest>().layer_experts.empty());
    dock.show_progress(0.5, QStringLiteral("sweep: 2 of 2 (2)"));
    QCOMPARE(dock.progress_bar()->value(), 500);
    dock.show_progress(0.1, QStringLiteral("calibrating"));  // a point's own progress
    QCOMPARE(dock.progress_bar()->value(), 500);
    for (int64_t experts : {3, 2}) {
      auto p = prune_preview(3 + (3 - experts), 11);
      p.request.experts = experts;
      p.request.sweep = 3;
      store.add_surgery_preview(p);
      QVERIFY(!dock.preview_button()->isEnabled());
    }
    dock.show_progress(1.0, QStringLiteral("sweep: done"));
    QVERIFY(dock.preview_button()->isEnabled());
    QVERIFY(!dock.apply_button()->isEnabled());
    QCOMPARE(dock.tabs()->currentWidget(), static_cast<QWidget*>(dock.sweep_chart()));
    QCOMPARE(dock.sweep_chart()->curves().size(), size_t(1));
    QCOMPARE(dock.sweep_chart()->curves()[0].x, (std::vector<double>{3, 2}));

    // A failure is said and ends the wait.
    QTest::mouseClick(dock.preview_button(), Qt::LeftButton);
    dock.show_progress(1.0, QStringLiteral("failed: merge: 9 experts asked, the layer has 8"));
    QVERIFY(dock.message_label()->text().contains(QStringLiteral("the layer has 8")));
    QVERIFY(dock.preview_button()->isEnabled());

    // A replay shows the history and changes nothing.
    store.begin_replay(QStringLiteral("/tmp/run.h5"));
    store.add_surgery(SurgeryRecord{"preview", prune_preview(1, 10)});
    dock.set_run_state(RunState::Finished);
    QCOMPARE(dock.history_box()->count(), 1);
    QVERIFY(!dock.preview_button()->isEnabled());
    QVERIFY(!dock.apply_button()->isEnabled());
    QVERIFY(dock.message_label()->text().startsWith(QStringLiteral("Replay")));
    QCOMPARE(dock.view()->preview().id, int64_t(1));
  }
};

QTEST_MAIN(TestSurgeryViews)
#include "test_surgery_views.moc"
