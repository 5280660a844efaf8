// File > Open model, driven as a user would: a Hugging Face model folder (written by MoE
// Scope's own exporter, so no Python is needed) and two text files; the window runs the text
// through the model and every view fills: routing per file (domain), the probe's tokens as
// text. A folder that is no model is a message box, and nothing starts.
#include <QApplication>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QComboBox>
#include <QTest>
#include <QTimer>

#include <filesystem>
#include <fstream>

#include "engine/recipe_config.h"
#include "engine/session.h"
#include "hf/hf_export.h"
#include "hf/hf_model.h"
#include "main_window.h"
#include "surgery_dock.h"
#include "train/checkpoint.h"
#include "run_controls.h"
#include "run_store.h"
#include "test_support.h"
#include "token_view.h"

namespace moescope {

class HfWindowTest : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void openModelShowsItsRoutingPerFileAndItsTokens() {
    test::TempDir dir;
    ModelConfig m;
    m.architecture = "mixtral";
    m.d_model = 32;
    m.heads = 4;
    m.kv_heads = 2;
    m.layers = 2;
    m.context = 256;
    m.experts = 4;
    m.top_k = 2;
    m.expert_hidden = 32;
    torch::manual_seed(0);
    TransformerLM model(TransformerLMOptions().d_model(32).heads(4).layers(2).context(256).moe(m));
    const auto folder = dir.file("tiny-mixtral");
    save_hf_model(*model, RouterConfig(), "", folder);
    std::string english, german;
    for (int i = 0; i < 40; ++i) {
      english += "The quick brown fox number " + std::to_string(i) + " jumps over the lazy dog.\n";
      german += "Der schnelle braune Fuchs Nummer " + std::to_string(i) + " springt über den faulen Hund.\n";
    }
    test::write_file(dir.path() / "en.txt", english);
    test::write_file(dir.path() / "de.txt", german);

