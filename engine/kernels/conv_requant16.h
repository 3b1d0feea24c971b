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
// quant_math's int64 overload keeps 31 bits but rounds half up, which matches neither, so it is not used here.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {

// TFLite's MultiplyByQuantizedMultiplier(int64_t x, int32_t multiplier, int shift): the multiplier reduced to
// 16 bits (rounded), one rounding shift by 15 - shift (half up).
inline int32_t multiplyByQuantizedMultiplier16x8(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced = multiplier < 0x7FFF0000 ? ((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = std::max(1, 15 - shift);
  const int64_t round = int64_t{1} << (total_shift - 1);
  // The product of a 48-bit sum and a 16-bit multiplier fits int64; the shifted result fits int32 by design.
  return static_cast<int32_t>((x * static_cast<int64_t>(reduced) + round) >> total_shift);
}

// x * multiplier * 2^(shift - 31) rounded once, half up (TFLITE_SINGLE_ROUNDING's 32-bit variant).
inline int32_t multiplyByQuantizedMultiplierSingleRounding(int32_t x, int32_t multiplier, int shift) {
  const int total_shift = 31 - std::min(shift, 30);
  const int64_t round = int64_t{1} << (total_shift - 1);
  return static_cast<int32_t>((static_cast<int64_t>(x) * multiplier + round) >> total_shift);
}

// x * multiplier * 2^(shift - 31) exactly (128-bit product), rounded half away from zero, saturated to int32.
inline int32_t multiplyByQuantizedMultiplierHalfAway(int64_t x, int32_t multiplier, int shift) {
  __extension__ typedef __int128 Wide;
  const int total_shift = 31 - std::min(shift, 30);
  const Wide product = static_cast<Wide>(x) * multiplier;
  const Wide half = static_cast<Wide>(1) << (total_shift - 1);
  const Wide magnitude = ((product < 0 ? -product : product) + half) >> total_shift;
  const Wide v = product < 0 ? -magnitude : magnitude;
  const Wide lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(v < lo ? lo : v > hi ? hi : v);
}

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
                                               : multiplyByQuantizedMultiplier16x8(acc, m, s));
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
