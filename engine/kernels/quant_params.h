// Small pieces every quantized elementwise kernel needs: a tensor's per-tensor scale and zero point (refusing
// what the kernels cannot take), TFLite's power-of-two scale test, and an integer clamp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "runtime/kernel.h"

namespace ql {

struct QParams {
  float scale = 0;
  int32_t zero_point = 0;
};

// BadInput without a positive scale, Unsupported for per-channel parameters; `what` names the tensor.
inline QParams qparamsOf(const KernelContext& ctx, const RuntimeTensor& t, const char* what) {
  if (!t.quant().hasScale()) ctx.invalid(std::string("quantized ") + what + " without a scale");
  if (t.quant().perChannel()) ctx.unsupported(std::string("per-channel quantization of ") + what);
  if (!(t.scale() > 0) || !std::isfinite(t.scale())) ctx.invalid(std::string("non-positive scale on ") + what);
  return {t.scale(), t.zeroPoint()};
}

// TFLite's CheckedLog2: the scale's rounded log2, and whether the scale is a power of two within 1e-3.
inline bool checkedLog2(float x, int* log2_result) {
  const float x_log2 = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(x_log2);
  *log2_result = static_cast<int>(rounded);
  return std::fabs(x_log2 - rounded) < 1e-3f;
}

inline int32_t clampTo(int32_t v, int32_t lo, int32_t hi) { return std::min(std::max(v, lo), hi); }

}  // namespace ql
