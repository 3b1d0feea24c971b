// The float reference quantlens builds when a user has only the quantized model: the same graph with every
// quantized or float16 constant replaced by its real values in float32, every quantized activation made float32,
// and QUANTIZE / DEQUANTIZE ops (now float to float) removed by wiring their readers to their input. Reports
// that use it say "dequantized twin", because its error is the activation quantization alone.
#pragma once

#include <vector>

#include "model/graph.h"

namespace ql {

struct DequantizedTwin {
  Model model;
  // For each op of the quantized model: the twin's op index, or -1 for a QUANTIZE / DEQUANTIZE the twin dropped.
  std::vector<int> op_of_quant;
  // For each tensor of the quantized model: the twin tensor that holds its real value.
  std::vector<int> tensor_of_quant;
};

// Subgraph 0 only is rewritten; other subgraphs are refused (Unsupported).
DequantizedTwin makeDequantizedTwin(const Model& quantized);

}  // namespace ql
