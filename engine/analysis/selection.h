// Which ops of a quantized model to keep in float: the one set that the plot, the graph view, the CLI's export
// and the selective writer share. Built from op indices, output tensor names, op types, a debug CSV with a
// threshold on rmse/scale, or the first N ops in execution order.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "model/graph.h"

namespace ql {
struct DebugReport;
}

namespace ql {

struct Selection {
  std::set<int> ops;  // op indices of subgraph 0
};

// Each item is an op index or an output tensor name; BadInput naming the item when it is neither.
Selection selectOps(const Model& model, const std::vector<std::string>& items);
// Every op of these types (BuiltinOperator names or custom codes, like the debugger's denylisted_ops).
Selection selectOpTypes(const Model& model, const std::vector<std::string>& types);
// Every op whose row in a `debug --csv` file has rmse/scale above `threshold`.
Selection selectFromDebugCsv(const Model& model, const std::string& csv_path, double threshold);
// The first n ops in execution order.
Selection selectFirst(const Model& model, int n);
// The last n ops in execution order.
Selection selectLast(const Model& model, int n);
// Every layer row of a debugger report whose rmse/scale is strictly above `threshold`; rows without a value (no
// scale, not a number) are never chosen.
Selection selectAboveThreshold(const DebugReport& report, double threshold);

}  // namespace ql
