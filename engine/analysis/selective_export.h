// Writes the model a user asks for once they see which layers break: chosen ops compute in float32 (weights
// from the float model where there is one, else dequantized), a DEQUANTIZE in front of each float region's
// integer inputs and a QUANTIZE after its outputs back to the original scale and zero point, so the rest of the
// model is untouched. Neighbouring float ops form one region with no round trip between them.
#pragma once

#include <string>
#include <vector>

#include "analysis/op_matching.h"
#include "analysis/selection.h"
#include "model/graph.h"

namespace ql {

struct SelectiveExport {
  Model model;
  std::vector<std::string> changes;  // one line per thing done, for the user
  std::vector<int> float_ops;        // op indices in the new model that compute in float
  std::vector<int> op_of_original;   // for each op of the quantized model: its index in the new model
};

// `float_model` and `matching` may be null (weights are then dequantized from the quantized model). Throws
// Unsupported for models without integer activations and for ops that cannot compute in float from these files.
SelectiveExport exportSelective(const Model& quant, const Model* float_model, const OpMatching* matching,
                                const Selection& selection);

}  // namespace ql
