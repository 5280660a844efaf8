#include "run_log_reader.h"

#include <H5Cpp.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "base/error.h"
#include "hdf5_lock.h"
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
  explicit LogFile(const std::string& path) : path_(path) {}

  void open() {
    if (!std::filesystem::is_regular_file(path_)) fail("file not found");
    if (!H5::H5File::isHdf5(path_.c_str())) fail("not an HDF5 file");
    try {
      file_ = H5::H5File(path_, H5F_ACC_RDONLY | H5F_ACC_SWMR_READ);
    } catch (const H5::Exception&) {
      try {
        file_ = H5::H5File(path_, H5F_ACC_RDONLY);
      } catch (const H5::Exception& e) {
        fail("cannot open (truncated or corrupt HDF5 file: " + e.getDetailMsg() + ")");
      }
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

  std::string string_attribute(const char* name) {
    if (!file_.attrExists(name)) return {};
    auto attr = file_.openAttribute(name);
    if (attr.getTypeClass() != H5T_STRING) fail(std::string("root attribute '") + name + "' is not a string");
    std::string value;
    attr.read(attr.getStrType(), value);
    return value;
  }

  // Reads a dataset of shape [rows, inner...]; an absent dataset reads as empty.
  template <class T>
  std::vector<T> column(const std::string& name, const H5::PredType& type,
                        const std::vector<hsize_t>& inner, hsize_t& rows) {
    rows = 0;
    if (!file_.nameExists(name)) return {};
    auto dataset = file_.openDataSet(name);
    H5Drefresh(dataset.getId());  // see rows a SWMR writer appended since the file was opened
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
    if (tc != H5T_INTEGER && tc != H5T_FLOAT) fail("dataset /" + name + " is not numeric");
    std::vector<T> values(elements);
    if (elements > 0) dataset.read(values.data(), type);
    rows = dims[0];
    return values;
  }

  bool exists(const std::string& name) { return file_.nameExists(name); }

  // Reads a 1-D dataset of fixed-length strings; an absent dataset reads as empty.
  std::vector<std::string> strings(const std::string& name, hsize_t& rows) {
    rows = 0;
    if (!file_.nameExists(name)) return {};
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

  std::string bytes(const std::string& name) {
    if (!file_.nameExists(name)) return {};
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

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(path_ + ": " + what);
  }

 private:
  std::string path_;
  H5::H5File file_;
};

}  // namespace

RunLog read_run_log(const std::string& path) {
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  H5::Exception::dontPrint();
  LogFile file(path);
  RunLog log;
  try {
    file.open();
    if (!file.has_attribute("format_version")) file.fail("not a MoE Scope run log (no format_version)");
    const auto version = file.int_attribute("format_version");
    if (version != kRunLogFormatVersion) {
      file.fail("run log format " + std::to_string(version) + " is not supported (this build reads " +
                std::to_string(kRunLogFormatVersion) + ")");
    }
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
    if (info.probe_tokens < 0 || info.probe_tokens > 65536 || info.probe_slots < 0 ||
        info.probe_slots > 65536) {
      file.fail("implausible probe_tokens/probe_slots attributes");
    }
    if (info.layers < 1 || info.layers > 4096 || info.experts < 1 || info.experts > 65536) {
      file.fail("implausible layers/experts attributes");
    }

    const auto I64 = H5::PredType::NATIVE_INT64;
    const auto F64 = H5::PredType::NATIVE_DOUBLE;
    const auto F32 = H5::PredType::NATIVE_FLOAT;
    // While a run is being written the columns of a group can differ by the rows of one
    // flush in progress: keep the rows every column has.
    hsize_t n[9];
    auto step = file.column<int64_t>("metrics/step", I64, {}, n[0]);
    auto tokens = file.column<int64_t>("metrics/tokens", I64, {}, n[1]);
    auto loss = file.column<double>("metrics/loss", F64, {}, n[2]);
    auto aux = file.column<double>("metrics/aux_loss", F64, {}, n[3]);
    auto z = file.column<double>("metrics/z_loss", F64, {}, n[4]);
    auto lr = file.column<double>("metrics/lr", F64, {}, n[5]);
    auto grad = file.column<double>("metrics/grad_norm", F64, {}, n[6]);
    auto ms = file.column<double>("metrics/ms", F64, {}, n[7]);
    auto tps = file.column<double>("metrics/tokens_per_s", F64, {}, n[8]);
    const hsize_t steps = *std::min_element(n, n + 9);
    for (hsize_t i = 0; i < steps; ++i) {
      log.steps.push_back({step[i], tokens[i], loss[i], aux[i], z[i], lr[i], grad[i], ms[i], tps[i]});
    }

    hsize_t e[4];
    auto eval_step = file.column<int64_t>("eval/step", I64, {}, e[0]);
    auto eval_samples = file.column<int64_t>("eval/samples", I64, {}, e[1]);
    auto eval_loss = file.column<double>("eval/loss", F64, {}, e[2]);
    auto eval_acc = file.column<double>("eval/accuracy", F64, {}, e[3]);
    const hsize_t evals = *std::min_element(e, e + 4);
    for (hsize_t i = 0; i < evals; ++i) {
      log.evals.push_back({eval_step[i], eval_loss[i], eval_acc[i], eval_samples[i]});
    }

    const hsize_t L = hsize_t(info.layers), E = hsize_t(info.experts);
    hsize_t r[5];
    auto snap_step = file.column<int64_t>("routing/step", I64, {}, r[0]);
    auto load = file.column<float>("routing/load", F32, {L, E}, r[1]);
    auto importance = file.column<float>("routing/importance", F32, {L, E}, r[2]);
    auto entropy = file.column<float>("routing/entropy", F32, {L}, r[3]);
    auto dropped = file.column<float>("routing/dropped", F32, {L}, r[4]);
    hsize_t snapshots = *std::min_element(r, r + 5);
    // Series added after the first logs: optional, but when present they bound the rows too.
    struct Optional {
      const char* name;
      hsize_t inner;
      std::vector<float> RoutingSnapshot::*field;
      std::vector<float> values;
      bool present = false;
    };
    const hsize_t G = RoutingSnapshot::kGateBins, K = RoutingSnapshot::kKBins;
    std::vector<Optional> optional{
        {"mean_k", 0, &RoutingSnapshot::mean_k, {}},
        {"margin", 0, &RoutingSnapshot::margin, {}},
        {"top20_share", 0, &RoutingSnapshot::top20_share, {}},
        {"bottom20_share", 0, &RoutingSnapshot::bottom20_share, {}},
        {"similarity", 0, &RoutingSnapshot::similarity, {}},
        {"stability", 0, &RoutingSnapshot::stability, {}},
        {"bias", E, &RoutingSnapshot::bias, {}},
        {"gate_hist", G, &RoutingSnapshot::gate_hist, {}},
        {"top1_hist", G, &RoutingSnapshot::top1_hist, {}},
        {"k_hist", K, &RoutingSnapshot::k_hist, {}},
    };
    for (auto& o : optional) {
      const std::string name = std::string("routing/") + o.name;
      if (!file.exists(name)) continue;
      hsize_t rows = 0;
      std::vector<hsize_t> inner{L};
      if (o.inner > 0) inner.push_back(o.inner);
      o.values = file.column<float>(name, F32, inner, rows);
      o.present = true;
      snapshots = std::min(snapshots, rows);
    }
    for (hsize_t i = 0; i < snapshots; ++i) {
      RoutingSnapshot s;
      s.step = snap_step[i];
      s.layers = info.layers;
      s.experts = info.experts;
      s.load.assign(load.begin() + i * L * E, load.begin() + (i + 1) * L * E);
      s.importance.assign(importance.begin() + i * L * E, importance.begin() + (i + 1) * L * E);
      s.entropy.assign(entropy.begin() + i * L, entropy.begin() + (i + 1) * L);
      s.dropped.assign(dropped.begin() + i * L, dropped.begin() + (i + 1) * L);
      for (const auto& o : optional) {
        if (!o.present) continue;
        const hsize_t row = L * std::max<hsize_t>(o.inner, 1);
        (s.*o.field).assign(o.values.begin() + i * row, o.values.begin() + (i + 1) * row);
      }
      log.routing.push_back(std::move(s));
    }

    if (file.exists("trajectories/step") && info.probe_tokens > 0 && info.probe_slots > 0) {
      const hsize_t P = hsize_t(info.probe_tokens), S = hsize_t(info.probe_slots);
      hsize_t t[3];
      auto t_step = file.column<int64_t>("trajectories/step", I64, {}, t[0]);
      auto t_experts = file.column<int32_t>("trajectories/experts", H5::PredType::NATIVE_INT32, {L, P, S}, t[1]);
      auto t_weights = file.column<float>("trajectories/weights", F32, {L, P, S}, t[2]);
      const hsize_t n = *std::min_element(t, t + 3), cells = L * P * S;
      for (hsize_t i = 0; i < n; ++i) {
        TrajectorySnapshot tr;
        tr.step = t_step[i];
        tr.layers = info.layers;
        tr.tokens = info.probe_tokens;
        tr.slots = info.probe_slots;
        tr.experts.assign(t_experts.begin() + i * cells, t_experts.begin() + (i + 1) * cells);
        tr.weights.assign(t_weights.begin() + i * cells, t_weights.begin() + (i + 1) * cells);
        for (auto& e : tr.experts) {
          if (e < -1 || e >= info.experts) file.fail("/trajectories/experts holds expert id " + std::to_string(e));
        }
        log.trajectories.push_back(std::move(tr));
      }
    }

    hsize_t a[7];
    auto a_step = file.column<int64_t>("alerts/step", I64, {}, a[0]);
    auto a_layer = file.column<int64_t>("alerts/layer", I64, {}, a[1]);
    auto a_value = file.column<double>("alerts/value", F64, {}, a[2]);
    auto a_threshold = file.column<double>("alerts/threshold", F64, {}, a[3]);
    auto a_kind = file.strings("alerts/kind", a[4]);
    auto a_experts = file.strings("alerts/experts", a[5]);
    auto a_evidence = file.strings("alerts/evidence", a[6]);
    const hsize_t n_alerts = *std::min_element(a, a + 7);
    for (hsize_t i = 0; i < n_alerts; ++i) {
      CollapseAlert alert;
      alert.step = a_step[i];
      alert.layer = a_layer[i];
      alert.value = a_value[i];
      alert.threshold = a_threshold[i];
      bool known = false;
      for (auto kind : {AlertKind::DeadExpert, AlertKind::DominantExpert, AlertKind::EntropyCollapse,
                        AlertKind::RepresentationCollapse, AlertKind::RisingDrops}) {
        if (a_kind[i] == to_string(kind)) {
          alert.kind = kind;
          known = true;
        }
      }
      if (!known) file.fail("/alerts/kind holds an unknown kind \"" + a_kind[i] + "\"");
      for (const auto& id : split_commas(a_experts[i])) {
        try {
          alert.experts.push_back(std::stoll(id));
        } catch (const std::exception&) {
          file.fail("/alerts/experts holds \"" + a_experts[i] + "\", not a list of expert ids");
        }
      }
      alert.evidence = a_evidence[i];
      log.alerts.push_back(std::move(alert));
    }

    hsize_t v[4];
    auto v_step = file.column<int64_t>("events/step", I64, {}, v[0]);
    auto v_value = file.column<double>("events/value", F64, {}, v[1]);
    auto v_kind = file.strings("events/kind", v[2]);
    auto v_detail = file.strings("events/detail", v[3]);
    const hsize_t n_events = *std::min_element(v, v + 4);
    for (hsize_t i = 0; i < n_events; ++i) {
      log.interventions.push_back({v_step[i], v_kind[i], v_value[i], v_detail[i]});
    }
  } catch (const H5::Exception& ex) {
    file.fail("corrupt run log (" + ex.getDetailMsg() + ")");
  }
  return log;
}

}  // namespace moescope
