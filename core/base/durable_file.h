// Files that survive a crash whole: write to a temporary file beside the target, fsync it,
// rename it over the target, fsync the folder (so the rename itself is on disk). A kill or a
// power cut then leaves the previous file or the new one, never a torn one.
#pragma once

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include <fcntl.h>
#include <unistd.h>

#include "base/error.h"

namespace moescope {

// fsync(2) of a file or folder; false when it cannot be opened or synced.
inline bool sync_file(const std::string& path, bool folder = false) {
  const int fd = ::open(path.c_str(), (folder ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

inline std::string parent_folder(const std::string& path) {
  const auto parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Moves a written temporary file over `path`: fsync, rename, fsync of the folder. Removes
// `tmp` and throws moescope::Error naming `path` (and `what` it is) when a step fails.
inline void replace_durably(const std::string& tmp, const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!sync_file(tmp)) {
    const std::string reason = std::strerror(errno);
    std::filesystem::remove(tmp, ec);
    throw Error(path + ": cannot write the " + what + " (fsync: " + reason + ")");
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw Error(path + ": cannot move the " + what + " into place (" + ec.message() + ")");
  }
  // The rename is durable once the folder is synced; a folder that cannot be synced (some
  // network file systems) still holds the whole file.
  sync_file(parent_folder(path), /*folder=*/true);
}

}  // namespace moescope
