#include "model/quantization_kind.h"

#include <set>

namespace ql {

bool isQuantizedTensor(const Tensor& t) {
  return (t.type == DType::Int8 || t.type == DType::UInt8 || t.type == DType::Int16 || t.type == DType::Int4) &&
         t.quant.hasScale();
}

QuantizationKind quantizationKind(const Model& model) {
  bool quant_activations = false, inner_float_activations = false, int_weights = false, half_weights = false;
  for (const Subgraph& sg : model.subgraphs) {
    std::set<int32_t> edges(sg.inputs.begin(), sg.inputs.end());
    edges.insert(sg.outputs.begin(), sg.outputs.end());
    auto constant = [&](int32_t i) { return i < 0 || !model.dataOf(sg.tensors[i]).empty(); };
    for (const Tensor& t : sg.tensors) {
      if (model.dataOf(t).empty()) continue;
      if (isQuantizedTensor(t)) int_weights = true;
      if (t.type == DType::Float16) half_weights = true;
    }
    for (const Op& op : sg.ops) {
      bool all_const = true;
      for (int32_t i : op.inputs) all_const = all_const && constant(i);
      if (all_const && !op.inputs.empty()) continue;  // e.g. DEQUANTIZE of float16 weights
      for (int32_t o : op.outputs) {
        const Tensor& t = sg.tensors[o];
        if (isQuantizedTensor(t)) quant_activations = true;
        if (t.type == DType::Float32 && !edges.count(o)) inner_float_activations = true;
      }
    }
  }
  if (quant_activations) return inner_float_activations ? QuantizationKind::Mixed : QuantizationKind::FullInteger;
  if (int_weights) return QuantizationKind::DynamicRange;
  if (half_weights) return QuantizationKind::Float16;
  return QuantizationKind::Float;
}

const char* quantizationKindName(QuantizationKind k) {
  switch (k) {
    case QuantizationKind::Float: return "float";
    case QuantizationKind::Float16: return "float16";
    case QuantizationKind::DynamicRange: return "dynamic range";
    case QuantizationKind::FullInteger: return "full integer";
    case QuantizationKind::Mixed: return "mixed";
  }
  return "?";
}

}  // namespace ql
