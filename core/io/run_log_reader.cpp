#include "run_log_reader.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <limits>

#include "base/error.h"
#include "hdf5_lock.h"
#include "log_repair.h"
#include "run_log_schema.h"
#include "run_log_writer.h"

namespace moescope {
namespace {

// "a,b,c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> parts;
  for (size_t start = 0; !text.empty() && start <= text.size();) {
    const auto comma = std::min(text.find(',', start), text.size());
    parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

// A log of 24 layers x 64 experts over a million snapshots is 6 GB; refuse more than that.
constexpr hsize_t kMaxElements = hsize_t{1} << 31;

class LogFile {
 public:
  LogFile(const std::string& path, const ReadProgress& progress) : path_(path), progress_(progress) {}

  void open() {
    if (!std::filesystem::is_regular_file(path_)) fail("file not found");
    std::error_code size_error;
    file_bytes_ = std::filesystem::file_size(path_, size_error);
    if (!H5::H5File::isHdf5(path_.c_str())) fail("not an HDF5 file");
    // A log being written is read in SWMR mode, where HDF5 retries a metadata read whose
    // checksum fails (the writer may be halfway through it); a closed log is read plainly, so
    // damaged metadata is an error at once instead of minutes of retries. Either way, few
    // retries: a live writer finishes a flush in milliseconds.
    H5::FileAccPropList access;
    H5Pset_metadata_read_attempts(access.getId(), 8);
    const unsigned mode = log_marked_open(path_) ? H5F_ACC_RDONLY | H5F_ACC_SWMR_READ : H5F_ACC_RDONLY;
    try {
      file_ = H5::H5File(path_, mode, H5::FileCreatPropList::DEFAULT, access);
    } catch (const H5::Exception& e) {
      fail("cannot open (truncated or corrupt HDF5 file: " + e.getDetailMsg() + ")");
    }
  }

  bool has_attribute(const char* name) { return file_.attrExists(name); }

  int64_t int_attribute(const char* name) {
    if (!file_.attrExists(name)) fail(std::string("missing root attribute '") + name + "'");
    auto attr = file_.openAttribute(name);
    if (attr.getTypeClass() != H5T_INTEGER || attr.getSpace().getSimpleExtentNpoints() != 1) {
      fail(std::string("root attribute '") + name + "' is not an integer");
    }
    int64_t value = 0;
    attr.read(H5::PredType::NATIVE_INT64, &value);
    return value;
  }

  // A 1-D integer attribute of exactly n values.
  std::vector<int64_t> int_list_attribute(const char* name, int64_t n) {
    auto attr = file_.openAttribute(name);
    if (attr.getTypeClass() != H5T_INTEGER || attr.getSpace().getSimpleExtentNpoints() != n) {
      fail(std::string("root attribute '") + name + "' is not a list of " + std::to_string(n) + " integers");
    }
    std::vector<int64_t> values(static_cast<size_t>(n));
    attr.read(H5::PredType::NATIVE_INT64, values.data());
    return values;
  }

  std::string string_attribute(const char* name) {
    if (!file_.attrExists(name)) return {};
    auto attr = file_.openAttribute(name);
    if (attr.getTypeClass() != H5T_STRING) fail(std::string("root attribute '") + name + "' is not a string");
    std::string value;
    attr.read(attr.getStrType(), value);
    return value;
  }

  // Whether the link "group/dataset" exists: each part in turn, since HDF5 fails (rather than
  // answering no) when an intermediate group is missing, as in a dense model's log.
  bool exists(const std::string& name) {
    for (size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1)) {
      if (!file_.nameExists(name.substr(0, slash))) return false;
    }
    return file_.nameExists(name);
  }

  // Reads a 1-D dataset of fixed-length strings; an absent dataset reads as empty.
  std::vector<std::string> strings(const std::string& name, hsize_t& rows) {
    rows = 0;
    if (!exists(name)) return {};
    auto dataset = file_.openDataSet(name);
    H5Drefresh(dataset.getId());
    auto space = dataset.getSpace();
    if (space.getSimpleExtentNdims() != 1) fail("dataset /" + name + " is not 1-D");
    if (dataset.getTypeClass() != H5T_STRING) fail("dataset /" + name + " is not a string column");
    auto type = dataset.getStrType();
    if (type.isVariableStr()) fail("dataset /" + name + " holds variable-length strings");
    const size_t width = type.getSize();
    hsize_t n = 0;
    space.getSimpleExtentDims(&n);
    if (width == 0 || width > 65536 || n * width > kMaxElements) fail("dataset /" + name + " is implausibly large");
    std::vector<char> buffer(size_t(n) * width);
    if (n > 0) dataset.read(buffer.data(), type);
    std::vector<std::string> out;
    for (hsize_t i = 0; i < n; ++i) {
      const char* p = buffer.data() + i * width;
      out.emplace_back(p, strnlen(p, width));
    }
    rows = n;
    return out;
  }

  // One dataset of the schema, as raw rows: [rows, inner...] of `type`, or fixed-length
  // strings re-padded to text_bytes.
  struct Raw {
    std::vector<unsigned char> data;
    hsize_t rows = 0;
    size_t row_bytes = 0;
    bool present = false;
    hsize_t stored_bytes = 0;  // the dataset's bytes on disk
  };
  // Reads one dataset and says how far the file has been read.
  Raw raw(const std::string& name, schema::Type type, size_t text_bytes,
          const std::vector<hsize_t>& inner) {
    Raw out = read_raw(name, type, text_bytes, inner);
    read_bytes_ += out.stored_bytes;
    if (file_bytes_ > 0) report(static_cast<double>(read_bytes_) / static_cast<double>(file_bytes_));
    return out;
  }

  Raw read_raw(const std::string& name, schema::Type type, size_t text_bytes,
               const std::vector<hsize_t>& inner) {
    Raw out;
    auto dataset = file_.openDataSet(name);
    H5Drefresh(dataset.getId());  // see rows a SWMR writer appended since the file was opened
    out.stored_bytes = dataset.getStorageSize();
    auto space = dataset.getSpace();
    const int rank = space.getSimpleExtentNdims();
    if (rank != int(inner.size()) + 1) fail("dataset /" + name + " has rank " + std::to_string(rank));
    std::vector<hsize_t> dims(rank);
    space.getSimpleExtentDims(dims.data());
    hsize_t elements = dims[0];
    for (size_t i = 0; i < inner.size(); ++i) {
      if (dims[i + 1] != inner[i]) {
        fail("dataset /" + name + " has dimension " + std::to_string(dims[i + 1]) + " where " +
             std::to_string(inner[i]) + " was expected");
      }
      elements *= inner[i];
    }
    if (elements > kMaxElements) fail("dataset /" + name + " is implausibly large");
    const auto tc = dataset.getTypeClass();
    out.rows = dims[0];
    out.present = true;
    if (type == schema::Type::Text) {
      if (tc != H5T_STRING) fail("dataset /" + name + " is not a string column");
      auto str = dataset.getStrType();
      if (str.isVariableStr()) fail("dataset /" + name + " holds variable-length strings");
      const size_t width = str.getSize();
      if (width == 0 || width > 65536 || out.rows * width > kMaxElements) {
        fail("dataset /" + name + " is implausibly large");
      }
      std::vector<char> buffer(size_t(out.rows) * width);
      if (out.rows > 0) dataset.read(buffer.data(), str);
      out.row_bytes = text_bytes;
      out.data.assign(size_t(out.rows) * text_bytes, 0);
      for (hsize_t r = 0; r < out.rows; ++r) {
        const char* p = buffer.data() + r * width;
        std::copy(p, p + std::min(strnlen(p, width), text_bytes), out.data.begin() + r * text_bytes);
      }
      return out;
    }
    if (tc != H5T_INTEGER && tc != H5T_FLOAT) fail("dataset /" + name + " is not numeric");
    const size_t element = schema::element_bytes(type, 0);
    out.row_bytes = element * size_t(out.rows > 0 ? elements / out.rows : 1);
    if (out.rows == 0) {
      out.row_bytes = element;
      for (auto d : inner) out.row_bytes *= d;
    }
    out.data.resize(size_t(elements) * element);
    if (elements > 0) dataset.read(out.data.data(), schema::h5_type(type, 0));
    return out;
  }

  // A 1-D int64 dataset of exactly n values.
  std::vector<int64_t> int_list(const std::string& name, int64_t n) {
    auto dataset = file_.openDataSet(name);
    auto space = dataset.getSpace();
    hsize_t size = 0;
    if (space.getSimpleExtentNdims() != 1 || dataset.getTypeClass() != H5T_INTEGER ||
        (space.getSimpleExtentDims(&size), int64_t(size) != n)) {
      fail("dataset /" + name + " is not a list of " + std::to_string(n) + " integers");
    }
    std::vector<int64_t> out(static_cast<size_t>(size), 0);
    if (size > 0) dataset.read(out.data(), H5::PredType::NATIVE_INT64);
    return out;
  }

  std::string bytes(const std::string& name) {
    if (!exists(name)) return {};
    auto dataset = file_.openDataSet(name);
    auto space = dataset.getSpace();
    if (space.getSimpleExtentNdims() != 1 || dataset.getTypeClass() != H5T_INTEGER) {
      fail("dataset /" + name + " is not a byte string");
    }
    hsize_t n = 0;
    space.getSimpleExtentDims(&n);
    if (n > (1u << 20)) fail("dataset /" + name + " is implausibly large");
    std::string out(size_t(n), '\0');
    if (n > 0) dataset.read(out.data(), H5::PredType::NATIVE_UINT8);
    return out;
  }

  // A [28, 28] byte image (the probe image), or empty when absent.
  std::vector<uint8_t> grey_image(const std::string& name) {
    if (!exists(name)) return {};
    auto dataset = file_.openDataSet(name);
    auto space = dataset.getSpace();
    hsize_t dims[2] = {0, 0};
    if (space.getSimpleExtentNdims() != 2 || dataset.getTypeClass() != H5T_INTEGER ||
        (space.getSimpleExtentDims(dims), dims[0] != 28 || dims[1] != 28)) {
      fail("dataset /" + name + " is not a 28 x 28 byte image");
    }
    std::vector<uint8_t> out(28 * 28);
    dataset.read(out.data(), H5::PredType::NATIVE_UINT8);
    return out;
  }

  // The length of a 1-D dataset and its last value as a double (NaN when empty or absent).
  std::pair<hsize_t, double> last_value(const std::string& name) {
    if (!exists(name)) return {0, std::numeric_limits<double>::quiet_NaN()};
    auto dataset = file_.openDataSet(name);
    H5Drefresh(dataset.getId());
    auto space = dataset.getSpace();
    if (space.getSimpleExtentNdims() != 1) fail("dataset /" + name + " is not 1-D");
    hsize_t n = 0;
    space.getSimpleExtentDims(&n);
    if (n == 0) return {0, std::numeric_limits<double>::quiet_NaN()};
    const hsize_t start = n - 1, count = 1;
    space.selectHyperslab(H5S_SELECT_SET, &count, &start);
    H5::DataSpace one(1, &count);
    double value = 0.0;
    dataset.read(&value, H5::PredType::NATIVE_DOUBLE, one, space);
    return {n, value};
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ": " + what);
  }

