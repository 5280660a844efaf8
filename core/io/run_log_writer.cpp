#include "run_log_writer.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/error.h"
#include "h5_columns.h"
#include "run_log_reader.h"
#include "run_log_schema.h"
#include "hdf5_lock.h"

namespace moescope {
namespace {

// The bytes the log may still grow by: the free space of its file system, and the process's
// file-size limit (RLIMIT_FSIZE) when one is set.
uint64_t room_for_log(const std::string& path) {
  std::error_code error;
  const auto parent = std::filesystem::absolute(path, error).parent_path();
  const auto space = std::filesystem::space(parent, error);
  uint64_t room = error ? std::numeric_limits<uint64_t>::max() : space.available;
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const uint64_t size = std::filesystem::file_size(path, error);
    const uint64_t left = error || limit.rlim_cur <= size ? 0 : limit.rlim_cur - size;
    room = std::min(room, left);
  }
  return room;
}

std::string mib(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

}  // namespace

using h5::Column;

namespace {

// Shortens each named dataset of a closed log to its rows; throws H5::Exception.
void cut_back(const std::string& path, const std::vector<std::pair<std::string, unsigned long long>>& cut) {
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::H5File file(path, H5F_ACC_RDWR);
  for (const auto& [name, rows] : cut) {
    H5::DataSet dataset = file.openDataSet(name);
    H5::DataSpace space = dataset.getSpace();
    std::vector<hsize_t> dims(static_cast<size_t>(space.getSimpleExtentNdims()));
    space.getSimpleExtentDims(dims.data());
    if (dims.empty() || dims[0] <= rows) continue;
    dims[0] = rows;
    dataset.extend(dims.data());
  }
}

// The datasets of one event type: the schema's columns and their HDF5 columns, in order.
template <class Event>
struct Group {
  explicit Group(const std::vector<schema::Column<Event>>* s) : spec(s) {}
  const std::vector<schema::Column<Event>>* spec;
  std::vector<Column> columns;

  // A table with an axis of size 0 (the routing of a dense model, which has no MoE layer) is
  // not created; its events are dropped, and a reader finds it absent, i.e. empty.
  void create(H5::H5File& file, const schema::Sizes& sizes) {
    for (const auto& c : *spec) {
      for (auto axis : c.row) {
        if (sizes[axis] == 0) return;
      }
    }
    for (const auto& c : *spec) {
      const std::string path = c.path;
      const auto slash = path.find('/');
      const std::string group_name = path.substr(0, slash), name = path.substr(slash + 1);
      H5::Group group = file.nameExists(group_name) ? file.openGroup(group_name) : file.createGroup(group_name);
      std::vector<hsize_t> inner;
      for (auto axis : c.row) inner.push_back(sizes[axis]);
      columns.push_back(h5::create_column(group, name, schema::h5_type(c.type, c.text_bytes),
                                          schema::element_bytes(c.type, c.text_bytes), inner,
                                          c.chunk_rows));
    }
  }
  void buffer(const Event& event, const schema::Sizes& sizes) {
    if (columns.empty()) return;  // not created
    schema::Bytes row;
    for (size_t i = 0; i < spec->size(); ++i) {
      row.clear();
      (*spec)[i].put(event, row, sizes);
      columns[i].buffer(row.data(), row.size());
    }
  }
};

// Whether `shape` describes the file's layers within its widest experts, with a map that
// points at experts the layer has and group ids the file can hold.
bool fits(const ModelShape& shape, const schema::Sizes& sizes) {
  if (int64_t(shape.layers.size()) != sizes.layers) return false;
  for (const auto& layer : shape.layers) {
    if (layer.experts < 0 || layer.experts > sizes.experts) return false;
    if (int64_t(layer.logit_to_expert.size()) > sizes.experts) return false;
    if (int64_t(layer.expert_group.size()) > layer.experts) return false;
    for (auto e : layer.logit_to_expert)
      if (e < 0 || e >= layer.experts) return false;  // the reader would refuse the log
    for (auto g : layer.expert_group)
      if (g < 0 || g > std::numeric_limits<int32_t>::max()) return false;
  }
  return true;
}

// The shape a log holds at step 0: the run's when it describes every layer and fits, else
// every layer with its count of RunInfo::layer_experts (or experts), the identity, no groups.
ModelShape start_shape(const RunInfo& info) {
  schema::Sizes sizes;
  sizes.layers = info.layers;
  sizes.experts = info.experts;
  if (fits(info.shape, sizes)) return info.shape;
  ModelShape shape;
  for (int64_t l = 0; l < info.layers; ++l) {
    const bool listed = int64_t(info.layer_experts.size()) == info.layers;
    shape.layers.push_back({listed ? info.layer_experts[size_t(l)] : info.experts, {}, {}});
  }
  return shape;
}

}  // namespace

struct RunLogWriter::File {
  H5::H5File file;
  schema::Sizes sizes;
  ModelShape shape;  // the model's shape as last recorded in /shape
  Group<StepMetrics> metrics{&schema::metrics_columns()};
  Group<EvalResult> eval{&schema::eval_columns()};
  Group<RoutingSnapshot> routing{&schema::routing_columns()};
  Group<TrajectorySnapshot> trajectories{&schema::trajectory_columns()};
  Group<CollapseAlert> alerts{&schema::alert_columns()};
  Group<InterventionEvent> events{&schema::event_columns()};
  Group<ShapeChange> shapes{&schema::shape_columns()};
  Group<SurgeryRecord> surgery{&schema::surgery_columns()};
  SurgeryPreview last_preview;  // what an Apply row repeats

