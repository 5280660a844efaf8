#include "data/tokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <queue>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "base/error.h"

namespace moescope {
namespace {

using json = nlohmann::json;

// The GPT-2 split that ByteLevel applies with use_regex (tokenizers' byte_level.rs).
const char* kByteLevelPattern = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Byte <-> printable character of byte-level BPE: bytes that print stay, the others map to
// U+0100 onwards in byte order (GPT-2's bytes_to_unicode).
struct ByteMap {
  std::array<std::string, 256> to_char;
  std::unordered_map<uint32_t, uint8_t> to_byte;
  ByteMap() {
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      const uint32_t cp = printable ? uint32_t(b) : uint32_t(256 + n++);
      to_char[size_t(b)] = encode(cp);
      to_byte[cp] = uint8_t(b);
    }
  }
  static std::string encode(uint32_t cp) {
    uint8_t buf[4];
    const auto len = utf8proc_encode_char(utf8proc_int32_t(cp), buf);
    return std::string(reinterpret_cast<char*>(buf), size_t(len));
  }
};
const ByteMap& byte_map() {
  static const ByteMap map;
  return map;
}

// UTF-8 characters of s, as byte spans.
std::vector<std::string> characters(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    auto len = utf8proc_iterate(reinterpret_cast<const uint8_t*>(s.data()) + i, utf8proc_ssize_t(s.size() - i), &cp);
    if (len <= 0) len = 1;  // a stray byte is its own character
    out.push_back(s.substr(i, size_t(len)));
    i += size_t(len);
  }
  return out;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  size_t pos = 0;
  while ((pos = s.find(from, pos)) != std::string::npos) {
    s.replace(pos, from.size(), to);
    pos += to.size();
  }
  return s;
}

class Regex {
 public:
  Regex(const std::string& pattern, const std::string& where) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    code_ = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.c_str()), pattern.size(), PCRE2_UTF | PCRE2_UCP, &error,
                          &offset, nullptr);
    if (code_ == nullptr) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(error, message, sizeof message);
      throw Error(where + ": the regex " + pattern + " does not compile at offset " + std::to_string(offset) + " (" +
                  reinterpret_cast<char*>(message) + ")");
    }
    pcre2_jit_compile(code_, PCRE2_JIT_COMPLETE);  // optional speed-up; falls back when absent
  }
  ~Regex() { pcre2_code_free(code_); }
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // [begin, end) of every non-empty match, left to right.
  std::vector<std::pair<size_t, size_t>> matches(const std::string& s) const {
    std::vector<std::pair<size_t, size_t>> out;
    auto* data = pcre2_match_data_create_from_pattern(code_, nullptr);
    size_t start = 0;
    while (start <= s.size()) {
      const int rc = pcre2_match(code_, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), start, 0, data, nullptr);
      if (rc < 0) break;
      const auto* ov = pcre2_get_ovector_pointer(data);
      const size_t b = ov[0], e = ov[1];
      if (e > b) {
        out.emplace_back(b, e);
        start = e;
      } else {  // an empty match: step over one character
        start = b + 1;
        while (start < s.size() && (uint8_t(s[start]) & 0xC0) == 0x80) ++start;
      }
    }
    pcre2_match_data_free(data);
    return out;
  }

 private:
  pcre2_code* code_ = nullptr;
};

enum class SplitBehavior { Isolated, Removed, MergedWithPrevious, MergedWithNext, Contiguous };

// One piece of text on its way through the pre-tokenisers; `first` marks the input's first.
struct Piece {
  std::string text;
  bool first = false;
};

