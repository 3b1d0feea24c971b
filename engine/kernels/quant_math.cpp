#include "kernels/quant_math.h"

#include <stdexcept>

namespace ql {

void quantizeMultiplier(double real, int32_t* multiplier, int* shift) {
  if (real == 0.0) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  const double q = std::frexp(real, shift);
  auto q_fixed = static_cast<int64_t>(std::round(q * (int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {
    q_fixed /= 2;
    ++*shift;
  }
  if (*shift < -31) {  // too small to represent: TFLite flushes to zero
    *shift = 0;
    q_fixed = 0;
  }
  if (*shift > 30) {  // saturate, as TFLite does
    *shift = 30;
    q_fixed = (int64_t{1} << 31) - 1;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
}

int32_t multiplyByQuantizedMultiplier(int64_t x, int32_t multiplier, int shift) {
  // As TFLite's 64-bit reference: multiply, then one rounding shift by (31 - shift).
  const int64_t total_shift = 31 - shift;
  const int64_t round = int64_t{1} << (total_shift - 1);
  int64_t result = x * static_cast<int64_t>(multiplier) + round;
  result = result >> total_shift;
  result = std::min<int64_t>(std::max<int64_t>(result, std::numeric_limits<int32_t>::min()),
                             std::numeric_limits<int32_t>::max());
  return static_cast<int32_t>(result);
}

Activation activationFromName(const std::string& name) {
  if (name.empty() || name == "NONE") return Activation::None;
  if (name == "RELU") return Activation::Relu;
  if (name == "RELU_N1_TO_1") return Activation::ReluN1To1;
  if (name == "RELU6") return Activation::Relu6;
  if (name == "TANH") return Activation::Tanh;
  if (name == "SIGN_BIT") return Activation::SignBit;
  throw std::invalid_argument("unknown fused activation " + name);
}

void activationRangeFloat(Activation a, float* lo, float* hi) {
  *lo = -std::numeric_limits<float>::infinity();
  *hi = std::numeric_limits<float>::infinity();
  if (a == Activation::Relu) *lo = 0;
  if (a == Activation::Relu6) *lo = 0, *hi = 6;
  if (a == Activation::ReluN1To1) *lo = -1, *hi = 1;
}

void activationRangeQuantized(Activation a, float scale, int32_t zero_point, int32_t type_min, int32_t type_max,
                              int32_t* lo, int32_t* hi) {
  auto q = [&](float f) { return zero_point + static_cast<int32_t>(std::round(f / scale)); };
  *lo = type_min;
  *hi = type_max;
  if (a == Activation::Relu) *lo = std::max(type_min, q(0.f));
  if (a == Activation::Relu6) {
    *lo = std::max(type_min, q(0.f));
    *hi = std::min(type_max, q(6.f));
  }
  if (a == Activation::ReluN1To1) {
    *lo = std::max(type_min, q(-1.f));
    *hi = std::min(type_max, q(1.f));
  }
}

}  // namespace ql
