#include "run_log_schema.h"

#include "surgery_plan.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace moescope::schema {
namespace {

constexpr size_t kKindBytes = 32;
constexpr size_t kEvidenceBytes = 512;
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

template <class T>
void append(Bytes& out, const T& value) {
  const auto* p = reinterpret_cast<const unsigned char*>(&value);
  out.insert(out.end(), p, p + sizeof value);
}

template <class T>
T load(const unsigned char* data) {
  T value;
  std::memcpy(&value, data, sizeof value);
  return value;
}

// A scalar member, any arithmetic type stored as T.
template <class T, class Event, auto Member>
Column<Event> scalar(const char* path, Type type, hsize_t chunk, int since = 1) {
  Column<Event> c{path, type, {}, chunk, since};
  c.put = [](const Event& e, Bytes& out, const Sizes&) { append(out, static_cast<T>(e.*Member)); };
  c.get = [](Event& e, const unsigned char* data, size_t, const Sizes&) {
    e.*Member = static_cast<std::remove_reference_t<decltype(e.*Member)>>(load<T>(data));
  };
  return c;
}

// The fixed width of each text member (a template parameter cannot carry it into the lambdas
// above without capture, so it is looked up by member).
size_t bytes_of(std::string CollapseAlert::*) { return kEvidenceBytes; }  // evidence
size_t bytes_of(std::string InterventionEvent::* m) {
  return m == &InterventionEvent::kind ? kKindBytes : kEvidenceBytes;
}
size_t bytes_of(std::string SurgeryRecord::*) { return kKindBytes; }  // action

// A string as a fixed-width field: cut at a UTF-8 character boundary if too long, NUL-padded.
void put_text(Bytes& out, const std::string& s, size_t width) {
  size_t n = std::min(s.size(), width);
  while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  const size_t start = out.size();
  out.resize(start + width, 0);
  std::copy(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(n), out.begin() + static_cast<std::ptrdiff_t>(start));
}

std::string get_text(const unsigned char* data, size_t width) {
  const char* p = reinterpret_cast<const char*>(data);
  return std::string(p, strnlen(p, width));
}

template <class Event, auto Member>
Column<Event> text(const char* path, size_t bytes) {
  Column<Event> c{path, Type::Text, {}, 256, 1, bytes};
  c.put = [](const Event& e, Bytes& out, const Sizes&) { put_text(out, e.*Member, bytes_of(Member)); };
  c.get = [](Event& e, const unsigned char* data, size_t, const Sizes&) { e.*Member = get_text(data, bytes_of(Member)); };
  return c;
}


// A float series of a routing snapshot whose rows are [layers, inner]: written at the file's
// expert stride (an absent series as `fill`), read back at the snapshot's own stride.
// A routing series' row per layer: the experts (load, importance, bias), the histogram bins,
// or one value.
template <auto Member>
constexpr bool per_expert() {
  return Member == &RoutingSnapshot::load || Member == &RoutingSnapshot::importance ||
         Member == &RoutingSnapshot::bias;
}
template <auto Member>
int64_t row_length(const Sizes& sizes) {
  if (per_expert<Member>()) return sizes.experts;
  if (Member == &RoutingSnapshot::k_hist) return RoutingSnapshot::kKBins;
  if (Member == &RoutingSnapshot::gate_hist || Member == &RoutingSnapshot::top1_hist) {
    return RoutingSnapshot::kGateBins;
  }
  return 1;
}

// NanFill: an absent series is written as NaN (a per-layer statistic), else as zeros.
template <auto Member, bool NanFill>
Column<RoutingSnapshot> layer_series(const char* path, std::vector<Axis> row, hsize_t chunk) {
  Column<RoutingSnapshot> c{path, Type::F32, std::move(row), chunk};
  c.put = [](const RoutingSnapshot& s, Bytes& out, const Sizes& sizes) {
    const std::vector<float>& v = s.*Member;
    constexpr bool by_expert = per_expert<Member>();
    const int64_t L = sizes.layers, inner = row_length<Member>(sizes);
    const int64_t stride = by_expert ? s.experts : inner;
    const bool present = v.size() == size_t(L * stride) && stride <= inner;
    for (int64_t l = 0; l < L; ++l) {
      const int64_t used = by_expert ? std::min(s.experts_at(l), stride) : inner;
      for (int64_t i = 0; i < inner; ++i) {
        float x = NanFill ? kNaNf : 0.0f;
        if (present && i < used) x = v[size_t(l * stride + i)];
        else if (present && by_expert) x = kNaNf;  // an expert the layer no longer has
        append(out, x);
      }
    }
  };
  c.get = [](RoutingSnapshot& s, const unsigned char* data, size_t, const Sizes& sizes) {
    const int64_t L = sizes.layers, inner = row_length<Member>(sizes);
    // s.experts comes from /routing/experts, read first.
    const int64_t stride = per_expert<Member>() ? s.experts : inner;
    std::vector<float>& v = s.*Member;
    v.assign(size_t(L * stride), 0.0f);
    for (int64_t l = 0; l < L; ++l) {
      for (int64_t i = 0; i < stride; ++i) v[size_t(l * stride + i)] = load<float>(data + 4 * (l * inner + i));
    }
  };
  return c;
}

// A [layers][rows][experts] share table of a routing snapshot (modality_load, domain_load),
// rows from RunInfo::domains: written at the file's rows and expert stride (NaN where the
// snapshot has none), read back at the file's rows and the snapshot's own experts.
template <auto Member, auto Rows, int64_t Sizes::*FileRows>
Column<RoutingSnapshot> row_table(const char* path, Axis rows) {
  Column<RoutingSnapshot> c{path, Type::F32, {Axis::Layers, rows, Axis::Experts}, 16, 2};
  c.put = [](const RoutingSnapshot& s, Bytes& out, const Sizes& sizes) {
    const std::vector<float>& v = s.*Member;
    const int64_t L = sizes.layers, R = sizes.*FileRows, n = s.*Rows;
    const bool present = v.size() == size_t(L * n * s.experts) && n <= R && s.experts <= sizes.experts;
    for (int64_t l = 0; l < L; ++l)
      for (int64_t r = 0; r < R; ++r)
        for (int64_t e = 0; e < sizes.experts; ++e)
          append(out, present && r < n && e < s.experts ? v[size_t((l * n + r) * s.experts + e)] : kNaNf);
  };
  c.get = [](RoutingSnapshot& s, const unsigned char* data, size_t, const Sizes& sizes) {
    const int64_t L = sizes.layers, R = sizes.*FileRows, E = sizes.experts;
    s.*Rows = R;
    std::vector<float>& v = s.*Member;
    v.resize(size_t(L * R * s.experts));
    for (int64_t l = 0; l < L; ++l)
      for (int64_t r = 0; r < R; ++r)
        for (int64_t e = 0; e < s.experts; ++e)
          v[size_t((l * R + r) * s.experts + e)] = load<float>(data + 4 * ((l * R + r) * E + e));
  };
  c.optional = true;  // logs written before 2026-12-02 have no per-domain statistics
  return c;
}

}  // namespace

