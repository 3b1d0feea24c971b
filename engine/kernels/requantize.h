// Turning an int32 accumulator (sum of (x - x_zp) * (w - w_zp) + bias) into an output value, per output channel,
// in either arithmetic: XNNPACK's float scale (input_scale * weight_scale / output_scale in float, round half to
// even) or TFLite's reference multiplier and shift (the same ratio in double, fixed point).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {

class Requantizer {
 public:
  // weight_scales: one per channel, or one for all. lo/hi: the fused activation's integer clamp.
  Requantizer(Arithmetic arithmetic, float input_scale, const std::vector<float>& weight_scales, float output_scale,
              int channels, int32_t output_zero_point, int32_t lo, int32_t hi);

  int32_t operator()(int32_t acc, int channel) const {
    if (fp32_) return requantizeFp32(acc, scale_[channel], zero_point_, lo_, hi_);
    int32_t v = multiplyByQuantizedMultiplier(acc, multiplier_[channel], shift_[channel]) + zero_point_;
    return std::min(std::max(v, lo_), hi_);
  }

 private:
  bool fp32_;
  std::vector<float> scale_;
  std::vector<int32_t> multiplier_;
  std::vector<int> shift_;
  int32_t zero_point_, lo_, hi_;
};

// The integer clamp of a fused activation on an output of type [type_min, type_max], as the chosen arithmetic
// computes it: XNNPACK quantizes the float bounds with lrint, TFLite's reference with round half away from zero.
void fusedActivationRange(Arithmetic arithmetic, Activation act, float scale, int32_t zero_point, int32_t type_min,
                          int32_t type_max, int32_t* lo, int32_t* hi);

}  // namespace ql
