#include "kernels/requantize.h"

#include <cmath>

namespace ql {

Requantizer::Requantizer(Arithmetic arithmetic, float input_scale, const std::vector<float>& weight_scales,
                         float output_scale, int channels, int32_t output_zero_point, int32_t clamp_lo,
                         int32_t clamp_hi)
    : fp32(arithmetic == Arithmetic::Deployed), zero_point(output_zero_point), lo(clamp_lo), hi(clamp_hi) {
  const size_t n = static_cast<size_t>(channels);
  scale.resize(n), multiplier.resize(n), shift.resize(n);
  for (size_t c = 0; c < n; ++c) {
    const float ws = weight_scales.size() > 1 ? weight_scales[c] : weight_scales.at(0);
    // The effective scale input_scale * weight_scale / output_scale: in float in that order (XNNPACK), or in
    // double and then a multiplier and shift (TFLite's QuantizeMultiplier).
    const float product = input_scale * ws;
    scale[c] = product / output_scale;
    const double real =
        static_cast<double>(input_scale) * static_cast<double>(ws) / static_cast<double>(output_scale);
    quantizeMultiplier(real, &multiplier[c], &shift[c]);
  }
}

void fusedActivationRange(Arithmetic arithmetic, Activation act, float scale, int32_t zero_point, int32_t type_min,
                          int32_t type_max, int32_t* lo, int32_t* hi) {
  if (arithmetic == Arithmetic::Reference) {
    activationRangeQuantized(act, scale, zero_point, type_min, type_max, lo, hi);
    return;
  }
  float flo = 0, fhi = 0;
  activationRangeFloat(act, &flo, &fhi);
  auto q = [&](float v) {
    float x = std::fmin(std::fmax(v / scale + static_cast<float>(zero_point), static_cast<float>(type_min)),
                        static_cast<float>(type_max));
    return static_cast<int32_t>(std::lrint(x));
  };
  *lo = std::isinf(flo) ? type_min : q(flo);
  *hi = std::isinf(fhi) ? type_max : q(fhi);
}

}  // namespace ql
