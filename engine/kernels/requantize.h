// Turning an int32 accumulator (sum of (x - x_zp) * (w - w_zp) + bias) into an output value, per output channel,
// in either arithmetic: XNNPACK's float scale (input_scale * weight_scale / output_scale in float, round half to
// even) or TFLite's reference multiplier and shift (the same ratio in double, fixed point).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {

// int32 accumulator of output channel c -> output value, the one output stage of the plain loops and of the SIMD
// paths (gemm_int8, conv_depthwise read the fields).
struct Requantizer {
  bool fp32 = true;                 // XNNPACK (acc * scale[c] in float, round half to even) or TFLite fixed point
  std::vector<float> scale;         // per channel, fp32
  std::vector<int32_t> multiplier;  // per channel, fixed point
  std::vector<int> shift;
  int32_t zero_point = 0, lo = 0, hi = 0;  // output zero point; the fused activation's integer clamp

  Requantizer() = default;
  // weight_scales: one per channel, or one for all. lo/hi: the fused activation's integer clamp.
  Requantizer(Arithmetic arithmetic, float input_scale, const std::vector<float>& weight_scales, float output_scale,
              int channels, int32_t output_zero_point, int32_t lo, int32_t hi);

  int32_t operator()(int32_t acc, int channel) const {
    const size_t c = static_cast<size_t>(channel);
    if (fp32) return requantizeFp32(acc, scale[c], zero_point, lo, hi);
    const int32_t v = multiplyByQuantizedMultiplier(acc, multiplier[c], shift[c]) + zero_point;
    return std::min(std::max(v, lo), hi);
  }
};

// The integer clamp of a fused activation on an output of type [type_min, type_max], as the chosen arithmetic
// computes it: XNNPACK quantizes the float bounds with lrint, TFLite's reference with round half away from zero.
void fusedActivationRange(Arithmetic arithmetic, Activation act, float scale, int32_t zero_point, int32_t type_min,
                          int32_t type_max, int32_t* lo, int32_t* hi);

}  // namespace ql
