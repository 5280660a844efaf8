#include "run_log_reader.h"

#include <H5Cpp.h>

#include <algorithm>
#include <filesystem>

#include "error.h"
#include "hdf5_lock.h"
#include "run_log_writer.h"

namespace moescope {
namespace {

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
    const hsize_t snapshots = *std::min_element(r, r + 5);
    for (hsize_t i = 0; i < snapshots; ++i) {
      RoutingSnapshot s;
      s.step = snap_step[i];
      s.layers = info.layers;
      s.experts = info.experts;
      s.load.assign(load.begin() + i * L * E, load.begin() + (i + 1) * L * E);
      s.importance.assign(importance.begin() + i * L * E, importance.begin() + (i + 1) * L * E);
      s.entropy.assign(entropy.begin() + i * L, entropy.begin() + (i + 1) * L);
      s.dropped.assign(dropped.begin() + i * L, dropped.begin() + (i + 1) * L);
      log.routing.push_back(std::move(s));
    }
  } catch (const H5::Exception& ex) {
    file.fail("corrupt run log (" + ex.getDetailMsg() + ")");
  }
  return log;
}

}  // namespace moescope
