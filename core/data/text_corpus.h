// Multilingual text from Debian's fortunes packages: English files at the top level, German,
// Spanish and Italian in de/, es/ and it/. A document is one fortune (text between '%' lines);
// each keeps its language tag so views can relate experts to languages.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

inline const char* kFortunesDir = "/usr/share/games/fortunes";

struct Document {
  std::string text;
  int language = 0;  // index into TextCorpus::languages
};

struct TextCorpus {
  std::vector<std::string> languages;  // {"en", "de", "es", "it"}
  std::vector<Document> train;
  std::vector<Document> validation;
};

// Splits one fortune file into documents (on lines holding only '%'), dropping empty ones.
std::vector<std::string> split_fortunes(const std::string& content);

// Reads every regular file (no symlinks, no .dat/.u8 index files) of root and its de/, es/,
// it/ folders, and holds out validation_share of the documents, chosen by a seeded shuffle.
TextCorpus load_fortunes(const std::string& root, double validation_share, uint64_t seed);

}  // namespace moescope