hsize_t Sizes::operator[](Axis a) const {
  switch (a) {
    case Axis::Layers: return hsize_t(layers);
    case Axis::Experts: return hsize_t(experts);
    case Axis::GateBins: return RoutingSnapshot::kGateBins;
    case Axis::KBins: return RoutingSnapshot::kKBins;
    case Axis::ProbeTokens: return hsize_t(probe_tokens);
    case Axis::ProbeSlots: return hsize_t(probe_slots);
    case Axis::Modalities: return hsize_t(modalities);
    case Axis::Domains: return hsize_t(domains);
  }
  return 1;
}

size_t element_bytes(Type type, size_t text_bytes) {
  switch (type) {
    case Type::I64:
    case Type::F64: return 8;
    case Type::I32:
    case Type::F32: return 4;
    case Type::Text: return text_bytes;
    case Type::U8: return 1;
  }
  return 0;
}

H5::DataType h5_type(Type type, size_t text_bytes) {
  switch (type) {
    case Type::I64: return H5::PredType::NATIVE_INT64;
    case Type::I32: return H5::PredType::NATIVE_INT32;
    case Type::F64: return H5::PredType::NATIVE_DOUBLE;
    case Type::F32: return H5::PredType::NATIVE_FLOAT;
    case Type::U8: return H5::PredType::NATIVE_UINT8;
    case Type::Text: {
      H5::StrType t(H5::PredType::C_S1, text_bytes);
      t.setStrpad(H5T_STR_NULLPAD);
      t.setCset(H5T_CSET_UTF8);
      return t;
    }
  }
  return H5::PredType::NATIVE_DOUBLE;
}

