#include "analysis/model_summary.h"

#include <map>

#include "runtime/interpreter.h"

namespace ql {
namespace {

std::vector<OpTypeCount> countByType(const Model& model, int subgraph, const std::vector<int>& ops) {
  std::map<std::string, OpTypeCount> by_type;
  const Subgraph& sg = model.subgraphs[static_cast<size_t>(subgraph)];
  for (int i : ops) {
    std::string type = model.opName(sg.ops[static_cast<size_t>(i)]);
    OpTypeCount& c = by_type[type];
    if (c.count++ == 0) {
      c.type = type;
      c.first_op = i;
    }
  }
  std::vector<OpTypeCount> out;
  for (auto& entry : by_type) out.push_back(entry.second);
  return out;
}

}  // namespace

std::vector<OpTypeCount> opTypeCounts(const Model& model, int subgraph) {
  if (subgraph < 0 || static_cast<size_t>(subgraph) >= model.subgraphs.size()) return {};
  std::vector<int> all(model.subgraphs[static_cast<size_t>(subgraph)].ops.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  return countByType(model, subgraph, all);
}

std::vector<OpTypeCount> unsupportedOpTypes(const Model& model, int subgraph) {
  std::vector<int> missing;
  for (const UnsupportedOp& op : unsupportedOps(model, subgraph)) missing.push_back(op.index);
  return countByType(model, subgraph, missing);
}

}  // namespace ql
