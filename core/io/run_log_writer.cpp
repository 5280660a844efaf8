#include "run_log_writer.h"

#include <H5Cpp.h>

#include <chrono>
#include <map>

#include "error.h"
#include "h5_columns.h"
#include "hdf5_lock.h"

namespace moescope {

using h5::Column;

struct RunLogWriter::File {
  H5::H5File file;
  int64_t layers = 0, experts = 0;
  std::map<std::string, Column> columns;  // keyed by path, e.g. "metrics/loss"

  Column& operator[](const std::string& name) { return columns.at(name); }
};

namespace {

void write_attribute(H5::H5File& file, const char* name, const std::string& value) {
  H5::StrType type(H5::PredType::C_S1, H5T_VARIABLE);
  type.setCset(H5T_CSET_UTF8);
  file.createAttribute(name, type, H5::DataSpace(H5S_SCALAR)).write(type, value);
}

void write_attribute(H5::H5File& file, const char* name, int64_t value) {
  file.createAttribute(name, H5::PredType::NATIVE_INT64, H5::DataSpace(H5S_SCALAR))
      .write(H5::PredType::NATIVE_INT64, &value);
}

template <class T>
void buffer_value(Column& c, T value) {
  c.buffer(&value, sizeof value);
}

}  // namespace

RunLogWriter::RunLogWriter(const std::string& path, const RunInfo& info)
    : path_(path), file_(std::make_unique<File>()) {
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::Exception::dontPrint();
  try {
    H5::FileAccPropList access;
    access.setLibverBounds(H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    file_->file = H5::H5File(path, H5F_ACC_TRUNC, H5::FileCreatPropList::DEFAULT, access);
    auto& f = file_->file;
    file_->layers = info.layers;
    file_->experts = info.experts;
    write_attribute(f, "format_version", int64_t{kRunLogFormatVersion});
    write_attribute(f, "config", info.config_json);
    write_attribute(f, "preset", info.preset);
    write_attribute(f, "task", info.task);
    write_attribute(f, "model_summary", info.model_summary);
    write_attribute(f, "device", info.device);
    write_attribute(f, "start_time", info.start_time);
    write_attribute(f, "layers", info.layers);
    write_attribute(f, "experts", info.experts);
    write_attribute(f, "top_k", info.top_k);
    write_attribute(f, "total_steps", info.total_steps);
    write_attribute(f, "parameters", info.parameters);
    write_attribute(f, "active_parameters", info.active_parameters);

    const auto I64 = H5::PredType::NATIVE_INT64;
    const auto F64 = H5::PredType::NATIVE_DOUBLE;
    const auto F32 = H5::PredType::NATIVE_FLOAT;
    auto metrics = f.createGroup("metrics");
    for (const char* name : {"step", "tokens"})
      file_->columns["metrics/" + std::string(name)] = h5::create_column(metrics, name, I64, 8, {}, 4096);
    for (const char* name : {"loss", "aux_loss", "z_loss", "lr", "grad_norm", "ms", "tokens_per_s"})
      file_->columns["metrics/" + std::string(name)] = h5::create_column(metrics, name, F64, 8, {}, 4096);
    auto eval = f.createGroup("eval");
    for (const char* name : {"step", "samples"})
      file_->columns["eval/" + std::string(name)] = h5::create_column(eval, name, I64, 8, {}, 256);
    for (const char* name : {"loss", "accuracy"})
      file_->columns["eval/" + std::string(name)] = h5::create_column(eval, name, F64, 8, {}, 256);
    auto routing = f.createGroup("routing");
    const hsize_t L = hsize_t(info.layers), E = hsize_t(info.experts);
    file_->columns["routing/step"] = h5::create_column(routing, "step", I64, 8, {}, 1024);
    for (const char* name : {"load", "importance"})
      file_->columns["routing/" + std::string(name)] = h5::create_column(routing, name, F32, 4, {L, E}, 16);
    for (const char* name : {"entropy", "dropped"})
      file_->columns["routing/" + std::string(name)] = h5::create_column(routing, name, F32, 4, {L}, 256);
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
    std::lock_guard<std::mutex> lock(hdf5_mutex());
    file_->columns.clear();
    file_->file.close();
  } catch (const std::exception&) {
    // Nothing sensible to do in a destructor; everything up to the last flush is on disk.
  }
}

void RunLogWriter::flusher_loop() {
  std::unique_lock<std::mutex> lock(pending_mutex_);
  while (!closing_) {
    wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (closing_) break;
    lock.unlock();
    try {
      flush();
    } catch (const std::exception&) {
      // A full disk must not kill training; the next flush tries again.
    }
    lock.lock();
  }
}

void RunLogWriter::flush() {
  std::lock_guard<std::mutex> h5_lock(hdf5_mutex());
  std::map<std::string, std::vector<unsigned char>> rows;
  {
    std::lock_guard<std::mutex> lock(pending_mutex_);
    for (auto& [name, column] : file_->columns) rows[name].swap(column.pending);
  }
  try {
    for (auto& [name, column] : file_->columns) h5::write_pending(column, rows[name]);
    file_->file.flush(H5F_SCOPE_GLOBAL);
  } catch (const H5::Exception& e) {
    throw Error(path_ + ": cannot write to the run log (" + e.getDetailMsg() + ")");
  }
}

void RunLogWriter::on_step(const StepMetrics& m) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  auto& c = *file_;
  buffer_value(c["metrics/step"], m.step);
  buffer_value(c["metrics/tokens"], m.tokens);
  buffer_value(c["metrics/loss"], m.loss);
  buffer_value(c["metrics/aux_loss"], m.aux_loss);
  buffer_value(c["metrics/z_loss"], m.z_loss);
  buffer_value(c["metrics/lr"], m.lr);
  buffer_value(c["metrics/grad_norm"], m.grad_norm);
  buffer_value(c["metrics/ms"], m.ms);
  buffer_value(c["metrics/tokens_per_s"], m.tokens_per_s);
}

void RunLogWriter::on_routing(const RoutingSnapshot& s) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  auto& c = *file_;
  const auto cells = size_t(c.layers * c.experts);
  if (s.layers != c.layers || s.experts != c.experts || s.load.size() != cells ||
      s.importance.size() != cells || s.entropy.size() != size_t(c.layers) ||
      s.dropped.size() != size_t(c.layers)) {
    return;  // a snapshot of another shape cannot go into this file's fixed-shape datasets
  }
  buffer_value(c["routing/step"], s.step);
  c["routing/load"].buffer(s.load.data(), cells * sizeof(float));
  c["routing/importance"].buffer(s.importance.data(), cells * sizeof(float));
  c["routing/entropy"].buffer(s.entropy.data(), s.entropy.size() * sizeof(float));
  c["routing/dropped"].buffer(s.dropped.data(), s.dropped.size() * sizeof(float));
}

void RunLogWriter::on_eval(const EvalResult& e) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  auto& c = *file_;
  buffer_value(c["eval/step"], e.step);
  buffer_value(c["eval/samples"], e.samples);
  buffer_value(c["eval/loss"], e.loss);
  buffer_value(c["eval/accuracy"], e.accuracy);
}

void RunLogWriter::on_state(const SessionState& s) {
  if (s.state != RunState::Running && s.state != RunState::Loading) flush();
}

}  // namespace moescope
