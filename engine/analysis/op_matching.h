// Which op of a float model computes what an op of its quantized twin computes. The converter keeps most tensor
// names, adds QUANTIZE/DEQUANTIZE at the edges and fuses or renames some ops, so ops are matched by output
// tensor name first, then by graph position and op type; weights of matched ops are compared to tell twins from
// look-alikes.
#pragma once

#include <string>
#include <vector>

#include "analysis/dequantized_twin.h"
#include "model/graph.h"

namespace ql {

struct AnalysisWarning {
  std::string kind;     // "not_twins", ...
  std::string message;
};

enum class MatchKind { Unmatched, ByName, ByPosition, Identity, Twin };
const char* matchKindName(MatchKind k);

struct OpMatching {
  // Per quantized op: the float op computing the same thing (-1 when none), and how it was found. Identity marks
  // a QUANTIZE/DEQUANTIZE the float model has no op for: its output stands for the float tensor of its input.
  std::vector<int> float_op;
  std::vector<MatchKind> kind;
  // Per quantized tensor: the float tensor holding its real value (-1 when none).
  std::vector<int> float_tensor;
  // Per quantized op with constant weights: the fraction of weight elements further than half a quantization
  // step from the float weights (0 for twins); -1 where there are no weights to compare.
  std::vector<double> weight_disagreement;
  std::vector<int> unmatched;  // quantized ops without a float op (identity ops are matched)
  std::vector<AnalysisWarning> warnings;
  bool float_is_dequantized_twin = false;

  size_t matchedCount() const;
};

OpMatching matchOps(const Model& float_model, const Model& quant_model);
OpMatching twinMatching(const DequantizedTwin& twin, const Model& quant_model);

// Real values of a tensor that is constant or computed from constants only (DEQUANTIZE of float16 weights);
// empty when it is not.
std::vector<float> effectiveConstantValues(const Model& model, int tensor);

}  // namespace ql
