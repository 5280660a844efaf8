#include "data/safetensors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "base/error.h"

namespace moescope {
namespace {

using json = nlohmann::json;

constexpr uint64_t kMaxHeader = 100ull << 20;

bool parse_dtype(const std::string& name, SafeDtype& out) {
  if (name == "F32") out = SafeDtype::F32;
  else if (name == "F16") out = SafeDtype::F16;
  else if (name == "BF16") out = SafeDtype::BF16;
  else return false;
  return true;
}

// a * b, false on overflow past 2^63.
bool multiply(uint64_t a, uint64_t b, uint64_t& out) {
  if (a != 0 && b > (uint64_t(1) << 63) / a) return false;
  out = a * b;
  return true;
}

}  // namespace

const char* safe_dtype_name(SafeDtype dtype) {
  switch (dtype) {
    case SafeDtype::F32: return "F32";
    case SafeDtype::F16: return "F16";
    case SafeDtype::BF16: return "BF16";
  }
  return "?";
}

int64_t safe_dtype_size(SafeDtype dtype) { return dtype == SafeDtype::F32 ? 4 : 2; }

SafetensorsFile::SafetensorsFile(const std::string& path) : path_(path) {
  const auto fail = [&](const std::string& what) -> Error { return Error(path + ": " + what); };
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw fail(std::string("cannot open the safetensors file (") + std::strerror(errno) + ")");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw fail("not a regular file");
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size < 8) {
    ::close(fd);
    throw fail("not a safetensors file: " + std::to_string(size) + " bytes, shorter than the 8-byte header length");
  }
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw fail(std::string("cannot map the file (") + std::strerror(errno) + ")");
  map_ = static_cast<const uint8_t*>(map);
  map_size_ = size;
  try {
    uint64_t header = 0;
    for (int i = 7; i >= 0; --i) header = (header << 8) | map_[i];
    if (header > size - 8) {
      throw fail("the header length (" + std::to_string(header) + " bytes) runs past the end of the file (" +
                 std::to_string(size) + " bytes): truncated or not a safetensors file");
    }
    if (header > kMaxHeader) throw fail("the header length (" + std::to_string(header) + " bytes) is over 100 MiB");
    if (header < 2) throw fail("the header is empty");
    // Names seen twice are refused: the parser would keep only the last.
    std::set<std::string> seen;
    std::string duplicate;
    json::parser_callback_t callback = [&](int depth, json::parse_event_t event, json& parsed) {
      if (depth == 1 && event == json::parse_event_t::key && duplicate.empty()) {
        const auto key = parsed.get<std::string>();
        if (!seen.insert(key).second) duplicate = key;
      }
      return true;
    };
    const auto* text = reinterpret_cast<const char*>(map_ + 8);
    json doc;
    try {
      doc = json::parse(text, text + header, callback);
    } catch (const json::exception& e) {
      throw fail(std::string("the header is not valid JSON (") + e.what() + ")");
    }
    if (!duplicate.empty()) throw fail("tensor '" + duplicate + "' is named twice in the header");
    if (!doc.is_object()) throw fail("the header is not a JSON object");
    data_ = map_ + 8 + header;
    const uint64_t data_size = size - 8 - header;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const std::string& name = it.key();
      const auto bad = [&](const std::string& what) { return fail("tensor '" + name + "': " + what); };
      if (name == "__metadata__") {
        if (!it->is_object()) throw fail("__metadata__ is not an object");
        for (auto m = it->begin(); m != it->end(); ++m) {
          if (!m->is_string()) throw fail("__metadata__ entry '" + m.key() + "' is not a string");
          metadata_[m.key()] = m->get<std::string>();
        }
        continue;
      }
      if (!it->is_object()) throw bad("its entry is not an object");
      const auto dtype = it->find("dtype");
      const auto shape = it->find("shape");
      const auto offsets = it->find("data_offsets");
      if (dtype == it->end() || !dtype->is_string()) throw bad("no dtype");
      if (shape == it->end() || !shape->is_array()) throw bad("no shape");
      if (offsets == it->end() || !offsets->is_array() || offsets->size() != 2) throw bad("no data_offsets [begin, end]");
      SafeTensorInfo info;
      info.name = name;
      if (!parse_dtype(dtype->get<std::string>(), info.dtype)) {
        throw bad("dtype " + dtype->get<std::string>() + " is not supported (F32, F16, BF16)");
      }
      uint64_t elements = 1;
      for (const auto& d : *shape) {
        if (!d.is_number_unsigned()) throw bad("the shape " + shape->dump() + " has a size that is not a non-negative integer");
        if (!multiply(elements, d.get<uint64_t>(), elements)) throw bad("the shape " + shape->dump() + " is too large");
        info.shape.push_back(d.get<int64_t>());
      }
      for (const auto& o : *offsets) {
        if (!o.is_number_unsigned()) throw bad("data_offsets " + offsets->dump() + " are not non-negative integers");
      }
      info.begin = (*offsets)[0].get<uint64_t>();
      info.end = (*offsets)[1].get<uint64_t>();
      if (info.begin > info.end || info.end > data_size) {
        throw bad("data_offsets " + offsets->dump() + " lie outside the data section of " + std::to_string(data_size) +
                  " bytes");
      }
      uint64_t bytes = 0;
      if (!multiply(elements, uint64_t(safe_dtype_size(info.dtype)), bytes) || bytes != info.end - info.begin) {
        throw bad("the shape " + shape->dump() + " of " + safe_dtype_name(info.dtype) + " needs " + std::to_string(bytes) +
                  " bytes, the offsets give " + std::to_string(info.end - info.begin));
      }
      tensors_.push_back(std::move(info));
    }
    std::vector<const SafeTensorInfo*> by_offset;
    for (const auto& t : tensors_) by_offset.push_back(&t);
    std::sort(by_offset.begin(), by_offset.end(), [](auto* a, auto* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < by_offset.size(); ++i) {
      if (by_offset[i]->begin < by_offset[i - 1]->end) {
        throw fail("tensors '" + by_offset[i - 1]->name + "' and '" + by_offset[i]->name + "' overlap in the data section");
      }
    }
  } catch (...) {
    ::munmap(const_cast<uint8_t*>(map_), map_size_);
    throw;
  }
}

