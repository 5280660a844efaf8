#include "csv_export.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <cstring>

#include "base/error.h"

namespace moescope {

namespace {

std::string number(double v, int digits) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}
std::string f32(float v) { return number(static_cast<double>(v), 9); }
std::string f64(double v) { return number(v, 17); }

std::string quoted(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

float at(const std::vector<float>& v, size_t i) { return i < v.size() ? v[i] : std::nanf(""); }

struct Table {
  std::string name, columns;
  std::function<void(const RunLog&, int64_t step, std::ostream&, int64_t& rows)> rows;
};

bool keep_snapshot(const RoutingSnapshot& s, int64_t step) { return step < 0 || s.step == step; }

// Rows of a [layers][groups][experts] share table (per modality or per domain): one row per
// snapshot, layer, group (by name) and expert.
void grouped_rows(const RunLog& log, int64_t step, std::ostream& out, int64_t& rows,
                  const std::vector<std::string>& names, int64_t RoutingSnapshot::*groups,
                  std::vector<float> RoutingSnapshot::*share) {
  for (const auto& s : log.routing) {
    if (!keep_snapshot(s, step)) continue;
    const int64_t G = s.*groups;
    for (int64_t l = 0; l < s.layers; ++l)
      for (int64_t g = 0; g < G; ++g)
        for (int64_t e = 0; e < s.experts; ++e) {
          const size_t i = static_cast<size_t>((l * G + g) * s.experts + e);
          out << s.step << ',' << l << ',' << quoted(size_t(g) < names.size() ? names[size_t(g)] : std::to_string(g))
              << ',' << e << ',' << f32(at(s.*share, i)) << '\n';
          ++rows;
        }
  }
}

const std::vector<Table>& tables() {
  static const std::vector<Table> all{
      {"loss", "step,tokens,loss,aux_loss,z_loss,lr,grad_norm,ms,tokens_per_s",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         for (const auto& m : log.steps) {
           if (step >= 0 && m.step > step) break;
           out << m.step << ',' << m.tokens << ',' << f64(m.loss) << ',' << f64(m.aux_loss) << ','
               << f64(m.z_loss) << ',' << f64(m.lr) << ',' << f64(m.grad_norm) << ',' << f64(m.ms) << ','
               << f64(m.tokens_per_s) << '\n';
           ++rows;
         }
       }},
      {"eval", "step,loss,accuracy,samples,domain,domain_loss",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         // One row per evaluation, and one more per domain when the task splits its loss.
         for (const auto& e : log.evals) {
           if (step >= 0 && e.step > step) break;
           out << e.step << ',' << f64(e.loss) << ',' << f64(e.accuracy) << ',' << e.samples << ",,nan\n";
           ++rows;
           for (size_t d = 0; d < e.domain_loss.size(); ++d) {
             const auto& names = log.info.domains.domains;
             out << e.step << ',' << f64(e.loss) << ',' << f64(e.accuracy) << ',' << e.samples << ','
                 << quoted(d < names.size() ? names[d] : std::to_string(d)) << ',' << f64(e.domain_loss[d]) << '\n';
             ++rows;
           }
         }
       }},
      {"load", "step,layer,expert,load,importance,bias",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         for (const auto& s : log.routing) {
           if (!keep_snapshot(s, step)) continue;
           for (int64_t l = 0; l < s.layers; ++l)
             for (int64_t e = 0; e < s.experts; ++e) {
               const size_t i = static_cast<size_t>(l * s.experts + e);
               out << s.step << ',' << l << ',' << e << ',' << f32(at(s.load, i)) << ',' << f32(at(s.importance, i))
                   << ',' << f32(at(s.bias, i)) << '\n';
               ++rows;
             }
         }
       }},
      {"layers", "step,layer,experts,entropy,dropped,mean_k,margin,top20_share,bottom20_share,similarity,stability",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         for (const auto& s : log.routing) {
           if (!keep_snapshot(s, step)) continue;
           for (int64_t l = 0; l < s.layers; ++l) {
             const size_t i = static_cast<size_t>(l);
             out << s.step << ',' << l << ',' << (i < s.layer_experts.size() ? s.layer_experts[i] : s.experts) << ','
                 << f32(at(s.entropy, i)) << ',' << f32(at(s.dropped, i)) << ',' << f32(at(s.mean_k, i)) << ','
                 << f32(at(s.margin, i)) << ',' << f32(at(s.top20_share, i)) << ',' << f32(at(s.bottom20_share, i))
                 << ',' << f32(at(s.similarity, i)) << ',' << f32(at(s.stability, i)) << '\n';
             ++rows;
           }
         }
       }},
      {"gates", "step,layer,bin,gate_low,gate_high,gates,top1_gates",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         constexpr int B = RoutingSnapshot::kGateBins;
         for (const auto& s : log.routing) {
           if (!keep_snapshot(s, step)) continue;
           for (int64_t l = 0; l < s.layers; ++l)
             for (int b = 0; b < B; ++b) {
               const size_t i = static_cast<size_t>(l * B + b);
               out << s.step << ',' << l << ',' << b << ',' << f64(double(b) / B) << ',' << f64(double(b + 1) / B)
                   << ',' << f32(at(s.gate_hist, i)) << ',' << f32(at(s.top1_hist, i)) << '\n';
               ++rows;
             }
         }
       }},
      {"modality", "step,layer,modality,expert,share",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         grouped_rows(log, step, out, rows, log.info.domains.modalities, &RoutingSnapshot::modalities,
                      &RoutingSnapshot::modality_load);
       }},
      {"domain", "step,layer,domain,expert,share",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         grouped_rows(log, step, out, rows, log.info.domains.domains, &RoutingSnapshot::domains,
                      &RoutingSnapshot::domain_load);
       }},
      {"alerts", "step,layer,kind,experts,value,threshold,evidence",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         for (const auto& a : log.alerts) {
           if (step >= 0 && a.step > step) continue;
           std::string experts;
           for (auto e : a.experts) experts += (experts.empty() ? "" : " ") + std::to_string(e);
           out << a.step << ',' << a.layer << ',' << to_string(a.kind) << ',' << quoted(experts) << ','
               << f64(a.value) << ',' << f64(a.threshold) << ',' << quoted(a.evidence) << '\n';
           ++rows;
         }
       }},
      {"interventions", "step,kind,value,detail",
       [](const RunLog& log, int64_t step, std::ostream& out, int64_t& rows) {
         for (const auto& e : log.interventions) {
           if (step >= 0 && e.step > step) continue;
           out << e.step << ',' << quoted(e.kind) << ',' << f64(e.value) << ',' << quoted(e.detail) << '\n';
           ++rows;
         }
       }},
  };
  return all;
}

}  // namespace

