// libFuzzer: tokenizer.json (its components, the vocabulary and merges), then an encode and a
// decode with whatever tokenizer it makes. The input's tail after a NUL byte, if any, is the
// text encoded; otherwise a fixed mixed-script sentence.
#include <cstring>

#include "data/tokenizer.h"
#include "fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* begin = reinterpret_cast<const char*>(data);
  const char* nul = static_cast<const char*>(std::memchr(begin, '\0', size));
  std::string json(begin, nul ? nul : begin + size);
  std::string text = nul ? std::string(nul + 1, begin + size)
                         : std::string("Hello, world! Grüße 世界 123  tabs\tand\nnew lines");
  const std::string where = "fuzz/tokenizer.json";
  moescope::fuzz::expect_clean(where, [&] {
    auto tokenizer = moescope::Tokenizer::from_json(json, where);
    auto ids = tokenizer.encode(text);
    std::string back = tokenizer.decode(ids, false);
    for (int64_t id : ids) back += tokenizer.token_text(id) + tokenizer.token(id);
    back += tokenizer.token_text(tokenizer.vocab_size()) + tokenizer.token(-1);
    if (back.size() == 0xdeadbeef) std::fputc(' ', stderr);
  });
  return 0;
}
