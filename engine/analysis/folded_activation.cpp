#include "analysis/folded_activation.h"

#include <cmath>

#include "model/options_codec.h"
#include "model/quantization_kind.h"

namespace ql {

const char* restoreFoldedActivation(Op& op, const Tensor& quantized_output) {
  auto it = op.options.find("fused_activation_function");
  if (it == op.options.end() || *it != "NONE" || !isQuantizedTensor(quantized_output) ||
      quantized_output.quant.scale.size() != 1 || quantized_output.quant.zero_point.size() != 1)
    return nullptr;
  const double scale = quantized_output.quant.scale[0];
  const double zp = static_cast<double>(quantized_output.quant.zero_point[0]);
  const bool u8 = quantized_output.type == DType::UInt8;
  const double qmin = u8 ? 0 : quantized_output.type == DType::Int8 ? -128 : -32768;
  const double qmax = u8 ? 255 : quantized_output.type == DType::Int8 ? 127 : 32767;
  const double lo = (qmin - zp) * scale, hi = (qmax - zp) * scale;
  const char* folded = lo == 0 && hi <= 6 + 1e-6 && hi >= 6 - 1.01 * scale      ? "RELU6"
                       : lo == 0                                                ? "RELU"
                       : std::abs(lo + 1) <= scale && std::abs(hi - 1) <= scale ? "RELU_N1_TO_1"
                                                                                : nullptr;
  if (!folded || !op.builtin_options.present()) return nullptr;
  *it = folded;
  // The writer stores the options table, not the decoded view: rebuild it from the changed fields.
  op.builtin_options = unionTableFromJson(
      "tflite.BuiltinOptions", unionMemberName("tflite.BuiltinOptions", op.builtin_options.type), op.options);
  return folded;
}

}  // namespace ql
