#include "view_chrome.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QTimer>
#include <QToolTip>
#include <QVBoxLayout>

namespace moescope {

QHBoxLayout* add_view_header(QWidget* view, QLabel* title, QLabel* status) {
  QFont title_font = title->font();
  title_font.setBold(true);
  title->setFont(title_font);
  // The title is never squeezed below its text (in any language); the status line wraps.
  title->setMinimumWidth(title->sizeHint().width());
  auto* row = new QHBoxLayout;
  row->addWidget(title);
  if (status) {
    row->addSpacing(12);
    // A long status (the step, the replay) wraps to a second line rather than being cut.
    status->setWordWrap(true);
    status->setMinimumWidth(160);  // its height at this width is the row's least: a few lines at most
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
