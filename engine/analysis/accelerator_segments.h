// Where the ops of a model would run on an integer-only accelerator (Edge TPU-like): such compilers map ops in
// execution order up to the first op that computes in float (a float op, or a QUANTIZE/DEQUANTIZE that is not at
// the model's edge) and, because they partition a model only once, leave everything after it to the CPU.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/graph.h"

namespace ql {

struct Segment {
  std::vector<int> ops;
  std::string kind;     // "int8" or "float" (a run of ops of one kind)
  std::string runs_on;  // "accelerator" or "cpu"
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