const std::vector<Column<StepMetrics>>& metrics_columns() {
  using M = StepMetrics;
  static const std::vector<Column<M>> columns{
      scalar<int64_t, M, &M::step>("metrics/step", Type::I64, 4096),
      scalar<int64_t, M, &M::tokens>("metrics/tokens", Type::I64, 4096),
      scalar<double, M, &M::loss>("metrics/loss", Type::F64, 4096),
      scalar<double, M, &M::aux_loss>("metrics/aux_loss", Type::F64, 4096),
      scalar<double, M, &M::z_loss>("metrics/z_loss", Type::F64, 4096),
      scalar<double, M, &M::lr>("metrics/lr", Type::F64, 4096),
      scalar<double, M, &M::grad_norm>("metrics/grad_norm", Type::F64, 4096),
      scalar<double, M, &M::ms>("metrics/ms", Type::F64, 4096),
      scalar<double, M, &M::tokens_per_s>("metrics/tokens_per_s", Type::F64, 4096),
  };
  return columns;
}

const std::vector<Column<EvalResult>>& eval_columns() {
  using E = EvalResult;
  static const std::vector<Column<E>> columns{
      scalar<int64_t, E, &E::step>("eval/step", Type::I64, 256),
      scalar<int64_t, E, &E::samples>("eval/samples", Type::I64, 256),
      scalar<double, E, &E::loss>("eval/loss", Type::F64, 256),
      scalar<double, E, &E::accuracy>("eval/accuracy", Type::F64, 256),
      [] {  // [domains], NaN where the evaluation has none
        Column<E> c{"eval/domain_loss", Type::F64, {Axis::Domains}, 256, 2};
        c.put = [](const E& e, Bytes& out, const Sizes& sizes) {
          for (int64_t d = 0; d < sizes.domains; ++d)
            append(out, size_t(d) < e.domain_loss.size() ? e.domain_loss[size_t(d)] : kNaN);
        };
        c.get = [](E& e, const unsigned char* data, size_t, const Sizes& sizes) {
          e.domain_loss.resize(size_t(sizes.domains));
          for (int64_t d = 0; d < sizes.domains; ++d) e.domain_loss[size_t(d)] = load<double>(data + 8 * d);
        };
        c.optional = true;  // logs written before 2026-12-03
        return c;
      }(),
  };
  return columns;
}

