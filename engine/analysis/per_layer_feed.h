// The debugger's per-layer pairing, shared by every caller that runs a float model on the dequantized tensors of
// its quantized twin (the debugger over many samples, the app's tensor view on one image): which float tensor is
// fed from which quantized tensor, and the feeder that replaces it so each float op reads exactly what its
// quantized counterpart read.
#pragma once

#include <functional>
#include <map>
#include <vector>

#include "analysis/op_matching.h"
#include "model/graph.h"
#include "runtime/observer.h"

namespace ql {

// Float tensor -> the quantized tensor whose dequantized values replace it. When several quantized tensors stand
// for one float tensor, the one produced last wins, so a float op reads what its quantized counterpart read
// after any QUANTIZE in front of it. Constants are never fed.
std::map<int, int> perLayerFeeds(const Model& quant_model, const OpMatching& matching);

// The real values of a quantized tensor on the current sample; empty when the caller does not have them.
using QuantizedRealValues = std::function<std::vector<float>(int quant_tensor)>;

class DequantizedFeeder : public TensorFeeder {
 public:
  // Both are borrowed and must outlive the feeder.
  DequantizedFeeder(const std::map<int, int>& quant_of_float, const QuantizedRealValues& real_of_quant)
      : quant_of_float_(quant_of_float), real_of_quant_(real_of_quant) {}

  bool feed(int tensor_index, RuntimeTensor& tensor) override;

 private:
  const std::map<int, int>& quant_of_float_;
  const QuantizedRealValues& real_of_quant_;
};

}  // namespace ql
