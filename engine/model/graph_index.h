// Who produces and who reads each tensor of a subgraph: the one index that op matching, the debugger, selections,
// the interpreter's memory plan and the graph views share, instead of each walking the op list again.
#pragma once

#include <vector>

#include "model/graph.h"

namespace ql {

struct GraphIndex {
  std::vector<int> producer;                // per tensor: the op writing it, -1 for inputs, constants, variables
  std::vector<std::vector<int>> consumers;  // per tensor: the ops reading it, in execution order, each once
  std::vector<bool> is_graph_input, is_graph_output;

  // Ops that read an output of `op` (each once, in execution order) and ops whose outputs `op` reads.
  std::vector<int> successors(const Subgraph& sg, int op) const;
  std::vector<int> predecessors(const Subgraph& sg, int op) const;
};

GraphIndex buildGraphIndex(const Subgraph& sg);

}  // namespace ql
