// The window's desktop side: the settings it keeps (geometry, dock layout, preset, recent
// files, folders, theme), View > Reset layout and Theme, File > Open recent, drag and drop,
// and Help > About.
#include <QApplication>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QMenu>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QTextBrowser>
#include <QTextDocument>
#include <QTimer>
#include <QUrl>
#include <QLabel>

#include "app_settings.h"
#include "engine/versions.h"
#include "hdf5_lock.h"
#include "main_window.h"
#include "runs_panel.h"

namespace moescope {

QString MainWindow::about_text() const {
  const QString device = device_label_->text().isEmpty() ? tr("none yet (no run started)") : device_label_->text();
  return tr("<b>MoE Scope</b> %1<br>Train Mixture-of-Experts models and watch their routers live."
            "<br><br><table>"
            "<tr><td>LibTorch</td><td>%2</td></tr>"
            "<tr><td>Qt</td><td>%3 (built with %4)</td></tr>"
            "<tr><td>HDF5</td><td>%5</td></tr>"
            "<tr><td>Devices</td><td>%6</td></tr>"
            "<tr><td>Device in use</td><td>%7</td></tr>"
            "</table><br>Logs: HDF5 (docs/hdf5-log.md). Settings: %8")
      .arg(QApplication::applicationVersion(), QString::fromStdString(libtorch_version()),
           QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR), QString::fromStdString(hdf5_version()),
           QString::fromStdString(available_devices()), device.toHtmlEscaped(),
           app_settings().fileName().toHtmlEscaped());
}


namespace {
constexpr int kRecentFiles = 10;
}  // namespace

void MainWindow::restore_settings() {
  keeps_settings_ = true;
  QSettings settings = app_settings();
  log_folder_ = settings.value(QStringLiteral("files/log_folder"), log_folder_).toString();
  figure_folder_ = settings.value(QStringLiteral("files/figure_folder")).toString();
  recent_ = settings.value(QStringLiteral("files/recent")).toStringList();
  run_folders_ = settings.value(QStringLiteral("files/run_folders")).toStringList();
  runs_->set_folders(QStringList{log_folder_} + run_folders_);
  last_preset_ = settings.value(QStringLiteral("run/preset"), last_preset_).toString();
  set_theme(settings.value(QStringLiteral("view/theme"), theme_).toString());
  // The docks first, then the size: restoring the docks' sizes must not grow the window.
  const QByteArray state = settings.value(QStringLiteral("window/state")).toByteArray();
  if (!state.isEmpty()) restoreState(state);
  const QByteArray geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
  if (!geometry.isEmpty()) restoreGeometry(geometry);
}

void MainWindow::save_settings() const {
  QSettings settings = app_settings();
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings.setValue(QStringLiteral("window/state"), saveState());
  settings.setValue(QStringLiteral("files/log_folder"), log_folder_);
  settings.setValue(QStringLiteral("files/figure_folder"), figure_folder_);
  settings.setValue(QStringLiteral("files/recent"), recent_);
  settings.setValue(QStringLiteral("files/run_folders"), run_folders_);
  settings.setValue(QStringLiteral("run/preset"), last_preset_);
  settings.setValue(QStringLiteral("view/theme"), theme_);
  settings.sync();
}

void MainWindow::reset_layout() {
  restoreState(default_state_);
  for (QDockWidget* dock : docks_) {
    if (dock->isFloating()) dock->setFloating(false);
  }
  docks_[2]->raise();
  statusBar()->showMessage(tr("Layout reset"), 5000);
}

namespace {
// Fusion's colours on a dark window: readable text, the same highlight.
QPalette dark_palette() {
  QPalette p;
  const QColor window(0x2b, 0x2b, 0x2e), base(0x1e, 0x1e, 0x21), text(0xe6, 0xe6, 0xe6), mid(0x5a, 0x5a, 0x60);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, window);
  p.setColor(QPalette::ToolTipBase, base);
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, window);
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::white);
  p.setColor(QPalette::Light, QColor(0x44, 0x44, 0x48));
  p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3e));
  p.setColor(QPalette::Mid, mid);
  p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
  p.setColor(QPalette::Shadow, Qt::black);
  p.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x5c, 0xa8, 0xf0));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
    p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
  return p;
}
}  // namespace

