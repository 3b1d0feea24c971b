// The fixed-point and fp32 requantization helpers on hand-computed values.
#include <gtest/gtest.h>

#include "kernels/quant_math.h"
#include "kernels/shape_util.h"

namespace ql {
namespace {

TEST(QuantMath, QuantizeMultiplierRepresentsTheRealValue) {
  int32_t m = 0;
  int shift = 0;
  quantizeMultiplier(0.5, &m, &shift);
  EXPECT_EQ(m, 1 << 30);
  EXPECT_EQ(shift, 0);
  quantizeMultiplier(0.75, &m, &shift);
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(shift, 0);
  quantizeMultiplier(3.0, &m, &shift);  // 0.75 * 2^2
  EXPECT_EQ(m, 3 << 29);
  EXPECT_EQ(shift, 2);
  quantizeMultiplier(0.0, &m, &shift);
  EXPECT_EQ(m, 0);
}

// A damaged file's output scale of 0 makes the real multiplier infinite (the run fuzzer's finding): it saturates
// like any multiplier too large to represent, and NaN counts as zero, instead of converting inf to an integer.
TEST(QuantMath, QuantizeMultiplierSaturatesOnInfinityAndZeroesNaN) {
  int32_t m = 0;
  int shift = 0;
  quantizeMultiplier(1e300 * 1e300, &m, &shift);
  EXPECT_EQ(m, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(shift, 30);
  quantizeMultiplier(1e12, &m, &shift);  // finite but too large: the same saturation
  EXPECT_EQ(m, std::numeric_limits<int32_t>::max());
  EXPECT_EQ(shift, 30);
  quantizeMultiplier(std::nan(""), &m, &shift);
  EXPECT_EQ(m, 0);
  EXPECT_EQ(shift, 0);
}

// Float-to-integer conversions of values a damaged scale makes (inf, NaN, 1e20) saturate instead of being undefined.
TEST(QuantMath, RoundingToAnIntegerSaturatesAndTakesNaNAsZero) {
  EXPECT_EQ(roundToInt32Saturated(2.5f), 3);
  EXPECT_EQ(roundToInt32Saturated(-2.5f), -3);
  EXPECT_EQ(roundToInt32Saturated(1e20f), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(roundToInt32Saturated(-INFINITY), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(roundToInt32Saturated(NAN), 0);
  EXPECT_EQ(zeroPointPlusRounded(-128, 3.4f), -125);
  EXPECT_EQ(zeroPointPlusRounded(100, INFINITY), std::numeric_limits<int32_t>::max());  // no signed overflow
  EXPECT_EQ(quantizeValue<int8_t>(1.f, 0.f, 0), 127);  // 1 / 0 = inf
  EXPECT_EQ(quantizeValue<uint8_t>(0.f, 0.f, 128), 128);  // 0 / 0 = NaN
}

TEST(QuantMath, MultiplyByQuantizedMultiplierRoundsHalfAwayFromZero) {
  int32_t m = 0;
  int shift = 0;
  quantizeMultiplier(0.5, &m, &shift);
  EXPECT_EQ(multiplyByQuantizedMultiplier(int32_t{3}, m, shift), 2);    // 1.5 -> 2
  // gemmlowp's doubling high multiply nudges negative products by 1 - 2^30, so -1.5 becomes -1 when no
  // rounding shift follows (shift 0), while the shift itself rounds half away from zero (below).
  EXPECT_EQ(multiplyByQuantizedMultiplier(int32_t{-3}, m, shift), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplier(int32_t{5}, m, shift), 3);    // 2.5 -> 3
  quantizeMultiplier(0.25, &m, &shift);
  EXPECT_EQ(multiplyByQuantizedMultiplier(int32_t{6}, m, shift), 2);  // 1.5 -> 2
  EXPECT_EQ(multiplyByQuantizedMultiplier(int32_t{-6}, m, shift), -2);
}

TEST(QuantMath, SaturatingRoundingDoublingHighMulSaturatesOnlyAtMinTimesMin) {
  EXPECT_EQ(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1 << 30, 1 << 30), 1 << 29);
}

TEST(QuantMath, Fp32RequantizationRoundsHalfToEvenAndClamps) {
  EXPECT_EQ(requantizeFp32(5, 0.5f, 0, -128, 127), 2);   // 2.5 -> 2
  EXPECT_EQ(requantizeFp32(7, 0.5f, 0, -128, 127), 4);   // 3.5 -> 4
  EXPECT_EQ(requantizeFp32(-5, 0.5f, 0, -128, 127), -2);
  EXPECT_EQ(requantizeFp32(1000, 1.f, 10, -128, 127), 127);
  EXPECT_EQ(requantizeFp32(-1000, 1.f, 10, -128, 127), -128);
  EXPECT_EQ(requantizeFp32(3, 1.f, -128, -128, 127), -125);
}

TEST(QuantMath, ActivationRangesOnAQuantizedOutput) {
  int32_t lo = 0, hi = 0;
  activationRangeQuantized(Activation::Relu6, 0.05f, -10, -128, 127, &lo, &hi);
  EXPECT_EQ(lo, -10);
  EXPECT_EQ(hi, 110);
  activationRangeQuantized(Activation::Relu6, 0.01f, -10, -128, 127, &lo, &hi);
  EXPECT_EQ(hi, 127);  // 6.0 is not representable: saturates
  activationRangeQuantized(Activation::None, 0.01f, 3, 0, 255, &lo, &hi);
  EXPECT_EQ(lo, 0);
  EXPECT_EQ(hi, 255);
}

TEST(ShapeUtil, SameAndValidWindows) {
  EXPECT_EQ(windowOutputSize(Padding::Same, 5, 3, 2), 3);
  EXPECT_EQ(windowOutputSize(Padding::Valid, 5, 3, 2), 2);
  EXPECT_EQ(windowOutputSize(Padding::Valid, 7, 3, 1, 2), 3);  // dilated filter spans 5
  EXPECT_EQ(windowPaddingBefore(Padding::Same, 5, 3, 2, 1, 3), 1);
  EXPECT_EQ(windowPaddingBefore(Padding::Same, 4, 3, 2, 1, 2), 0);  // total 1: the extra pixel goes after
  EXPECT_EQ(broadcastShapes({2, 1, 3}, {4, 1}), (std::vector<int32_t>{2, 4, 3}));
  EXPECT_THROW(broadcastShapes({2, 3}, {4, 3}), std::invalid_argument);
  EXPECT_EQ(broadcastStrides({4, 1}, {2, 4, 3}), (std::vector<int64_t>{0, 1, 0}));
}

}  // namespace
}  // namespace ql
