// Everything the inspector shows about one tensor's values, gathered from the model (and its twin) in one call:
// the real values of a constant (float16 behind a DEQUANTIZE included), the twin's values, their statistics and
// histograms on a common range, and the per-channel table of its quantized weights. Plain values; the view only
// draws them.
#pragma once

#include <string>
#include <vector>

#include "analysis/value_histogram.h"
#include "analysis/weight_channels.h"
#include "model/graph.h"

namespace ql {

struct TensorInspection {
  std::vector<float> values, twin_values;  // real values; empty when not constant (or not numeric)
  std::string values_note;                 // why there are no values, when there is a reason worth telling
  ValueStats stats, twin_stats;
  Histogram histogram, twin_histogram;     // on one range when both are present
  // Per channel of the quantized one of the pair (the subject, or else its twin), against the other's values.
  WeightChannels channels;
  bool channels_of_twin = false;
};

// `twin` may be null or `twin_tensor` -1. Tensors are of subgraph 0.
TensorInspection inspectTensor(const Model& model, int tensor, const Model* twin, int twin_tensor, size_t bins = 64);

// The tensor of `twin_op` (an op of `twin`) at the same input/output position as `op`'s, when both ops are of
// the same type and arity; -1 otherwise. How the inspector pairs an op's tensors with its twin's.
int twinTensorAt(const Model& model, int op, const Model& twin, int twin_op, bool input, size_t position);

}  // namespace ql