SafetensorsFile::~SafetensorsFile() {
  if (map_ != nullptr) ::munmap(const_cast<uint8_t*>(map_), map_size_);
}

const SafeTensorInfo* SafetensorsFile::find(const std::string& name) const {
  for (const auto& t : tensors_) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

SafetensorsFolder::SafetensorsFolder(const std::string& dir) : dir_(dir) {
  namespace fs = std::filesystem;
  const fs::path folder(dir);
  const auto single = folder / "model.safetensors", index = folder / "model.safetensors.index.json";
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) throw Error(dir + ": not a folder (a Hugging Face model folder holds config.json and model.safetensors)");
  if (!fs::exists(index, ec)) {
    if (!fs::exists(single, ec)) {
      throw Error(dir + ": no model.safetensors or model.safetensors.index.json (only safetensors weights are read; "
                        "convert a pytorch_model.bin with transformers' save_pretrained)");
    }
    files_.push_back(std::make_unique<SafetensorsFile>(single.string()));
    for (const auto& t : files_.back()->tensors()) tensors_[t.name] = {files_.back().get(), &t};
    return;
  }
  const std::string where = index.string();
  const auto size = fs::file_size(index, ec);
  if (ec) throw Error(where + ": cannot read the index (" + ec.message() + ")");
  if (size > kMaxHeader) throw Error(where + ": the index is " + std::to_string(size) + " bytes, more than 100 MiB");
  json j;
  try {
    std::ifstream in(index);
    j = json::parse(in);
  } catch (const json::exception& e) {
    throw Error(where + ": the index is not valid JSON (" + std::string(e.what()) + ")");
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object()) {
    throw Error(where + ": the index must be a JSON object with a \"weight_map\" object {tensor: shard file}");
  }
  std::map<std::string, const SafetensorsFile*> shard_of;
  for (const auto& [name, shard] : j["weight_map"].items()) {
    if (!shard.is_string()) throw Error(where + ": weight_map[\"" + name + "\"] must be a file name");
    const auto file = shard.get<std::string>();
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..") {
      throw Error(where + ": weight_map[\"" + name + "\"] = \"" + file + "\" is not a file name inside the folder");
    }
    auto it = shard_of.find(file);
    if (it == shard_of.end()) {
      files_.push_back(std::make_unique<SafetensorsFile>((folder / file).string()));
      it = shard_of.emplace(file, files_.back().get()).first;
    }
    const auto* tensor = it->second->find(name);
    if (tensor == nullptr) throw Error(where + ": tensor " + name + " is listed in shard " + file + ", which does not hold it");
    tensors_[name] = {it->second, tensor};
  }
  if (tensors_.empty()) throw Error(where + ": the index lists no tensors");
}

const SafetensorsFolder::Entry* SafetensorsFolder::find(const std::string& name) const {
  const auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

void write_safetensors(const std::string& path, const std::vector<SafeTensorData>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  json header = json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  std::set<std::string> names;
  uint64_t offset = 0;
  std::vector<uint64_t> sizes;
  for (const auto& t : tensors) {
    if (t.name == "__metadata__" || !names.insert(t.name).second) {
      throw Error(path + ": tensor '" + t.name + "' is named twice (or is the metadata's name)");
    }
    uint64_t elements = 1;
    for (auto d : t.shape) {
      if (d < 0) throw Error(path + ": tensor '" + t.name + "' has a negative size");
      elements *= uint64_t(d);
    }
    const uint64_t bytes = elements * uint64_t(safe_dtype_size(t.dtype));
    header[t.name] = {{"dtype", safe_dtype_name(t.dtype)}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    sizes.push_back(bytes);
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // the data section 8-byte aligned, as the reference writer does
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = uint8_t((uint64_t(text.size()) >> (8 * i)) & 0xff);
    out.write(reinterpret_cast<const char*>(length), 8);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (size_t i = 0; i < tensors.size(); ++i) {
      out.write(static_cast<const char*>(tensors[i].bytes), static_cast<std::streamsize>(sizes[i]));
    }
    if (!out.flush()) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error(path + ": cannot write the safetensors file");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error(path + ": cannot move the safetensors file into place (" + ec.message() + ")");
  }
}

}  // namespace moescope
