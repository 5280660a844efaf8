// The control row the painted views share: a bold title, an optional status line, and the
// "layer" chooser of the per-layer views (load timeline, gating, tokens).
#pragma once

#include <QString>

class QComboBox;
class QHBoxLayout;
class QLabel;
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

}  // namespace moescope
