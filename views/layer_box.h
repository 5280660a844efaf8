// What the painted views share: the control row (a bold title, an optional status line, and
// the "layer" chooser of the per-layer views), the coalescing refresh timer and the hover
// tooltip.
#pragma once

#include <QString>

#include <functional>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QMouseEvent;
class QTimer;
class QWidget;

namespace moescope {

// Gives `view` its layout: a control row holding `title` (made bold) and `status` (stretched;
// null for none), above the area the view paints. Returns the row, for more controls.
QHBoxLayout* add_view_header(QWidget* view, QLabel* title, QLabel* status);

// A combo box of MoE layers, with its "layer" label, added to the right of `row`.
QComboBox* add_layer_box(QWidget* parent, QHBoxLayout* row, const QString& tooltip);

// Fills `box` with layers 0..layers-1, keeping the current choice when it still exists (else
// layer 0; none when layers is 0), without emitting currentIndexChanged.
void fill_layer_box(QComboBox* box, int layers);

// Starts `timer` (a child of `view`) to call `refresh` every kViewRefreshMs while `due()` and
// the view is visible: events only mark a view dirty, and a hidden dock costs nothing (the
// work waits for its showEvent).
void start_refresh_timer(QWidget* view, QTimer* timer, std::function<bool()> due,
                         std::function<void()> refresh);

// Shows `text` as the tooltip at the mouse, or hides any tooltip when `text` is empty.
void show_hover_tooltip(QWidget* view, const QMouseEvent* event, const QString& text);

}  // namespace moescope
