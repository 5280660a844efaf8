// The probe sequence itself, each token on the colour of its top-1 expert at the chosen layer:
// which bytes (or image patches) an expert takes, and whether experts split the text by kind
// (spaces, digits, word starts) or by position. An image probe (vision-fmnist, and the image
// of a fusion-fmnist probe, followed by its caption) is drawn as the image itself, each 4 x 4
// patch tinted by its expert's colour. Hover a token for its experts and gate weights.
#pragma once

#include <QColor>
#include <QRectF>
#include <QString>
#include <map>
#include <string>
#include <vector>

#include "base/events.h"
#include "snapshot_history.h"
#include "probe_view.h"

class QLabel;

namespace moescope {

class RunStore;

// How one probe byte is drawn: printable ASCII as is, a newline as ⏎, anything else as a
// middle dot.
QString token_glyph(unsigned char byte);

class TokenView : public ProbeView {
  Q_OBJECT

 public:
  // Vision probes (image patches) are drawn as a grid this many patches wide.
  static constexpr int kPatchColumns = 7;

  explicit TokenView(QWidget* parent = nullptr);


  // Probe tokens drawn: the image's patches (if any), then the probe text's tokens (bytes,
  // or a Hugging Face model's subword tokens, RunInfo::probe_token_texts).
  int token_count() const;
  bool is_text() const { return !labels_.empty(); }
  // The text of text token i as drawn: a byte's glyph, or a subword token's text with its
  // spaces as "␣" and a newline as "⏎".
  QString token_label(int text_token) const;
  // The probe's leading image patches: 49 when the run sent its probe image (vision and
  // fusion runs), else 0 (a text probe, or a log without the image: patches drawn numbered).
  int image_tokens() const;
  bool has_image() const { return probe_image_.size() == 784; }
  // The colour painted at pixel (x, y) of the probe image: its grey level under the tint of
  // its patch's top-1 expert (kTint of the expert's colour); invalid without an image.
  QColor tinted_pixel(int x, int y) const;
  static constexpr double kTint = 0.45;
  // Background of token i: the categorical colour of its top-1 expert at the chosen layer of
  // the shown trajectory, kDroppedColour when no expert took it; invalid when no trajectory
  // covers it.
  QColor colour_of_token(int token) const;
  // "'c' (byte 0x63) at position p\nexpert 3: 0.62\nexpert 5: 0.38" (its dispatched experts
  // and gate weights at the chosen layer, best first), "patch p (row r, column c)\n..." for
  // image patches; "dropped" in place of the experts when it has none.
  QString tooltip_for_token(int token) const;
  // Where token i is painted (empty when it does not fit), and the token at a point (-1).
  QRectF token_rect(int token) const;
  int token_at(QPoint widget_pos) const;
  // The tooltip of the token under the point (empty elsewhere).
  QString tooltip_at(QPoint widget_pos) const override;
  // Probe tokens whose top-1 expert at the chosen layer is `expert` (-1: dropped).
  int tokens_of_expert(int expert) const;


  void paint(QPainter& painter, const QRectF& target) const override;
  QString figure_name() const override { return QStringLiteral("tokens"); }
  QSizeF figure_size_in() const override { return {6.9, 2.6}; }


 public Q_SLOTS:
  void set_run_info(const moescope::RunInfo& info) override;
  void refresh() override;

 protected:
  void trajectory_added(const TrajectorySnapshot& trajectory) override;

 private:
  struct LegendItem {
    int expert = -1;
    int count = 0;
    QRectF rect;
  };
  QRectF content_rect() const;
  // Legend entries laid out in rows along the bottom of the content area.
  std::vector<LegendItem> legend_items() const;
  double legend_height() const;
  // Token cells and the font of their glyphs: the largest monospace size (up to twice the
  // widget's) at which the whole probe text fits above the legend.
  struct Cells {
    QFont font;
    std::vector<QRectF> rects;
  };
  Cells token_cells() const;
  // The fixed-width font of the caption bytes, `scale` times the text size.
  QFont mono_font(double scale) const;
  std::vector<QRectF> text_cells(const QFont& font, const QRectF& area) const;

  std::string probe_text_;
  // One per text token: its label and whether it ends a line of the text.
  std::vector<QString> labels_;
  std::vector<bool> ends_line_;
  bool subword_ = false;  // labels_ are subword tokens, not bytes
  int64_t probe_tokens_ = 0;
  std::vector<uint8_t> probe_image_;  // 28 x 28 grey levels, or empty
  // What the last refresh() chose to show (a copy: the history may thin before the next).
  TrajectorySnapshot shown_;
  bool has_shown_ = false;
  std::vector<int> top1_;      // per token of shown_, at the chosen layer
  std::map<int, int> counts_;  // top-1 expert (-1 dropped) -> tokens

  QLabel* status_ = nullptr;
};

}  // namespace moescope
