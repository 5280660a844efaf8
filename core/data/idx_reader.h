// Reader for the IDX format of (Fashion-)MNIST, gzip-compressed or plain.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace moescope {

struct IdxArray {
  std::vector<int64_t> dims;   // e.g. {60000, 28, 28}
  std::vector<uint8_t> data;   // row-major, product(dims) bytes
};

// Reads an unsigned-byte IDX file (magic 0x0000080N, N dims, big-endian sizes). Throws
// moescope::Error naming the file on a missing, truncated, corrupt or oversized file.
IdxArray read_idx(const std::string& path);

}  // namespace moescope
