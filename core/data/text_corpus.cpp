#include "data/text_corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "base/error.h"

namespace moescope {
namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kMaxFortuneFileBytes = 64ull << 20;

bool is_fortune_text(const fs::directory_entry& entry) {
  if (entry.is_symlink() || !entry.is_regular_file()) return false;
  const auto ext = entry.path().extension().string();
  return ext != ".dat" && ext != ".u8";
}

std::vector<fs::path> fortune_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (is_fortune_text(entry)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());  // directory order is not stable across machines
  return files;
}

}  // namespace

std::vector<std::string> split_fortunes(const std::string& content) {
  std::vector<std::string> docs;
  std::istringstream in(content);
  std::string line, current;
  const auto flush = [&] {
    const auto first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) docs.push_back(current);
    current.clear();
  };
  while (std::getline(in, line)) {
    if (line == "%" || line == "%\r") {
      flush();
    } else {
      current += line;
      current += '\n';
    }
  }
  flush();
  return docs;
}

TextCorpus load_fortunes(const std::string& root, double validation_share, uint64_t seed) {
  if (!fs::is_directory(root)) {
    throw Error(root + ": fortunes not found; install them with: "
                "sudo apt install fortunes fortunes-de fortunes-es fortunes-it");
  }
  if (!(validation_share > 0.0 && validation_share < 0.5)) {
    throw Error("validation share must be in (0, 0.5)");
  }
  TextCorpus corpus;
  std::vector<Document> all;
  const std::pair<const char*, fs::path> sources[] = {
      {"en", fs::path(root)}, {"de", fs::path(root) / "de"},
      {"es", fs::path(root) / "es"}, {"it", fs::path(root) / "it"}};
  for (const auto& [language, dir] : sources) {
    if (!fs::is_directory(dir)) continue;
    const int tag = static_cast<int>(corpus.languages.size());
    size_t found = 0;
    for (const auto& file : fortune_files(dir)) {
      if (fs::file_size(file) > kMaxFortuneFileBytes) {
        throw Error(file.string() + ": too large for a fortune file");
      }
      std::ifstream in(file, std::ios::binary);
      if (!in) throw Error(file.string() + ": cannot read");
      std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      for (auto& text : split_fortunes(content)) all.push_back({std::move(text), tag});
      ++found;
    }
    if (found > 0) corpus.languages.push_back(language);
  }
  if (all.size() < 20) {
    throw Error(root + ": found only " + std::to_string(all.size()) +
                " fortunes; install: sudo apt install fortunes fortunes-de fortunes-es fortunes-it");
  }
  std::mt19937_64 rng(seed);
  std::vector<size_t> order(all.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  const auto held_out = std::max<size_t>(1, static_cast<size_t>(validation_share * all.size()));
  for (size_t i = 0; i < order.size(); ++i) {
    (i < held_out ? corpus.validation : corpus.train).push_back(std::move(all[order[i]]));
  }
  return corpus;
}

}  // namespace moescope
