#include "analysis/dequantized_twin.h"

#include <cmath>
#include <cstring>

#include "analysis/folded_activation.h"
#include "model/options_codec.h"
#include "model/quantization_kind.h"
#include "model/tensor_values.h"
#include "model/writer.h"
#include "util/error.h"

namespace ql {

namespace {

bool needsDequantizing(const Tensor& t, bool constant) {
  if (t.type == DType::Float16) return true;
  if (!t.quant.hasScale()) return false;
  // Quantized activations and weights, and int32/int64 biases with a scale (input scale x weight scale).
  return isQuantizedTensor(t) || (constant && (t.type == DType::Int32 || t.type == DType::Int64));
}

bool isConversionOp(const Model& m, const Op& op) {
  std::string name = m.opName(op);
  return (name == "QUANTIZE" || name == "DEQUANTIZE") && op.inputs.size() == 1 && op.outputs.size() == 1 &&
         op.inputs[0] >= 0;
}

}  // namespace

DequantizedTwin makeDequantizedTwin(const Model& quantized) {
  if (quantized.subgraphs.size() != 1)
    unsupported(quantized.path, "models with several subgraphs (control flow) cannot be dequantized yet");
  DequantizedTwin twin;
  twin.model = quantized;
  Model& m = twin.model;
  m.description = "dequantized twin of " + (quantized.description.empty() ? quantized.path : quantized.description);
  m.path.clear();  // a new model: never the file it came from
  Subgraph& sg = m.subgraphs[0];

  for (Tensor& t : sg.tensors) {
    bool constant = !m.dataOf(t).empty();
    if (!needsDequantizing(t, constant)) continue;
    if (constant) {
      std::vector<float> real = constantRealValues(m, t);
      t.buffer = static_cast<uint32_t>(m.buffers.size());
      m.buffers.push_back(Bytes::copyOf(real.data(), real.size() * sizeof(float)));
    }
    t.type = DType::Float32;
    t.quant = QuantParams{};
  }

  // Drop QUANTIZE / DEQUANTIZE: whoever read the output now reads the input.
  std::vector<int> replacement(sg.tensors.size());
  for (size_t i = 0; i < replacement.size(); ++i) replacement[i] = static_cast<int>(i);
  auto resolve = [&](int t) {
    while (t >= 0 && replacement[static_cast<size_t>(t)] != t) t = replacement[static_cast<size_t>(t)];
    return t;
  };
  std::vector<Op> kept;
  twin.op_of_quant.assign(sg.ops.size(), -1);
  for (size_t i = 0; i < sg.ops.size(); ++i) {
    Op& op = sg.ops[i];
    if (isConversionOp(m, op)) {
      replacement[static_cast<size_t>(op.outputs[0])] = resolve(op.inputs[0]);
      continue;
    }
    for (int32_t& in : op.inputs) in = in < 0 ? in : resolve(in);
    if (op.outputs.size() == 1 && op.outputs[0] >= 0)
      restoreFoldedActivation(op, quantized.subgraphs[0].tensors[static_cast<size_t>(op.outputs[0])]);
    // Intermediates only carry integer-LSTM scales; a float op has none.
    op.intermediates.clear();
    twin.op_of_quant[i] = static_cast<int>(kept.size());
    kept.push_back(std::move(op));
  }
  sg.ops = std::move(kept);
  for (int32_t& o : sg.outputs) o = resolve(o);
  for (Signature& s : m.signatures)
    for (TensorMap& tm : s.outputs) tm.tensor = static_cast<uint32_t>(resolve(static_cast<int>(tm.tensor)));
  twin.tensor_of_quant.resize(sg.tensors.size());
  for (size_t i = 0; i < sg.tensors.size(); ++i) twin.tensor_of_quant[i] = resolve(static_cast<int>(i));
  dropUnusedBuffers(m);
  return twin;
}

}  // namespace ql
