// Requantization of the 16x8 kernels (int16 activations, int8 weights) of CONV_2D, DEPTHWISE_CONV_2D,
// TRANSPOSE_CONV and FULLY_CONNECTED. XNNPACK does not run int16 activations: TFLite's builtin kernels compute
// them. The sums are int64 with an int64 bias (always for DEPTHWISE_CONV_2D), else int32. How they become the
// output, checked against the real runtime on exact ties and random data (conv_test / fully_connected_test):
//  - int32 sums: the 31-bit multiplier with one rounding, half up (x * m + 2^(30 - shift)) >> (31 - shift): what
//    both oracle builds compute (TFLITE_SINGLE_ROUNDING). Reference arithmetic keeps quant_math's gemmlowp double
//    rounding (TFLite's source as written, without that flag);
//  - int64 sums, CONV_2D / DEPTHWISE_CONV_2D / TRANSPOSE_CONV: TFLite's 64-bit MultiplyByQuantizedMultiplier,
//    which first rounds the multiplier to 16 bits (internal/common.cc), then one rounding, half up;
//  - int64 sums, FULLY_CONNECTED: LiteRT 2.5.3 keeps all 31 bits of the multiplier and rounds half away from
//    zero (Deployed); the reduced 16-bit multiplier above in Reference arithmetic (and in the 2022 TFLite build).
// The three roundings are quant_math's multiplyByQuantizedMultiplier{SingleRounding,16BitMultiplier,HalfAway}.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {

class Requantizer16x8 {
 public:
  Requantizer16x8(Arithmetic arithmetic, bool fully_connected, float input_scale,
                  const std::vector<float>& weight_scales, float output_scale, int channels, int32_t zero_point,
                  int32_t lo, int32_t hi)
      : deployed_(arithmetic == Arithmetic::Deployed), fully_connected_(fully_connected), zero_point_(zero_point),
        lo_(lo), hi_(hi) {
    multiplier_.resize(static_cast<size_t>(channels));
    shift_.resize(static_cast<size_t>(channels));
    for (int c = 0; c < channels; ++c) {
      const float ws = weight_scales.size() > 1 ? weight_scales[static_cast<size_t>(c)] : weight_scales.at(0);
      const double real =
          static_cast<double>(input_scale) * static_cast<double>(ws) / static_cast<double>(output_scale);
      quantizeMultiplier(real, &multiplier_[static_cast<size_t>(c)], &shift_[static_cast<size_t>(c)]);
    }
  }
  int32_t operator()(int64_t acc, int c) const {
    const int32_t m = multiplier_[static_cast<size_t>(c)];
    const int s = shift_[static_cast<size_t>(c)];
    return clamp(deployed_ && fully_connected_ ? multiplyByQuantizedMultiplierHalfAway(acc, m, s)
                                               : multiplyByQuantizedMultiplier16BitMultiplier(acc, m, s));
  }
  int32_t operator()(int32_t acc, int c) const {
    const int32_t m = multiplier_[static_cast<size_t>(c)];
    const int s = shift_[static_cast<size_t>(c)];
    return clamp(deployed_ ? multiplyByQuantizedMultiplierSingleRounding(acc, m, s)
                           : multiplyByQuantizedMultiplier(acc, m, s));
  }

 private:
  int32_t clamp(int32_t v) const {
    const int64_t shifted = static_cast<int64_t>(v) + zero_point_;
    return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(shifted, lo_), hi_));
  }
  bool deployed_, fully_connected_;
  std::vector<int32_t> multiplier_;
  std::vector<int> shift_;
  int32_t zero_point_, lo_, hi_;
};

}  // namespace ql