  template <class F>
  void for_each_column(F&& f) {
    for (auto* columns : {&metrics.columns, &eval.columns, &routing.columns, &trajectories.columns,
                          &alerts.columns, &events.columns, &shapes.columns, &surgery.columns}) {
      for (auto& c : *columns) f(c);
    }
  }
};

namespace {

// Names joined by commas (expert kinds, modality and domain names: none holds a comma).
std::string join_commas(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ",") + n;
  return text;
}

void write_attribute(H5::H5File& file, const char* name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  file.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

void write_attribute(H5::H5File& file, const char* name, int64_t value) {
  file.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_INT64, &value);
}

void write_attribute(H5::H5File& file, const char* name, const std::vector<int64_t>& values) {
  const hsize_t n = values.size();
  file.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(1, &n))
      .write(H5::PredType::NATIVE_INT64, values.data());
}

}  // namespace

RunLogWriter::RunLogWriter(const std::string& path, const RunInfo& info)
    : path_(path), mark_(std::in_place, path), file_(std::make_unique<File>()) {
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::Exception::dontPrint();
  try {
    H5::FileAccPropList access;
    access.setLibverBounds(H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    file_->file = H5::H5File(path, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
    auto& f = file_->file;
    auto& sizes = file_->sizes;
    sizes.layers = info.layers;
    sizes.experts = info.experts;
    sizes.probe_tokens = std::max<int64_t>(info.probe_tokens, 1);
    sizes.probe_slots = std::max<int64_t>(info.probe_slots, 1);
    const bool tagged = info.domains.size() > 0 && info.domains.valid();
    sizes.modalities = tagged ? std::max<int64_t>(int64_t(info.domains.modalities.size()), 1) : 1;
    sizes.domains = tagged ? info.domains.size() : 1;
    file_->shape = start_shape(info);
    std::vector<int64_t> layer_experts;
    for (const auto& layer : file_->shape.layers) layer_experts.push_back(layer.experts);
    write_attribute(f, "format_version", int64_t{kRunLogFormatVersion});
    write_attribute(f, "config", info.config_json);
    write_attribute(f, "preset", info.preset);
    write_attribute(f, "task", info.task);
    write_attribute(f, "model_summary", info.model_summary);
    write_attribute(f, "device", info.device);
    write_attribute(f, "start_time", info.start_time);
    write_attribute(f, "layers", info.layers);
    write_attribute(f, "experts", info.experts);
    if (!layer_experts.empty()) write_attribute(f, "layer_experts", layer_experts);
    write_attribute(f, "top_k", info.top_k);
    write_attribute(f, "total_steps", info.total_steps);
    write_attribute(f, "parameters", info.parameters);
    write_attribute(f, "active_parameters", info.active_parameters);
    write_attribute(f, "router", info.router);
    write_attribute(f, "expert_types", join_commas(info.expert_types));
    write_attribute(f, "shared_experts", info.shared_experts);
    write_attribute(f, "probe_tokens", info.probe_tokens);
    write_attribute(f, "probe_slots", info.probe_slots);
    if (tagged) {
      write_attribute(f, "modalities", join_commas(info.domains.modalities));
      write_attribute(f, "domains", join_commas(info.domains.domains));
      write_attribute(f, "domain_modality", info.domains.modality_of);
    }

    // Every dataset a run may write, from the schema, before SWMR forbids new objects.
    file_->metrics.create(f, sizes);
    file_->eval.create(f, sizes);
    file_->routing.create(f, sizes);
    file_->trajectories.create(f, sizes);
    file_->alerts.create(f, sizes);
    file_->events.create(f, sizes);
    file_->shapes.create(f, sizes);
    file_->surgery.create(f, sizes);
    // Subword tokens: their texts joined in probe_text, each one's end in probe_token_end.
    std::string probe_text = info.probe_text;
    std::vector<int64_t> token_end;
    if (probe_text.empty()) {
      for (const auto& t : info.probe_token_texts) {
        probe_text += t;
        token_end.push_back(int64_t(probe_text.size()));
      }
    }
    if (!probe_text.empty() && f.nameExists("trajectories")) {
      const hsize_t n = probe_text.size();
      auto group = f.openGroup("trajectories");
      group.createDataSet("probe_text", H5::PredType::NATIVE_UINT8, H5::DataSpace(1, &n))
          .write(probe_text.data(), H5::PredType::NATIVE_UINT8);
      if (!token_end.empty()) {
        const hsize_t p = token_end.size();
        group.createDataSet("probe_token_end", H5::PredType::NATIVE_INT64, H5::DataSpace(1, &p))
            .write(token_end.data(), H5::PredType::NATIVE_INT64);
      }
    }
    if (!info.probe_image.empty() && f.nameExists("trajectories")) {
      const hsize_t dims[2] = {28, 28};
      if (info.probe_image.size() != 28 * 28) throw Error(path + ": the probe image is not 28 x 28");
      f.openGroup("trajectories")
          .createDataSet("probe_image", H5::PredType::NATIVE_UINT8, H5::DataSpace(2, dims))
          .write(info.probe_image.data(), H5::PredType::NATIVE_UINT8);
    }
    file_->shapes.buffer(ShapeChange{0, file_->shape}, sizes);  // the shape at the start
    // From here on readers may open the file while we append; no new objects can be added.
    if (H5Fstart_swmr_write(f.getId()) < 0) throw Error(path + ": cannot switch the log to SWMR mode");
  } catch (const H5::Exception& e) {
    throw Error(path + ": cannot create the HDF5 run log (" + e.getDetailMsg() + ")");
  }
  flusher_ = std::thread([this] { flusher_loop(); });
}

RunLogWriter::~RunLogWriter() {
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    closing_ = true;
  }
  wake_.notify_all();
  flusher_.join();
  try {
    flush();
  } catch (const std::exception&) {
    // Nothing sensible to do in a destructor; everything up to the last flush is on disk.
  }
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  try {
    file_.reset();  // closes every dataset, then the file
  } catch (const std::exception&) {
  }
}

void RunLogWriter::flusher_loop() {
  std::unique_lock<std::mutex> lock(pending_mutex_);
  while (!closing_ && !stopped_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (closing_ || stopped_) break;
    if (mark_) mark_->touch();
    lock.unlock();
    try {
      flush();
    } catch (const Error&) {
      // A full disk must not kill training: flush() stopped the log and kept the reason
      // (take_failure()) for the run's alert.
    }
    lock.lock();
  }
}

void RunLogWriter::flush() {
  std::string reason;          // why the log stopped, when this flush stopped it
  bool write_failed = false;   // a write was tried and failed (not refused beforehand)
  std::vector<std::pair<std::string, unsigned long long>> cut;  // dataset, rows to keep
  {
    std::lock_guard<std::mutex> h5_lock(hdf5_mutex());
    H5::Exception::dontPrint();  // per thread: the flusher's and the training thread's
    std::vector<std::vector<unsigned char>> rows;
    std::vector<unsigned long long> rows_before;  // each column's rows in the file
    int64_t batch_step = 0;
    {
      std::lock_guard<std::mutex> lock(pending_mutex_);
      if (stopped_) return;
      file_->for_each_column([&](Column& c) {
        rows.emplace_back();
        rows.back().swap(c.pending);
        rows_before.push_back(c.rows);
      });
      batch_step = buffered_step_;
    }
    // A flush that would not fit is not attempted (HDF5 gives no guarantee after a failed
    // write); one that fails anyway (the disk filled meanwhile) is dealt with by stop().
    uint64_t needed = uint64_t{1} << 20;  // metadata
    {
      size_t i = 0;
      file_->for_each_column([&](Column& c) {
        if (!rows[i].empty()) needed += rows[i].size() + 2 * uint64_t(c.chunk_rows) * c.row_bytes;
        ++i;
      });
    }
    const uint64_t room = room_for_log(path_);
    if (needed > room) {
      reason = "no room on the disk: " + mib(needed) + " needed, " + mib(room) + " free";
      stop(false, rows_before);
    } else {
      try {
        errno = 0;
        size_t i = 0;
        file_->for_each_column([&](Column& c) { h5::write_pending(c, rows[i++]); });
        file_->file.flush(H5F_SCOPE_GLOBAL);
        std::lock_guard<std::mutex> lock(pending_mutex_);
        flushed_step_ = std::max(flushed_step_, batch_step);
        return;
      } catch (const H5::Exception& e) {
        const int error = errno;
        write_failed = true;
        reason = e.getDetailMsg() + (error ? std::string(": ") + std::strerror(error) : "");
        cut = stop(true, rows_before);
      }
    }
  }
  // After a failed write the file was closed into /dev/null (stop()): on disk it holds part
  // of the failed flush (each dataset a prefix, not all of the same length) and is still
  // marked "open for writing". The marks are cleared as `moescope-cli repair` does, and each
  // dataset is cut back to its length at the last flush that went through (in place: a full
  // disk allows it), so that every dataset ends at the same step.
  if (write_failed) {
    try {
      repair_run_log(path_, true);
      cut_back(path_, cut);
    } catch (const std::exception&) {
      // Left as it is: repair_run_log() opens it, and readers take each dataset as it stands.
    }
  }
  int64_t last_step = -1;
  try {
    last_step = read_run_summary(path_).steps;
  } catch (const Error&) {
  }
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (last_step < 0) last_step = flushed_step_;
  last_error_ = path_ + ": the log stopped at step " + std::to_string(last_step) + " (" + reason +
                "); it keeps every row up to that step";
  unreported_error_ = last_error_;
  throw Error(last_error_);
}

std::vector<std::pair<std::string, unsigned long long>> RunLogWriter::stop(
    bool write_failed, const std::vector<unsigned long long>& rows_before) {
  std::vector<std::pair<std::string, unsigned long long>> cut;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    stopped_ = true;
    file_->for_each_column([](Column& c) { std::vector<unsigned char>().swap(c.pending); });
  }
  wake_.notify_all();
  // After a failed write HDF5 holds rows and metadata it cannot write, and a close that
  // fails leaves the library unable to shut down (it crashes at exit). So the file's
  // descriptor is pointed at /dev/null first: the close "writes" there and succeeds, and the
  // file on disk keeps what went out before the failure.
  if (write_failed) {
    size_t i = 0;
    file_->for_each_column([&](Column& c) {
      try {
        cut.emplace_back(c.dataset.getObjName(), rows_before[i]);
      } catch (const H5::Exception&) {
      }
      ++i;
    });
    void* handle = nullptr;
    if (H5Fget_vfd_handle(file_->file.getId(), H5P_DEFAULT, &handle) >= 0 && handle) {
      const int fd = *static_cast<int*>(handle);
      const int sink = ::open("/dev/null", O_RDWR | O_CLOEXEC);
      if (sink >= 0) {
        ::dup2(sink, fd);
        ::close(sink);
      }
    }
  }
  std::unique_ptr<File> closing;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    closing.swap(file_);
  }
  try {
    closing.reset();  // closes every dataset, then the file (clearing its "open" mark)
  } catch (const std::exception&) {
  }
  std::lock_guard<std::mutex> lock(pending_mutex_);
  mark_.reset();  // nobody writes the file any more
  return cut;
}

