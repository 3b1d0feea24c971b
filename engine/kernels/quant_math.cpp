#include "kernels/quant_math.h"

#include <stdexcept>

namespace ql {

void quantizeMultiplier(double real, int32_t* multiplier, int* shift) {
  if (std::isinf(real)) {  // a damaged file's zero output scale: saturate as an oversized multiplier does below
    *shift = 30;
    *multiplier = real > 0 ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min();
    return;
  }
  if (real == 0.0 || std::isnan(real)) {
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

int32_t multiplyByQuantizedMultiplierHalfAway(int64_t x, int32_t multiplier, int shift) {
  __extension__ typedef __int128 Wide;
  const int total_shift = 31 - std::min(shift, 30);
  const Wide product = static_cast<Wide>(x) * multiplier;
  const Wide half = static_cast<Wide>(1) << (total_shift - 1);
  const Wide magnitude = ((product < 0 ? -product : product) + half) >> total_shift;
  const Wide v = product < 0 ? -magnitude : magnitude;
  const Wide lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(v < lo ? lo : v > hi ? hi : v);
}

int32_t oneOverOnePlusX(int32_t a) {
  // gemmlowp adds raw values with wrapping (unsigned) arithmetic; so do these.
  auto add = [](int32_t x, int32_t y) {
    return static_cast<int32_t>(static_cast<uint32_t>(x) + static_cast<uint32_t>(y));
  };
  auto sub = [](int32_t x, int32_t y) {
    return static_cast<int32_t>(static_cast<uint32_t>(x) - static_cast<uint32_t>(y));
  };
  auto mul = [](int32_t x, int32_t y) { return saturatingRoundingDoublingHighMul(x, y); };
  const int64_t sum = static_cast<int64_t>(a) + std::numeric_limits<int32_t>::max();
  const int32_t half_denominator = static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);  // Q0.31
  const int32_t c48_17 = 1515870810, c_neg32_17 = -1010580540, one_q2 = 1 << 29;          // Q2.29
  int32_t x = add(c48_17, mul(half_denominator, c_neg32_17));
  for (int i = 0; i < 3; ++i) {
    const int32_t one_minus_hd_x = sub(one_q2, mul(half_denominator, x));
    x = add(x, saturatingRoundingMultiplyByPOT(mul(x, one_minus_hd_x), 2));
  }
  return saturatingRoundingMultiplyByPOT(x, 1);  // x / 2 read as Q1.30, rescaled to Q0.31
}

int32_t reciprocal(int32_t x, int integer_digits, int* num_bits_over_unit) {
  const int headroom_plus_one = countLeadingZeros(static_cast<uint32_t>(x));
  *num_bits_over_unit = integer_digits - headroom_plus_one;
  const int32_t shifted_minus_one =
      static_cast<int32_t>((static_cast<uint32_t>(x) << headroom_plus_one) - (uint32_t{1} << 31));
  return oneOverOnePlusX(shifted_minus_one);
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
  auto q = [&](float f) { return zeroPointPlusRounded(zero_point, f / scale); };
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
