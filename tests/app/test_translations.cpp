// The German and Simplified Chinese interfaces: each catalogue loads from the resources and
// changes the menus, and at the default window size (1600 x 1000) no fixed label or button
// of the window, or of the compare window, is narrower than its text in English, German or
// Chinese (QFontMetrics), so nothing is cut off.
#include <QAbstractButton>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <memory>

#include "compare_window.h"
#include "main_window.h"

using namespace moescope;

namespace {

bool has_cjk(const QString& text) {
  for (QChar c : text)
    if (c.unicode() >= 0x4e00 && c.unicode() <= 0x9fff) return true;
  return false;
}

// "Name: text needs N px, has M" for every visible label or button of `root` whose text does
// not fit.
QStringList clipped(QWidget* root) {
  QStringList out;
  for (QLabel* label : root->findChildren<QLabel*>()) {
    if (!label->isVisibleTo(root) || label->wordWrap() || label->text().isEmpty() ||
        label->textFormat() == Qt::RichText || Qt::mightBeRichText(label->text()) || !label->pixmap().isNull())
      continue;
    const int need = label->fontMetrics().size(Qt::TextShowMnemonic, label->text()).width();
    const int have = label->contentsRect().width() - 2 * label->margin() - 2 * label->indent();
    if (need > have + 1)
      out << QStringLiteral("label \"%1\": needs %2 px, has %3").arg(label->text()).arg(need).arg(have);
  }
  for (QAbstractButton* button : root->findChildren<QAbstractButton*>()) {
    if (!button->isVisibleTo(root) || button->text().isEmpty() || button->width() <= 0) continue;
    const int need = button->sizeHint().width();
    if (need > button->width() + 1)
      out << QStringLiteral("button \"%1\": needs %2 px, has %3").arg(button->text()).arg(need).arg(button->width());
  }
  return out;
}

}  // namespace

class TranslationsTest : public QObject {
  Q_OBJECT
  QTemporaryDir config_;

 private Q_SLOTS:
  void initTestCase() { qputenv("XDG_CONFIG_HOME", config_.path().toLocal8Bit()); }

  void catalogues_change_the_menus_data() {
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("file_menu");
    QTest::newRow("en") << QString() << QStringLiteral("&File");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("&Datei");
    QTest::newRow("zh_CN") << QStringLiteral("zh_CN") << QStringLiteral("\u6587\u4ef6(&F)");
  }
  void catalogues_change_the_menus() {
    QFETCH(QString, language);
    QFETCH(QString, file_menu);
    QTranslator translator;
    if (!language.isEmpty()) {
      QVERIFY2(translator.load(QStringLiteral(":/i18n/moescope_%1.qm").arg(language)), qPrintable(language));
      QApplication::installTranslator(&translator);
    }
    {
      MainWindow window;
      const QList<QAction*> menus = window.menuBar()->actions();
      QVERIFY(!menus.isEmpty());
      QCOMPARE(menus.first()->text(), file_menu);
      if (language == QLatin1String("zh_CN"))
        for (QAction* menu : menus) QVERIFY2(has_cjk(menu->text()), qPrintable(menu->text()));
    }
    QApplication::removeTranslator(&translator);
  }

  void nothing_is_cut_off_data() { catalogues_change_the_menus_data(); }
  void nothing_is_cut_off() {
    QFETCH(QString, language);
    QTranslator translator;
    if (!language.isEmpty()) {
      QVERIFY(translator.load(QStringLiteral(":/i18n/moescope_%1.qm").arg(language)));
      QApplication::installTranslator(&translator);
    }
    {
      MainWindow window;
      window.resize(1600, 1000);
      window.show();
      QVERIFY(QTest::qWaitForWindowExposed(&window));
      QTest::qWait(50);
      const QStringList cut = clipped(&window);
      QVERIFY2(cut.isEmpty(), qPrintable(cut.join(QLatin1Char('\n'))));

      CompareWindow compare;
      compare.show();
      QVERIFY(QTest::qWaitForWindowExposed(&compare));
      QTest::qWait(50);
      const QStringList cut_compare = clipped(&compare);
      QVERIFY2(cut_compare.isEmpty(), qPrintable(cut_compare.join(QLatin1Char('\n'))));
    }
    QApplication::removeTranslator(&translator);
  }
};

QTEST_MAIN(TranslationsTest)
#include "test_translations.moc"
