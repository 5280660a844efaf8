// Every view exports a publication figure through export_figure(): a PNG of the asked size
// (at the asked DPI) with real content, an SVG that parses as XML and holds its title and
// axis titles as text elements, and a PDF that pdftoppm renders to a page. The figures are
// drawn from a FigureSet fed with a synthetic run (what `moescope-cli plot` draws from a
// log), on paper: a white background whatever the screen's palette.
#include <QColor>
#include <cmath>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include "figure.h"
#include "figure_set.h"
#include "loss_chart.h"
#include "run_store.h"
#include "../views/view_fixtures.h"

using namespace moescope;

namespace {

constexpr int64_t kSteps = 200;

void feed(RunStore& store) {
  store.begin_replay(QStringLiteral("synthetic.h5"));
  RunInfo info;
  info.preset = "lm-fortunes";
  info.task = "lm";
  info.layers = fixtures::kLayers;
  info.experts = fixtures::kExperts;
  info.top_k = 2;
  info.probe_text = fixtures::probe_text();
  info.probe_tokens = static_cast<int64_t>(info.probe_text.size());
  store.set_run_info(info);
  for (int64_t step = 1; step <= kSteps; ++step) {
    StepMetrics m;
    m.step = step;
    m.loss = 3.0 * std::exp(-double(step) / 80.0) + 1.2 + 0.05 * std::sin(double(step));
    m.tokens = step * 4096;
    store.add_step(m);
    if (step % 50 == 0) {
      EvalResult e;
      e.step = step;
      e.loss = m.loss + 0.1;
      store.add_eval(e);
    }
    if (step % 10 == 0) store.add_routing(fixtures::routing(step, kSteps));
  }
  store.add_trajectory(fixtures::trajectory(kSteps, kSteps, fixtures::kLayers));
  CollapseAlert alert;
  alert.step = 150;
  alert.layer = fixtures::kCollapsingLayer;
  alert.kind = AlertKind::DominantExpert;
  alert.experts = {fixtures::kDominantExpert};
  alert.evidence = "expert 5 took 61% of layer 3's assignments over the last 20 steps";
  store.add_alert(alert);
}

// Distinct colours in a PNG, sampled on a grid.
int colours(const QImage& image) {
  QSet<QRgb> seen;
  for (int y = 0; y < image.height(); y += 3)
    for (int x = 0; x < image.width(); x += 3) seen.insert(image.pixel(x, y));
  return static_cast<int>(seen.size());
}

// The text of every <text> element (its tspans included).
QStringList svg_texts(const QString& path, QString* error) {
  QFile file(path);
  QStringList texts;
  if (!file.open(QIODevice::ReadOnly)) return texts;
  QXmlStreamReader xml(&file);
  while (!xml.atEnd()) {
    if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == QLatin1String("text"))
      texts << xml.readElementText(QXmlStreamReader::IncludeChildElements).simplified();
  }
  if (xml.hasError()) *error = xml.errorString();
  return texts;
}

}  // namespace