int64_t RunLogWriter::flushed_step() const {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  return flushed_step_;
}

std::string RunLogWriter::take_failure() {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  std::string failure;
  failure.swap(unreported_error_);
  return failure;
}

void RunLogWriter::on_step(const StepMetrics& m) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  file_->metrics.buffer(m, file_->sizes);
  buffered_step_ = std::max(buffered_step_, m.step);
}

void RunLogWriter::on_routing(const RoutingSnapshot& s) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  auto& f = *file_;
  const auto L = size_t(f.sizes.layers);
  // The file's datasets are [layers, widest experts]: a snapshot with more cannot go in.
  if (s.layers != f.sizes.layers || s.experts > f.sizes.experts ||
      s.load.size() != size_t(s.layers * s.experts) || s.importance.size() != s.load.size() ||
      s.entropy.size() != L || s.dropped.size() != L ||
      (!s.layer_experts.empty() && s.layer_experts.size() != L)) {
    return;
  }
  // Expert counts that changed without a shape event: those layers get the identity map and
  // no groups (the event, when it comes first, says more).
  bool changed = false;
  for (size_t l = 0; l < L; ++l) {
    LayerShape& layer = f.shape.layers[l];
    if (layer.experts == s.experts_at(int64_t(l))) continue;
    layer = LayerShape{s.experts_at(int64_t(l)), {}, {}};
    changed = true;
  }
  if (changed) f.shapes.buffer(ShapeChange{s.step, f.shape}, f.sizes);
  f.routing.buffer(s, f.sizes);
}

