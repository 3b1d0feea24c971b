// What a model holds at a glance, as `inspect` prints it and the app's model page shows it: ops counted by type,
// and the ops quantlens's interpreter cannot run, grouped by type.
#pragma once

#include <string>
#include <vector>

#include "model/graph.h"

namespace ql {

struct OpTypeCount {
  std::string type;   // BuiltinOperator name or custom code
  int count = 0;
  int first_op = -1;  // index of the first op of that type
};

// Ops of a subgraph by type, sorted by type name.
std::vector<OpTypeCount> opTypeCounts(const Model& model, int subgraph = 0);
// The ops the interpreter has no kernel for, by type (sorted by type name); empty when it runs them all.
std::vector<OpTypeCount> unsupportedOpTypes(const Model& model, int subgraph = 0);

}  // namespace ql