const std::vector<Column<RoutingSnapshot>>& routing_columns() {
  using R = RoutingSnapshot;
  using A = Axis;
  static const std::vector<Column<R>> columns = [] {
    std::vector<Column<R>> c{scalar<int64_t, R, &R::step>("routing/step", Type::I64, 1024)};
    // Experts in use per layer; read before the per-expert series (it sets their stride).
    Column<R> experts{"routing/experts", Type::I32, {A::Layers}, 256, 2};
    experts.put = [](const R& s, Bytes& out, const Sizes& sizes) {
      for (int64_t l = 0; l < sizes.layers; ++l) {
        append(out, static_cast<int32_t>(l < s.layers ? s.experts_at(l) : 0));
      }
    };
    experts.get = [](R& s, const unsigned char* data, size_t, const Sizes& sizes) {
      s.layer_experts.clear();
      int64_t widest = 0;
      bool uniform = true;
      for (int64_t l = 0; l < sizes.layers; ++l) {
        const int64_t n = load<int32_t>(data + 4 * l);
        s.layer_experts.push_back(n);
        widest = std::max(widest, n);
        uniform &= n == sizes.experts;
      }
      s.experts = widest;
      if (uniform) s.layer_experts.clear();  // every layer as wide as the run: "all"
    };
    c.push_back(experts);
    c.push_back(layer_series<&R::load, false>("routing/load", {A::Layers, A::Experts}, 16));
    c.push_back(layer_series<&R::importance, false>("routing/importance", {A::Layers, A::Experts}, 16));
    c.push_back(layer_series<&R::entropy, true>("routing/entropy", {A::Layers}, 256));
    c.push_back(layer_series<&R::dropped, true>("routing/dropped", {A::Layers}, 256));
    c.push_back(layer_series<&R::mean_k, true>("routing/mean_k", {A::Layers}, 256));
    c.push_back(layer_series<&R::margin, true>("routing/margin", {A::Layers}, 256));
    c.push_back(layer_series<&R::top20_share, true>("routing/top20_share", {A::Layers}, 256));
    c.push_back(layer_series<&R::bottom20_share, true>("routing/bottom20_share", {A::Layers}, 256));
    c.push_back(layer_series<&R::similarity, true>("routing/similarity", {A::Layers}, 256));
    c.push_back(layer_series<&R::stability, true>("routing/stability", {A::Layers}, 256));
    c.push_back(layer_series<&R::bias, false>("routing/bias", {A::Layers, A::Experts}, 16));
    c.push_back(layer_series<&R::gate_hist, false>("routing/gate_hist", {A::Layers, A::GateBins}, 64));
    c.push_back(layer_series<&R::top1_hist, false>("routing/top1_hist", {A::Layers, A::GateBins}, 64));
    c.push_back(layer_series<&R::k_hist, false>("routing/k_hist", {A::Layers, A::KBins}, 64));
    c.push_back(row_table<&R::modality_load, &R::modalities, &Sizes::modalities>("routing/modality_load", A::Modalities));
    c.push_back(row_table<&R::domain_load, &R::domains, &Sizes::domains>("routing/domain_load", A::Domains));
    c.push_back(layer_series<&R::modality_specialisation, true>("routing/modality_specialisation", {A::Layers}, 256));
    c.push_back(layer_series<&R::domain_specialisation, true>("routing/domain_specialisation", {A::Layers}, 256));
    for (auto& column : c) {
      const std::string name = column.path;
      column.optional = name != "routing/step" && name != "routing/load" &&
                        name != "routing/importance" && name != "routing/entropy" &&
                        name != "routing/dropped";
    }
    return c;
  }();
  return columns;
}

const std::vector<Column<TrajectorySnapshot>>& trajectory_columns() {
  using T = TrajectorySnapshot;
  using A = Axis;
  static const std::vector<Column<T>> columns = [] {
    std::vector<Column<T>> c{scalar<int64_t, T, &T::step>("trajectories/step", Type::I64, 1024)};
    // Stored at the file's [layers, probe_tokens, probe_slots]: cut or padded (-1 / 0).
    Column<T> experts{"trajectories/experts", Type::I32, {A::Layers, A::ProbeTokens, A::ProbeSlots}, 4};
    experts.put = [](const T& t, Bytes& out, const Sizes& z) {
      for (int64_t l = 0; l < z.layers; ++l)
        for (int64_t i = 0; i < z.probe_tokens; ++i)
          for (int64_t j = 0; j < z.probe_slots; ++j)
            append(out, l < t.layers && i < t.tokens && j < t.slots ? t.expert_at(l, i, j) : int32_t{-1});
    };
    experts.get = [](T& t, const unsigned char* data, size_t, const Sizes& z) {
      t.layers = z.layers;
      t.tokens = z.probe_tokens;
      t.slots = z.probe_slots;
      t.experts.resize(size_t(z.layers * z.probe_tokens * z.probe_slots));
      for (size_t i = 0; i < t.experts.size(); ++i) t.experts[i] = load<int32_t>(data + 4 * i);
    };
    Column<T> weights{"trajectories/weights", Type::F32, {A::Layers, A::ProbeTokens, A::ProbeSlots}, 4};
    weights.put = [](const T& t, Bytes& out, const Sizes& z) {
      for (int64_t l = 0; l < z.layers; ++l)
        for (int64_t i = 0; i < z.probe_tokens; ++i)
          for (int64_t j = 0; j < z.probe_slots; ++j)
            append(out, l < t.layers && i < t.tokens && j < t.slots ? t.weight_at(l, i, j) : 0.0f);
    };
    weights.get = [](T& t, const unsigned char* data, size_t, const Sizes& z) {
      t.weights.resize(size_t(z.layers * z.probe_tokens * z.probe_slots));
      for (size_t i = 0; i < t.weights.size(); ++i) t.weights[i] = load<float>(data + 4 * i);
    };
    c.push_back(experts);
    c.push_back(weights);
    return c;
  }();
  return columns;
}