  // Says the share read so far (1 once everything is).
  void report(double fraction) const {
    if (progress_ && !progress_(std::clamp(fraction, 0.0, 1.0)))
      throw ReadCancelled(path_ + ": reading cancelled");
  }

 private:
  std::string path_;
  const ReadProgress& progress_;
  H5::H5File file_;
  uintmax_t file_bytes_ = 0;
  uintmax_t read_bytes_ = 0;
};

// Reads the events of one schema table. While a run is being written the columns of a group
// can differ by the rows of one flush in progress: keep the rows every column has.
template <class Event>
std::vector<Event> read_group(LogFile& file, const std::vector<schema::Column<Event>>& spec,
                              const schema::Sizes& sizes, int64_t version, const Event& prototype) {
  std::vector<LogFile::Raw> raw(spec.size());
  hsize_t rows = std::numeric_limits<hsize_t>::max();
  for (size_t i = 0; i < spec.size(); ++i) {
    const auto& c = spec[i];
    if (!file.exists(c.path)) {
      if (!c.optional && c.since <= version) rows = 0;  // an absent dataset reads as empty
      continue;
    }
    std::vector<hsize_t> inner;
    for (auto axis : c.row) inner.push_back(sizes[axis]);
    raw[i] = file.raw(c.path, c.type, c.text_bytes, inner);
    if (!c.count_of) rows = std::min(rows, raw[i].rows);
  }
  if (rows == std::numeric_limits<hsize_t>::max()) rows = 0;
  // Ragged columns: element offsets from their count column.
  std::vector<std::vector<hsize_t>> offsets(spec.size());
  for (size_t i = 0; i < spec.size(); ++i) {
    if (!spec[i].count_of || !raw[i].present) continue;
    size_t k = 0;
    while (k < spec.size() && std::string(spec[k].path) != spec[i].count_of) ++k;
    if (k == spec.size() || !raw[k].present) file.fail(std::string("/") + spec[i].path + " has no counts");
    auto& off = offsets[i];
    off.push_back(0);
    for (hsize_t r = 0; r < rows; ++r) {
      int64_t n = 0;
      std::memcpy(&n, raw[k].data.data() + r * 8, 8);
      if (n < 0 || n > int64_t(kMaxElements)) file.fail(std::string("/") + spec[k].path + " holds a count of " + std::to_string(n));
      if (off.back() + hsize_t(n) > raw[i].rows) {
        rows = r;  // the ids of the last events are not flushed yet
        break;
      }
      off.push_back(off.back() + hsize_t(n));
    }
  }
  std::vector<Event> events;
  events.reserve(size_t(rows));
  try {
    for (hsize_t r = 0; r < rows; ++r) {
      Event e = prototype;
      for (size_t i = 0; i < spec.size(); ++i) {
        if (!raw[i].present) continue;
        if (spec[i].count_of) {
          const auto first = offsets[i][r];
          spec[i].get(e, raw[i].data.data() + first * raw[i].row_bytes, size_t(offsets[i][r + 1] - first), sizes);
        } else {
          spec[i].get(e, raw[i].data.data() + r * raw[i].row_bytes, 1, sizes);
        }
      }
      events.push_back(std::move(e));
    }
  } catch (const schema::BadValue& bad) {
    file.fail(bad.what());
  }
  return events;
}

}  // namespace