// Splits by the matches of a pattern, as tokenizers' SplitDelimiterBehavior does.
std::vector<std::string> split_by(const std::string& s, const std::vector<std::pair<size_t, size_t>>& found,
                                  SplitBehavior behavior, bool invert) {
  // Spans: (begin, end, is_match)
  std::vector<std::tuple<size_t, size_t, bool>> spans;
  size_t at = 0;
  for (const auto& [b, e] : found) {
    if (b > at) spans.emplace_back(at, b, invert);
    spans.emplace_back(b, e, !invert);
    at = e;
  }
  if (at < s.size()) spans.emplace_back(at, s.size(), invert);
  std::vector<std::string> out;
  const auto piece = [&](size_t b, size_t e) { return s.substr(b, e - b); };
  switch (behavior) {
    case SplitBehavior::Isolated:
      for (const auto& [b, e, m] : spans) out.push_back(piece(b, e));
      break;
    case SplitBehavior::Removed:
      for (const auto& [b, e, m] : spans)
        if (!m) out.push_back(piece(b, e));
      break;
    case SplitBehavior::MergedWithPrevious: {
      bool previous_match = false;
      for (const auto& [b, e, m] : spans) {
        if (m && !out.empty() && !previous_match) out.back() += piece(b, e);
        else out.push_back(piece(b, e));
        previous_match = m;
      }
      break;
    }
    case SplitBehavior::MergedWithNext: {
      bool previous_match = false;
      for (const auto& [b, e, m] : spans) {
        if (previous_match && !out.empty()) out.back() += piece(b, e);
        else out.push_back(piece(b, e));
        previous_match = m;
      }
      break;
    }
    case SplitBehavior::Contiguous: {
      bool previous_match = false;
      for (const auto& [b, e, m] : spans) {
        if (m && previous_match && !out.empty()) out.back() += piece(b, e);
        else out.push_back(piece(b, e));
        previous_match = m;
      }
      break;
    }
  }
  return out;
}

struct Normalizer {
  enum Kind { NFC, NFKC, NFD, NFKD, Lowercase, Prepend, Replace, Strip } kind;
  std::string a, b;  // Prepend: a; Replace: a -> b
  bool left = false, right = false;
};

struct PreTokenizer {
  enum Kind { ByteLevel, Split, Metaspace, Digits, WhitespaceSplit } kind;
  bool add_prefix_space = false, use_regex = true;  // ByteLevel
  std::shared_ptr<Regex> regex;                     // Split
  std::string literal;                              // Split on a string
  SplitBehavior behavior = SplitBehavior::Isolated;
  bool invert = false;
  std::string replacement = "\xE2\x96\x81";  // Metaspace: U+2581
  std::string prepend_scheme = "always";
  bool split = true;
  bool individual_digits = false;
};

struct Decoder {
  enum Kind { ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace } kind;
  std::string a, b;
  int64_t start = 0, stop = 0;
  std::string prepend_scheme = "always";
};

std::string utf8_map(const std::string& s, int options) {
  utf8proc_uint8_t* out = nullptr;
  const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()), utf8proc_ssize_t(s.size()), &out,
                                utf8proc_option_t(options));
  if (len < 0) return s;  // not valid UTF-8: left as it is
  std::string r(reinterpret_cast<char*>(out), size_t(len));
  std::free(out);
  return r;
}

bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(reinterpret_cast<const uint8_t*>(s.data()) + i, utf8proc_ssize_t(s.size() - i), &cp);
    if (len <= 0) return false;
    i += size_t(len);
  }
  return true;
}

std::string lowercase(const std::string& s) {
  std::string out;
  for (const auto& c : characters(s)) {
    utf8proc_int32_t cp = 0;
    if (utf8proc_iterate(reinterpret_cast<const uint8_t*>(c.data()), utf8proc_ssize_t(c.size()), &cp) <= 0) {
      out += c;
      continue;
    }
    out += ByteMap::encode(uint32_t(utf8proc_tolower(cp)));
  }
  return out;
}

}  // namespace

struct Tokenizer::State {
  std::string where;
  std::unordered_map<std::string, int64_t> vocab;
  std::vector<std::string> id_to_token;
  std::vector<bool> special;  // by id
  // Merge (left id, right id) -> (rank, merged id)
  std::unordered_map<uint64_t, std::pair<int64_t, int64_t>> merges;
  int64_t unk = -1;
  bool byte_fallback = false, fuse_unk = false, ignore_merges = false;
  std::array<int64_t, 256> byte_ids{};  // <0xXX> ids with byte fallback, -1 when absent
  struct Added {
    std::string content;
    int64_t id;
    bool special, lstrip, rstrip, single_word;
  };
  std::vector<Added> added;  // longest first
  std::array<bool, 256> added_first{};  // the first bytes of the added tokens
  std::vector<Normalizer> normalizers;
  std::vector<PreTokenizer> pre_tokenizers;
  std::vector<Decoder> decoders;
  // TemplateProcessing's single sequence: ids before and after $A.
  std::vector<int64_t> prefix, suffix;
  mutable std::mutex cache_mutex;
  mutable std::unordered_map<std::string, std::vector<int64_t>> cache;

  static uint64_t key(int64_t a, int64_t b) { return (uint64_t(a) << 32) | uint64_t(b); }

