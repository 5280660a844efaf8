#include "cli_plot.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <cstdio>
#include <regex>

#include "figure.h"
#include "figure_set.h"
#include "run_log_reader.h"
#include "run_store.h"

namespace moescope {

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "moescope-cli plot: error: %s\n", message.c_str());
  return 1;
}

// "WxH" in inches ("3.3x2.5"); an empty QSizeF for "".
bool parse_size(const std::string& text, QSizeF& size) {
  if (text.empty()) return true;
  static const std::regex pattern(R"(^\s*([0-9]*\.?[0-9]+)\s*[xX]\s*([0-9]*\.?[0-9]+)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return false;
  size = QSizeF(std::stod(m[1].str()), std::stod(m[2].str()));
  return true;
}

// "A:B" (either side may be empty: from the first, to the last step).
bool parse_range(const std::string& text, int64_t& first, int64_t& last) {
  static const std::regex pattern(R"(^\s*([0-9]*)\s*:\s*([0-9]*)\s*$)");
  std::smatch m;
  if (!std::regex_match(text, m, pattern)) return false;
  first = m[1].str().empty() ? 0 : std::stoll(m[1].str());
  last = m[2].str().empty() ? INT64_MAX : std::stoll(m[2].str());
  return first <= last;
}

bool write(const Figure& figure, const QString& path, const FigureOptions& options) {
  const QString error = export_figure(figure, path, options);
  if (!error.isEmpty()) {
    std::fprintf(stderr, "moescope-cli plot: error: %s\n", error.toLocal8Bit().constData());
    return false;
  }
  std::printf("%s\n", path.toLocal8Bit().constData());
  return true;
}

}  // namespace

int run_plot(const PlotCommand& c, int argc, char** argv) {
  // No display: draw offscreen (the figures need fonts and a paint device, never a window).
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
      qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
    qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);

  FigureOptions options;
  options.dpi = static_cast<int>(c.dpi);
  if (!parse_size(c.size, options.size_in)) return fail("--size '" + c.size + "': expected WxH in inches, e.g. 3.3x2.5");
  int64_t first = -1, last = -1;
  if (!c.steps.empty() && !parse_range(c.steps, first, last))
    return fail("--steps '" + c.steps + "': expected A:B with A <= B, e.g. 0:400");

  const RunLog log = read_run_log(c.log);  // throws moescope::Error naming the file
  FigureSet set;
  const QString log_path = QString::fromStdString(c.log);
  replay_into(set.store(), log_path, log);
  if (!log.surgery.empty()) set.set_surgery_preview(log.surgery.back().preview);

  if (c.all) {
    if (c.out_dir.empty()) return fail("--all needs --out-dir");
    const QDir dir(QString::fromStdString(c.out_dir));
    if (!QDir().mkpath(dir.path())) return fail("cannot create " + c.out_dir);
    set.show(c.step, static_cast<int>(c.layer));
    const QString suffix = c.out.empty() ? QStringLiteral("svg") : QFileInfo(QString::fromStdString(c.out)).suffix();
    bool ok = true;
    for (const QString& name : set.names())
      ok = write(*set.figure(name), dir.filePath(name + QLatin1Char('.') + suffix), options) && ok;
    return ok ? 0 : 1;
  }

  const QString name = QString::fromStdString(c.view);
  const Figure* figure = set.figure(name);
  if (!figure) return fail("--view '" + c.view + "': one of " + set.names().join(QStringLiteral(", ")).toStdString());

  if (c.steps.empty()) {
    if (c.out.empty()) return fail("--out FILE.svg|png|pdf is needed (or --all --out-dir DIR)");
    set.show(c.step, static_cast<int>(c.layer));
    return write(*figure, QString::fromStdString(c.out), options) ? 0 : 1;
  }

  // An animation: one frame per routing snapshot in [first, last].
  std::vector<int64_t> steps;
  for (const auto& s : log.routing)
    if (s.step >= first && s.step <= last) steps.push_back(s.step);
  if (steps.empty()) return fail(c.log + " has no routing snapshot in steps " + c.steps);
  const QString out = QString::fromStdString(c.out);
  const QString suffix = QFileInfo(out).suffix().toLower();
  const bool video = suffix == QLatin1String("mp4") || suffix == QLatin1String("gif");
  if (!c.out.empty() && !video) return fail("--steps with --out writes .mp4 or .gif (or give --out-dir for PNG frames)");
  if (c.out.empty() && c.out_dir.empty()) return fail("--steps needs --out-dir DIR (PNG frames) or --out FILE.mp4|gif");
  QString ffmpeg;
  if (video) {
    ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    if (ffmpeg.isEmpty()) return fail("encoding " + c.out + " needs ffmpeg (apt install ffmpeg); --out-dir DIR writes the PNG frames without it");
  }
  QTemporaryDir scratch;
  const QString frames = c.out_dir.empty() ? scratch.path() : QString::fromStdString(c.out_dir);
  if (!QDir().mkpath(frames)) return fail("cannot create " + frames.toStdString());
  for (size_t i = 0; i < steps.size(); ++i) {
    set.show(steps[i], static_cast<int>(c.layer));
    const QString path = QDir(frames).filePath(QStringLiteral("%1_%2.png").arg(name).arg(i, 5, 10, QLatin1Char('0')));
    const QString error = export_figure(*figure, path, options);
    if (!error.isEmpty()) return fail(error.toStdString());
  }
  std::printf("%zu frames of %s (steps %lld..%lld) in %s\n", steps.size(), c.view.c_str(),
              static_cast<long long>(steps.front()), static_cast<long long>(steps.back()),
              frames.toLocal8Bit().constData());
  if (!video) return 0;
  QStringList args{QStringLiteral("-y"), QStringLiteral("-loglevel"), QStringLiteral("error"),
                   QStringLiteral("-framerate"), QString::number(c.fps), QStringLiteral("-i"),
                   QDir(frames).filePath(name + QStringLiteral("_%05d.png"))};
  if (suffix == QLatin1String("mp4"))  // even sizes and yuv420p: what every player reads
    args << QStringLiteral("-vf") << QStringLiteral("pad=ceil(iw/2)*2:ceil(ih/2)*2:color=white")
         << QStringLiteral("-pix_fmt") << QStringLiteral("yuv420p");
  args << out;
  QProcess encoder;
  encoder.setProcessChannelMode(QProcess::ForwardedChannels);
  encoder.start(ffmpeg, args);
  if (!encoder.waitForFinished(-1) || encoder.exitStatus() != QProcess::NormalExit || encoder.exitCode() != 0)
    return fail("ffmpeg could not encode " + c.out);
  std::printf("%s\n", out.toLocal8Bit().constData());
  return 0;
}

}  // namespace moescope
