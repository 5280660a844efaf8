#include "run_log_writer.h"

#include <H5Cpp.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>

#include "base/error.h"
#include "h5_columns.h"
#include "hdf5_lock.h"

namespace moescope {

using h5::Column;

struct RunLogWriter::File {
  H5::H5File file;
  int64_t layers = 0, experts = 0;
  int64_t probe_tokens = 1, probe_slots = 1;
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
    write_attribute(f, "router", info.router);
    std::string types;
    for (const auto& t : info.expert_types) types += (types.empty() ? "" : ",") + t;
    write_attribute(f, "expert_types", types);
    write_attribute(f, "shared_experts", info.shared_experts);
    write_attribute(f, "probe_tokens", info.probe_tokens);
    write_attribute(f, "probe_slots", info.probe_slots);

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
    for (const char* name : {"entropy", "dropped", "mean_k", "margin", "top20_share",
                             "bottom20_share", "similarity", "stability"})
      file_->columns["routing/" + std::string(name)] = h5::create_column(routing, name, F32, 4, {L}, 256);
    file_->columns["routing/bias"] = h5::create_column(routing, "bias", F32, 4, {L, E}, 16);
    const hsize_t G = RoutingSnapshot::kGateBins, K = RoutingSnapshot::kKBins;
    for (const char* name : {"gate_hist", "top1_hist"})
      file_->columns["routing/" + std::string(name)] = h5::create_column(routing, name, F32, 4, {L, G}, 64);
    file_->columns["routing/k_hist"] = h5::create_column(routing, "k_hist", F32, 4, {L, K}, 64);

    auto trajectories = f.createGroup("trajectories");
    file_->probe_tokens = std::max<int64_t>(info.probe_tokens, 1);
    file_->probe_slots = std::max<int64_t>(info.probe_slots, 1);
    const hsize_t P = hsize_t(file_->probe_tokens), S = hsize_t(file_->probe_slots);
    file_->columns["trajectories/step"] = h5::create_column(trajectories, "step", I64, 8, {}, 1024);
    file_->columns["trajectories/experts"] =
        h5::create_column(trajectories, "experts", H5::PredType::NATIVE_INT32, 4, {L, P, S}, 4);
    file_->columns["trajectories/weights"] = h5::create_column(trajectories, "weights", F32, 4, {L, P, S}, 4);
    if (!info.probe_text.empty()) {
      const hsize_t n = info.probe_text.size();
      trajectories.createDataSet("probe_text", H5::PredType::NATIVE_UINT8, H5::DataSpace(1, &n))
          .write(info.probe_text.data(), H5::PredType::NATIVE_UINT8);
    }

    auto alerts = f.createGroup("alerts");
    file_->columns["alerts/step"] = h5::create_column(alerts, "step", I64, 8, {}, 256);
    file_->columns["alerts/layer"] = h5::create_column(alerts, "layer", I64, 8, {}, 256);
    for (const char* name : {"value", "threshold"})
      file_->columns["alerts/" + std::string(name)] = h5::create_column(alerts, name, F64, 8, {}, 256);
    file_->columns["alerts/kind"] = h5::create_column(alerts, "kind", h5::fixed_string(kKindBytes), kKindBytes, {}, 256);
    file_->columns["alerts/experts"] = h5::create_column(alerts, "experts", h5::fixed_string(kExpertsBytes), kExpertsBytes, {}, 256);
    file_->columns["alerts/evidence"] = h5::create_column(alerts, "evidence", h5::fixed_string(kEvidenceBytes), kEvidenceBytes, {}, 256);

