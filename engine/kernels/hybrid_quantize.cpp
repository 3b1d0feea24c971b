#include "kernels/hybrid_quantize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/quant_math.h"

namespace ql {

AsymmetricQuantization quantizeAsymmetric(const float* x, size_t n, int8_t* q) {
  AsymmetricQuantization r;
  if (n == 0) return r;
  const double qmin = -128, qmax = 127;
  auto mm = std::minmax_element(x, x + n);
  const double rmin = std::min(0.0f, *mm.first), rmax = std::max(0.0f, *mm.second);
  if (rmin == rmax) {
    std::memset(q, 0, n);
    return r;
  }
  const double scale = (rmax - rmin) / (qmax - qmin);
  // The zero point from whichever end loses less precision, nudged onto an integer.
  const double zp_from_min = qmin - rmin / scale, zp_from_max = qmax - rmax / scale;
  const double err_min = std::fabs(qmin) + std::fabs(rmin / scale), err_max = std::fabs(qmax) + std::fabs(rmax / scale);
  const double zp = err_min < err_max ? zp_from_min : zp_from_max;
  int32_t nudged = zp <= qmin ? -128 : zp >= qmax ? 127 : static_cast<int32_t>(std::round(zp));
  r.scale = static_cast<float>(scale);
  r.zero_point = nudged;
  const float inv = 1.0f / r.scale;
  for (size_t i = 0; i < n; ++i) {
    int32_t v = roundToInt32Saturated(static_cast<float>(nudged) + x[i] * inv);
    q[i] = static_cast<int8_t>(std::min(127, std::max(-128, v)));
  }
  return r;
}

float quantizeSymmetric(const float* x, size_t n, int8_t* q) {
  if (n == 0) return 1.f;
  auto mm = std::minmax_element(x, x + n);
  const float range = std::max(std::fabs(*mm.first), std::fabs(*mm.second));
  if (range == 0) {
    std::memset(q, 0, n);
    return 1.f;
  }
  const float scale = range / 127.f;
  const float inv = 127.f / range;
  for (size_t i = 0; i < n; ++i) {
    int32_t v = roundToInt32Saturated(x[i] * inv);
    q[i] = static_cast<int8_t>(std::min(127, std::max(-127, v)));
  }
  return scale;
}

}  // namespace ql