const std::vector<Column<CollapseAlert>>& alert_columns() {
  using C = CollapseAlert;
  static const std::vector<Column<C>> columns = [] {
    std::vector<Column<C>> c{
        scalar<int64_t, C, &C::step>("alerts/step", Type::I64, 256),
        scalar<int64_t, C, &C::layer>("alerts/layer", Type::I64, 256),
        scalar<double, C, &C::value>("alerts/value", Type::F64, 256),
        scalar<double, C, &C::threshold>("alerts/threshold", Type::F64, 256),
    };
    Column<C> kind{"alerts/kind", Type::Text, {}, 256, 1, kKindBytes};
    kind.put = [](const C& a, Bytes& out, const Sizes&) {
      const std::string s = to_string(a.kind);
      const size_t start = out.size();
      out.resize(start + kKindBytes, 0);
      std::copy(s.begin(), s.end(), out.begin() + static_cast<std::ptrdiff_t>(start));
    };
    kind.get = [](C& a, const unsigned char* data, size_t, const Sizes&) {
      const std::string s(reinterpret_cast<const char*>(data),
                          strnlen(reinterpret_cast<const char*>(data), kKindBytes));
      for (auto k : {AlertKind::DeadExpert, AlertKind::DominantExpert, AlertKind::EntropyCollapse,
                     AlertKind::RepresentationCollapse, AlertKind::RisingDrops,
                     AlertKind::LogWriteFailed}) {
        if (s == to_string(k)) {
          a.kind = k;
          return;
        }
      }
      throw BadValue("/alerts/kind holds an unknown kind \"" + s + "\"");
    };
    c.push_back(kind);
    c.push_back(text<C, &C::evidence>("alerts/evidence", kEvidenceBytes));
    // Any number of experts per alert: a count per alert and the ids one after another.
    Column<C> count{"alerts/expert_count", Type::I64, {}, 256, 2};
    count.put = [](const C& a, Bytes& out, const Sizes&) { append(out, int64_t(a.experts.size())); };
    count.get = [](C&, const unsigned char*, size_t, const Sizes&) {};
    c.push_back(count);
    Column<C> ids{"alerts/expert_ids", Type::I64, {}, 1024, 2};
    ids.count_of = "alerts/expert_count";
    ids.put = [](const C& a, Bytes& out, const Sizes&) {
      for (auto e : a.experts) append(out, int64_t(e));
    };
    ids.get = [](C& a, const unsigned char* data, size_t n, const Sizes&) {
      a.experts.resize(n);
      for (size_t i = 0; i < n; ++i) a.experts[i] = load<int64_t>(data + 8 * i);
    };
    c.push_back(ids);
    return c;
  }();
  return columns;
}

const std::vector<Column<InterventionEvent>>& event_columns() {
  using V = InterventionEvent;
  static const std::vector<Column<V>> columns{
      scalar<int64_t, V, &V::step>("events/step", Type::I64, 256),
      scalar<double, V, &V::value>("events/value", Type::F64, 256),
      text<V, &V::kind>("events/kind", kKindBytes),
      text<V, &V::detail>("events/detail", kEvidenceBytes),
  };
  return columns;
}

