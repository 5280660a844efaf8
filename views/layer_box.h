// The "layer" chooser of the per-layer views: a combo box of MoE layers with its label.
#pragma once

#include <QString>

class QComboBox;
class QHBoxLayout;
class QWidget;

namespace moescope {

// A combo box of MoE layers, with its "layer" label, added to the right of `row`.
QComboBox* add_layer_box(QWidget* parent, QHBoxLayout* row, const QString& tooltip);

// Fills `box` with layers 0..layers-1, keeping the current choice when it still exists (else
// layer 0; none when layers is 0), without emitting currentIndexChanged.
void fill_layer_box(QComboBox* box, int layers);

}  // namespace moescope