  std::string normalize(std::string s) const {
    for (const auto& n : normalizers) {
      switch (n.kind) {
        case Normalizer::NFC: s = utf8_map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE); break;
        case Normalizer::NFKC: s = utf8_map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT); break;
        case Normalizer::NFD: s = utf8_map(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE); break;
        case Normalizer::NFKD: s = utf8_map(s, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT); break;
        case Normalizer::Lowercase: s = lowercase(s); break;
        case Normalizer::Prepend:
          if (!s.empty()) s = n.a + s;
          break;
        case Normalizer::Replace: s = replace_all(s, n.a, n.b); break;
        case Normalizer::Strip: {
          const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
          size_t b = 0, e = s.size();
          if (n.left) while (b < e && space(s[b])) ++b;
          if (n.right) while (e > b && space(s[e - 1])) --e;
          s = s.substr(b, e - b);
          break;
        }
      }
    }
    return s;
  }

  std::vector<Piece> pre_tokenize(const std::string& text, bool first_segment) const {
    std::vector<Piece> pieces = {{text, first_segment}};
    for (const auto& p : pre_tokenizers) {
      std::vector<Piece> next;
      for (const auto& piece : pieces) {
        std::vector<std::string> parts;
        std::string s = piece.text;
        switch (p.kind) {
          case PreTokenizer::ByteLevel: {
            if (p.add_prefix_space && (s.empty() || s[0] != ' ')) s = " " + s;
            if (p.use_regex) {
              static const Regex gpt2(kByteLevelPattern, "ByteLevel");
              parts = split_by(s, gpt2.matches(s), SplitBehavior::Isolated, false);
            } else {
              parts = {s};
            }
            for (auto& part : parts) {
              std::string mapped;
              for (const unsigned char c : part) mapped += byte_map().to_char[c];
              part = mapped;
            }
            break;
          }
          case PreTokenizer::Split: {
            std::vector<std::pair<size_t, size_t>> found;
            if (p.regex) {
              found = p.regex->matches(s);
            } else if (!p.literal.empty()) {
              for (size_t at = s.find(p.literal); at != std::string::npos; at = s.find(p.literal, at + p.literal.size())) {
                found.emplace_back(at, at + p.literal.size());
              }
            }
            parts = split_by(s, found, p.behavior, p.invert);
            break;
          }
          case PreTokenizer::Metaspace: {
            s = replace_all(s, " ", p.replacement);
            const bool prepend = p.prepend_scheme == "always" || (p.prepend_scheme == "first" && piece.first);
            if (prepend && s.compare(0, p.replacement.size(), p.replacement) != 0) s = p.replacement + s;
            if (p.split) {
              std::vector<std::pair<size_t, size_t>> found;
              for (size_t at = s.find(p.replacement); at != std::string::npos; at = s.find(p.replacement, at + p.replacement.size())) {
                found.emplace_back(at, at + p.replacement.size());
              }
              parts = split_by(s, found, SplitBehavior::MergedWithNext, false);
            } else {
              parts = {s};
            }
            break;
          }
          case PreTokenizer::Digits: {
            static const Regex digits(R"(\p{N}+)", "Digits");
            static const Regex digit(R"(\p{N})", "Digits");
            parts = split_by(s, (p.individual_digits ? digit : digits).matches(s), SplitBehavior::Isolated, false);
            break;
          }
          case PreTokenizer::WhitespaceSplit: {
            static const Regex space(R"(\s+)", "WhitespaceSplit");
            parts = split_by(s, space.matches(s), SplitBehavior::Removed, false);
            break;
          }
        }
        bool first = piece.first;
        for (auto& part : parts) {
          if (part.empty()) continue;
          next.push_back({std::move(part), first});
          first = false;
        }
      }
      pieces = std::move(next);
    }
    return pieces;
  }

  // BPE of one pre-token: its characters, merged lowest rank first (leftmost among equals).
  void bpe(const std::string& word, std::vector<int64_t>& out) const {
    if (ignore_merges) {
      if (const auto it = vocab.find(word); it != vocab.end()) {
        out.push_back(it->second);
        return;
      }
    }
    {
      std::lock_guard<std::mutex> lock(cache_mutex);
      if (const auto it = cache.find(word); it != cache.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        return;
      }
    }
    std::vector<int64_t> ids;
    for (const auto& c : characters(word)) {
      if (const auto it = vocab.find(c); it != vocab.end()) {
        ids.push_back(it->second);
        continue;
      }
      bool bytes = byte_fallback;
      if (bytes) {
        for (const unsigned char b : c) bytes = bytes && byte_ids[b] >= 0;
      }
      if (bytes) {
        for (const unsigned char b : c) ids.push_back(byte_ids[b]);
      } else if (unk >= 0) {
        if (!(fuse_unk && !ids.empty() && ids.back() == unk)) ids.push_back(unk);
      }
    }
    // Linked list of symbols with a heap of candidate merges (rank, position).
    const size_t n = ids.size();
    std::vector<int64_t> prev(n), next(n);
    for (size_t i = 0; i < n; ++i) {
      prev[i] = int64_t(i) - 1;
      next[i] = i + 1 < n ? int64_t(i + 1) : -1;
    }
    using Candidate = std::tuple<int64_t, int64_t, int64_t, int64_t>;  // rank, left, left id, right id
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
    const auto offer = [&](int64_t left) {
      if (left < 0 || next[size_t(left)] < 0) return;
      const auto right = next[size_t(left)];
      const auto it = merges.find(key(ids[size_t(left)], ids[size_t(right)]));
      if (it != merges.end()) heap.emplace(it->second.first, left, ids[size_t(left)], ids[size_t(right)]);
    };
    for (size_t i = 0; i + 1 < n; ++i) offer(int64_t(i));
    std::vector<bool> gone(n, false);
    while (!heap.empty()) {
      const auto [rank, left, left_id, right_id] = heap.top();
      heap.pop();
      const auto right = next[size_t(left)];
      if (gone[size_t(left)] || right < 0 || ids[size_t(left)] != left_id || ids[size_t(right)] != right_id) continue;
      ids[size_t(left)] = merges.at(key(left_id, right_id)).second;
      gone[size_t(right)] = true;
      next[size_t(left)] = next[size_t(right)];
      if (next[size_t(right)] >= 0) prev[size_t(next[size_t(right)])] = left;
      offer(prev[size_t(left)]);
      offer(left);
      (void)rank;
    }
    std::vector<int64_t> result;
    for (size_t i = 0; i < n; ++i)
      if (!gone[i]) result.push_back(ids[i]);
    out.insert(out.end(), result.begin(), result.end());
    if (word.size() < 256) {
      std::lock_guard<std::mutex> lock(cache_mutex);
      if (cache.size() > 200000) cache.clear();
      cache.emplace(word, std::move(result));
    }
  }
};

