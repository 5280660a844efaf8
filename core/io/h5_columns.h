// Small helpers over the HDF5 C++ API shared by the run-log writer and reader.
#pragma once

#include <H5Cpp.h>

#include <algorithm>
#include <string>
#include <vector>

namespace moescope::h5 {

// An extendable dataset [rows, inner...] and the rows buffered for it.
struct Column {
  H5::DataSet dataset;
  H5::DataType type = H5::PredType::NATIVE_DOUBLE;
  std::vector<hsize_t> inner;  // shape of one row
  hsize_t rows = 0;            // rows written to the file
  size_t row_bytes = 0;
  hsize_t chunk_rows = 1;      // rows per chunk: the file grows a chunk at a time
  std::vector<unsigned char> pending;  // buffered rows, row-major

  void buffer(const void* data, size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    pending.insert(pending.end(), p, p + bytes);
  }
};

inline Column create_column(H5::Group& group, const std::string& name, const H5::DataType& type,
                            size_t element_bytes, std::vector<hsize_t> inner, hsize_t chunk_rows) {
  Column c;
  c.type = type;
  c.inner = inner;
  c.chunk_rows = chunk_rows;
  std::vector<hsize_t> dims{0}, max_dims{H5S_UNLIMITED}, chunk{chunk_rows};
  size_t row_elements = 1;
  for (auto d : inner) {
    dims.push_back(d);
    max_dims.push_back(d);
    chunk.push_back(d);
    row_elements *= d;
  }
  c.row_bytes = row_elements * element_bytes;
  H5::DSetCreatPropList props;
  props.setChunk(static_cast<int>(chunk.size()), chunk.data());
  H5::DataSpace space(static_cast<int>(dims.size()), dims.data(), max_dims.data());
  c.dataset = group.createDataSet(name, type, space, props);
  return c;
}

// Appends the buffered rows to the dataset.
inline void write_pending(Column& c, const std::vector<unsigned char>& data) {
  if (data.empty()) return;
  const hsize_t count = data.size() / c.row_bytes;
  std::vector<hsize_t> new_dims{c.rows + count}, start{c.rows}, block{count};
  for (auto d : c.inner) {
    new_dims.push_back(d);
    start.push_back(0);
    block.push_back(d);
  }
  c.dataset.extend(new_dims.data());
  H5::DataSpace file_space = c.dataset.getSpace();
  file_space.selectHyperslab(H5S_SELECT_SET, block.data(), start.data());
  H5::DataSpace memory_space(static_cast<int>(block.size()), block.data());
  c.dataset.write(data.data(), c.type, memory_space, file_space);
  c.rows += count;
}

// A fixed-length, NUL-padded UTF-8 string type (h5py reads it as bytes).
inline H5::StrType fixed_string(size_t bytes) {
  H5::StrType type(H5::PredType::C_S1, bytes);
  type.setStrpad(H5T_STR_NULLPAD);
  type.setCset(H5T_CSET_UTF8);
  return type;
}

// Buffers s as one fixed-length field, cut at a UTF-8 character boundary if too long.
inline void buffer_string(Column& c, const std::string& s) {
  size_t n = std::min(s.size(), c.row_bytes);
  while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  std::vector<unsigned char> field(c.row_bytes, 0);
  std::copy(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n), field.begin());
  c.buffer(field.data(), field.size());
}

}  // namespace moescope::h5
