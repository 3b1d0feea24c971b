// The single home of quantization arithmetic (r = scale * (q - zero_point)). Kernels call these; none re-derives
// them. Two families, because TFLite's CPU runtime uses both:
//  - reference: TFLite's builtin kernels, an integer multiplier and shift with gemmlowp rounding;
//  - fp32: XNNPACK, which multiplies the int32 accumulator by a float scale and rounds half to even.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace ql {

// --- reference (fixed point) ------------------------------------------------------------------------------------

// real ~= multiplier * 2^(shift - 31), multiplier in [2^30, 2^31). As TFLite's QuantizeMultiplier.
void quantizeMultiplier(double real, int32_t* multiplier, int* shift);

inline int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min()) return std::numeric_limits<int32_t>::max();
  int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  int32_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// Division by 2^exponent rounding half away from zero.
inline int32_t roundingDivideByPOT(int32_t x, int exponent) {
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// x * multiplier * 2^(shift - 31) with TFLite's double rounding.
inline int32_t multiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  int left = shift > 0 ? shift : 0;
  int right = shift > 0 ? 0 : -shift;
  // Saturated where TFLite's int32 product x * 2^left would overflow: only a damaged file's scales get there
  // (the run fuzzer's int8 LSTM with a hidden-state scale near zero), and it must not be undefined behaviour.
  const int64_t shifted = static_cast<int64_t>(x) * (int64_t{1} << left);
  const int32_t x_shifted = static_cast<int32_t>(std::min<int64_t>(
      std::max<int64_t>(shifted, std::numeric_limits<int32_t>::min()), std::numeric_limits<int32_t>::max()));
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x_shifted, multiplier), right);
}

// x * multiplier * 2^(shift - 31) rounded once, half up (TFLITE_SINGLE_ROUNDING's 32-bit variant).
inline int32_t multiplyByQuantizedMultiplierSingleRounding(int32_t x, int32_t multiplier, int shift) {
  const int total_shift = 31 - std::min(shift, 30);
  const int64_t round = int64_t{1} << (total_shift - 1);
  return static_cast<int32_t>((static_cast<int64_t>(x) * multiplier + round) >> total_shift);
}

// TFLite's MultiplyByQuantizedMultiplier(int64_t x, int32_t multiplier, int shift): the multiplier reduced to
// 16 bits (rounded), one rounding shift by 15 - shift (half up).
inline int32_t multiplyByQuantizedMultiplier16BitMultiplier(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = std::max(1, 15 - shift);
  const int64_t round = int64_t{1} << (total_shift - 1);
  // The product of a 48-bit sum and a 16-bit multiplier fits int64; the shifted result fits int32 by design.
  return static_cast<int32_t>((x * static_cast<int64_t>(reduced) + round) >> total_shift);
}

// x * multiplier * 2^(shift - 31) exactly (128-bit product), rounded half away from zero, saturated to int32.
int32_t multiplyByQuantizedMultiplierHalfAway(int64_t x, int32_t multiplier, int shift);

// --- gemmlowp fixed-point helpers (TFLite's reference kernels) -------------------------------------------------

// Leading zero bits of x (32 for 0).
inline int countLeadingZeros(uint32_t x) { return x == 0 ? 32 : __builtin_clz(x); }

// Leading bits equal to the sign bit, not counting the sign bit itself (TFLite's CountLeadingSignBits).
inline int countLeadingSignBits(int32_t x) {
  if (x >= 0) return countLeadingZeros(static_cast<uint32_t>(x)) - 1;
  if (x == std::numeric_limits<int32_t>::min()) return 0;
  return countLeadingZeros(2 * static_cast<uint32_t>(-static_cast<int64_t>(x)) - 1);
}

// x * 2^exponent: saturating for exponent > 0, rounding (half away from zero) for exponent < 0.
inline int32_t saturatingRoundingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent <= 0) return exponent == 0 ? x : roundingDivideByPOT(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(static_cast<uint32_t>(x) << exponent);
}

// 1 / (1 + a) for a in [0, 1), Q0.31 in and out: three Newton-Raphson steps from 48/17 - 32/17 d (gemmlowp's
// one_over_one_plus_x_for_x_in_0_1).
int32_t oneOverOnePlusX(int32_t a);

// TFLite's GetReciprocal: 1 / x for x in Q(integer_digits), as a Q0.31 scale and a count of bits over one.
int32_t reciprocal(int32_t x, int integer_digits, int* num_bits_over_unit);

// --- fp32 (XNNPACK) -------------------------------------------------------------------------------------------

// acc * scale rounded half to even, plus zero_point, clamped to [qmin, qmax]. Float math in float, like XNNPACK.
inline int32_t requantizeFp32(int32_t acc, float scale, int32_t zero_point, int32_t qmin, int32_t qmax) {
  float x = static_cast<float>(acc) * scale;
  x = std::min(std::max(x, static_cast<float>(qmin - zero_point)), static_cast<float>(qmax - zero_point));
  // Round half to even by adding and removing 1.5 * 2^23 (XNNPACK's "magic bias"): exact for |x| < 2^22, which
  // the clamp above guarantees, and much cheaper than a rounding-mode-aware library call.
  constexpr float kMagic = 12582912.0f;
  x = (x + kMagic) - kMagic;
  return static_cast<int32_t>(x) + zero_point;
}

// --- quantize / dequantize --------------------------------------------------------------------------------------

// round(x), half away from zero, as an int32 saturated at its range, NaN as 0. Converting a float outside int32's
// range to an integer is undefined behaviour, and a damaged file's zero, infinite or NaN scale makes such floats
// (the run fuzzer's finding in quantized SOFTMAX).
inline int32_t roundToInt32Saturated(float x) {
  if (std::isnan(x)) return 0;
  if (x >= 2147483648.0f) return std::numeric_limits<int32_t>::max();
  if (x <= -2147483648.0f) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(std::round(x));
}

// zero_point + round(x), saturated at int32's range.
inline int32_t zeroPointPlusRounded(int32_t zero_point, float x) {
  const int64_t v = int64_t{zero_point} + roundToInt32Saturated(x);
  return static_cast<int32_t>(std::clamp<int64_t>(v, std::numeric_limits<int32_t>::min(),
                                                  std::numeric_limits<int32_t>::max()));
}

template <typename T>
constexpr int32_t qmin() { return std::numeric_limits<T>::min(); }
template <typename T>
constexpr int32_t qmax() { return std::numeric_limits<T>::max(); }

// TFLite's reference Quantize: zero_point + round(value / scale), half away from zero, saturated.
template <typename T>
inline T quantizeValue(float value, float scale, int32_t zero_point) {
  int32_t q = zeroPointPlusRounded(zero_point, value / scale);
  return static_cast<T>(std::min(std::max(q, qmin<T>()), qmax<T>()));
}

template <typename T>
inline float dequantizeValue(T q, float scale, int32_t zero_point) {
  return scale * static_cast<float>(static_cast<int32_t>(q) - zero_point);
}

// --- fused activations ------------------------------------------------------------------------------------------

enum class Activation { None, Relu, ReluN1To1, Relu6, Tanh, SignBit };
Activation activationFromName(const std::string& name);  // "RELU6" -> Relu6; throws std::invalid_argument

void activationRangeFloat(Activation a, float* lo, float* hi);
// The integer clamp an activation means on a quantized output, as TFLite computes it.
void activationRangeQuantized(Activation a, float scale, int32_t zero_point, int32_t type_min, int32_t type_max,
                              int32_t* lo, int32_t* hi);

}  // namespace ql
