// What every libFuzzer harness of MoE Scope checks: a parser given any bytes either returns
// or throws moescope::Error whose message names the file. Anything else (another exception,
// a crash, a sanitizer report, a hang, an allocation past -malloc_limit_mb) is a finding.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <string>

#include "base/error.h"

namespace moescope::fuzz {

// A scratch folder of this process (libFuzzer runs the inputs one after another).
inline const std::string& scratch_dir() {
  static const std::string dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::string base = tmp && *tmp ? tmp : "/tmp";
    std::string d = base + "/moescope-fuzz-" + std::to_string(::getpid());
    if (::mkdir(d.c_str(), 0700) != 0 && errno != EEXIST) std::abort();
    return d;
  }();
  return dir;
}

inline std::string write_input(const std::string& name, const uint8_t* data, size_t size) {
  std::string path = scratch_dir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out.flush()) std::abort();
  return path;
}

// Runs `parse`; a moescope::Error must name `where`.
template <typename Parse>
void expect_clean(const std::string& where, Parse&& parse) {
  try {
    parse();
  } catch (const moescope::Error& e) {
    if (std::string(e.what()).find(where) == std::string::npos) {
      std::fprintf(stderr, "error does not name %s: %s\n", where.c_str(), e.what());
      std::abort();
    }
  }
  // Any other exception leaves here and libFuzzer reports it (std::terminate).
}

}  // namespace moescope::fuzz