Tokenizer::Tokenizer(std::unique_ptr<State> state) : s_(std::move(state)) {}
Tokenizer::~Tokenizer() = default;
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;

Tokenizer Tokenizer::from_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read the tokenizer (" + ec.message() + ")");
  if (size > (512u << 20)) throw Error(path + ": the tokenizer is larger than 512 MiB");
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(path + ": cannot read the tokenizer");
  return from_json(text.str(), path);
}

Tokenizer Tokenizer::from_json(const std::string& text, const std::string& where) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw Error(where + ": malformed JSON (" + std::string(e.what()) + ")");
  }
  const auto fail = [&](const std::string& what) -> Error { return Error(where + ": " + what); };
  if (!j.is_object()) throw fail("a tokenizer must be a JSON object");
  auto s = std::make_unique<State>();
  s->where = where;
  const auto str = [&](const json& o, const char* key, const std::string& fallback) {
    if (!o.contains(key) || o[key].is_null()) return fallback;
    if (!o[key].is_string()) throw fail(std::string(key) + " must be a string");
    return o[key].get<std::string>();
  };
  const auto flag = [&](const json& o, const char* key, bool fallback) {
    if (!o.contains(key) || o[key].is_null()) return fallback;
    if (!o[key].is_boolean()) throw fail(std::string(key) + " must be true or false");
    return o[key].get<bool>();
  };

  // The model: BPE only.
  if (!j.contains("model") || !j["model"].is_object()) throw fail("no \"model\" object");
  const auto& model = j["model"];
  const auto type = str(model, "type", "BPE");
  if (type != "BPE") throw fail("model type \"" + type + "\" is not supported (BPE only: byte-level or with byte fallback)");
  if (!str(model, "continuing_subword_prefix", "").empty() || !str(model, "end_of_word_suffix", "").empty()) {
    throw fail("BPE with a continuing_subword_prefix or end_of_word_suffix is not supported");
  }
  if (model.contains("dropout") && !model["dropout"].is_null() && model["dropout"] != 0.0) {
    throw fail("BPE dropout is not supported (it makes encoding random)");
  }
  if (!model.contains("vocab") || !model["vocab"].is_object()) throw fail("model.vocab must be an object {token: id}");
  int64_t max_id = -1;
  const auto set_token = [&](const std::string& token, int64_t id) {
    if (id < 0 || id >= (int64_t(1) << 31)) throw fail("token " + token + " has id " + std::to_string(id) + ", out of range");
    if (size_t(id) >= s->id_to_token.size()) {
      if (size_t(id) > s->id_to_token.size() + (size_t(1) << 24)) throw fail("token ids leave a gap larger than 2^24");
      s->id_to_token.resize(size_t(id) + 1);
      s->special.resize(size_t(id) + 1, false);
    }
    s->id_to_token[size_t(id)] = token;
    max_id = std::max(max_id, id);
  };
  for (const auto& [token, id] : model["vocab"].items()) {
    if (!id.is_number_integer()) throw fail("model.vocab[\"" + token + "\"] must be an integer id");
    s->vocab[token] = id.get<int64_t>();
    set_token(token, id.get<int64_t>());
  }
  if (!model.contains("merges") || !model["merges"].is_array()) throw fail("model.merges must be a list");
  int64_t rank = 0;
  for (const auto& m : model["merges"]) {
    std::string a, b;
    if (m.is_string()) {
      const auto text_ = m.get<std::string>();
      const auto space = text_.find(' ');
      if (space == std::string::npos) throw fail("merge \"" + text_ + "\" is not two tokens separated by a space");
      a = text_.substr(0, space);
      b = text_.substr(space + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      a = m[0].get<std::string>();
      b = m[1].get<std::string>();
    } else {
      throw fail("merge " + std::to_string(rank) + " must be \"a b\" or [\"a\", \"b\"]");
    }
    const auto ia = s->vocab.find(a), ib = s->vocab.find(b), im = s->vocab.find(a + b);
    if (ia == s->vocab.end() || ib == s->vocab.end() || im == s->vocab.end()) {
      throw fail("merge " + std::to_string(rank) + " (" + a + " " + b + ") names a token not in the vocabulary");
    }
    s->merges.emplace(State::key(ia->second, ib->second), std::make_pair(rank, im->second));
    ++rank;
  }
  s->byte_fallback = flag(model, "byte_fallback", false);
  s->fuse_unk = flag(model, "fuse_unk", false);
  s->ignore_merges = flag(model, "ignore_merges", false);
  if (const auto unk = str(model, "unk_token", ""); !unk.empty()) {
    const auto it = s->vocab.find(unk);
    if (it == s->vocab.end()) throw fail("unk_token " + unk + " is not in the vocabulary");
    s->unk = it->second;
  }
  for (int b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof name, "<0x%02X>", b);
    const auto it = s->vocab.find(name);
    s->byte_ids[size_t(b)] = it == s->vocab.end() ? -1 : it->second;
  }

  // Added tokens: matched in the raw text before anything else, longest first.
  if (j.contains("added_tokens") && !j["added_tokens"].is_null()) {
    if (!j["added_tokens"].is_array()) throw fail("added_tokens must be a list");
    for (const auto& a : j["added_tokens"]) {
      if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() || !a.contains("content") ||
          !a["content"].is_string() || a["content"].get<std::string>().empty()) {
        throw fail("each added token needs an integer id and a non-empty content");
      }
      State::Added t{a["content"].get<std::string>(), a["id"].get<int64_t>(), flag(a, "special", false),
                     flag(a, "lstrip", false), flag(a, "rstrip", false), flag(a, "single_word", false)};
      set_token(t.content, t.id);
      s->special[size_t(t.id)] = t.special;
      s->vocab.emplace(t.content, t.id);
      s->added.push_back(t);
    }
    for (const auto& t : s->added) s->added_first[uint8_t(t.content[0])] = true;
    std::stable_sort(s->added.begin(), s->added.end(),
                     [](const State::Added& x, const State::Added& y) { return x.content.size() > y.content.size(); });
  }

  // Normalisers.
  std::function<void(const json&)> add_normalizer = [&](const json& n) {
    if (n.is_null()) return;
    const auto t = str(n, "type", "");
    if (t == "Sequence") {
      if (!n.contains("normalizers") || !n["normalizers"].is_array()) throw fail("normalizer Sequence needs a list");
      for (const auto& x : n["normalizers"]) add_normalizer(x);
    } else if (t == "NFC") {
      s->normalizers.push_back({Normalizer::NFC, "", "", false, false});
    } else if (t == "NFKC") {
      s->normalizers.push_back({Normalizer::NFKC, "", "", false, false});
    } else if (t == "NFD") {
      s->normalizers.push_back({Normalizer::NFD, "", "", false, false});
    } else if (t == "NFKD") {
      s->normalizers.push_back({Normalizer::NFKD, "", "", false, false});
    } else if (t == "Lowercase") {
      s->normalizers.push_back({Normalizer::Lowercase, "", "", false, false});
    } else if (t == "Prepend") {
      s->normalizers.push_back({Normalizer::Prepend, str(n, "prepend", ""), "", false, false});
    } else if (t == "Strip") {
      s->normalizers.push_back({Normalizer::Strip, "", "", flag(n, "strip_left", true), flag(n, "strip_right", true)});
    } else if (t == "Replace") {
      if (!n.contains("pattern") || !n["pattern"].is_object() || !n["pattern"].contains("String")) {
        throw fail("normalizer Replace with a regex pattern is not supported (string patterns only)");
      }
      s->normalizers.push_back({Normalizer::Replace, n["pattern"]["String"].get<std::string>(), str(n, "content", ""), false, false});
    } else {
      throw fail("normalizer \"" + t + "\" is not supported (NFC, NFKC, NFD, NFKD, Lowercase, Prepend, Replace, Strip, Sequence)");
    }
  };
  if (j.contains("normalizer")) add_normalizer(j["normalizer"]);

  // Pre-tokenisers.
  const auto behavior_of = [&](const std::string& b) {
    if (b == "Isolated") return SplitBehavior::Isolated;
    if (b == "Removed") return SplitBehavior::Removed;
    if (b == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
    if (b == "MergedWithNext") return SplitBehavior::MergedWithNext;
    if (b == "Contiguous") return SplitBehavior::Contiguous;
    throw fail("split behavior \"" + b + "\" is unknown");
  };
  std::function<void(const json&)> add_pre = [&](const json& p) {
    if (p.is_null()) return;
    const auto t = str(p, "type", "");
    PreTokenizer x{};
    if (t == "Sequence") {
      if (!p.contains("pretokenizers") || !p["pretokenizers"].is_array()) throw fail("pre_tokenizer Sequence needs a list");
      for (const auto& y : p["pretokenizers"]) add_pre(y);
      return;
    } else if (t == "ByteLevel") {
      x.kind = PreTokenizer::ByteLevel;
      x.add_prefix_space = flag(p, "add_prefix_space", true);
      x.use_regex = flag(p, "use_regex", true);
    } else if (t == "Split") {
      x.kind = PreTokenizer::Split;
      if (!p.contains("pattern") || !p["pattern"].is_object()) throw fail("pre_tokenizer Split needs a pattern");
      if (p["pattern"].contains("Regex")) x.regex = std::make_shared<Regex>(p["pattern"]["Regex"].get<std::string>(), where);
      else if (p["pattern"].contains("String")) x.literal = p["pattern"]["String"].get<std::string>();
      else throw fail("pre_tokenizer Split's pattern must be Regex or String");
      x.behavior = behavior_of(str(p, "behavior", "Isolated"));
      x.invert = flag(p, "invert", false);
    } else if (t == "Metaspace") {
      x.kind = PreTokenizer::Metaspace;
      x.replacement = str(p, "replacement", "\xE2\x96\x81");
      x.prepend_scheme = str(p, "prepend_scheme", flag(p, "add_prefix_space", true) ? "always" : "never");
      if (x.prepend_scheme != "always" && x.prepend_scheme != "first" && x.prepend_scheme != "never") {
        throw fail("Metaspace prepend_scheme \"" + x.prepend_scheme + "\" is unknown");
      }
      x.split = flag(p, "split", true);
    } else if (t == "Digits") {
      x.kind = PreTokenizer::Digits;
      x.individual_digits = flag(p, "individual_digits", false);
    } else if (t == "WhitespaceSplit") {
      x.kind = PreTokenizer::WhitespaceSplit;
    } else {
      throw fail("pre_tokenizer \"" + t + "\" is not supported (ByteLevel, Split, Metaspace, Digits, WhitespaceSplit, Sequence)");
    }
    s->pre_tokenizers.push_back(std::move(x));
  };
  if (j.contains("pre_tokenizer")) add_pre(j["pre_tokenizer"]);

  // Decoders.
  std::function<void(const json&)> add_decoder = [&](const json& d) {
    if (d.is_null()) return;
    const auto t = str(d, "type", "");
    if (t == "Sequence") {
      if (!d.contains("decoders") || !d["decoders"].is_array()) throw fail("decoder Sequence needs a list");
      for (const auto& y : d["decoders"]) add_decoder(y);
    } else if (t == "ByteLevel") {
      s->decoders.push_back({Decoder::ByteLevel, "", "", 0, 0, ""});
    } else if (t == "ByteFallback") {
      s->decoders.push_back({Decoder::ByteFallback, "", "", 0, 0, ""});
    } else if (t == "Fuse") {
      s->decoders.push_back({Decoder::Fuse, "", "", 0, 0, ""});
    } else if (t == "Strip") {
      s->decoders.push_back({Decoder::Strip, str(d, "content", " "), "", d.value("start", int64_t{0}), d.value("stop", int64_t{0}), ""});
    } else if (t == "Replace") {
      if (!d.contains("pattern") || !d["pattern"].is_object() || !d["pattern"].contains("String")) {
        throw fail("decoder Replace with a regex pattern is not supported");
      }
      s->decoders.push_back({Decoder::Replace, d["pattern"]["String"].get<std::string>(), str(d, "content", ""), 0, 0, ""});
    } else if (t == "Metaspace") {
      s->decoders.push_back({Decoder::Metaspace, str(d, "replacement", "\xE2\x96\x81"), "", 0, 0,
                             str(d, "prepend_scheme", flag(d, "add_prefix_space", true) ? "always" : "never")});
    } else {
      throw fail("decoder \"" + t + "\" is not supported (ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, Sequence)");
    }
  };
  if (j.contains("decoder")) add_decoder(j["decoder"]);

  // Post-processor: TemplateProcessing's single template, or ByteLevel (nothing to add).
  std::function<void(const json&)> add_post = [&](const json& p) {
    if (p.is_null()) return;
    const auto t = str(p, "type", "");
    if (t == "Sequence") {
      for (const auto& y : p.value("processors", json::array())) add_post(y);
    } else if (t == "ByteLevel") {
    } else if (t == "TemplateProcessing") {
      if (!p.contains("single") || !p["single"].is_array()) throw fail("TemplateProcessing needs a single template");
      const auto& specials = p.value("special_tokens", json::object());
      bool after = false;
      for (const auto& item : p["single"]) {
        if (item.contains("Sequence")) {
          after = true;
          continue;
        }
        if (!item.contains("SpecialToken")) throw fail("TemplateProcessing items are Sequence or SpecialToken");
        const auto name = str(item["SpecialToken"], "id", "");
        if (!specials.contains(name) || !specials[name].contains("ids") || !specials[name]["ids"].is_array()) {
          throw fail("TemplateProcessing names the special token " + name + " without its ids");
        }
        for (const auto& id : specials[name]["ids"]) {
          if (!id.is_number_integer()) throw fail("special token " + name + " has a non-integer id");
          (after ? s->suffix : s->prefix).push_back(id.get<int64_t>());
        }
      }
    } else {
      throw fail("post_processor \"" + t + "\" is not supported (TemplateProcessing, ByteLevel)");
    }
  };
  if (j.contains("post_processor")) add_post(j["post_processor"]);
  if (max_id < 0) throw fail("the vocabulary is empty");
  return Tokenizer(std::move(s));
}

