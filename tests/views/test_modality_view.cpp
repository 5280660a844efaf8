// The modality x expert view and the tinted probe image, offscreen, on hand-made snapshots:
// the matrix's cells are the given shares in the shared colour map, the rows switch between
// modalities and domains, the specialisation follows the layer and the step cursor, and a
// fusion probe's image is drawn with each patch under its top-1 expert's tint.
#include <QtTest>

#include "colormap.h"
#include "focus_state.h"
#include "modality_view.h"
#include "run_store.h"
#include "token_view.h"

using namespace moescope;

namespace {

// Two layers of four experts in a moma layout (image 0-1, text 2-3), four domains.
RunInfo tagged_info() {
  RunInfo info;
  info.preset = "fusion-fmnist";
  info.task = "fusion";
  info.layers = 2;
  info.experts = 4;
  info.top_k = 1;
  info.domains = {{"image", "text"}, {"en", "de", "Bag", "Coat"}, {1, 1, 0, 0}};
  info.shape.layers = {LayerShape{4, {}, {0, 0, 1, 1}}, LayerShape{4, {}, {0, 0, 1, 1}}};
  return info;
}

RoutingSnapshot tagged(int64_t step, float spec0, float spec1) {
  RoutingSnapshot s;
  s.step = step;
  s.layers = 2;
  s.experts = 4;
  s.load = {0.4f, 0.2f, 0.1f, 0.3f, 0.3f, 0.3f, 0.2f, 0.2f};
  s.modalities = 2;
  s.domains = 4;
  s.modality_load = {0.7f, 0.3f, 0.0f, 0.0f, 0.0f, 0.0f, 0.1f, 0.9f,   // layer 0: image, text
                     0.5f, 0.5f, 0.0f, 0.0f, 0.0f, 0.0f, 0.5f, 0.5f};  // layer 1
  s.domain_load.assign(2 * 4 * 4, 0.0f);
  s.domain_load[0 * 4 + 3] = 1.0f;                // en -> expert 3
  s.domain_load[1 * 4 + 2] = 1.0f;                // de -> expert 2
  s.domain_load[2 * 4 + 0] = 0.6f;                // Bag -> 0 and 1
  s.domain_load[2 * 4 + 1] = 0.4f;
  s.domain_load[3 * 4 + 0] = 1.0f;                // Coat -> 0
  for (int i = 16; i < 32; ++i) s.domain_load[size_t(i)] = 0.25f;  // layer 1: spread
  s.modality_specialisation = {spec0, spec1};
  s.domain_specialisation = {0.6f, 0.1f};
  return s;
}

QRgb pixel_at(const QImage& shot, QPointF at) { return shot.pixel(at.toPoint()) | 0xff000000u; }

}  // namespace

