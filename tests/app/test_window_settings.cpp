// The window keeps what a user arranged: geometry, dock layout, the last preset, recent files
// and the log folder survive a restart (QSettings, here in a test's own config folder);
// View > Reset layout brings the docks back; a dropped log or checkpoint is accepted, other
// files are not.
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFile>
#include <QImage>
#include <QMimeData>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QUrl>

#include "heatmap_widget.h"
#include "main_window.h"

using namespace moescope;

class WindowSettingsTest : public QObject {
  Q_OBJECT
  QTemporaryDir config_;

 private Q_SLOTS:
  void initTestCase() {
    // Before any QSettings is made: this test's settings live in its own folder.
    qputenv("XDG_CONFIG_HOME", config_.path().toLocal8Bit());
  }

  void settings_round_trip() {
    QTemporaryDir files;
    const QString log = files.filePath(QStringLiteral("a.h5"));
    QFile(log).open(QIODevice::WriteOnly);
    QSize wanted;
    {
      MainWindow window;
      window.restore_settings();  // nothing saved yet: the defaults
      QCOMPARE(window.last_preset(), QStringLiteral("lm-fortunes"));
      QVERIFY(window.recent_files().isEmpty());
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      auto* alerts = window.findChild<QDockWidget*>(QStringLiteral("alerts_dock"));
      QVERIFY(alerts && alerts->isVisible());
      alerts->hide();
      wanted = window.minimumSizeHint() + QSize(24, 16);  // a size the user chose
      window.resize(wanted);
      QCOMPARE(window.size(), wanted);
      window.set_log_folder(files.filePath(QStringLiteral("runs")));
      window.add_recent(log);
      window.add_recent(files.filePath(QStringLiteral("b.pt")));
      window.add_recent(log);  // again: moves to the top, not listed twice
      window.close();          // saves
    }
    MainWindow window;
    window.restore_settings();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.size(), wanted);
    auto* alerts = window.findChild<QDockWidget*>(QStringLiteral("alerts_dock"));
    QVERIFY(!alerts->isVisible());
    QCOMPARE(window.log_folder(), files.filePath(QStringLiteral("runs")));
    QCOMPARE(window.recent_files(), (QStringList{log, files.filePath(QStringLiteral("b.pt"))}));

    window.reset_layout();
    QVERIFY(alerts->isVisible());
  }

  void a_window_without_settings_leaves_them_alone() {
    {
      MainWindow window;  // a test's window: reads nothing, writes nothing
      window.set_log_folder(QStringLiteral("/nowhere"));
      window.show();
      window.close();
    }
    MainWindow window;
    window.restore_settings();
    QVERIFY(window.log_folder() != QStringLiteral("/nowhere"));
  }

  void dark_and_light_themes_repaint_the_views() {
    QImage light, dark;
    {
      MainWindow window;
      window.restore_settings();
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      window.set_theme(QStringLiteral("light"));
      QApplication::processEvents();
      light = window.heatmap()->grab().toImage();
      window.set_theme(QStringLiteral("dark"));
      QApplication::processEvents();
      dark = window.heatmap()->grab().toImage();
      QCOMPARE(window.theme(), QStringLiteral("dark"));
      window.close();
    }
    const QPoint corner(3, 3);
    QVERIFY2(QColor(light.pixel(corner)).lightness() > 200, qPrintable(QColor(light.pixel(corner)).name()));
    QVERIFY2(QColor(dark.pixel(corner)).lightness() < 80, qPrintable(QColor(dark.pixel(corner)).name()));
    MainWindow again;
    again.restore_settings();
    QCOMPARE(again.theme(), QStringLiteral("dark"));
    again.set_theme(QStringLiteral("system"));
  }

  void about_names_the_libraries_and_devices() {
    MainWindow window;
    const QString about = window.about_text();
    QVERIFY2(about.contains(QStringLiteral("LibTorch</td><td>2.")), qPrintable(about));
    QVERIFY2(about.contains(QString::fromLatin1(qVersion())), qPrintable(about));
    QVERIFY2(about.contains(QRegularExpression(QStringLiteral("HDF5</td><td>1\\.\\d+\\.\\d+"))), qPrintable(about));
    QVERIFY2(about.contains(QStringLiteral("CPU, ")), qPrintable(about));
  }

  // Help > User guide shows docs/guide.md from the resources, with every figure it names.
  void the_user_guide_opens_with_its_figures() {
    MainWindow window;
    window.show_user_guide();
    auto* browser = qobject_cast<QTextBrowser*>(window.user_guide());
    QVERIFY(browser != nullptr);
    QVERIFY(browser->isVisible());
    const QString text = browser->toPlainText();
    QVERIFY2(text.contains(QStringLiteral("MoE Scope user guide")), qPrintable(text.left(200)));
    QVERIFY(text.contains(QStringLiteral("Expert surgery")));
    QFile source(QStringLiteral(":/docs/guide.md"));
    QVERIFY(source.open(QIODevice::ReadOnly));
    const QString markdown = QString::fromUtf8(source.readAll());
    const QRegularExpression image(QStringLiteral("!\\[[^\\]]*\\]\\(([^)]+\\.png)\\)"));
    int images = 0;
    for (auto it = image.globalMatch(markdown); it.hasNext(); ++images) {
      const QString name = it.next().captured(1);
      const QVariant loaded = browser->document()->resource(QTextDocument::ImageResource, QUrl(name));
      QImage picture = loaded.value<QImage>();
      if (picture.isNull()) picture.loadFromData(loaded.toByteArray());
      QVERIFY2(!picture.isNull() && picture.width() > 200, qPrintable(name));
    }
    QVERIFY2(images >= 12, qPrintable(QString::number(images)));
  }

  void logs_and_checkpoints_can_be_dropped() {
    MainWindow window;
    const auto accepts = [&window](const QString& file) {
      QMimeData mime;
      mime.setUrls({QUrl::fromLocalFile(file)});
      QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
      QApplication::sendEvent(&window, &enter);
      return enter.isAccepted();
    };
    QVERIFY(accepts(QStringLiteral("/tmp/run.h5")));
    QVERIFY(accepts(QStringLiteral("/tmp/model.pt")));
    QVERIFY(!accepts(QStringLiteral("/tmp/notes.txt")));
  }
};

QTEST_MAIN(WindowSettingsTest)
#include "test_window_settings.moc"
