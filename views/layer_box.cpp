#include "layer_box.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>

#include "colormap.h"

namespace moescope {

QHBoxLayout* add_view_header(QWidget* view, QLabel* title, QLabel* status) {
  QFont title_font = title->font();
  title_font.setBold(true);
  title->setFont(title_font);
  auto* row = new QHBoxLayout;
  row->addWidget(title);
  if (status) {
    row->addSpacing(12);
    row->addWidget(status, 1);
  } else {
    row->addStretch(1);
  }
  auto* layout = new QVBoxLayout(view);
  layout->setContentsMargins(6, 4, 6, 4);
  layout->addLayout(row);
  layout->addStretch(1);  // the rest is painted
  return row;
}

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

void start_refresh_timer(QWidget* view, QTimer* timer, std::function<bool()> due,
                         std::function<void()> refresh) {
  timer->setInterval(kViewRefreshMs);
  QObject::connect(timer, &QTimer::timeout, view,
                   [view, due = std::move(due), refresh = std::move(refresh)] {
                     if (due() && view->isVisible()) refresh();
                   });
  timer->start();
}

void show_hover_tooltip(QWidget* view, const QMouseEvent* event, const QString& text) {
  if (text.isEmpty())
    QToolTip::hideText();
  else
    QToolTip::showText(event->globalPosition().toPoint(), text, view);
}

}  // namespace moescope
