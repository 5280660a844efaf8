// The window's menu bar: File, Run, View (docks, layout, theme, language) and Help, with
// their shortcuts.
#include <QActionGroup>
#include <QDockWidget>
#include <QFileDialog>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

#include <utility>
#include <vector>

#include "app_settings.h"
#include "focus_state.h"
#include "main_window.h"

namespace moescope {

void MainWindow::build_menus() {
  auto* file = menuBar()->addMenu(tr("&File"));
  auto* open = file->addAction(tr("&Open run log..."), this, [this] {
    const auto path = QFileDialog::getOpenFileName(this, tr("Open run log"), QString(),
                                                   tr("MoE Scope run logs (*.h5);;All files (*)"));
    if (!path.isEmpty()) open_log(path);
  });
  open->setShortcut(QKeySequence::Open);
  auto* open_checkpoint = file->addAction(tr("Open &checkpoint..."), this, [this] {
    const auto path = QFileDialog::getOpenFileName(this, tr("Open checkpoint"), QString(),
                                                   tr("MoE Scope checkpoints (*.pt);;All files (*)"));
    if (!path.isEmpty()) this->open_checkpoint(path);
  });
  open_checkpoint->setShortcut(QKeySequence(tr("Ctrl+Shift+O")));
  auto* open_model = file->addAction(tr("Open &model..."), this, &MainWindow::open_model_dialog);
  open_model->setShortcut(QKeySequence(tr("Ctrl+Alt+O")));
  open_model->setStatusTip(tr("Open a Hugging Face MoE model folder (Mixtral, OLMoE, Qwen2-MoE, Qwen3-MoE) and run text through it"));
  recent_menu_ = file->addMenu(tr("Open &recent"));
  connect(recent_menu_, &QMenu::aboutToShow, this, &MainWindow::fill_recent_menu);
  file->addAction(tr("&Log folder..."), this, [this] {
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Folder for new run logs"), log_folder_);
    if (!folder.isEmpty()) set_log_folder(folder);
  });
  file->addSeparator();
  auto* export_figure = file->addAction(tr("Export &figure..."), this, [this] { export_figure_dialog(); });
  export_figure->setShortcut(QKeySequence(tr("Ctrl+E")));
  export_figure->setToolTip(tr("The view last clicked as a figure for a paper: PNG, SVG or PDF"));
  file->addAction(tr("Export &data..."), this, &MainWindow::export_data);
  file->addSeparator();
  auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setShortcut(QKeySequence::Quit);

  auto* run = menuBar()->addMenu(tr("&Run"));
  auto* start = run->addAction(tr("&Start"), this, &MainWindow::start_run);
  start->setShortcut(Qt::Key_F5);
  pause_action_ = run->addAction(tr("&Pause / Resume"), this, &MainWindow::toggle_pause);
  pause_action_->setShortcuts({QKeySequence(Qt::Key_F6), QKeySequence(tr("Ctrl+P"))});
  auto* stop = run->addAction(tr("S&top"), this, &MainWindow::stop_run);
  stop->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
  run->addSeparator();
  auto* save = run->addAction(tr("Save &checkpoint..."), this, [this] {
    if (!running()) return;
    const auto path = QFileDialog::getSaveFileName(this, tr("Save checkpoint"), QString(),
                                                   tr("Checkpoints (*.pt)"));
    if (!path.isEmpty()) save_checkpoint(path);
  });
  save->setShortcut(QKeySequence::Save);
  auto* surgery = run->addAction(tr("Expert s&urgery..."), this, &MainWindow::show_surgery);
  surgery->setShortcut(QKeySequence(tr("Ctrl+Shift+U")));
  auto* recipes = run->addAction(tr("&Merging recipes..."), this, &MainWindow::show_recipes);
  recipes->setShortcut(QKeySequence(tr("Ctrl+Shift+M")));
  recipes->setToolTip(tr("Upcycle, Branch-Train-MiX or merge models, with a preview before training"));

  auto* view = menuBar()->addMenu(tr("&View"));
  auto* follow = view->addAction(tr("&Follow the run"), focus_, &FocusState::follow_live);
  follow->setShortcut(Qt::Key_Escape);
  view->addSeparator();
  for (auto* dock : docks_) view->addAction(dock->toggleViewAction());
  view->addSeparator();
  view->addAction(tr("&Reset layout"), this, &MainWindow::reset_layout);
  QMenu* theme = view->addMenu(tr("&Theme"));
  auto* themes = new QActionGroup(this);
  for (const auto& [name, label] : std::vector<std::pair<QString, QString>>{
           {QStringLiteral("system"), tr("&System")}, {QStringLiteral("light"), tr("&Light")},
           {QStringLiteral("dark"), tr("&Dark")}}) {
    QAction* action = theme->addAction(label, this, [this, name = name] { set_theme(name); });
    action->setCheckable(true);
    action->setData(name);
    themes->addAction(action);
  }
  connect(theme, &QMenu::aboutToShow, this, [this, themes] {
    for (QAction* action : themes->actions()) action->setChecked(action->data().toString() == theme_);
  });

  QMenu* language = view->addMenu(tr("&Language"));
  auto* languages = new QActionGroup(this);
  // Each language by its own name, as language menus do.
  for (const auto& [name, label] : std::vector<std::pair<QString, QString>>{
           {QStringLiteral("system"), tr("&System")}, {QStringLiteral("en"), QStringLiteral("English")},
           {QStringLiteral("de"), QStringLiteral("Deutsch")}, {QStringLiteral("zh_CN"), QStringLiteral("\u7b80\u4f53\u4e2d\u6587")}}) {
    QAction* action = language->addAction(label, this, [this, name = name] { set_language(name); });
    action->setCheckable(true);
    action->setData(name);
    languages->addAction(action);
  }
  connect(language, &QMenu::aboutToShow, this, [languages] {
    const QString chosen = app_settings().value(QStringLiteral("view/language"), QStringLiteral("system")).toString();
    for (QAction* action : languages->actions()) action->setChecked(action->data().toString() == chosen);
  });

  auto* help = menuBar()->addMenu(tr("&Help"));
  auto* guide = help->addAction(tr("&User guide"), this, &MainWindow::show_user_guide);
  guide->setShortcut(QKeySequence::HelpContents);
  help->addAction(tr("&About MoE Scope"), this, [this] {
    QMessageBox::about(this, tr("About MoE Scope"), about_text());
  });
}

}  // namespace moescope