const std::vector<Column<ShapeChange>>& shape_columns() {
  using S = ShapeChange;
  using A = Axis;
  // The layer's value at `l`, or a blank layer past the shape's end (a writer's bug upstream
  // must not read out of bounds).
  static constexpr auto layer = [](const S& s, int64_t l) -> LayerShape {
    return l < int64_t(s.shape.layers.size()) ? s.shape.layers[size_t(l)] : LayerShape{};
  };
  static const std::vector<Column<S>> columns = [] {
    std::vector<Column<S>> c{scalar<int64_t, S, &S::step>("shape/step", Type::I64, 64, 2)};
    Column<S> experts{"shape/experts", Type::I32, {A::Layers}, 64, 2};
    experts.put = [](const S& s, Bytes& out, const Sizes& z) {
      for (int64_t l = 0; l < z.layers; ++l) append(out, static_cast<int32_t>(layer(s, l).experts));
    };
    experts.get = [](S& s, const unsigned char* data, size_t, const Sizes& z) {
      s.shape.layers.resize(size_t(z.layers));
      for (int64_t l = 0; l < z.layers; ++l) s.shape.layers[size_t(l)].experts = load<int32_t>(data + 4 * l);
    };
    c.push_back(experts);
    // Router logit i -> expert, -1 past the layer's logits; the identity written out in full.
    Column<S> map{"shape/logit_to_expert", Type::I32, {A::Layers, A::Experts}, 16, 2};
    map.put = [](const S& s, Bytes& out, const Sizes& z) {
      for (int64_t l = 0; l < z.layers; ++l) {
        const LayerShape ls = layer(s, l);
        const int64_t logits = ls.logit_to_expert.empty() ? ls.experts : int64_t(ls.logit_to_expert.size());
        for (int64_t i = 0; i < z.experts; ++i) {
          const int64_t e = i >= logits ? -1 : ls.logit_to_expert.empty() ? i : ls.logit_to_expert[size_t(i)];
          append(out, static_cast<int32_t>(e));
        }
      }
    };
    map.get = [](S& s, const unsigned char* data, size_t, const Sizes& z) {
      s.shape.layers.resize(size_t(z.layers));
      for (int64_t l = 0; l < z.layers; ++l) {
        LayerShape& ls = s.shape.layers[size_t(l)];
        ls.logit_to_expert.clear();
        for (int64_t i = 0; i < z.experts; ++i) {
          const int32_t e = load<int32_t>(data + 4 * (l * z.experts + i));
          if (e < 0) break;
          ls.logit_to_expert.push_back(e);
        }
      }
    };
    map.optional = true;  // format-2 logs written before it (2026-12-01) lack it
    c.push_back(map);
    // Each expert's group, -1 past the layer's experts and for a layer without groups.
    Column<S> groups{"shape/expert_group", Type::I32, {A::Layers, A::Experts}, 16, 2};
    groups.put = [](const S& s, Bytes& out, const Sizes& z) {
      for (int64_t l = 0; l < z.layers; ++l) {
        const LayerShape ls = layer(s, l);
        for (int64_t e = 0; e < z.experts; ++e)
          append(out, static_cast<int32_t>(e < int64_t(ls.expert_group.size()) ? ls.expert_group[size_t(e)] : -1));
      }
    };
    groups.get = [](S& s, const unsigned char* data, size_t, const Sizes& z) {
      s.shape.layers.resize(size_t(z.layers));
      for (int64_t l = 0; l < z.layers; ++l) {
        LayerShape& ls = s.shape.layers[size_t(l)];
        ls.expert_group.clear();
        for (int64_t e = 0; e < z.experts; ++e) {
          const int32_t g = load<int32_t>(data + 4 * (l * z.experts + e));
          if (g < 0) break;
          ls.expert_group.push_back(g);
        }
      }
    };
    groups.optional = true;
    c.push_back(groups);
    return c;
  }();
  return columns;
}


namespace {

template <class T, auto Member>
Column<SurgeryRecord> preview_scalar(const char* path, Type type) {
  Column<SurgeryRecord> c{path, type, {}, 64, 2};
  c.put = [](const SurgeryRecord& e, Bytes& out, const Sizes&) { append(out, static_cast<T>(e.preview.*Member)); };
  c.get = [](SurgeryRecord& e, const unsigned char* data, size_t, const Sizes&) {
    e.preview.*Member = static_cast<std::remove_reference_t<decltype(e.preview.*Member)>>(load<T>(data));
  };
  c.optional = true;  // logs written before 2026-12-02 have no /surgery
  return c;
}

template <class T, auto Eval, auto Member>
Column<SurgeryRecord> eval_scalar(const char* path) {
  Column<SurgeryRecord> c{path, Type::F64, {}, 64, 2};
  c.put = [](const SurgeryRecord& e, Bytes& out, const Sizes&) { append(out, static_cast<T>((e.preview.*Eval).*Member)); };
  c.get = [](SurgeryRecord& e, const unsigned char* data, size_t, const Sizes&) { (e.preview.*Eval).*Member = load<T>(data); };
  c.optional = true;
  return c;
}

// Fixed-width text of a preview's string member.
template <auto Member, size_t Width>
Column<SurgeryRecord> preview_text(const char* path) {
  Column<SurgeryRecord> c{path, Type::Text, {}, 64, 2, Width};
  c.put = [](const SurgeryRecord& e, Bytes& out, const Sizes&) { put_text(out, e.preview.*Member, Width); };
  c.get = [](SurgeryRecord& e, const unsigned char* data, size_t, const Sizes&) { e.preview.*Member = get_text(data, Width); };
  c.optional = true;
  return c;
}

}  // namespace

