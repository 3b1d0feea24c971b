#include "kernels/conv_hybrid_input.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/quant_math.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define QL_X86 1
#endif

// No "fma": offset + x * inv must round after the multiply, as the scalar code does.
#define QL_TARGET_AVX2 __attribute__((target("avx2")))

namespace ql {
namespace {

#if QL_X86
QL_TARGET_AVX2 void minMaxAvx2(const float* x, size_t n, float* lo, float* hi) {
  __m256 mn = _mm256_set1_ps(x[0]), mx = mn;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_loadu_ps(x + i);
    mn = _mm256_min_ps(mn, v);
    mx = _mm256_max_ps(mx, v);
  }
  alignas(32) float a[8], b[8];
  _mm256_store_ps(a, mn);
  _mm256_store_ps(b, mx);
  float l = a[0], h = b[0];
  for (int k = 1; k < 8; ++k) l = std::min(l, a[k]), h = std::max(h, b[k]);
  for (; i < n; ++i) l = std::min(l, x[i]), h = std::max(h, x[i]);
  *lo = l, *hi = h;
}

// q = clamp(round_half_away(offset + x * inv), qlo, qhi): std::round is trunc plus one when the dropped fraction
// is at least one half (the fraction v - trunc(v) is exact in float).
QL_TARGET_AVX2 void quantizeAvx2(const float* x, size_t n, float offset, float inv, float qlo, float qhi, int8_t* q) {
  const __m256 off = _mm256_set1_ps(offset), scale = _mm256_set1_ps(inv);
  const __m256 lo = _mm256_set1_ps(qlo), hi = _mm256_set1_ps(qhi);
  const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.f);
  const __m256 sign_mask = _mm256_set1_ps(-0.f);
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256 v = _mm256_add_ps(off, _mm256_mul_ps(_mm256_loadu_ps(x + i), scale));
    const __m256 t = _mm256_round_ps(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256 frac = _mm256_andnot_ps(sign_mask, _mm256_sub_ps(v, t));
    const __m256 bump = _mm256_and_ps(_mm256_cmp_ps(frac, half, _CMP_GE_OQ),
                                      _mm256_or_ps(one, _mm256_and_ps(v, sign_mask)));
    const __m256 r = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(t, bump), lo), hi);
    const __m256i k = _mm256_cvttps_epi32(r);
    const __m128i k16 = _mm_packs_epi32(_mm256_castsi256_si128(k), _mm256_extracti128_si256(k, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(q + i), _mm_packs_epi16(k16, k16));
  }
  for (; i < n; ++i) {
    const int32_t v = roundToInt32Saturated(offset + x[i] * inv);
    q[i] = static_cast<int8_t>(std::min(static_cast<int32_t>(qhi), std::max(static_cast<int32_t>(qlo), v)));
  }
}
#endif

}  // namespace

AsymmetricQuantization quantizeAsymmetricFast(SimdLevel level, const float* x, size_t n, int8_t* q) {
#if QL_X86
  if (level != SimdLevel::Generic && n >= 8) {
    float mn = 0, mx = 0;
    minMaxAvx2(x, n, &mn, &mx);
    // The parameters depend on the extremes only: hybrid_quantize computes them from these two values.
    const float extremes[2] = {mn, mx};
    int8_t unused[2];
    const AsymmetricQuantization p = quantizeAsymmetric(extremes, 2, unused);
    if (std::min(0.0f, mn) == std::max(0.0f, mx)) {
      std::memset(q, 0, n);
      return p;
    }
    quantizeAvx2(x, n, static_cast<float>(p.zero_point), 1.0f / p.scale, -128.f, 127.f, q);
    return p;
  }
#endif
  (void)level;
  return quantizeAsymmetric(x, n, q);
}

float quantizeSymmetricFast(SimdLevel level, const float* x, size_t n, int8_t* q) {
#if QL_X86
  if (level != SimdLevel::Generic && n >= 8) {
    float mn = 0, mx = 0;
    minMaxAvx2(x, n, &mn, &mx);
    const float range = std::max(std::fabs(mn), std::fabs(mx));
    if (range == 0) {
      std::memset(q, 0, n);
      return 1.f;
    }
    quantizeAvx2(x, n, 0.f, 127.f / range, -127.f, 127.f, q);
    return range / 127.f;
  }
#endif
  (void)level;
  return quantizeSymmetric(x, n, q);
}

}  // namespace ql
