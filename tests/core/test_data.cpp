#include <gtest/gtest.h>
#include <zlib.h>

#include "data/captions.h"
#include "data/fashion_mnist.h"
#include "data/idx_reader.h"
#include "data/text_corpus.h"
#include "base/error.h"
#include "test_support.h"

namespace moescope {
namespace {

std::string idx_bytes(uint8_t ndims, const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data) {
  std::string s{'\0', '\0', '\x08', static_cast<char>(ndims)};
  for (auto d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8) s += static_cast<char>((d >> shift) & 0xff);
  }
  s.append(data.begin(), data.end());
  return s;
}

void write_gz(const std::string& path, const std::string& bytes) {
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}

TEST(IdxReader, ReadsAHandMadeGzipFile) {
  test::TempDir dir;
  write_gz(dir.file("a.gz"), idx_bytes(3, {2, 2, 3}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}));
  auto a = read_idx(dir.file("a.gz"));
  EXPECT_EQ(a.dims, (std::vector<int64_t>{2, 2, 3}));
  ASSERT_EQ(a.data.size(), 12u);
  EXPECT_EQ(a.data[5], 5);
  EXPECT_EQ(a.data[11], 255);
}

TEST(IdxReader, ReadsAnUncompressedFileToo) {
  test::TempDir dir;
  test::write_file(dir.path() / "b", idx_bytes(1, {3}, {7, 8, 9}));
  EXPECT_EQ(read_idx(dir.file("b")).data, (std::vector<uint8_t>{7, 8, 9}));
}

TEST(IdxReader, TruncatedFileIsAClearError) {
  test::TempDir dir;
  auto bytes = idx_bytes(3, {10, 28, 28}, std::vector<uint8_t>(10 * 28 * 28, 1));
  write_gz(dir.file("t.gz"), bytes.substr(0, bytes.size() - 100));
  try {
    read_idx(dir.file("t.gz"));
    FAIL() << "no error for a truncated file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("t.gz"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos);
  }
}

TEST(IdxReader, CorruptCompressedStreamIsAClearError) {
  test::TempDir dir;
  auto bytes = idx_bytes(2, {100, 100}, std::vector<uint8_t>(10000, 3));
  write_gz(dir.file("c.gz"), bytes);
  std::string gz;
  {
    std::ifstream in(dir.file("c.gz"), std::ios::binary);
    gz.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (size_t i = 20; i < gz.size() - 8; i += 3) gz[i] = static_cast<char>(gz[i] ^ 0x5a);
  test::write_file(dir.path() / "c.gz", gz);
  EXPECT_THROW(read_idx(dir.file("c.gz")), Error);
}

// The data decode whole, but the gzip trailer (CRC-32, then the length) says they are not
// what was written: only reading past the data checks it.
TEST(IdxReader, AGzipTrailerThatDoesNotMatchIsAClearError) {
  test::TempDir dir;
  std::vector<uint8_t> data(1000);
  for (size_t i = 0; i < data.size(); ++i) data[i] = uint8_t(i * 7);
  write_gz(dir.file("ok.gz"), idx_bytes(2, {10, 100}, data));
  EXPECT_EQ(read_idx(dir.file("ok.gz")).data, data);
  std::ifstream in(dir.file("ok.gz"), std::ios::binary);
  const std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string crc = gz;
  crc[gz.size() - 8] = char(crc[gz.size() - 8] ^ 0x01);
  test::write_file(dir.path() / "crc.gz", crc);
  test::write_file(dir.path() / "short.gz", gz.substr(0, gz.size() - 4));
  for (const char* name : {"crc.gz", "short.gz"}) {
    try {
      read_idx(dir.file(name));
      ADD_FAILURE() << name << " accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(std::string(name) + ": corrupt compressed data"), std::string::npos) << e.what();
    }
  }
}

TEST(IdxReader, RejectsBadMagicHostileSizesAndMissingFiles) {
  test::TempDir dir;
  test::write_file(dir.path() / "magic", std::string("\x01\x02\x03\x04", 4));
  EXPECT_THROW(read_idx(dir.file("magic")), Error);
  write_gz(dir.file("huge.gz"), idx_bytes(3, {0xffffffffu, 0xffffffffu, 2}, {}));
  EXPECT_THROW(read_idx(dir.file("huge.gz")), Error);
  EXPECT_THROW(read_idx(dir.file("absent.gz")), Error);
}

TEST(FashionMnist, ImageAndLabelCountsMustAgree) {
  test::TempDir dir;
  std::vector<uint8_t> pixels(2 * 784, 255);
  std::fill(pixels.begin() + 784, pixels.end(), 0);  // a white image, then a black one
  write_gz(dir.file("i.gz"), idx_bytes(3, {2, 28, 28}, pixels));
  write_gz(dir.file("l.gz"), idx_bytes(1, {3}, {1, 2, 3}));
  EXPECT_THROW(load_image_split(dir.file("i.gz"), dir.file("l.gz")), Error);
  write_gz(dir.file("l2.gz"), idx_bytes(1, {2}, {4, 9}));
  // Images of one grey level (a zeroed file) would normalise to NaN: refused, named.
  write_gz(dir.file("flat.gz"), idx_bytes(3, {2, 28, 28}, std::vector<uint8_t>(2 * 784, 0)));
  try {
    load_image_split(dir.file("flat.gz"), dir.file("l2.gz"));
    ADD_FAILURE() << "flat images accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("flat.gz: every pixel of every image is 0"), std::string::npos) << e.what();
  }
  auto split = load_image_split(dir.file("i.gz"), dir.file("l2.gz"));
  EXPECT_EQ(split.images.sizes(), (std::vector<int64_t>{2, 1, 28, 28}));
  EXPECT_FLOAT_EQ(split.images.max().item<float>(), 1.0f);
  EXPECT_EQ(split.labels[1].item<int64_t>(), 9);
}

TEST(TextCorpus, SplitsFortunesOnPercentLines) {
  auto docs = split_fortunes("one\nline\n%\n\n%\ntwo\n%\nthree");
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0], "one\nline\n");
  EXPECT_EQ(docs[2], "three\n");
}

