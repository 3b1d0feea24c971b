// What kind of quantization a model carries, as a user would name it.
#pragma once

#include <string>

#include "model/graph.h"

namespace ql {

enum class QuantizationKind {
  Float,         // float weights and activations
  Float16,       // float16 weights dequantized to float at load, float compute
  DynamicRange,  // int8 weights, float activations (hybrid kernels quantize activations on the fly)
  FullInteger,   // integer activations throughout (float only at the model's inputs and outputs)
  Mixed,         // integer activations with float computation in between
};

QuantizationKind quantizationKind(const Model& model);
const char* quantizationKindName(QuantizationKind k);  // "float", "float16", "dynamic range", ...

// True for an int8/uint8/int16 tensor with a scale, i.e. one whose values stand for reals.
bool isQuantizedTensor(const Tensor& t);

}  // namespace ql