class TestModalityView : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void a_run_of_one_modality_shows_its_domains() {
    RunStore store;
    FocusState focus;
    ModalityView view;
    view.attach(&store, &focus);
    store.begin_live(QStringLiteral("lm.h5"));
    RunInfo lm = tagged_info();
    lm.preset = "lm-fortunes";
    lm.domains = {{"text"}, {"en", "de", "es", "it"}, {0, 0, 0, 0}};
    store.set_run_info(lm);
    QCOMPARE(view.rows(), ModalityView::Rows::Domain);
    store.begin_live(QStringLiteral("fusion.h5"));
    store.set_run_info(tagged_info());  // image and text: the modalities again
    QCOMPARE(view.rows(), ModalityView::Rows::Modality);
  }

  void matrix_shows_the_snapshots_shares() {
    RunStore store;
    FocusState focus;
    store.begin_live(QStringLiteral("run.h5"));
    store.set_run_info(tagged_info());
    store.add_routing(tagged(10, 1.0f, 1.0f));
    store.add_routing(tagged(20, 0.8f, 0.9f));
    ModalityView view;
    view.attach(&store, &focus);
    view.resize(900, 400);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.refresh();
    QCOMPARE(view.row_names(), (QStringList{QStringLiteral("image"), QStringLiteral("text")}));
    QCOMPARE(view.expert_count(), 4);
    QCOMPARE(view.points(), 2);
    QCOMPARE(view.shown_step(), qint64{20});
    QCOMPARE(view.share(1, 3), 0.9f);
    QCOMPARE(view.scale_max(), load_scale_max(0.9f, 4));
    QCOMPARE(view.specialisation(), double(0.8f));

    const QImage shot = view.grab().toImage();
    for (const auto& [row, expert] : std::vector<std::pair<int, int>>{{0, 0}, {0, 1}, {1, 0}, {1, 3}}) {
      // A corner of the cell: the number in its centre is drawn over the colour.
      const QRectF cell = view.cell_rect(row, expert);
      QVERIFY(!cell.isEmpty());
      QCOMPARE(pixel_at(shot, cell.topLeft() + QPointF(2, 2)), viridis(view.share(row, expert) / view.scale_max()));
    }
    QVERIFY(view.tooltip_at(view.cell_rect(1, 3).center().toPoint())
                .startsWith(QStringLiteral("text tokens -> expert 3\n90.0% of their assignments")));

    // Domains: four rows, the table of the domains.
    view.set_rows(ModalityView::Rows::Domain);
    QCOMPARE(view.row_count(), 4);
    QCOMPARE(view.row_names().at(2), QStringLiteral("Bag"));
    QCOMPARE(view.share(2, 0), 0.6f);
    QCOMPARE(view.share(0, 3), 1.0f);
    QCOMPARE(view.specialisation(), double(0.6f));
    const QImage domains = view.grab().toImage();
    QCOMPARE(pixel_at(domains, view.cell_rect(0, 3).topLeft() + QPointF(2, 2)), viridis(1.0f / view.scale_max()));

    // The layer chooser and the step cursor choose what is shown.
    view.set_rows(ModalityView::Rows::Modality);
    view.set_layer(1);
    QCOMPARE(view.specialisation(), double(0.9f));
    QCOMPARE(view.share(1, 2), 0.5f);
    view.show_step(12);
    QCOMPARE(view.shown_step(), qint64{10});
    QCOMPARE(view.specialisation(), 1.0);
    QVERIFY(view.tooltip_at(view.timeline_rect().center().toPoint()).startsWith(QStringLiteral("step ")));
  }

  void a_run_without_tags_shows_no_matrix() {
    RunStore store;
    FocusState focus;
    store.begin_live(QStringLiteral("run.h5"));
    RunInfo info = tagged_info();
    info.domains = {};
    store.set_run_info(info);
    RoutingSnapshot s = tagged(10, 1.0f, 1.0f);
    s.modalities = s.domains = 0;
    s.modality_load.clear();
    s.domain_load.clear();
    store.add_routing(s);
    ModalityView view;
    view.attach(&store, &focus);
    view.refresh();
    QCOMPARE(view.points(), 0);
    QCOMPARE(view.shown_step(), qint64{-1});
    QCOMPARE(view.row_count(), 0);
    QVERIFY(std::isnan(view.share(0, 0)));
  }

  void fusion_probe_image_is_tinted_by_expert() {
    TokenView view;
    view.resize(900, 400);
    RunInfo info;
    info.layers = 1;
    info.probe_text = "a bag\n";
    info.probe_tokens = 49 + 6;
    for (int y = 0; y < 28; ++y)
      for (int x = 0; x < 28; ++x) info.probe_image.push_back(static_cast<uint8_t>(x * 9));
    view.set_run_info(info);
    TrajectorySnapshot t;
    t.step = 7;
    t.layers = 1;
    t.tokens = 55;
    t.slots = 2;
    for (int i = 0; i < 55; ++i) {
      const int expert = i < 49 ? i % 3 : 5;
      t.experts.insert(t.experts.end(), {expert, 6});
      t.weights.insert(t.weights.end(), {0.75f, 0.25f});
    }
    view.add_trajectory(t);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.refresh();
    QVERIFY(view.has_image());
    QCOMPARE(view.image_tokens(), 49);
    QCOMPARE(view.token_count(), 55);
    // Pixel (5, 2) is in patch 1 (row 0, column 1): expert 1's colour over grey 45.
    const QColor tint = QColor::fromRgb(categorical(1));
    const auto mix = [&](int c) { return int(std::lround((1.0 - TokenView::kTint) * 45 + TokenView::kTint * c)); };
    QCOMPARE(view.tinted_pixel(5, 2), QColor(mix(tint.red()), mix(tint.green()), mix(tint.blue())));
    // On screen: the patch cell's pixel at (1, 2) of its 4 x 4 block.
    const QImage shot = view.grab().toImage();
    QVERIFY(!view.token_rect(48).isEmpty());  // the whole image fits
    const QRectF patch = view.token_rect(1);
    QVERIFY(!patch.isEmpty());
    const double px = patch.width() / 4.0;
    QCOMPARE(pixel_at(shot, patch.topLeft() + QPointF(1.5 * px, 2.5 * px)), view.tinted_pixel(5, 2).rgb());
    // The caption follows the image, right of it, coloured like the probe-token view.
    const QRectF first_byte = view.token_rect(49);
    QVERIFY(first_byte.left() > view.token_rect(6).right());
    QCOMPARE(view.colour_of_token(49).rgb(), categorical(5));
    QCOMPARE(pixel_at(shot, first_byte.topLeft() + QPointF(1, 1)), categorical(5));
    QCOMPARE(view.tooltip_for_token(50),
             QStringLiteral("' ' (byte 0x20) at position 1\nexpert 5: 0.75\nexpert 6: 0.25"));
    QCOMPARE(view.tooltip_for_token(8), QStringLiteral("patch 8 (row 1, column 1)\nexpert 2: 0.75\nexpert 6: 0.25"));
  }
};

QTEST_MAIN(TestModalityView)
#include "test_modality_view.moc"