TEST(TextCorpus, ReadsLanguagesSkipsIndexFilesAndSymlinksAndHoldsOutDocuments) {
  test::TempDir dir;
  test::write_fortunes_tree(dir.path(), 40);
  auto corpus = load_fortunes(dir.path().string(), 0.1, 1);
  EXPECT_EQ(corpus.languages, (std::vector<std::string>{"en", "de"}));
  // 40 English + 40 German documents; symlinks and .dat files add none.
  EXPECT_EQ(corpus.train.size() + corpus.validation.size(), 80u);
  EXPECT_EQ(corpus.validation.size(), 8u);
  for (const auto& split : {corpus.train, corpus.validation}) {
    for (const auto& doc : split) {
      EXPECT_EQ(doc.text.find('%'), std::string::npos);
      EXPECT_EQ(doc.language, doc.text.rfind("Der", 0) == 0 ? 1 : 0);
    }
  }
  // The held-out split is the same for the same seed.
  auto again = load_fortunes(dir.path().string(), 0.1, 1);
  EXPECT_EQ(again.validation.front().text, corpus.validation.front().text);
}

TEST(TextCorpus, MissingPackageSaysWhatToInstall) {
  try {
    load_fortunes("/nonexistent/fortunes", 0.05, 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("apt install fortunes"), std::string::npos);
  }
}

}  // namespace
}  // namespace moescope

namespace moescope {
namespace {

TEST(Captions, EveryCaptionDecodesBackToItsLabel) {
  EXPECT_EQ(caption(9, 0, 0), "a photo of an ankle boot.");
  EXPECT_EQ(caption(9, 1, 1), "das ist ein Stiefel.");
  for (int64_t label = 0; label < kCaptionClasses; ++label)
    for (int64_t language = 0; language < kCaptionLanguages; ++language)
      for (int64_t form = 0; form < kCaptionTemplates; ++form)
        EXPECT_EQ(caption_label(caption(label, language, form)), label) << label << " " << language << " " << form;
  EXPECT_EQ(caption_label("a photo of a cat."), -1);
  EXPECT_LE(longest_caption(), 64);
}

}  // namespace
}  // namespace moescope
