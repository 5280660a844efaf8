// safetensors: what we write reads back, and every kind of bad file is a clear error naming
// the file and the problem (the reader meets files from elsewhere).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "base/error.h"
#include "data/safetensors.h"
#include "test_support.h"

namespace moescope {
namespace {

// A file of an 8-byte length, the header text and `data` bytes, as a hand-made (or hostile) writer would.
void write_raw(const std::string& path, const std::string& header, const std::string& data, int64_t length = -1) {
  const uint64_t n = length < 0 ? header.size() : uint64_t(length);
  std::string bytes(8, '\0');
  for (int i = 0; i < 8; ++i) bytes[size_t(i)] = char((n >> (8 * i)) & 0xff);
  test::write_file(path, bytes + header + data);
}

TEST(Safetensors, WhatWeWriteReadsBackWithItsShapesBytesAndMetadata) {
  test::TempDir dir;
  const auto path = dir.file("model.safetensors");
  const std::vector<float> a = {1.5f, -2.0f, 3.25f, 0.0f, 8.0f, -1.0f};
  const std::vector<uint16_t> b = {0x3c00, 0xc000, 0x7bff};  // F16: 1, -2, 65504
  const std::vector<uint16_t> c = {0x3f80};                  // BF16: 1
  write_safetensors(path, {{"layers.0.w", SafeDtype::F32, {2, 3}, a.data()},
                           {"layers.0.h", SafeDtype::F16, {3}, b.data()},
                           {"scalar", SafeDtype::BF16, {}, c.data()},
                           {"empty", SafeDtype::F32, {0, 4}, nullptr}},
                    {{"format", "pt"}});
  SafetensorsFile file(path);
  ASSERT_EQ(file.tensors().size(), 4u);
  EXPECT_EQ(file.metadata().at("format"), "pt");
  const auto* w = file.find("layers.0.w");
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(w->dtype, SafeDtype::F32);
  EXPECT_EQ(std::memcmp(file.data(*w), a.data(), a.size() * 4), 0);
  const auto* h = file.find("layers.0.h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->end - h->begin, 6u);
  EXPECT_EQ(std::memcmp(file.data(*h), b.data(), 6), 0);
  EXPECT_EQ(file.find("scalar")->shape.size(), 0u);
  EXPECT_EQ(file.find("empty")->end, file.find("empty")->begin);
  EXPECT_EQ(file.find("missing"), nullptr);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(Safetensors, BadFilesAreClearErrorsNamingTheFileAndTheProblem) {
  test::TempDir dir;
  const std::string good = R"({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}})";
  const std::string eight(8, 'x');
  struct Case {
    const char* name;
    std::string header, data;
    int64_t length;
    const char* words;
  };
  const std::vector<Case> cases = {
      {"empty", "", "", -2, "shorter than the 8-byte header length"},
      {"past-end", good, eight, 1 << 20, "runs past the end of the file"},
      {"huge-length", good, eight, int64_t(1) << 62, "runs past the end of the file"},
      {"not-json", "{not json at all", eight, -1, "not valid JSON"},
      {"not-object", "[1, 2, 3]", eight, -1, "not a JSON object"},
      {"empty-header", "", eight, -1, "the header is empty"},
      {"wrong-dtype", R"({"w": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}})", eight, -1,
       "tensor 'w': dtype I64 is not supported"},
      {"shape-bytes", R"({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", eight, -1,
       "needs 12 bytes, the offsets give 8"},
      {"out-of-range", R"({"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}})", eight, -1,
       "outside the data section of 8 bytes"},
      {"reversed", R"({"w": {"dtype": "F32", "shape": [0], "data_offsets": [8, 4]}})", eight, -1, "outside the data section"},
      {"overlap",
       R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
       eight, -1, "overlap"},
      {"duplicate",
       R"({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})",
       eight, -1, "tensor 'w' is named twice"},
      {"negative-size", R"({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}})", eight, -1, "not a non-negative integer"},
      {"huge-shape", R"({"w": {"dtype": "F32", "shape": [4294967296, 4294967296, 4], "data_offsets": [0, 8]}})", eight, -1,
       "too large"},
      {"no-offsets", R"({"w": {"dtype": "F32", "shape": [2]}})", eight, -1, "no data_offsets"},
      {"bad-metadata", R"({"__metadata__": {"k": 3}})", eight, -1, "__metadata__ entry 'k' is not a string"},
  };
  for (const auto& c : cases) {
    const auto path = dir.file(std::string(c.name) + ".safetensors");
    if (c.length == -2) test::write_file(path, "");
    else write_raw(path, c.header, c.data, c.length);
    try {
      SafetensorsFile file(path);
      ADD_FAILURE() << c.name << ": read without an error";
    } catch (const Error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(path), std::string::npos) << c.name << ": " << what;
      EXPECT_NE(what.find(c.words), std::string::npos) << c.name << ": " << what;
    }
  }
  // A good file cut anywhere inside its header or data: always an error, never a crash.
  const auto whole = dir.file("whole.safetensors");
  write_raw(whole, good, eight);
  std::string bytes;
  {
    std::ifstream in(whole, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    const auto path = dir.file("cut.safetensors");
    test::write_file(path, bytes.substr(0, cut));
    EXPECT_THROW(SafetensorsFile file(path), Error) << "cut at " << cut;
  }
  EXPECT_NO_THROW(SafetensorsFile file(whole));
  EXPECT_THROW(SafetensorsFile file(dir.file("absent.safetensors")), Error);
}

TEST(Safetensors, TheWriterRefusesDuplicateNamesAndLeavesNothingBehind) {
  test::TempDir dir;
  const auto path = dir.file("dup.safetensors");
  const float x = 1.0f;
  EXPECT_THROW(write_safetensors(path, {{"a", SafeDtype::F32, {1}, &x}, {"a", SafeDtype::F32, {1}, &x}}), Error);
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_THROW(write_safetensors(dir.file("no/such/dir/x.safetensors"), {{"a", SafeDtype::F32, {1}, &x}}), Error);
}

}  // namespace
}  // namespace moescope
