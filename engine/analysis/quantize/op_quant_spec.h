// What TFLite's int8 quantization specification asks of each op: which input is a weight and on which axis it is
// quantized per channel, which is the bias, the fixed output parameters some ops require, and the ops whose
// inputs and outputs must share one scale and zero point. One table, read by the quantizer and nothing else.
#pragma once

#include <string>
#include <vector>

namespace ql {

enum class SameScale {
  None,
  // Data movement (RESHAPE, PAD, MAX_POOL_2D, SPLIT, ...): every output takes the parameters of the real input.
  OutputsFollowInput,
  // Several real inputs (CONCATENATION, PACK, MAXIMUM, MINIMUM): the output is calibrated, and each input whose
  // parameters differ is requantized to it by a QUANTIZE op, as TFLite's quantize_model does.
  InputsFollowOutput,
};

struct OpQuantSpec {
  bool quantizable = false;
  int weight_input = -1;  // constant input quantized symmetric int8 in [-127, 127]
  int weight_axis = -1;   // its per-channel axis (-1: per tensor)
  int bias_input = -1;    // int32, scale = input scale x weight scale, zero point 0
  int real_input = 0;     // the input whose parameters OutputsFollowInput copies (SPLIT's data is input 1)
  SameScale same_scale = SameScale::None;
  bool fixed_output = false;  // LOGISTIC, SOFTMAX, TANH, ...: the runtime requires these output parameters
  float fixed_scale = 0;
  int fixed_zero_point = 0;
  int int8_version = 1;  // the lowest op version whose kernel takes int8
};

// The specification's entry for a builtin op name; quantizable is false for ops quantlens cannot quantize.
OpQuantSpec opQuantSpec(const std::string& op_name);

}  // namespace ql