std::vector<int64_t> Tokenizer::encode(const std::string& text, bool add_special_tokens) const {
  const auto& s = *s_;
  std::vector<int64_t> ids;
  if (add_special_tokens) ids = s.prefix;
  // Split the raw text on the added tokens (leftmost match, longest first at a position).
  size_t at = 0;
  bool first_segment = true;
  const auto encode_segment = [&](const std::string& segment) {
    if (segment.empty()) return;
    const auto normalized = s.normalize(segment);
    for (const auto& piece : s.pre_tokenize(normalized, first_segment)) s.bpe(piece.text, ids);
  };
  std::string pending;
  while (at < text.size()) {
    const State::Added* hit = nullptr;
    if (s.added_first[uint8_t(text[at])])
    for (const auto& a : s.added) {
      if (text.compare(at, a.content.size(), a.content) == 0) {
        hit = &a;
        break;
      }
    }
    if (hit == nullptr) {
      pending += text[at++];
      continue;
    }
    if (hit->rstrip || hit->lstrip) {
      if (hit->lstrip) {
        while (!pending.empty() && (pending.back() == ' ' || pending.back() == '\n' || pending.back() == '\t')) pending.pop_back();
      }
    }
    encode_segment(pending);
    pending.clear();
    first_segment = false;
    ids.push_back(hit->id);
    at += hit->content.size();
    if (hit->rstrip) {
      while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\t')) ++at;
    }
  }
  encode_segment(pending);
  if (add_special_tokens) ids.insert(ids.end(), s.suffix.begin(), s.suffix.end());
  return ids;
}

