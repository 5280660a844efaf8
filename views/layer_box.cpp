#include "layer_box.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <algorithm>

namespace moescope {

QComboBox* add_layer_box(QWidget* parent, QHBoxLayout* row, const QString& tooltip) {
  auto* box = new QComboBox(parent);
  auto* label = new QLabel(QCoreApplication::translate("moescope::LayerBox", "layer"), parent);
  label->setBuddy(box);
  box->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  box->setToolTip(tooltip);
  row->addWidget(label);
  row->addWidget(box);
  return box;
}

void fill_layer_box(QComboBox* box, int layers) {
  layers = std::max(0, layers);
  const int kept = std::max(0, box->currentIndex());
  const QSignalBlocker blocker(box);
  box->clear();
  for (int i = 0; i < layers; ++i) box->addItem(QString::number(i));
  box->setCurrentIndex(layers == 0 ? -1 : kept < layers ? kept : 0);
}

}  // namespace moescope