RunLog read_run_log(const std::string& path, const ReadProgress& progress) {
  repair_if_abandoned(path);  // a killed run's log, so that every HDF5 reader opens it after us
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::Exception::dontPrint();
  LogFile file(path, progress);
  RunLog log;
  try {
    file.open();
    if (!file.has_attribute("format_version")) file.fail("not a MoE Scope run log (no format_version)");
    const auto version = file.int_attribute("format_version");
    if (version < 1 || version > kRunLogFormatVersion) {
      file.fail("run log format " + std::to_string(version) + " is not supported (this build reads 1 to " +
                std::to_string(kRunLogFormatVersion) + ")");
    }
    // Every run writes its step metrics: a log without them is not whole.
    if (!file.exists("metrics/step")) file.fail("no /metrics/step dataset (not a whole run log)");
    auto& info = log.info;
    info.config_json = file.string_attribute("config");
    info.preset = file.string_attribute("preset");
    info.task = file.string_attribute("task");
    info.model_summary = file.string_attribute("model_summary");
    info.device = file.string_attribute("device");
    info.start_time = file.string_attribute("start_time");
    info.layers = file.int_attribute("layers");
    info.experts = file.int_attribute("experts");
    info.top_k = file.int_attribute("top_k");
    info.total_steps = file.int_attribute("total_steps");
    info.parameters = file.int_attribute("parameters");
    info.active_parameters = file.int_attribute("active_parameters");
    info.router = file.string_attribute("router");
    info.expert_types = split_commas(file.string_attribute("expert_types"));
    if (file.has_attribute("shared_experts")) info.shared_experts = file.int_attribute("shared_experts");
    if (file.has_attribute("probe_tokens")) info.probe_tokens = file.int_attribute("probe_tokens");
    if (file.has_attribute("probe_slots")) info.probe_slots = file.int_attribute("probe_slots");
    info.probe_text = file.bytes("trajectories/probe_text");
    if (file.exists("trajectories/probe_token_end")) {  // subword tokens: split the text
      const auto ends = file.int_list("trajectories/probe_token_end", info.probe_tokens);
      size_t begin = 0;
      for (const auto end : ends) {
        if (end < int64_t(begin) || end > int64_t(info.probe_text.size())) {
          file.fail("dataset /trajectories/probe_token_end does not split /trajectories/probe_text");
        }
        info.probe_token_texts.push_back(info.probe_text.substr(begin, size_t(end) - begin));
        begin = size_t(end);
      }
      info.probe_text.clear();
    }
    info.probe_image = file.grey_image("trajectories/probe_image");
    if (file.has_attribute("domains")) {
      auto& d = info.domains;
      d.modalities = split_commas(file.string_attribute("modalities"));
      d.domains = split_commas(file.string_attribute("domains"));
      if (d.domains.size() > 4096 || d.modalities.size() > 64 || d.domains.empty())
        file.fail("implausible domains/modalities attributes");
      d.modality_of = file.int_list_attribute("domain_modality", d.size());
      if (!d.valid()) file.fail("root attribute 'domain_modality' names a modality the log does not list");
    }
    if (info.probe_tokens < 0 || info.probe_tokens > 65536 || info.probe_slots < 0 ||
        info.probe_slots > 65536) {
      file.fail("implausible probe_tokens/probe_slots attributes");
    }
    // A dense model's log has no MoE layer (and no routing tables).
    const bool dense = info.layers == 0 && info.experts == 0;
    if (!dense && (info.layers < 1 || info.layers > 4096 || info.experts < 1 || info.experts > 65536)) {
      file.fail("implausible layers/experts attributes");
    }
    if (file.has_attribute("layer_experts")) {
      info.layer_experts = file.int_list_attribute("layer_experts", info.layers);
      for (auto n : info.layer_experts) {
        if (n < 0 || n > info.experts) file.fail("root attribute 'layer_experts' holds " + std::to_string(n));
      }
      const bool uniform = std::all_of(info.layer_experts.begin(), info.layer_experts.end(),
                                       [&](int64_t n) { return n == info.experts; });
      if (uniform) info.layer_experts.clear();
    }

    schema::Sizes sizes;
    sizes.layers = info.layers;
    sizes.experts = info.experts;
    sizes.probe_tokens = std::max<int64_t>(info.probe_tokens, 1);
    sizes.probe_slots = std::max<int64_t>(info.probe_slots, 1);
    const bool tagged = info.domains.size() > 0;
    sizes.modalities = tagged ? int64_t(info.domains.modalities.size()) : 1;
    sizes.domains = tagged ? info.domains.size() : 1;
    log.steps = read_group(file, schema::metrics_columns(), sizes, version, StepMetrics{});
    log.evals = read_group(file, schema::eval_columns(), sizes, version, EvalResult{});

    RoutingSnapshot routing;
    routing.layers = info.layers;
    routing.experts = info.experts;
    log.routing = read_group(file, schema::routing_columns(), sizes, version, routing);
    if (!tagged) {  // the one row of NaN a log without domains holds
      for (auto& snap : log.routing) {
        snap.modalities = snap.domains = 0;
        snap.modality_load.clear();
        snap.domain_load.clear();
        snap.modality_specialisation.clear();
        snap.domain_specialisation.clear();
      }
      for (auto& e : log.evals) e.domain_loss.clear();
    }
    for (const auto& s : log.routing) {
      for (auto n : s.layer_experts) {
        if (n < 0 || n > info.experts) file.fail("/routing/experts holds " + std::to_string(n) + " experts in a layer");
      }
    }
    if (version >= 2) {
      log.shape_changes = read_group(file, schema::shape_columns(), sizes, version, ShapeChange{});
      for (auto& change : log.shape_changes) {
        const std::string at = " at shape step " + std::to_string(change.step);
        for (auto& layer : change.shape.layers) {
          if (layer.experts < 0 || layer.experts > info.experts)
            file.fail("/shape/experts holds " + std::to_string(layer.experts) + " experts in a layer" + at);
          for (auto e : layer.logit_to_expert) {
            if (e >= layer.experts)
              file.fail("/shape/logit_to_expert points at expert " + std::to_string(e) + " of a layer of " +
                        std::to_string(layer.experts) + at);
          }
          if (int64_t(layer.expert_group.size()) > layer.experts)
            file.fail("/shape/expert_group gives groups to more experts than the layer has" + at);
          // The identity is kept as "none", as in a live run.
          bool identity = int64_t(layer.logit_to_expert.size()) == layer.experts;
          for (size_t i = 0; identity && i < layer.logit_to_expert.size(); ++i)
            identity = layer.logit_to_expert[i] == int64_t(i);
          if (identity) layer.logit_to_expert.clear();
        }
      }
      if (!log.shape_changes.empty() && log.shape_changes.front().step == 0)
        info.shape = log.shape_changes.front().shape;
    }

    if (file.exists("trajectories/step") && info.probe_tokens > 0 && info.probe_slots > 0) {
      log.trajectories = read_group(file, schema::trajectory_columns(), sizes, version, TrajectorySnapshot{});
      for (const auto& tr : log.trajectories) {
        for (auto e : tr.experts) {
          if (e < -1 || e >= info.experts) file.fail("/trajectories/experts holds expert id " + std::to_string(e));
        }
      }
    }

    log.alerts = read_group(file, schema::alert_columns(), sizes, version, CollapseAlert{});
    if (version == 1 && file.exists("alerts/experts")) {
      // Format 1 kept an alert's experts as one comma-separated, 256-byte string.
      hsize_t rows = 0;
      const auto lists = file.strings("alerts/experts", rows);
      if (rows < log.alerts.size()) log.alerts.resize(size_t(rows));
      for (size_t i = 0; i < log.alerts.size(); ++i) {
        for (const auto& id : split_commas(lists[i])) {
          try {
            log.alerts[i].experts.push_back(std::stoll(id));
          } catch (const std::exception&) {
            file.fail("/alerts/experts holds \"" + lists[i] + "\", not a list of expert ids");
          }
        }
      }
    }
    log.interventions = read_group(file, schema::event_columns(), sizes, version, InterventionEvent{});
    log.surgery = read_group(file, schema::surgery_columns(), sizes, version, SurgeryRecord{});
  } catch (const H5::Exception& ex) {
    file.fail("corrupt run log (" + ex.getDetailMsg() + ")");
  }
  file.report(1.0);
  return log;
}

RunSummary read_run_summary(const std::string& path) {
  repair_if_abandoned(path);
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::Exception::dontPrint();
  LogFile file(path, {});
  RunSummary summary;
  summary.path = path;
  try {
    file.open();
    if (!file.has_attribute("format_version")) file.fail("not a MoE Scope run log (no format_version)");
    summary.preset = file.string_attribute("preset");
    summary.task = file.string_attribute("task");
    summary.router = file.string_attribute("router");
    summary.start_time = file.string_attribute("start_time");
    summary.config_json = file.string_attribute("config");
    if (file.has_attribute("total_steps")) summary.total_steps = file.int_attribute("total_steps");
    const auto [rows, step] = file.last_value("metrics/step");
    summary.steps = rows == 0 ? 0 : static_cast<int64_t>(step);
    summary.eval_loss = file.last_value("eval/loss").second;
    summary.eval_accuracy = file.last_value("eval/accuracy").second;
  } catch (const H5::Exception& ex) {
    file.fail("corrupt run log (" + ex.getDetailMsg() + ")");
  }
  return summary;
}

}  // namespace moescope