class TestFigures : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void formats_follow_the_suffix() {
    QCOMPARE(figure_format(QStringLiteral("a/b.PNG")), FigureFormat::Png);
    QCOMPARE(figure_format(QStringLiteral("x.svg")), FigureFormat::Svg);
    QCOMPARE(figure_format(QStringLiteral("x.pdf")), FigureFormat::Pdf);
    QVERIFY(!figure_format(QStringLiteral("x.jpg")));
  }

  void every_view_exports_png_svg_and_pdf() {
    FigureSet set;
    feed(set.store());
    set.show(-1, static_cast<int>(fixtures::kCollapsingLayer));
    QTemporaryDir dir;
    const QString pdftoppm = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    for (const QString& name : set.names()) {
      const Figure* figure = set.figure(name);
      QVERIFY2(figure, qPrintable(name));
      if (name == QLatin1String("surgery")) continue;  // needs a preview: tested below
      // PNG at 200 DPI of 3.3 x 2.5 in: 660 x 500 pixels, white corners, many colours.
      FigureOptions options;
      options.size_in = QSizeF(3.3, 2.5);
      options.dpi = 200;
      const QString png = dir.filePath(name + QStringLiteral(".png"));
      QCOMPARE(export_figure(*figure, png, options), QString());
      const QImage image(png);
      QCOMPARE(image.size(), QSize(660, 500));
      QCOMPARE(qRound(image.dotsPerMeterX() * 0.0254), 200);
      QCOMPARE(QColor(image.pixel(0, 0)), QColor(Qt::white));
      QVERIFY2(colours(image) > 8, qPrintable(name + QStringLiteral(": %1 colours").arg(colours(image))));

      // SVG: XML, with the figure's words as text (vector, not an embedded picture).
      const QString svg = dir.filePath(name + QStringLiteral(".svg"));
      QCOMPARE(export_figure(*figure, svg, {}), QString());
      QString error;
      const QStringList texts = svg_texts(svg, &error);
      QVERIFY2(error.isEmpty(), qPrintable(name + QStringLiteral(": ") + error));
      QVERIFY2(texts.size() >= 3, qPrintable(name + QStringLiteral(": ") + texts.join(QLatin1Char('|'))));

      // PDF: a valid header, and one page that pdftoppm renders.
      const QString pdf = dir.filePath(name + QStringLiteral(".pdf"));
      QCOMPARE(export_figure(*figure, pdf, {}), QString());
      QFile file(pdf);
      QVERIFY(file.open(QIODevice::ReadOnly));
      QVERIFY(file.read(5) == "%PDF-");
      if (!pdftoppm.isEmpty()) {
        QProcess render;
        render.start(pdftoppm, {QStringLiteral("-png"), QStringLiteral("-r"), QStringLiteral("72"),
                                QStringLiteral("-singlefile"), pdf, dir.filePath(name + QStringLiteral("_pdf"))});
        QVERIFY(render.waitForFinished(60000));
        QCOMPARE(render.exitCode(), 0);
        const QImage page(dir.filePath(name + QStringLiteral("_pdf.png")));
        // The page is the figure's size in points (pdftoppm rounds up or to nearest).
        QVERIFY2(std::abs(page.width() - figure->figure_size_in().width() * 72) <= 1.0 &&
                     std::abs(page.height() - figure->figure_size_in().height() * 72) <= 1.0,
                 qPrintable(name + QStringLiteral(": %1 x %2").arg(page.width()).arg(page.height())));
        QVERIFY2(colours(page) > 4, qPrintable(name));
      }
    }
    if (pdftoppm.isEmpty()) QSKIP("pdftoppm (poppler-utils) is not installed: the PDFs were checked by header only");
  }

  void figures_carry_titles_and_axis_titles() {
    FigureSet set;
    feed(set.store());
    set.show(-1, static_cast<int>(fixtures::kCollapsingLayer));
    QTemporaryDir dir;
    const auto texts_of = [&](const QString& name) {
      const QString svg = dir.filePath(name + QStringLiteral(".svg"));
      [&] { QCOMPARE(export_figure(*set.figure(name), svg, {}), QString()); }();
      QString error;
      return svg_texts(svg, &error).join(QLatin1Char('\n'));
    };
    const QString heatmap = texts_of(QStringLiteral("heatmap"));
    QVERIFY2(heatmap.contains(QStringLiteral("Expert load")), qPrintable(heatmap));
    QVERIFY2(heatmap.contains(QStringLiteral("expert")), qPrintable(heatmap));
    QVERIFY2(heatmap.contains(QStringLiteral("layer")), qPrintable(heatmap));
    QVERIFY2(heatmap.contains(QStringLiteral("%")), qPrintable(heatmap));  // the colour bar's scale
    const QString loss = texts_of(QStringLiteral("loss"));
    for (const char* word : {"Loss", "step", "loss (nats)", "train", "validation"})
      QVERIFY2(loss.contains(QLatin1String(word)), qPrintable(QLatin1String(word) + QStringLiteral(" in ") + loss));
    const QString alerts = texts_of(QStringLiteral("alerts"));
    QVERIFY2(alerts.contains(QStringLiteral("expert 5 took 61%")), qPrintable(alerts));
  }

  void loss_curve_is_decimated_to_the_figures_own_width() {
    FigureSet set;
    RunStore& store = set.store();
    store.begin_replay(QStringLiteral("long.h5"));
    RunInfo info;
    info.layers = 1;
    info.experts = 4;
    store.set_run_info(info);
    for (int64_t step = 1; step <= 20000; ++step) {
      StepMetrics m;
      m.step = step;
      m.loss = 2.0 + std::sin(double(step) * 0.37);
      store.add_step(m);
    }
    set.show(-1, -1);
    const auto* loss = static_cast<const LossChart*>(set.figure(QStringLiteral("loss")));
    QTemporaryDir dir;
    FigureOptions low, high;
    low.dpi = 72;
    high.dpi = 600;
    QCOMPARE(export_figure(*loss, dir.filePath(QStringLiteral("a.png")), low), QString());
    const qsizetype at_72 = loss->figure_train_points();
    QCOMPARE(export_figure(*loss, dir.filePath(QStringLiteral("b.svg")), high), QString());
    const qsizetype at_600 = loss->figure_train_points();
    // Two points per pixel column of the plot: under 2 x 3.3 in x DPI, and more at 600 DPI.
    QVERIFY2(at_72 > 100 && at_72 <= 2 * 72 * 3.3, qPrintable(QString::number(at_72)));
    QVERIFY2(at_600 > 4 * at_72 && at_600 <= 2 * 600 * 3.3, qPrintable(QString::number(at_600)));
  }

  void bad_paths_and_sizes_are_errors_that_leave_no_file() {
    FigureSet set;
    feed(set.store());
    set.show(-1, -1);
    const Figure& heatmap = *set.figure(QStringLiteral("heatmap"));
    QTemporaryDir dir;
    const QString jpg = dir.filePath(QStringLiteral("x.jpg"));
    QVERIFY(export_figure(heatmap, jpg, {}).contains(QStringLiteral(".png, .svg or .pdf")));
    QVERIFY(!QFile::exists(jpg));
    FigureOptions huge;
    huge.size_in = QSizeF(500.0, 2.0);
    const QString png = dir.filePath(QStringLiteral("x.png"));
    QVERIFY(export_figure(heatmap, png, huge).contains(QStringLiteral("outside")));
    QVERIFY(!QFile::exists(png));
    const QString nowhere = dir.filePath(QStringLiteral("missing/folder/x.svg"));
    const QString error = export_figure(heatmap, nowhere, {});
    QVERIFY2(error.startsWith(QStringLiteral("cannot write ")) && error.contains(nowhere), qPrintable(error));
  }
};

QTEST_MAIN(TestFigures)
#include "test_figures.moc"
