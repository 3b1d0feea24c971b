// Where the ops of a model would run on an integer-only accelerator (Edge TPU-like): such compilers map ops in
// execution order up to the first op that computes in float (a float op, or a QUANTIZE/DEQUANTIZE between float
// and integer that is not at the model's edge; an integer requantizing QUANTIZE is an integer op) and, because they partition a model only once, leave everything after it to the CPU.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/graph.h"

namespace ql {

enum class SegmentKind { Int8, Float };  // what a run of ops computes in
enum class Device { Accelerator, Cpu };   // where it runs
const char* segmentKindName(SegmentKind k);  // "int8", "float" (the JSON report's values)
const char* deviceName(Device d);            // "accelerator", "cpu"

struct Segment {
  std::vector<int> ops;
  SegmentKind kind = SegmentKind::Int8;
  Device runs_on = Device::Accelerator;
};

struct SegmentReport {
  std::vector<Segment> segments;
  int accelerator_ops = 0, cpu_ops = 0;
  nlohmann::json toJson() const;
};

// True when op `i` of subgraph 0 computes in float as an integer-only accelerator sees it.
bool computesInFloat(const Model& model, int i);
SegmentReport acceleratorSegments(const Model& model);

}  // namespace ql
