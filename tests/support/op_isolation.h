// One op of a real model cut out into a model of its own (its constant inputs kept, its other inputs made model
// inputs), so each kernel can be checked against a golden reference before every op of the model has a kernel.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/graph.h"
#include "runtime/interpreter.h"

namespace ql::test {

struct IsolatedOp {
  Model model;
  std::vector<int> source_inputs;   // for each model input: the tensor index in the source model
  std::vector<int> source_outputs;  // for each model output: the tensor index in the source model
};

IsolatedOp isolateOp(const Model& source, int op_index);

}  // namespace ql::test
