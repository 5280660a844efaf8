#include "data/idx_reader.h"

#include <zlib.h>

#include <memory>

#include "base/error.h"

namespace moescope {
namespace {

// Fashion-MNIST's largest file holds 47 MB; anything claiming over 1 GiB is not one of ours.
constexpr uint64_t kMaxIdxBytes = uint64_t{1} << 30;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

void read_exact(gzFile file, void* out, size_t bytes, const std::string& path, const char* what) {
  auto* dst = static_cast<uint8_t*>(out);
  size_t done = 0;
  while (done < bytes) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(bytes - done, 1u << 30));
    const int got = gzread(file, dst + done, chunk);
    if (got < 0) {
      int code = 0;
      const char* msg = gzerror(file, &code);
      throw Error(path + ": corrupt compressed data while reading the " + what + " (" +
                  (msg ? msg : "zlib error") + ")");
    }
    if (got == 0) {
      throw Error(path + ": file is truncated: expected " + std::to_string(bytes) +
                  " bytes of " + what + ", got " + std::to_string(done));
    }
    done += static_cast<size_t>(got);
  }
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file) throw Error(path + ": cannot open file (does it exist and is it readable?)");

  uint8_t magic[4];
  read_exact(file.get(), magic, 4, path, "header");
  if (magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08) {
    throw Error(path + ": not an unsigned-byte IDX file (bad magic number)");
  }
  const int ndims = magic[3];
  if (ndims < 1 || ndims > 4) {
    throw Error(path + ": IDX header claims " + std::to_string(ndims) + " dimensions (1 to 4 expected)");
  }
  IdxArray array;
  uint64_t total = 1;
  for (int i = 0; i < ndims; ++i) {
    uint8_t be[4];
    read_exact(file.get(), be, 4, path, "header");
    const uint64_t size = (uint64_t{be[0]} << 24) | (uint64_t{be[1]} << 16) |
                          (uint64_t{be[2]} << 8) | uint64_t{be[3]};
    total *= size;
    if (size == 0 || total > kMaxIdxBytes) {
      throw Error(path + ": IDX header claims an implausible size (" + std::to_string(size) +
                  " in dimension " + std::to_string(i) + ")");
    }
    array.dims.push_back(static_cast<int64_t>(size));
  }
  array.data.resize(total);
  read_exact(file.get(), array.data.data(), total, path, "data");
  // Reading past the data makes zlib check the gzip trailer: a CRC or length that does not
  // match (bytes flipped in the compressed stream) is an error here, not silent garbage.
  uint8_t extra;
  const int after = gzread(file.get(), &extra, 1);
  if (after > 0) {
    throw Error(path + ": trailing bytes after the " + std::to_string(total) + " bytes of data");
  }
  int code = Z_OK;
  const char* msg = gzerror(file.get(), &code);
  if (after < 0 || (code != Z_OK && code != Z_STREAM_END)) {  // a short or failed gzip trailer
    throw Error(path + ": corrupt compressed data (" + std::string(msg ? msg : "gzip check failed") +
                "); the file was damaged: reinstall dataset-fashion-mnist");
  }
  return array;
}

}  // namespace moescope
