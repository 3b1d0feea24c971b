#include "kernels/fixed_point16.h"

#include <algorithm>
#include <limits>

#include "kernels/quant_math.h"

namespace ql::fp16 {

namespace {
constexpr int16_t kOneQ0 = std::numeric_limits<int16_t>::max();  // "1" with no integer bits saturates

int16_t add(int16_t a, int16_t b) { return static_cast<int16_t>(a + b); }  // wraps, as the raw Add does
int16_t sub(int16_t a, int16_t b) { return static_cast<int16_t>(a - b); }
int16_t neg(int16_t a) { return static_cast<int16_t>(-a); }
int16_t saturatingAdd(int16_t a, int16_t b) {
  return static_cast<int16_t>(std::min(32767, std::max(-32768, static_cast<int32_t>(a) + b)));
}
int16_t roundingHalfSum(int16_t a, int16_t b) {
  int32_t sum = static_cast<int32_t>(a) + b;
  return static_cast<int16_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}
int16_t mul(int16_t a, int16_t b) { return saturatingRoundingDoublingHighMul(a, b); }

// exp(a) for a in [-1/4, 0), a in Q0.15: a Taylor expansion around -1/8.
int16_t expOnQuarterInterval(int16_t a) {
  const int16_t constant_term = constantFrom32(1895147668);  // exp(-1/8)
  const int16_t one_third = constantFrom32(715827883);
  const int16_t x = add(a, 1 << 12);  // + 1/8
  const int16_t x2 = mul(x, x), x3 = mul(x2, x), x4 = mul(x2, x2);
  const int16_t x4_over_4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const int16_t poly = saturatingRoundingMultiplyByPOT(add(mul(add(x4_over_4, x3), one_third), x2), -1);
  return saturatingAdd(constant_term, mul(constant_term, add(x, poly)));
}

// exp(a) for a <= 0 with `ib` integer bits; Q0.15 result.
int16_t expOnNegativeValues(int16_t a, int ib) {
  const int fb = 15 - ib;
  const int16_t quarter = static_cast<int16_t>(1 << (fb - 2));
  const int16_t mask = static_cast<int16_t>(quarter - 1);
  const int16_t a_mod = sub(static_cast<int16_t>(a & mask), quarter);
  int16_t result = expOnQuarterInterval(saturatingRoundingMultiplyByPOT(a_mod, ib));
  const int16_t remainder = sub(a_mod, a);
  // Multiply in exp(-2^k) for each bit k of the remainder (a barrel shifter).
  struct Step {
    int exponent;
    int32_t multiplier;
  };
  const Step steps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                        {2, 39332535},    {3, 720401},      {4, 242}};
  for (const Step& s : steps) {
    if (ib <= s.exponent) continue;
    const int shift = fb + s.exponent;
    const int16_t bit = static_cast<int16_t>(1 << shift);
    if (remainder & bit) result = mul(result, constantFrom32(s.multiplier));
  }
  if (ib > 5) {
    const int16_t clamp = constantFrom32(-(1 << (36 - ib)));  // -32
    if (a < clamp) result = 0;
  }
  return a == 0 ? kOneQ0 : result;
}

// Newton-Raphson for 1 / (1 + a) (logistic) or (1 - a) / (1 + a) (tanh), a in (0, 1), Q0.15.
int16_t newtonRaphson(int16_t a, bool one_minus) {
  const int16_t half_denominator = roundingHalfSum(a, kOneQ0);
  const int16_t c48_17 = constantFrom32(1515870810), c_neg32_17 = constantFrom32(-1010580540);  // Q2.13
  const int16_t one_q2 = 1 << 13;
  int16_t x = add(c48_17, mul(half_denominator, c_neg32_17));
  for (int i = 0; i < 3; ++i) {
    const int16_t one_minus_hdx = sub(one_q2, mul(half_denominator, x));
    x = add(x, saturatingRoundingMultiplyByPOT(mul(x, one_minus_hdx), 2));
  }
  if (one_minus) return saturatingRoundingMultiplyByPOT(sub(x, one_q2), 2);
  return saturatingRoundingMultiplyByPOT(x, 1);  // x / 2 in Q1.14, rescaled to Q0.15
}

}  // namespace

int16_t saturatingRoundingDoublingHighMul(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * b;
  const int16_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}

int16_t roundingDivideByPOT(int16_t x, int exponent) {
  const int16_t mask = static_cast<int16_t>((1 << exponent) - 1);
  const int16_t remainder = static_cast<int16_t>(x & mask);
  const int16_t threshold = static_cast<int16_t>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<int16_t>((x >> exponent) + (remainder > threshold ? 1 : 0));
}

int16_t saturatingRoundingMultiplyByPOT(int16_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  const int32_t threshold = (1 << (15 - exponent)) - 1;
  if (x > threshold) return std::numeric_limits<int16_t>::max();
  if (x < -threshold) return std::numeric_limits<int16_t>::min();
  return static_cast<int16_t>(x * (1 << exponent));
}

int16_t constantFrom32(int32_t raw32) { return static_cast<int16_t>(ql::roundingDivideByPOT(raw32, 16)); }

int16_t logistic(int16_t x, int integer_bits) {
  if (x == 0) return 1 << 14;  // one half
  const bool positive = x > 0;
  const int16_t abs_x = positive ? x : neg(x);
  const int16_t result_if_positive = newtonRaphson(expOnNegativeValues(neg(abs_x), integer_bits), false);
  return positive ? result_if_positive : sub(kOneQ0, result_if_positive);
}

int16_t tanh(int16_t x, int integer_bits) {
  if (x == 0) return 0;
  const bool negative = x < 0;
  const int16_t n = negative ? x : neg(x);
  // exp(2n): the same raw value read with one more integer bit.
  const int16_t t = newtonRaphson(expOnNegativeValues(n, integer_bits + 1), true);
  return negative ? neg(t) : t;
}

}  // namespace ql::fp16
