#include "data/captions.h"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace moescope {
namespace {

using Names = std::array<const char*, kCaptionClasses>;

// Each label with its indefinite article, in the dataset's order (T-shirt/top, Trouser,
// Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot).
constexpr std::array<Names, kCaptionLanguages> kNames{{
    {"a T-shirt", "a pair of trousers", "a pullover", "a dress", "a coat", "a sandal", "a shirt",
     "a sneaker", "a bag", "an ankle boot"},
    {"ein T-Shirt", "eine Hose", "ein Pullover", "ein Kleid", "ein Mantel", "eine Sandale",
     "ein Hemd", "ein Turnschuh", "eine Tasche", "ein Stiefel"},
    {"una camiseta", "un pantal\xc3\xb3n", "un jersey", "un vestido", "un abrigo", "una sandalia",
     "una camisa", "una zapatilla", "un bolso", "una bota"},
    {"una maglietta", "un pantalone", "un maglione", "un vestito", "un cappotto", "un sandalo",
     "una camicia", "una scarpa da ginnastica", "una borsa", "uno stivaletto"},
}};

// Per language: text before and after the name. Template 0 of English ("a photo of ...") is
// the one the generative classifier scores.
constexpr std::array<std::array<std::array<const char*, 2>, kCaptionTemplates>, kCaptionLanguages> kForms{{
    {{{"a photo of ", "."}, {"this is ", "."}, {"", " in black and white."}}},
    {{{"ein Foto: ", "."}, {"das ist ", "."}, {"", " in Schwarzwei\xc3\x9f."}}},
    {{{"una foto de ", "."}, {"esto es ", "."}, {"", " en blanco y negro."}}},
    {{{"una foto di ", "."}, {"questo \xc3\xa8 ", "."}, {"", " in bianco e nero."}}},
}};

}  // namespace

std::vector<std::string> caption_languages() { return {"en", "de", "es", "it"}; }

std::string caption(int64_t label, int64_t language, int64_t form) {
  if (label < 0 || label >= kCaptionClasses || language < 0 || language >= kCaptionLanguages ||
      form < 0 || form >= kCaptionTemplates) {
    throw std::out_of_range("caption: no label " + std::to_string(label) + ", language " +
                            std::to_string(language) + ", template " + std::to_string(form));
  }
  const auto& f = kForms[size_t(language)][size_t(form)];
  return std::string(f[0]) + kNames[size_t(language)][size_t(label)] + f[1];
}

int64_t longest_caption() {
  size_t longest = 0;
  for (int64_t l = 0; l < kCaptionClasses; ++l)
    for (int64_t g = 0; g < kCaptionLanguages; ++g)
      for (int64_t f = 0; f < kCaptionTemplates; ++f) longest = std::max(longest, caption(l, g, f).size());
  return int64_t(longest);
}

int64_t caption_label(const std::string& text) {
  for (int64_t l = 0; l < kCaptionClasses; ++l)
    for (int64_t g = 0; g < kCaptionLanguages; ++g)
      for (int64_t f = 0; f < kCaptionTemplates; ++f)
        if (caption(l, g, f) == text) return l;
  return -1;
}

}  // namespace moescope