std::string Tokenizer::token(int64_t id) const {
  if (id < 0 || size_t(id) >= s_->id_to_token.size()) return "";
  return s_->id_to_token[size_t(id)];
}

int64_t Tokenizer::vocab_size() const { return int64_t(s_->id_to_token.size()); }

std::string Tokenizer::decode(const std::vector<int64_t>& ids, bool skip_special_tokens) const {
  const auto& s = *s_;
  std::vector<std::string> tokens;
  for (const auto id : ids) {
    if (id < 0 || size_t(id) >= s.id_to_token.size()) continue;
    if (skip_special_tokens && s.special[size_t(id)]) continue;
    tokens.push_back(s.id_to_token[size_t(id)]);
  }
  for (const auto& d : s.decoders) {
    switch (d.kind) {
      case Decoder::ByteLevel: {
        std::string all;
        for (const auto& t : tokens) {
          for (const auto& c : characters(t)) {
            utf8proc_int32_t cp = 0;
            utf8proc_iterate(reinterpret_cast<const uint8_t*>(c.data()), utf8proc_ssize_t(c.size()), &cp);
            const auto it = byte_map().to_byte.find(uint32_t(cp));
            if (it != byte_map().to_byte.end()) all += char(it->second);
            else all += c;
          }
        }
        tokens = {all};
        break;
      }
      case Decoder::Replace:
        for (auto& t : tokens) t = replace_all(t, d.a, d.b);
        break;
      case Decoder::ByteFallback: {
        // Runs of <0xXX> tokens become their bytes (U+FFFD per byte if they are not UTF-8).
        std::vector<std::string> out;
        std::string bytes;
        const auto flush = [&]() {
          if (bytes.empty()) return;
          if (valid_utf8(bytes)) {
            out.push_back(bytes);
          } else {
            for (size_t i = 0; i < bytes.size(); ++i) out.push_back("\xEF\xBF\xBD");
          }
          bytes.clear();
        };
        for (const auto& t : tokens) {
          unsigned value = 0;
          if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>' && std::sscanf(t.c_str(), "<0x%02X>", &value) == 1) {
            bytes += char(value);
          } else {
            flush();
            out.push_back(t);
          }
        }
        flush();
        tokens = out;
        break;
      }
      case Decoder::Fuse: {
        std::string all;
        for (const auto& t : tokens) all += t;
        tokens = {all};
        break;
      }
      case Decoder::Strip:
        for (auto& t : tokens) {
          int64_t b = 0;
          while (b < d.start && size_t(b) < t.size() && t.compare(size_t(b), d.a.size(), d.a) == 0) b += int64_t(d.a.size());
          t = t.substr(size_t(b));
          int64_t e = 0;
          while (e < d.stop && t.size() >= d.a.size() && t.compare(t.size() - d.a.size(), d.a.size(), d.a) == 0) {
            t.resize(t.size() - d.a.size());
            ++e;
          }
        }
        break;
      case Decoder::Metaspace:
        for (size_t i = 0; i < tokens.size(); ++i) {
          auto t = replace_all(tokens[i], d.a, " ");
          if (i == 0 && d.prepend_scheme != "never" && !t.empty() && t[0] == ' ') t = t.substr(1);
          tokens[i] = t;
        }
        break;
    }
  }
  std::string all;
  for (const auto& t : tokens) all += t;
  return all;
}

std::string Tokenizer::token_text(int64_t id) const {
  if (id < 0 || size_t(id) >= s_->id_to_token.size()) return "";
  const auto& t = s_->id_to_token[size_t(id)];
  const bool byte_level = std::any_of(s_->decoders.begin(), s_->decoders.end(),
                                      [](const Decoder& d) { return d.kind == Decoder::ByteLevel; });
  if (s_->special[size_t(id)]) return t;
  if (byte_level) {
    std::string bytes;
    for (const auto& c : characters(t)) {
      utf8proc_int32_t cp = 0;
      utf8proc_iterate(reinterpret_cast<const uint8_t*>(c.data()), utf8proc_ssize_t(c.size()), &cp);
      const auto it = byte_map().to_byte.find(uint32_t(cp));
      bytes += it != byte_map().to_byte.end() ? std::string(1, char(it->second)) : c;
    }
    return bytes;
  }
  unsigned value = 0;
  if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && std::sscanf(t.c_str(), "<0x%02X>", &value) == 1) {
    return value < 0x80 ? std::string(1, char(value)) : t;
  }
  return replace_all(t, "\xE2\x96\x81", " ");
}

}  // namespace moescope
