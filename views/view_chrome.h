// What the painted views share around their picture: the control row (a bold title and an
// optional status line) above the painted area, the coalescing refresh timer, and the hover
// tooltip.
#pragma once

#include <QString>

#include <functional>

class QHBoxLayout;
class QLabel;
class QMouseEvent;
class QTimer;
class QWidget;

namespace moescope {

// Views repaint from a timer at this interval (about 30 Hz), never per event: events can
// arrive far faster than a screen can show them.
inline constexpr int kViewRefreshMs = 33;


// Gives `view` its layout: a control row holding `title` (made bold) and `status` (stretched;
// null for none), above the area the view paints. Returns the row, for more controls.
QHBoxLayout* add_view_header(QWidget* view, QLabel* title, QLabel* status);

// Starts `timer` (a child of `view`) to call `refresh` every kViewRefreshMs while `due()` and
// the view is visible: events only mark a view dirty, and a hidden dock costs nothing (the
// work waits for its showEvent).
void start_refresh_timer(QWidget* view, QTimer* timer, std::function<bool()> due,
                         std::function<void()> refresh);

// Shows `text` as the tooltip at the mouse, or hides any tooltip when `text` is empty.
void show_hover_tooltip(QWidget* view, const QMouseEvent* event, const QString& text);

}  // namespace moescope
