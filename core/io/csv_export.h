// CSV tables of a run log (`moescope-cli export`, File > Export data...), one row per
// observation in long form, so pandas.read_csv reads each as written: numbers in full
// precision (float32 values with 9 significant digits, float64 with 17), "nan" where the log
// has NaN, text quoted as RFC 4180 says.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "run_log_reader.h"

namespace moescope {

// loss, eval, load, layers, gates, modality, domain, alerts, interventions.
std::vector<std::string> csv_tables();
// One line per table for --help: "load: step, layer, expert, load, importance, bias".
std::string csv_table_help();

// Writes table `what` of `log` to `path` (replaced whole, or left as it was on failure).
// `step` >= 0 keeps only the routing snapshot of that step (the routing tables) or rows up to
// it (the series). Throws moescope::Error naming the file or the unknown table, or a step the
// log has no snapshot of. Returns the rows written.
int64_t write_csv(const RunLog& log, const std::string& what, const std::string& path, int64_t step = -1);

}  // namespace moescope
