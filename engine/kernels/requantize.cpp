#include "kernels/requantize.h"

#include <cmath>

namespace ql {

Requantizer::Requantizer(Arithmetic arithmetic, float input_scale, const std::vector<float>& weight_scales,
                         float output_scale, int channels, int32_t output_zero_point, int32_t lo, int32_t hi)
    : fp32_(arithmetic == Arithmetic::Deployed), zero_point_(output_zero_point), lo_(lo), hi_(hi) {
  scale_.resize(static_cast<size_t>(channels));
  multiplier_.resize(static_cast<size_t>(channels));
  shift_.resize(static_cast<size_t>(channels));
  for (int c = 0; c < channels; ++c) {
    float ws = weight_scales.size() > 1 ? weight_scales[static_cast<size_t>(c)] : weight_scales.at(0);
    float product = input_scale * ws;  // float, in this order, as XNNPACK computes it
    scale_[static_cast<size_t>(c)] = product / output_scale;
    double real = static_cast<double>(input_scale) * static_cast<double>(ws) / static_cast<double>(output_scale);
    quantizeMultiplier(real, &multiplier_[static_cast<size_t>(c)], &shift_[static_cast<size_t>(c)]);
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
