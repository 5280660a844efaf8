// The run log's schema, once: every dataset of docs/hdf5-log.md is a row of a table here,
// with its type, its row shape and how it is filled from, and read back into, an event
// struct. RunLogWriter creates and appends exactly these datasets and read_run_log reads
// exactly these, so a new series is one row in one table.
#pragma once

#include <H5Cpp.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/events.h"

namespace moescope::schema {

// 2: a per-layer expert count per snapshot (/routing/experts), shape changes (/shape),
//    alert experts as a ragged list (/alerts/expert_count + /alerts/expert_ids).
inline constexpr int kFormatVersion = 2;

// The sizes a log's row shapes are made of, from its RunInfo (writer) or attributes (reader).
enum class Axis : uint8_t { Layers, Experts, GateBins, KBins, ProbeTokens, ProbeSlots, Modalities, Domains };

struct Sizes {
  int64_t layers = 0, experts = 0, probe_tokens = 1, probe_slots = 1;
  int64_t modalities = 1, domains = 1;  // RunInfo::domains, at least 1 (a row of NaN)
  hsize_t operator[](Axis a) const;
};

enum class Type : uint8_t { I64, I32, F64, F32, Text, U8 };

// A row of the log being written or read: the bytes of one event's values for one column.
using Bytes = std::vector<unsigned char>;

template <class Event>
struct Column {
  const char* path;  // "routing/load": group and dataset
  Type type;
  std::vector<Axis> row;  // shape of one row; empty for a scalar per event
  hsize_t chunk_rows;
  int since = 1;       // first format version that has it; older logs read it as absent
  size_t text_bytes = 0;  // Type::Text: the fixed width (UTF-8, NUL-padded)
  // Ragged: a variable number of elements per event, whose count is the value of the
  // (scalar, I64) column `count_of` names; rows of the dataset are elements, not events.
  const char* count_of = nullptr;
  // Appends the event's row; reads it back from `data` (one row, or `count` elements).
  void (*put)(const Event&, Bytes&, const Sizes&) = nullptr;
  void (*get)(Event&, const unsigned char* data, size_t count, const Sizes&) = nullptr;
  // Logs of this format may lack it (series added after the first logs): when absent it is
  // skipped, when present it bounds the rows like the others.
  bool optional = false;
};

const std::vector<Column<StepMetrics>>& metrics_columns();
const std::vector<Column<EvalResult>>& eval_columns();
const std::vector<Column<RoutingSnapshot>>& routing_columns();
const std::vector<Column<TrajectorySnapshot>>& trajectory_columns();
const std::vector<Column<CollapseAlert>>& alert_columns();
const std::vector<Column<InterventionEvent>>& event_columns();

const std::vector<Column<ShapeChange>>& shape_columns();
const std::vector<Column<SurgeryRecord>>& surgery_columns();

// Thrown by a column's get for a value no event can hold (an unknown alert kind); the
// reader turns it into an error naming the file.
struct BadValue : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Bytes of one element of `type` (the text width for Text).
size_t element_bytes(Type type, size_t text_bytes);
H5::DataType h5_type(Type type, size_t text_bytes);

}  // namespace moescope::schema
