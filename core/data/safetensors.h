// safetensors (Hugging Face's weight format): an 8-byte little-endian header length, a JSON
// header {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {...}},
// then the tensors' bytes. Read memory-mapped and validated before anything is used; written
// whole or not at all. No LibTorch here: tensors are bytes with a dtype and a shape.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace moescope {

enum class SafeDtype { F32, F16, BF16 };
const char* safe_dtype_name(SafeDtype dtype);
int64_t safe_dtype_size(SafeDtype dtype);  // bytes per element

struct SafeTensorInfo {
  std::string name;
  SafeDtype dtype = SafeDtype::F32;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // byte offsets in the data section
};

// The header is checked before any allocation: its length within the file and at most
// 100 MiB, well-formed JSON, an object of tensors with known dtypes (F32, F16, BF16; another
// is refused naming the tensor), shapes of non-negative sizes whose product times the dtype's
// size equals the tensor's byte length, offsets inside the data section and not
// overlapping, no name twice. Every failure is a moescope::Error naming the file (and the
// tensor), never a crash or a huge allocation.
class SafetensorsFile {
 public:
  explicit SafetensorsFile(const std::string& path);
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile&) = delete;
  SafetensorsFile& operator=(const SafetensorsFile&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<SafeTensorInfo>& tensors() const { return tensors_; }  // in file order
  const SafeTensorInfo* find(const std::string& name) const;               // null when absent
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  // The tensor's bytes, in the mapped file (valid while this object lives).
  const uint8_t* data(const SafeTensorInfo& tensor) const { return data_ + tensor.begin; }

 private:
  std::string path_;
  const uint8_t* map_ = nullptr;
  size_t map_size_ = 0;
  const uint8_t* data_ = nullptr;
  std::vector<SafeTensorInfo> tensors_;
  std::map<std::string, std::string> metadata_;
};

// The weights of a model folder: its model.safetensors, or the shards that
// model.safetensors.index.json maps each tensor to ({"weight_map": {name: shard}}). The index
// is checked like a header: at most 100 MiB of JSON, shard names plain file names inside the
// folder, every tensor it lists present in its shard; each shard is a SafetensorsFile.
class SafetensorsFolder {
 public:
  explicit SafetensorsFolder(const std::string& dir);

  struct Entry {
    const SafetensorsFile* file;
    const SafeTensorInfo* tensor;
  };
  const std::string& dir() const { return dir_; }
  const Entry* find(const std::string& name) const;  // null when absent
  const std::map<std::string, Entry>& tensors() const { return tensors_; }  // by name
  size_t shards() const { return files_.size(); }

 private:
  std::string dir_;
  std::vector<std::unique_ptr<SafetensorsFile>> files_;
  std::map<std::string, Entry> tensors_;
};

// One tensor to write: bytes of product(shape) elements of dtype, row-major.
struct SafeTensorData {
  std::string name;
  SafeDtype dtype = SafeDtype::F32;
  std::vector<int64_t> shape;
  const void* bytes = nullptr;
};

// Writes the tensors (in the order given, 8-byte aligned data) and the metadata to `path`
// through a temporary file renamed onto it. Throws moescope::Error naming the file (or the
// tensor, for a duplicate name or a negative size); then nothing is left behind.
void write_safetensors(const std::string& path, const std::vector<SafeTensorData>& tensors,
                       const std::map<std::string, std::string>& metadata = {});

}  // namespace moescope
