// tokenizer.json (the Hugging Face tokenizers format) in C++: the BPE model with its
// normalisers, pre-tokenisers, post-processor and decoders as the MoE families ship them:
// byte-level BPE (OLMoE, Qwen: a regex Split and/or ByteLevel, NFC) and the SentencePiece-style
// BPE with byte fallback of Mixtral (Metaspace, or Prepend + Replace normalisers). Encodes to
// the same ids as the Python tokenizers library and decodes for the token views. Unicode
// regexes by PCRE2, NFC / NFKC by utf8proc. A component outside that set is refused naming it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace moescope {

class Tokenizer {
 public:
  // Reads and checks a tokenizer.json; throws moescope::Error naming the file and the part
  // (an unknown normaliser, a merge of tokens not in the vocabulary, a bad regex, ...).
  static Tokenizer from_file(const std::string& path);
  // The same from the file's text; `where` names it in errors.
  static Tokenizer from_json(const std::string& text, const std::string& where);
  ~Tokenizer();
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;

  // Text (UTF-8) -> ids, with the post-processor's special tokens when add_special_tokens.
  std::vector<int64_t> encode(const std::string& text, bool add_special_tokens = true) const;
  // Ids -> text through the decoder chain (byte-level or byte fallback + metaspace); special
  // tokens left out unless asked for, as tokenizers' decode does by default.
  std::string decode(const std::vector<int64_t>& ids, bool skip_special_tokens = true) const;
  // One token's text for display (its bytes decoded, "▁" as a space); "" for an unknown id.
  std::string token_text(int64_t id) const;
  // The vocabulary's string of `id` (as tokenizer.json spells it), "" when unknown.
  std::string token(int64_t id) const;
  int64_t vocab_size() const;  // one past the largest id, added tokens included

 private:
  struct State;
  explicit Tokenizer(std::unique_ptr<State> state);
  std::unique_ptr<State> s_;
};

}  // namespace moescope
