#include "log_repair.h"

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

#include "base/durable_file.h"
#include "base/error.h"
#include "hdf5_lock.h"

namespace moescope {
namespace {

namespace fs = std::filesystem;

// A writer on another host is judged by its heartbeat (the mark's modification time, touched
// at every flush, i.e. twice a second): one this old has stopped.
constexpr double kStaleHeartbeatSeconds = 60.0;

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown";
  return name.data();
}

// The fields of /proc/PID/stat after the command name, from the third (state) on; empty when
// there is no such process or no /proc.
std::vector<std::string> process_stat(long long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');  // the name may hold spaces and parentheses
  std::vector<std::string> fields;
  if (paren == std::string::npos) return fields;
  std::istringstream rest(text.substr(paren + 1));
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// The start time of a process in clock ticks since boot (field 22), so a reused pid is not
// taken for the writer; -1 when unknown.
long long process_start_ticks(long long pid) {
  const auto fields = process_stat(pid);
  if (fields.size() < 20) return -1;
  try {
    return std::stoll(fields[19]);
  } catch (const std::exception&) {
    return -1;
  }
}

// A process that exists and is not a zombie (a killed writer whose parent has not reaped it
// yet still answers kill(pid, 0), but writes nothing any more).
bool process_alive(long long pid) {
  if (pid <= 0) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  const auto fields = process_stat(pid);
  if (fields.empty()) return true;  // no /proc: trust kill()
  return fields[0] != "Z" && fields[0] != "X";
}

double seconds_since_modified(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 1e300;
  const double modified = double(st.st_mtim.tv_sec) + 1e-9 * double(st.st_mtim.tv_nsec);
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  return now - modified;
}

}  // namespace

std::string writer_mark_path(const std::string& log_path) { return log_path + ".writer"; }

WriterMark::WriterMark(const std::string& log_path) : path_(writer_mark_path(log_path)) {
  const long long pid = ::getpid();
  const nlohmann::json mark = {{"pid", pid},
                               {"host", host_name()},
                               {"start_ticks", process_start_ticks(pid)},
                               {"log", fs::path(log_path).filename().string()}};
  // Written whole or not at all: a reader never sees half a mark.
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << mark.dump() << '\n';
    if (!out.flush()) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw Error(path_ + ": cannot write the log's writer mark (" + std::strerror(errno) + ")");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path_, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error(path_ + ": cannot write the log's writer mark (" + ec.message() + ")");
  }
}

WriterMark::~WriterMark() {
  std::error_code ec;
  fs::remove(path_, ec);
}

void WriterMark::touch() noexcept {
  ::utimensat(AT_FDCWD, path_.c_str(), nullptr, 0);
}