void MainWindow::set_theme(const QString& theme) {
  theme_ = theme == QLatin1String("light") || theme == QLatin1String("dark") ? theme : QStringLiteral("system");
  if (theme_ == QLatin1String("dark"))
    QApplication::setPalette(dark_palette());
  else if (theme_ == QLatin1String("light"))
    QApplication::setPalette(QApplication::style()->standardPalette());
  else
    QApplication::setPalette(QPalette());  // no palette of ours: the platform theme's
}

void MainWindow::set_log_folder(const QString& folder) {
  log_folder_ = folder;
  runs_->set_folders(QStringList{log_folder_} + run_folders_);
  statusBar()->showMessage(tr("New run logs go to %1").arg(folder), 10000);
}

void MainWindow::add_recent(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  recent_.removeAll(absolute);
  recent_.prepend(absolute);
  while (recent_.size() > kRecentFiles) recent_.removeLast();
}

void MainWindow::fill_recent_menu() {
  recent_menu_->clear();
  int shown = 0;
  for (const QString& path : recent_) {
    if (!QFileInfo::exists(path)) continue;  // moved or deleted since
    ++shown;
    const QString label = shown < 10 ? QStringLiteral("&%1 %2").arg(shown).arg(QFileInfo(path).fileName())
                                     : QFileInfo(path).fileName();
    QAction* action = recent_menu_->addAction(label, this, [this, path] { open_file(path); });
    action->setToolTip(path);
    action->setStatusTip(path);
  }
  if (shown == 0) recent_menu_->addAction(tr("(none)"))->setEnabled(false);
  recent_menu_->addSeparator();
  recent_menu_->addAction(tr("&Clear list"), this, [this] { recent_.clear(); });
}

bool MainWindow::open_file(const QString& path) {
  if (QFileInfo(path).suffix().compare(QLatin1String("pt"), Qt::CaseInsensitive) == 0) {
    const bool opened = open_checkpoint(path);
    if (opened) add_recent(path);
    return opened;
  }
  return open_log(path);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.size() == 1 && urls.front().isLocalFile()) {
    const QString suffix = QFileInfo(urls.front().toLocalFile()).suffix().toLower();
    if (suffix == QLatin1String("h5") || suffix == QLatin1String("pt")) {
      event->acceptProposedAction();
      return;
    }
  }
  event->ignore();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.front().isLocalFile()) return;
  event->acceptProposedAction();
  const QString path = urls.front().toLocalFile();
  // After the drop returns: opening shows dialogs and runs a local event loop.
  QTimer::singleShot(0, this, [this, path] { open_file(path); });
}


}  // namespace moescope

namespace moescope {

void MainWindow::set_language(const QString& language) {
  app_settings().setValue(QStringLiteral("view/language"), language);
  statusBar()->showMessage(tr("The language changes at the next start of MoE Scope."), 10000);
}

void MainWindow::show_user_guide() {
  if (!guide_) {
    auto* browser = new QTextBrowser(this);
    browser->setWindowFlag(Qt::Window);
    browser->setWindowTitle(tr("MoE Scope user guide"));
    browser->setOpenExternalLinks(true);
    browser->resize(900, 1000);
    // docs/ is in the resources: the guide's figures and its links to the other pages resolve
    // there, wherever the program is installed.
    const QUrl url(QStringLiteral("qrc:/docs/guide.md"));
    if (QFile::exists(QStringLiteral(":/docs/guide.md")))
      browser->setSource(url, QTextDocument::MarkdownResource);
    else
      browser->setPlainText(tr("The user guide is not in this build (docs/guide.md)."));
    guide_ = browser;
  }
  guide_->show();
  guide_->raise();
  guide_->activateWindow();
}

}  // namespace moescope
