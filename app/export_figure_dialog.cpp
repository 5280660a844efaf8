#include "export_figure_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

#include "figure.h"

namespace moescope {

ExportFigureDialog::ExportFigureDialog(const std::vector<const Figure*>& figures, const Figure* current,
                                       const QString& folder, QWidget* parent)
    : QDialog(parent),
      figures_(figures),
      figure_box_(new QComboBox(this)),
      path_edit_(new QLineEdit(this)),
      width_(new QDoubleSpinBox(this)),
      height_(new QDoubleSpinBox(this)),
      dpi_(new QSpinBox(this)),
      folder_(folder) {
  setWindowTitle(tr("Export figure"));
  for (const Figure* f : figures_) figure_box_->addItem(f->figure_name());
  for (QDoubleSpinBox* box : {width_, height_}) {
    box->setRange(0.5, 100.0);
    box->setDecimals(2);
    box->setSingleStep(0.1);
    box->setSuffix(tr(" in"));
  }
  width_->setToolTip(tr("3.3 in: one column of a two-column paper; 6.9 in: both columns"));
  dpi_->setRange(30, 2400);
  dpi_->setValue(300);
  dpi_->setToolTip(tr("Pixels per inch of a PNG; SVG and PDF are vector, their curves decimated to this resolution"));
  auto* browse = new QPushButton(tr("&Browse..."), this);
  auto* file_row = new QHBoxLayout;
  file_row->addWidget(path_edit_, 1);
  file_row->addWidget(browse);
  path_edit_->setToolTip(tr("The suffix chooses the format: .png, .svg or .pdf"));

  auto* form = new QFormLayout(this);
  form->addRow(tr("&View"), figure_box_);
  form->addRow(tr("&File"), file_row);
  form->addRow(tr("&Width"), width_);
  form->addRow(tr("&Height"), height_);
  form->addRow(tr("&DPI (PNG)"), dpi_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
  form->addRow(buttons);
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(browse, &QPushButton::clicked, this, &ExportFigureDialog::browse);
  connect(figure_box_, &QComboBox::currentIndexChanged, this, &ExportFigureDialog::figure_changed);

  for (size_t i = 0; i < figures_.size(); ++i)
    if (figures_[i] == current) figure_box_->setCurrentIndex(static_cast<int>(i));
  figure_changed();
}

QString ExportFigureDialog::path() const { return path_edit_->text().trimmed(); }

void ExportFigureDialog::figure_changed() {
  const int i = figure_box_->currentIndex();
  if (i < 0) return;
  const Figure* f = figures_[static_cast<size_t>(i)];
  width_->setValue(f->figure_size_in().width());
  height_->setValue(f->figure_size_in().height());
  // Keep the folder and format the user chose; the name follows the view.
  const QFileInfo old(path());
  const QString dir = path().isEmpty() ? folder_ : old.absolutePath();
  const QString suffix = old.suffix().isEmpty() ? QStringLiteral("svg") : old.suffix();
  path_edit_->setText(QDir(dir).filePath(f->figure_name() + QLatin1Char('.') + suffix));
}

void ExportFigureDialog::browse() {
  QString selected;
  const QString suffix = QFileInfo(path()).suffix().toLower();
  const QString svg = tr("SVG, vector (*.svg)"), pdf = tr("PDF, vector (*.pdf)"), png = tr("PNG image (*.png)");
  selected = suffix == QLatin1String("pdf") ? pdf : suffix == QLatin1String("png") ? png : svg;
  const QString chosen = QFileDialog::getSaveFileName(this, tr("Export figure"), path(),
                                                      svg + QStringLiteral(";;") + pdf + QStringLiteral(";;") + png,
                                                      &selected);
  if (chosen.isEmpty()) return;
  QString file = chosen;
  if (!figure_format(file)) file += selected == pdf ? QStringLiteral(".pdf") : selected == png ? QStringLiteral(".png")
                                                                                                 : QStringLiteral(".svg");
  path_edit_->setText(file);
}

void ExportFigureDialog::accept() {
  const int i = figure_box_->currentIndex();
  if (i < 0) return;
  FigureOptions options;
  options.size_in = QSizeF(width_->value(), height_->value());
  options.dpi = dpi_->value();
  const QString error = export_figure(*figures_[static_cast<size_t>(i)], path(), options);
  if (!error.isEmpty()) {
    QMessageBox::warning(this, tr("Cannot export the figure"), error);
    return;
  }
  QDialog::accept();
}

}  // namespace moescope