void RunLogWriter::on_shape_change(const ShapeChange& change) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  auto& f = *file_;
  // The datasets are [layers, widest experts]: a shape that does not fit cannot go in.
  if (!fits(change.shape, f.sizes) || change.shape == f.shape) return;
  f.shape = change.shape;
  f.shapes.buffer(change, f.sizes);
}

void RunLogWriter::on_surgery_preview(const SurgeryPreview& p) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  file_->last_preview = p;
  file_->surgery.buffer(SurgeryRecord{"preview", p}, file_->sizes);
}

void RunLogWriter::on_surgery_applied(const SurgeryApplied& a) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  file_->surgery.buffer(surgery_record(a, file_->last_preview), file_->sizes);
}

void RunLogWriter::on_trajectory(const TrajectorySnapshot& t) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  if (t.layers != file_->sizes.layers || t.tokens <= 0 || t.slots <= 0 ||
      t.experts.size() != size_t(t.layers * t.tokens * t.slots) || t.weights.size() != t.experts.size()) {
    return;
  }
  file_->trajectories.buffer(t, file_->sizes);
}

void RunLogWriter::on_alert(const CollapseAlert& a) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  file_->alerts.buffer(a, file_->sizes);
}

void RunLogWriter::on_intervention(const InterventionEvent& e) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  file_->events.buffer(e, file_->sizes);
}

void RunLogWriter::on_eval(const EvalResult& e) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  if (stopped_) return;
  file_->eval.buffer(e, file_->sizes);
}

void RunLogWriter::on_state(const SessionState& s) {
  if (s.state == RunState::Running || s.state == RunState::Loading) return;
  // On pause, stop and end the rows go out now. This runs on the training thread: a full
  // disk must not end the run, so the log stops (flush()) and the run goes on.
  try {
    flush();
  } catch (const Error&) {
    // Kept by flush() (last_error(), take_failure()) for the run's alert.
  }
}

std::string RunLogWriter::last_error() const {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  return last_error_;
}

}  // namespace moescope
