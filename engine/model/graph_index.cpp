#include "model/graph_index.h"

#include <algorithm>

namespace ql {

namespace {
bool validTensor(const Subgraph& sg, int t) { return t >= 0 && static_cast<size_t>(t) < sg.tensors.size(); }

void appendOnce(std::vector<int>& v, int x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}
}  // namespace

GraphIndex buildGraphIndex(const Subgraph& sg) {
  GraphIndex g;
  const size_t n = sg.tensors.size();
  g.producer.assign(n, -1);
  g.consumers.assign(n, {});
  g.is_graph_input.assign(n, false);
  g.is_graph_output.assign(n, false);
  for (int t : sg.inputs)
    if (validTensor(sg, t)) g.is_graph_input[static_cast<size_t>(t)] = true;
  for (int t : sg.outputs)
    if (validTensor(sg, t)) g.is_graph_output[static_cast<size_t>(t)] = true;
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    const int op = static_cast<int>(i);
    for (int t : sg.ops[i].inputs)
      if (validTensor(sg, t)) appendOnce(g.consumers[static_cast<size_t>(t)], op);
    for (int t : sg.ops[i].outputs)
      if (validTensor(sg, t) && g.producer[static_cast<size_t>(t)] < 0) g.producer[static_cast<size_t>(t)] = op;
  }
  return g;
}

std::vector<int> GraphIndex::successors(const Subgraph& sg, int op) const {
  std::vector<int> out;
  for (int t : sg.ops.at(static_cast<size_t>(op)).outputs)
    if (validTensor(sg, t))
      for (int c : consumers[static_cast<size_t>(t)]) appendOnce(out, c);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<int> GraphIndex::predecessors(const Subgraph& sg, int op) const {
  std::vector<int> out;
  for (int t : sg.ops.at(static_cast<size_t>(op)).inputs)
    if (validTensor(sg, t) && producer[static_cast<size_t>(t)] >= 0) appendOnce(out, producer[static_cast<size_t>(t)]);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ql
