#include "kernels/xnnpack_float_math.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace ql {
namespace {

float fromBits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

uint32_t toBits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}

}  // namespace

float xnnpackSigmoid(float x) {
  // Every step is a separate float multiply or add (no fused multiply-add), in XNNPACK's order; the project
  // builds with -ffp-contract=off so the compiler keeps it that way.
  const float z = std::fabs(x);
  // n = round(-z / ln 2): adding the magic number leaves the rounded integer in the low mantissa bits, and
  // shifting those bits into the exponent field makes s = 2^n directly.
  const float magic = 0x1.8000FEp23f;
  float n = z * -0x1.715476p+0f + magic;
  const float s = fromBits(toBits(n) << 23);
  n -= magic;
  // t = z + n ln 2, with ln 2 split in a high part (exact products) and a low part.
  float t = n * 0x1.62E400p-1f + z;
  t = n * 0x1.7F7D1Cp-20f + t;
  // exp(-t) ~ 1 + t p(t), Horner from the highest coefficient.
  float p = t * -0x1.0F9F9Cp-7f + 0x1.573A1Ap-5f;
  p = t * p + -0x1.555A80p-3f;
  p = t * p + 0x1.FFFDC6p-2f;
  p = t * p + -0x1.FFFFF6p-1f;
  t *= s;
  const float e = t * p + s;  // exp(-z)
  float f = e / (e + 1.0f);   // sigmoid(-z)
  // Beyond this z, exp(-z) is denormal and the polynomial's scale no longer holds: sigmoid(-z) flushes to 0.
  if (z > 0x1.5D589Ep+6f) f = 0.0f;
  return std::signbit(x) ? f : 1.0f - f;
}

float xnnpackHardSwish(float x) {
  const float gate = x * (1.0f / 6.0f) + 0.5f;
  return std::min(std::max(gate, 0.0f), 1.0f) * x;
}

}  // namespace ql
