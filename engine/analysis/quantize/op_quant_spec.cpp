#include "analysis/quantize/op_quant_spec.h"

#include <map>

namespace ql {

namespace {

OpQuantSpec plain(int version) {
  OpQuantSpec s;
  s.quantizable = true;
  s.int8_version = version;
  return s;
}

OpQuantSpec withWeights(int version, int axis, int bias) {
  OpQuantSpec s = plain(version);
  s.weight_input = 1;
  s.weight_axis = axis;
  s.bias_input = bias;
  return s;
}

OpQuantSpec sameScale(int version, SameScale kind, int real_input = 0) {
  OpQuantSpec s = plain(version);
  s.same_scale = kind;
  s.real_input = real_input;
  return s;
}

OpQuantSpec fixedOutput(int version, float scale, int zero_point) {
  OpQuantSpec s = plain(version);
  s.fixed_output = true;
  s.fixed_scale = scale;
  s.fixed_zero_point = zero_point;
  return s;
}

// From the specification's int8 operator table (quantization_spec.md) and TFLite's operator_property.cc: axis 0 for
// CONV_2D, FULLY_CONNECTED and TRANSPOSE_CONV (output channels), 3 for DEPTHWISE_CONV_2D. SUB has no shared-scale
// restriction in the specification (only in an older operator_property table), so it has none here. EXPAND_DIMS and
// DEPTH_TO_SPACE copy bytes in the runtime, so they share the scale like their siblings.
const std::map<std::string, OpQuantSpec>& table() {
  static const std::map<std::string, OpQuantSpec> t = [] {
    std::map<std::string, OpQuantSpec> m;
    const auto follow = SameScale::OutputsFollowInput;
    const auto gather = SameScale::InputsFollowOutput;
    for (const char* n : {"ADD", "SUB", "MUL", "MEAN", "SUM", "RELU", "RELU6", "LEAKY_RELU", "PRELU", "ARG_MAX",
                          "ARG_MIN", "EQUAL", "NOT_EQUAL", "LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL"})
      m[n] = plain(2);
    for (const char* n : {"RELU_N1_TO_1", "HARD_SWISH"}) m[n] = plain(1);
    m["CONV_2D"] = withWeights(3, 0, 2);
    m["DEPTHWISE_CONV_2D"] = withWeights(3, 3, 2);
    m["FULLY_CONNECTED"] = withWeights(4, 0, 2);
    m["TRANSPOSE_CONV"] = withWeights(3, 0, 3);
    m["TRANSPOSE_CONV"].real_input = 2;
    for (const char* n : {"AVERAGE_POOL_2D", "MAX_POOL_2D", "PAD", "PADV2", "MIRROR_PAD", "TRANSPOSE", "SLICE",
                          "STRIDED_SLICE", "GATHER", "SPACE_TO_DEPTH", "DEPTH_TO_SPACE", "SPACE_TO_BATCH_ND",
                          "BATCH_TO_SPACE_ND", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR", "REDUCE_MAX",
                          "REDUCE_MIN", "SPLIT_V"})
      m[n] = sameScale(2, follow);
    for (const char* n : {"RESHAPE", "SQUEEZE", "EXPAND_DIMS", "UNPACK"}) m[n] = sameScale(1, follow);
    m["SPLIT"] = sameScale(2, follow, 1);
    for (const char* n : {"CONCATENATION", "PACK", "MAXIMUM", "MINIMUM"}) m[n] = sameScale(2, gather);
    m["LOGISTIC"] = fixedOutput(2, 1.f / 256.f, -128);
    m["SOFTMAX"] = fixedOutput(2, 1.f / 256.f, -128);
    m["TANH"] = fixedOutput(2, 1.f / 128.f, 0);
    m["LOG_SOFTMAX"] = fixedOutput(2, 16.f / 256.f, 127);
    m["L2_NORMALIZATION"] = fixedOutput(2, 1.f / 128.f, 0);
    return m;
  }();
  return t;
}

}  // namespace

OpQuantSpec opQuantSpec(const std::string& op_name) {
  auto it = table().find(op_name);
  return it == table().end() ? OpQuantSpec{} : it->second;
}

}  // namespace ql
