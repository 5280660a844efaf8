// moescope: the MoE Scope window.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>

#include "engine/openmp_policy.h"

#include "app_settings.h"
#include "main_window.h"
#include "run_controls.h"

namespace {
std::atomic<bool> g_quit_requested{false};
void on_signal(int) { g_quit_requested = true; }
}  // namespace

int main(int argc, char** argv) {
  moescope::bound_openmp_spinning(argv);
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("moescope"));
  QApplication::setApplicationDisplayName(QStringLiteral("MoE Scope"));
  QApplication::setApplicationVersion(QStringLiteral(MOESCOPE_VERSION));
  QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/moescope.svg")));
  // View > Language: the system locale's language unless the settings name one; Qt's own
  // strings (standard buttons, file dialogs) from qt6-translations-l10n where installed.
  const QString language =
      moescope::app_settings().value(QStringLiteral("view/language"), QStringLiteral("system")).toString();
  const QLocale locale = language == QLatin1String("system") ? QLocale() : QLocale(language);
  QTranslator translator, qt_translator;
  if (language != QLatin1String("en")) {
    if (translator.load(locale, QStringLiteral("moescope"), QStringLiteral("_"), QStringLiteral(":/i18n")))
      QApplication::installTranslator(&translator);
    if (qt_translator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
      QApplication::installTranslator(&qt_translator);
  }

  QCommandLineParser parser;
  parser.setApplicationDescription(QApplication::translate("main", "Train Mixture-of-Experts models and watch their routers live."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption preset({QStringLiteral("p"), QStringLiteral("preset")},
                            QApplication::translate("main", "Preset to select (lm-fortunes, vision-fmnist, fusion-fmnist, collapse-demo; default: the last one started)."),
                            QStringLiteral("name"));
  QCommandLineOption steps(QStringLiteral("steps"), QApplication::translate("main", "Training steps."), QStringLiteral("n"));
  QCommandLineOption device(QStringLiteral("device"), QApplication::translate("main", "auto, cpu or cuda."), QStringLiteral("device"));
  QCommandLineOption start(QStringLiteral("start"), QApplication::translate("main", "Start training at once."));
  QCommandLineOption log(QStringLiteral("log"), QApplication::translate("main", "HDF5 log of the first run."), QStringLiteral("file"));
  QCommandLineOption replay(QStringLiteral("replay"), QApplication::translate("main", "Open a run log instead of training."), QStringLiteral("file"));
  QCommandLineOption checkpoint(QStringLiteral("checkpoint"),
                                QApplication::translate("main", "Open a checkpoint as a paused run (surgery, then Resume to fine-tune)."),
                                QStringLiteral("file"));
  QCommandLineOption compare(QStringLiteral("compare"),
                             QApplication::translate("main", "A run log to compare side by side (give it two times or more)."),
                             QStringLiteral("file"));
  QCommandLineOption dock(QStringLiteral("show"),
                          QApplication::translate("main", "Raise this dock at start: run, alerts, trajectories, tokens, surgery, modality, runs or recipes."),
                          QStringLiteral("dock"));
  QCommandLineOption model(QStringLiteral("open-model"),
                           QApplication::translate("main", "Open a Hugging Face MoE model folder and run --text through it."),
                           QStringLiteral("folder"));
  QCommandLineOption text(QStringLiteral("text"),
                          QApplication::translate("main", "A text file for --open-model (repeatable; each file a domain)."),
                          QStringLiteral("file"));
  parser.addOptions({preset, steps, device, start, log, replay, checkpoint, compare, dock, model, text});
  parser.addPositionalArgument(QStringLiteral("file"),
                               QApplication::translate("main", "A run log (.h5) or a checkpoint (.pt) to open, as the desktop passes it."),
                               QStringLiteral("[file]"));
  parser.process(app);

  moescope::MainWindow window;
  window.restore_settings();
  // The preset asked for, else the one the last session started.
  window.controls()->set_preset(parser.isSet(preset) ? parser.value(preset) : window.last_preset());
  if (parser.isSet(steps)) window.controls()->set_steps(parser.value(steps).toInt());
  if (parser.isSet(device)) window.controls()->set_device(parser.value(device));
  if (parser.isSet(log)) window.set_log_path(parser.value(log));
  window.show();
  if (parser.isSet(dock) && !window.raise_dock(parser.value(dock))) {
    std::fprintf(stderr, "moescope: --show %s: no such dock (run, alerts, trajectories, tokens, surgery, modality, runs, recipes)\n",
                 qPrintable(parser.value(dock)));
  }
  // Ctrl-C or SIGTERM closes the window as the close button would: the run stops after its
  // current step and the log is flushed and closed.
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  QTimer signal_poll;
  QObject::connect(&signal_poll, &QTimer::timeout, &window, [&window] {
    if (g_quit_requested.exchange(false)) window.close();
  });
  signal_poll.start(100);
  if (parser.isSet(compare)) {
    const QStringList paths = parser.values(compare);
    // After the main window is mapped, so the compare window opens above it.
    QTimer::singleShot(500, &window, [&window, paths] { window.compare_runs(paths); });
  }
  if (parser.isSet(replay)) {
    const QString path = parser.value(replay);
    QTimer::singleShot(0, &window, [&window, path] { window.open_log(path); });
  } else if (parser.isSet(model)) {
    const QString folder = parser.value(model);
    const QStringList texts = parser.values(text);
    QTimer::singleShot(0, &window, [&window, folder, texts] { window.open_model(folder, texts); });
  } else if (parser.isSet(checkpoint)) {
    const QString path = parser.value(checkpoint);
    QTimer::singleShot(0, &window, [&window, path] { window.open_checkpoint(path); });
  } else if (!parser.positionalArguments().isEmpty()) {
    const QString path = parser.positionalArguments().first();
    QTimer::singleShot(0, &window, [&window, path] { window.open_file(path); });
  } else if (parser.isSet(start)) {
    QTimer::singleShot(0, &window, &moescope::MainWindow::start_run);
  }
  return app.exec();
}
