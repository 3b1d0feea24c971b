// The selective model of a selection and where an integer-only accelerator would run it, as `quantlens-cli export`
// and the app's File > Export both make it: one function so that the file the app writes is the CLI's, byte for
// byte. Also says, per op of the quantized model, which accelerator segment its op in the new model falls in (the
// graph of the quantized model draws the segments beside its ops).
#pragma once

#include <string>
#include <vector>

#include "analysis/accelerator_segments.h"
#include "analysis/op_matching.h"
#include "analysis/selection.h"
#include "analysis/selective_export.h"

namespace ql {

struct SelectiveBuild {
  SelectiveExport exported;
  SegmentReport segments;                // of exported.model
  std::vector<int> segment_of_quant_op;  // per op of the quantized model: an index of segments.segments
};

// `float_model`/`matching` as exportSelective takes them (both null: weights dequantized from `quant`). Throws
// what exportSelective throws (Unsupported for ops that cannot compute in float, BadInput for unknown ops).
SelectiveBuild buildSelective(const Model& quant, const Model* float_model, const OpMatching* matching,
                              const Selection& selection);

// Per op of `model`: the index of the segment of `report` holding it (-1 for none).
std::vector<int> segmentOfOps(const SegmentReport& report, size_t op_count);

// BadInput naming `out` when it is one of `inputs` (by name or as the same file): outputs never overwrite inputs.
void refuseInputAsOutput(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace ql