    auto events = f.createGroup("events");
    file_->columns["events/step"] = h5::create_column(events, "step", I64, 8, {}, 256);
    file_->columns["events/value"] = h5::create_column(events, "value", F64, 8, {}, 256);
    file_->columns["events/kind"] = h5::create_column(events, "kind", h5::fixed_string(kKindBytes), kKindBytes, {}, 256);
    file_->columns["events/detail"] = h5::create_column(events, "detail", h5::fixed_string(kEvidenceBytes), kEvidenceBytes, {}, 256);
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
  const auto L = size_t(c.layers);
  if (s.layers != c.layers || s.experts != c.experts || s.load.size() != cells ||
      s.importance.size() != cells || s.entropy.size() != L || s.dropped.size() != L) {
    return;  // a snapshot of another shape cannot go into this file's fixed-shape datasets
  }
  buffer_value(c["routing/step"], s.step);
  c["routing/load"].buffer(s.load.data(), cells * sizeof(float));
  c["routing/importance"].buffer(s.importance.data(), cells * sizeof(float));
  // Optional series (absent from hand-made snapshots) are written as NaN / zeros so every
  // routing dataset keeps one row per snapshot.
  const auto put = [&](const char* name, const std::vector<float>& v, size_t n, float fill) {
    auto& column = c[std::string("routing/") + name];
    if (v.size() == n) column.buffer(v.data(), n * sizeof(float));
    else {
      const std::vector<float> filler(n, fill);
      column.buffer(filler.data(), n * sizeof(float));
    }
  };
  const float nan = std::numeric_limits<float>::quiet_NaN();
  put("entropy", s.entropy, L, nan);
  put("dropped", s.dropped, L, nan);
  put("mean_k", s.mean_k, L, nan);
  put("margin", s.margin, L, nan);
  put("top20_share", s.top20_share, L, nan);
  put("bottom20_share", s.bottom20_share, L, nan);
  put("similarity", s.similarity, L, nan);
  put("stability", s.stability, L, nan);
  put("bias", s.bias, cells, 0.0f);
  put("gate_hist", s.gate_hist, L * RoutingSnapshot::kGateBins, 0.0f);
  put("top1_hist", s.top1_hist, L * RoutingSnapshot::kGateBins, 0.0f);
  put("k_hist", s.k_hist, L * RoutingSnapshot::kKBins, 0.0f);
}

void RunLogWriter::on_trajectory(const TrajectorySnapshot& t) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  auto& c = *file_;
  if (t.layers != c.layers || t.tokens <= 0 || t.slots <= 0 ||
      t.experts.size() != size_t(t.layers * t.tokens * t.slots) || t.weights.size() != t.experts.size()) {
    return;
  }
  // Stored at the file's [layers, probe_tokens, probe_slots]: cut or padded (-1 / 0).
  const int64_t P = c.probe_tokens, S = c.probe_slots;
  std::vector<int32_t> experts(size_t(c.layers * P * S), -1);
  std::vector<float> weights(experts.size(), 0.0f);
  for (int64_t l = 0; l < t.layers; ++l) {
    for (int64_t i = 0; i < std::min(P, t.tokens); ++i) {
      for (int64_t j = 0; j < std::min(S, t.slots); ++j) {
        experts[size_t((l * P + i) * S + j)] = t.expert_at(l, i, j);
        weights[size_t((l * P + i) * S + j)] = t.weight_at(l, i, j);
      }
    }
  }
  buffer_value(c["trajectories/step"], t.step);
  c["trajectories/experts"].buffer(experts.data(), experts.size() * sizeof(int32_t));
  c["trajectories/weights"].buffer(weights.data(), weights.size() * sizeof(float));
}

void RunLogWriter::on_alert(const CollapseAlert& a) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  auto& c = *file_;
  std::string experts;
  for (auto e : a.experts) experts += (experts.empty() ? "" : ",") + std::to_string(e);
  buffer_value(c["alerts/step"], a.step);
  buffer_value(c["alerts/layer"], a.layer);
  buffer_value(c["alerts/value"], a.value);
  buffer_value(c["alerts/threshold"], a.threshold);
  h5::buffer_string(c["alerts/kind"], to_string(a.kind));
  h5::buffer_string(c["alerts/experts"], experts);
  h5::buffer_string(c["alerts/evidence"], a.evidence);
}

void RunLogWriter::on_intervention(const InterventionEvent& e) {
  std::lock_guard<std::mutex> lock(pending_mutex_);
  auto& c = *file_;
  buffer_value(c["events/step"], e.step);
  buffer_value(c["events/value"], e.value);
  h5::buffer_string(c["events/kind"], e.kind);
  h5::buffer_string(c["events/detail"], e.detail);
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