std::vector<std::string> csv_tables() {
  std::vector<std::string> names;
  for (const auto& t : tables()) names.push_back(t.name);
  return names;
}

std::string csv_table_help() {
  std::string help;
  for (const auto& t : tables()) help += t.name + ": " + t.columns + "\n";
  return help;
}

int64_t write_csv(const RunLog& log, const std::string& what, const std::string& path, int64_t step) {
  const Table* table = nullptr;
  for (const auto& t : tables())
    if (t.name == what) table = &t;
  if (!table) {
    std::string known;
    for (const auto& n : csv_tables()) known += (known.empty() ? "" : ", ") + n;
    throw Error("unknown table '" + what + "' (tables: " + known + ")");
  }
  const bool routing = what == "load" || what == "layers" || what == "gates" || what == "modality" || what == "domain";
  if (routing && step >= 0) {
    bool found = false;
    for (const auto& s : log.routing) found = found || s.step == step;
    if (!found) throw Error("the log has no routing snapshot at step " + std::to_string(step));
  }
  std::ostringstream body;
  body << table->columns << '\n';
  int64_t rows = 0;
  table->rows(log, step, body, rows);
  // Written beside the target and renamed over it: a failed export leaves no half a table.
  const std::string partial = path + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write " + path + ": " + std::strerror(errno));
    out << body.str();
    out.flush();
    if (!out) {
      std::error_code ignored;
      std::filesystem::remove(partial, ignored);
      throw Error("cannot write " + path + ": the disk refused the data");
    }
  }
  std::error_code ec;
  std::filesystem::rename(partial, path, ec);
  if (ec) {
    std::filesystem::remove(partial, ec);
    throw Error("cannot write " + path + ": " + ec.message());
  }
  return rows;
}

}  // namespace moescope
