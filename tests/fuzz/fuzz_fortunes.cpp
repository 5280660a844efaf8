// libFuzzer: a fortune file split into documents (no file to name: it must never throw).
#include "data/text_corpus.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string content(reinterpret_cast<const char*>(data), size);
  // Each document is its lines, each ending in '\n' (the last one's added), none blank.
  size_t total = 0;
  const auto docs = moescope::split_fortunes(content);
  for (const auto& doc : docs) {
    if (doc.find_first_not_of(" \t\r\n") == std::string::npos || doc.back() != '\n') std::abort();
    total += doc.size();
  }
  if (total > size + docs.size()) std::abort();
  return 0;
}
