// File > Export figure... and a view's right-click Export figure...: which view, the file
// (its suffix chooses PNG, SVG or PDF), the size in inches and the PNG's DPI. The figure is
// painted for paper by export_figure() (views/figure.h), not grabbed from the screen.
#pragma once

#include <QDialog>
#include <QString>
#include <vector>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace moescope {

class Figure;

class ExportFigureDialog : public QDialog {
  Q_OBJECT
 public:
  // `figures` outlive the dialog; `current` is preselected.
  ExportFigureDialog(const std::vector<const Figure*>& figures, const Figure* current, const QString& folder,
                     QWidget* parent = nullptr);
  // Exports as chosen; a message box says what went wrong and the dialog stays open.
  void accept() override;
  QString path() const;

 private:
  void figure_changed();
  void browse();

  std::vector<const Figure*> figures_;
  QComboBox* figure_box_;
  QLineEdit* path_edit_;
  QDoubleSpinBox* width_;
  QDoubleSpinBox* height_;
  QSpinBox* dpi_;
  QString folder_;
};

}  // namespace moescope
