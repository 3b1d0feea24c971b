// Removing what a graph rewrite left behind: tensors no op, subgraph input/output or signature refers to, and
// operator codes no op uses. Indices are renumbered everywhere they appear.
#pragma once

#include "model/graph.h"

namespace ql {

// Returns, per old tensor index of each subgraph, the new one (-1 for removed tensors); subgraph 0's map only.
std::vector<int> dropUnusedTensors(Model& model);
void dropUnusedOpcodes(Model& model);

}  // namespace ql
