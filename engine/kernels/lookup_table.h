// 8-bit quantized unary functions as a 256-entry table, built once in prepare: dequantize every possible input,
// apply f in float, quantize with the output parameters. XNNPACK rounds half to even (lrintf); TFLite's
// builtin kernels round half away from zero.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <functional>

#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {

template <typename T>
std::array<T, 256> buildLookupTable(Arithmetic arithmetic, float in_scale, int32_t in_zp, float out_scale,
                                    int32_t out_zp, const std::function<float(float)>& f) {
  std::array<T, 256> table{};
  const float inv_out = 1.0f / out_scale;
  for (int32_t q = qmin<T>(); q <= qmax<T>(); ++q) {
    float x = in_scale * static_cast<float>(q - in_zp);
    float y = f(x) * inv_out;
    int32_t r = arithmetic == Arithmetic::Deployed ? static_cast<int32_t>(std::lrint(y))
                                                    : static_cast<int32_t>(std::round(y));
    r = std::min(std::max(r + out_zp, qmin<T>()), qmax<T>());
    table[static_cast<uint8_t>(static_cast<T>(q))] = static_cast<T>(r);
  }
  return table;
}

template <typename T>
void applyLookupTable(const std::array<T, 256>& table, const T* in, T* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = table[static_cast<uint8_t>(in[i])];
}

}  // namespace ql