LogWriter log_writer_state(const std::string& log_path, std::string* detail) {
  const std::string mark_path = writer_mark_path(log_path);
  const auto say = [detail](const std::string& text) {
    if (detail) *detail = text;
  };
  std::ifstream in(mark_path);
  if (!in) {
    say("no writer mark (" + mark_path + ")");
    return LogWriter::None;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto mark = nlohmann::json::parse(text, nullptr, false);
  long long pid = 0, start_ticks = -1;
  std::string host;
  try {
    pid = mark.at("pid").get<long long>();
    host = mark.at("host").get<std::string>();
    start_ticks = mark.value("start_ticks", -1LL);
  } catch (const nlohmann::json::exception&) {
    say(mark_path + " is unreadable: its writer died while writing it");
    return LogWriter::Gone;
  }
  const double age = seconds_since_modified(mark_path);
  char age_text[64];
  std::snprintf(age_text, sizeof age_text, "%.1f s ago", age);
  const std::string who = "pid " + std::to_string(pid) + " on " + host;
  if (host != host_name()) {
    // Another host (a shared file system): only the heartbeat tells.
    if (age < kStaleHeartbeatSeconds) {
      say("written by " + who + ", last heartbeat " + age_text);
      return LogWriter::Alive;
    }
    say("written by " + who + ", whose last heartbeat was " + age_text);
    return LogWriter::Gone;
  }
  if (!process_alive(pid) || (start_ticks >= 0 && process_start_ticks(pid) != start_ticks)) {
    say("its writer, " + who + ", has ended without closing it");
    return LogWriter::Gone;
  }
  say("being written by " + who + " (heartbeat " + age_text + ")");
  return LogWriter::Alive;
}

bool log_marked_open(const std::string& log_path) {
  static const unsigned char kSignature[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  std::ifstream in(log_path, std::ios::binary);
  if (!in) return false;
  std::error_code ec;
  const auto size = fs::file_size(log_path, ec);
  if (ec) return false;
  // The superblock is at 0, or after a user block of 512, 1024, 2048, ... bytes.
  for (uint64_t at = 0; at + 20 <= size; at = at == 0 ? 512 : at * 2) {
    unsigned char head[20] = {};
    in.seekg(std::streamoff(at));
    if (!in.read(reinterpret_cast<char*>(head), sizeof head)) return false;
    if (std::equal(std::begin(kSignature), std::end(kSignature), head)) {
      const int version = head[8];
      // Versions 2 and 3: one byte of flags at 11; versions 0 and 1: four bytes at 16.
      if (version >= 2) return head[11] != 0;
      return (head[16] | head[17] | head[18] | head[19]) != 0;
    }
    if (at > (uint64_t{1} << 40)) break;
  }
  return false;
}

LogRepair repair_run_log(const std::string& path, bool force) {
  if (!fs::is_regular_file(path)) throw Error(path + ": file not found");
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  LogRepair result;
  std::string detail;
  const auto writer = log_writer_state(path, &detail);
  if (!log_marked_open(path)) {
    if (!H5::H5File::isHdf5(path.c_str())) throw Error(path + ": not an HDF5 file; nothing to repair");
    if (writer == LogWriter::Gone) fs::remove(writer_mark_path(path), ec);
    result.message = path + ": closed cleanly; nothing to repair";
    return result;
  }
  if (writer == LogWriter::Alive && !force) {
    throw Error(path + ": " + detail +
                "; it is not repaired while written (read it in SWMR mode meanwhile: "
                "h5py.File(path, \"r\", swmr=True)), or use --force if that process does not write it");
  }
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::Exception::dontPrint();
  const hbool_t yes = 1;
  // The properties h5clear itself sets: open past the consistency flags and clear them, and
  // (second try) open a file that ends before its end of allocation.
  const auto open_clearing = [&](bool skip_eof_check) {
    const hid_t access = H5Pcreate(H5P_FILE_ACCESS);
    H5Pset(access, "clear_status_flags", &yes);
    if (skip_eof_check) H5Pset(access, "skip_eof_check", &yes);
    H5Pset_file_locking(access, false, true);
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, access);
    H5Pclose(access);
    return file;
  };
  hid_t file = open_clearing(false);
  if (file < 0) {
    file = open_clearing(true);
    if (file < 0) {
      throw Error(path + ": cannot repair the log (HDF5 cannot open it even past its consistency flags: "
                  "the file is not a run log or is damaged beyond its last flush)");
    }
    haddr_t eoa = 0;
    H5Fget_eoa(file, &eoa);
    // The end of allocation moves to the end of the file if that lies beyond it; the file is
    // extended to it when closed.
    if (H5Fincrement_filesize(file, 0) < 0) {
      H5Fclose(file);
      throw Error(path + ": cannot repair the log (its end of allocation cannot be set)");
    }
    result.extended = eoa > size;
  }
  if (H5Fclose(file) < 0) throw Error(path + ": cannot repair the log (closing it failed)");
  sync_file(path);
  if (log_marked_open(path)) throw Error(path + ": cannot repair the log (its consistency flags stay set)");
  fs::remove(writer_mark_path(path), ec);
  result.repaired = true;
  result.message = path + ": repaired (" + detail + "; consistency flags cleared" +
                   (result.extended ? ", file extended to its end of allocation" : "") +
                   "); every step up to its last flush is kept";
  return result;
}

LogRepair repair_if_abandoned(const std::string& path) noexcept {
  try {
    if (!log_marked_open(path) || log_writer_state(path) == LogWriter::Alive) return {};
    if (::access(path.c_str(), W_OK) != 0) return {};
    return repair_run_log(path);
  } catch (const std::exception& e) {
    LogRepair failed;
    failed.message = e.what();
    return failed;
  }
}

}  // namespace moescope
