// Captions of Fashion-MNIST labels in the four languages of the fortunes packages, for the
// fusion-fmnist preset: each image is followed by a caption of its label from one of three
// templates per language ("a photo of an ankle boot.", "das ist ein Stiefel.", ...), so a
// caption's bytes carry both its label and its language (docs/fusion.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

inline constexpr int64_t kCaptionLanguages = 4;   // en, de, es, it
inline constexpr int64_t kCaptionTemplates = 3;   // per language
inline constexpr int64_t kCaptionClasses = 10;

// {"en", "de", "es", "it"}: the languages' names as the fortunes corpus gives them.
std::vector<std::string> caption_languages();

// The caption of `label` in `language` from template `form`, UTF-8, ending in '.'.
std::string caption(int64_t label, int64_t language, int64_t form);

// The longest caption's bytes.
int64_t longest_caption();

// The label whose caption (any language, any template) `text` is, or -1.
int64_t caption_label(const std::string& text);

}  // namespace moescope