    MainWindow window;
    window.set_log_folder(QString::fromStdString(dir.file("runs")));
    window.show();
    QVERIFY(window.open_model(QString::fromStdString(folder),
                              {QString::fromStdString(dir.file("en.txt")), QString::fromStdString(dir.file("de.txt"))}));
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->has_run_info(), 60000);
    // The text goes through once, then the run waits paused (surgery, or Resume to fine-tune).
    QTRY_VERIFY_WITH_TIMEOUT(window.store()->evals().size() == 1 && window.run_state() == RunState::Paused, 120000);
    QVERIFY(window.running());
    const auto& info = window.store()->info();
    QCOMPARE(info.layers, int64_t(2));
    QCOMPARE(info.domains.domains, (std::vector<std::string>{"en", "de"}));
    QCOMPARE(info.probe_token_texts.size(), size_t(128));  // data.sequence_tokens
    QCOMPARE(info.probe_token_texts[0], std::string("T"));  // the byte tokenizer: a byte a token
    // Every batch is a step with a snapshot (the bus may coalesce them on the way to the
    // views); each snapshot holds both files.
    QVERIFY(window.store()->steps().size() >= 2);
    const auto& snap = window.store()->latest_routing();
    QCOMPARE(snap.step, window.store()->steps().back().step);
    QCOMPARE(snap.domains, int64_t(2));
    double en = 0, de = 0;
    for (int64_t e = 0; e < snap.experts; ++e) {
      en += snap.domain_load[size_t((0 * snap.domains + 0) * snap.experts + e)];
      de += snap.domain_load[size_t((0 * snap.domains + 1) * snap.experts + e)];
    }
    QVERIFY2(en > 0 && de > 0, qPrintable(QString("%1 %2").arg(en).arg(de)));
    QCOMPARE(window.store()->evals().size(), size_t(1));
    // The Run dock's memory row estimates the opened model's run, not the preset's.
    QVERIFY2(window.controls()->memory_label()->text().startsWith(QStringLiteral("this run: about ")),
             qPrintable(window.controls()->memory_label()->text()));
    QCOMPARE(window.tokens()->token_count(), 128);
    QCOMPARE(window.tokens()->token_label(3), QStringLiteral("\u2423"));  // "The quick": a space, shown
    QVERIFY(window.tokens()->tooltip_for_token(1).contains(QStringLiteral("(token 1)")));
    // Surgery on the opened model: preview a prune to 3 of 4 experts, apply it, save.
    SurgeryDock* dock = window.surgery();
    QTRY_VERIFY_WITH_TIMEOUT(dock->preview_button()->isEnabled(), 10000);
    SurgeryRequest request;
    request.kind = "prune";
    request.method = "frequency";
    request.experts = 3;
    request.calibration_tokens = 256;
    dock->set_request(request);
    QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 1, 60000);
    QTest::mouseClick(dock->apply_button(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 2, 60000);
    const auto pruned = dir.file("pruned.pt");
    window.save_checkpoint(QString::fromStdString(pruned));
    QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(pruned), 60000);
    window.stop_run();
    QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 60000);
    const RunConfig saved = checkpoint_config(pruned);
    QCOMPARE(saved.model.layer_experts, (std::vector<int64_t>{3, 3}));
    QCOMPARE(saved.data.hf_model, folder);
    // As moescope-cli export-hf does: the pruned checkpoint back to a Hugging Face folder,
    // which reads back as the same function.
    Session session(saved);
    session.load_checkpoint(pruned);
    auto& lm = language_model(session, "test");
    const auto exported = dir.file("pruned-hf");
    save_hf_model(lm, saved.router, saved.data.hf_model, exported);
    auto back = load_hf_model(exported);
    QCOMPARE(back.config.model.experts, int64_t(3));
    torch::NoGradGuard no_grad;
    lm.eval();
    const auto ids = torch::randint(0, 256, {2, 20});
    const double diff = (back.model->forward(ids).logits - lm.forward(ids).logits).abs().max().item<double>();
    QVERIFY2(diff < 1e-5, qPrintable(QString::number(diff)));
  }

  // The user's walk with models made by transformers (tests/python/test_hf_window_walk.py makes
  // them, runs this slot with MOESCOPE_HF_WALK set, then loads what it saved in transformers):
  // each folder of the walk opens on english.txt and german.txt, its window is captured, and it
  // is pruned from 8 to 6 experts per layer in the Surgery dock (preview, then apply) and saved
  // as a checkpoint, FAMILY-pruned.pt, that moescope-cli export-hf turns into a folder.
  void transformersModelsOpenPruneAndSave() {
    const QByteArray walk = qgetenv("MOESCOPE_HF_WALK");
    if (walk.isEmpty()) QSKIP("run by tests/python/test_hf_window_walk.py, which makes the models");
    const std::filesystem::path root(walk.toStdString());
    const QStringList texts{QString::fromStdString((root / "english.txt").string()),
                            QString::fromStdString((root / "german.txt").string())};
    for (const char* family : {"mixtral", "olmoe", "qwen3_moe"}) {
      const auto folder = (root / family).string();
      MainWindow window;
      window.set_log_folder(QString::fromStdString((root / "runs").string()));
      window.resize(1600, 1000);
      window.show();
      QVERIFY(window.open_model(QString::fromStdString(folder), texts));
      QTRY_VERIFY_WITH_TIMEOUT(window.store()->evals().size() == 1 && window.run_state() == RunState::Paused, 120000);
      QCOMPARE(window.store()->info().experts, int64_t(8));
      QCOMPARE(window.store()->info().domains.domains, (std::vector<std::string>{"english", "german"}));
      QTest::qWait(500);  // the views repaint on their timer
      QVERIFY(window.grab().save(QString::fromStdString((root / (std::string(family) + "-window.png")).string())));

      QVERIFY(window.raise_dock(QStringLiteral("surgery")));  // as Run > Expert surgery does
      SurgeryDock* dock = window.surgery();
      QTRY_VERIFY_WITH_TIMEOUT(dock->preview_button()->isEnabled(), 10000);
      SurgeryRequest request;
      request.kind = "prune";
      request.method = "frequency";
      request.experts = 6;
      request.calibration_tokens = 512;
      dock->set_request(request);
      QTest::mouseClick(dock->preview_button(), Qt::LeftButton);
      QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 1, 60000);
      QTest::qWait(300);
      QVERIFY(window.grab().save(QString::fromStdString((root / (std::string(family) + "-preview.png")).string())));
      QTest::mouseClick(dock->apply_button(), Qt::LeftButton);
      QTRY_COMPARE_WITH_TIMEOUT(dock->history_box()->count(), 2, 60000);
      const auto pruned = (root / (std::string(family) + "-pruned.pt")).string();
      window.save_checkpoint(QString::fromStdString(pruned));
      QTRY_VERIFY_WITH_TIMEOUT(std::filesystem::exists(pruned), 60000);
      window.stop_run();
      QTRY_VERIFY_WITH_TIMEOUT(!window.running(), 60000);
      const auto layers = window.store()->info().layers;
      QCOMPARE(checkpoint_config(pruned).model.layer_experts, std::vector<int64_t>(size_t(layers), 6));
    }
  }

  void aFolderThatIsNoModelIsAMessage() {
    test::TempDir dir;
    test::write_file(dir.path() / "text.txt", "some text\n");
    MainWindow window;
    window.show();
    QString title;
    QTimer::singleShot(300, [&title] {
      for (auto* w : QApplication::topLevelWidgets()) {
        if (auto* box = qobject_cast<QMessageBox*>(w); box && box->isVisible()) {
          title = box->windowTitle() + ": " + box->text();
          box->close();
        }
      }
    });
    QVERIFY(!window.open_model(QString::fromStdString(dir.path().string()), {QString::fromStdString(dir.file("text.txt"))}));
    QVERIFY2(title.startsWith(QStringLiteral("Cannot open model")) && title.contains(QStringLiteral("config.json")),
             qPrintable(title));
    QVERIFY(!window.running());
  }
};

}  // namespace moescope

QTEST_MAIN(moescope::HfWindowTest)
#include "test_hf_window.moc"