const std::vector<Column<SurgeryRecord>>& surgery_columns() {
  using R = SurgeryRecord;
  using P = SurgeryPreview;
  static const std::vector<Column<R>> columns = [] {
    std::vector<Column<R>> c{
        preview_scalar<int64_t, &P::step>("surgery/step", Type::I64),
        preview_scalar<int64_t, &P::id>("surgery/id", Type::I64),
    };
    auto action = text<R, &R::action>("surgery/action", kKindBytes);
    action.since = 2;
    action.optional = true;
    c.push_back(action);
    c.push_back(preview_text<&P::description, kEvidenceBytes>("surgery/description"));
    c.push_back(eval_scalar<double, &P::before, &EvalResult::loss>("surgery/loss_before"));
    c.push_back(eval_scalar<double, &P::after, &EvalResult::loss>("surgery/loss_after"));
    c.push_back(eval_scalar<double, &P::before, &EvalResult::accuracy>("surgery/accuracy_before"));
    c.push_back(eval_scalar<double, &P::after, &EvalResult::accuracy>("surgery/accuracy_after"));
    c.push_back(preview_scalar<int64_t, &P::parameters_before>("surgery/parameters_before", Type::I64));
    c.push_back(preview_scalar<int64_t, &P::parameters_after>("surgery/parameters_after", Type::I64));
    c.push_back(preview_scalar<int64_t, &P::active_before>("surgery/active_before", Type::I64));
    c.push_back(preview_scalar<int64_t, &P::active_after>("surgery/active_after", Type::I64));
    c.push_back(preview_scalar<double, &P::expert_flops_kept>("surgery/expert_flops_kept", Type::F64));
    c.push_back(preview_scalar<int64_t, &P::calibration_tokens>("surgery/calibration_tokens", Type::I64));
    c.push_back(preview_scalar<double, &P::calibration_seconds>("surgery/calibration_seconds", Type::F64));
    c.push_back(preview_scalar<double, &P::preview_seconds>("surgery/preview_seconds", Type::F64));
    c.push_back(preview_scalar<double, &P::evaluation_seconds>("surgery/evaluation_seconds", Type::F64));
    // Per MoE layer, ragged: the predicted reconstruction error.
    Column<R> layers{"surgery/layer_count", Type::I64, {}, 64, 2};
    layers.put = [](const R& e, Bytes& out, const Sizes&) { append(out, int64_t(e.preview.layers.size())); };
    layers.get = [](R&, const unsigned char*, size_t, const Sizes&) {};
    layers.optional = true;
    c.push_back(layers);
    Column<R> error{"surgery/layer_error", Type::F64, {}, 256, 2};
    error.count_of = "surgery/layer_count";
    error.put = [](const R& e, Bytes& out, const Sizes&) {
      for (const auto& l : e.preview.layers) append(out, l.reconstruction_error);
    };
    error.get = [](R&, const unsigned char*, size_t, const Sizes&) {};  // the plan holds it
    error.optional = true;
    c.push_back(error);
    // The whole plan as JSON bytes (the request, each layer's plan, bars, heatmap, dendrogram).
    Column<R> bytes{"surgery/plan_bytes", Type::I64, {}, 64, 2};
    bytes.put = [](const R& e, Bytes& out, const Sizes&) { append(out, int64_t(surgery_plan_json(e.preview).size())); };
    bytes.get = [](R&, const unsigned char*, size_t, const Sizes&) {};
    bytes.optional = true;
    c.push_back(bytes);
    Column<R> plan{"surgery/plan", Type::U8, {}, 65536, 2};
    plan.count_of = "surgery/plan_bytes";
    plan.put = [](const R& e, Bytes& out, const Sizes&) {
      const auto json = surgery_plan_json(e.preview);
      out.insert(out.end(), json.begin(), json.end());
    };
    plan.get = [](R& e, const unsigned char* data, size_t n, const Sizes&) {
      try {
        parse_surgery_plan(std::string(reinterpret_cast<const char*>(data), n), e.preview);
      } catch (const BadSurgeryPlan& bad) {
        throw BadValue(bad.what());
      }
    };
    plan.optional = true;
    c.push_back(plan);
    return c;
  }();
  return columns;
}

}  // namespace moescope::schema
