#include "kernels/conv_depthwise.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__) || defined(__i386__)
// GCC 12's AVX-512 headers pass _mm512_undefined_*() as the unused merge source of unmasked intrinsics, which
// -Wmaybe-uninitialized reports as a use of an uninitialized value: a known false positive of the headers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define QL_X86 1
#endif

// No "fma" in the float target on purpose: without it the compiler cannot contract x * w + acc, so the float
// path adds in the plain loops' order and rounding.
#define QL_TARGET_AVX2_INT __attribute__((target("avx2")))
#define QL_TARGET_AVX2_FLOAT __attribute__((target("avx2")))

namespace ql {
namespace {

int64_t roundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

// Tap t of a window: t = ky * KW + kx row by row; t = kx * KH + ky column by column, the order in which
// XNNPACK's float depthwise kernels add the taps of small windows (depthwiseTapsByColumn; the integer sums do
// not depend on the order).
int tapIndex(const ConvGeometry& g, int ky, int kx, bool by_column) { return by_column ? kx * g.k_h + ky : ky * g.k_w + kx; }

// Points taps[t] at the input pixel the tap reads for output pixel (n, oy, ox), or at `zero` over padding.
template <typename T>
void windowTaps(const ConvGeometry& g, const T* in, int n, int oy, int ox, const T* zero, const T** taps,
                bool by_column = false) {
  const int iy0 = oy * g.stride_h - g.pad_h, ix0 = ox * g.stride_w - g.pad_w;
  for (int ky = 0; ky < g.k_h; ++ky) {
    const int iy = iy0 + ky * g.dil_h;
    const bool row_inside = iy >= 0 && iy < g.in_h;
    for (int kx = 0; kx < g.k_w; ++kx) {
      const int ix = ix0 + kx * g.dil_w;
      taps[tapIndex(g, ky, kx, by_column)] =
          row_inside && ix >= 0 && ix < g.in_w
              ? in + ((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * static_cast<size_t>(g.in_c)
              : zero;
    }
  }
}

// ---- quantized: int32 sums of one output pixel -------------------------------------------------------------------

template <typename TIn>
void accumulatePixelGeneric(const TIn* const* taps, int pairs, int channels, int channels_padded, int32_t zp,
                            const int16_t* w, const int32_t* bias, int32_t* acc) {
  for (int c = 0; c < channels; ++c) acc[c] = bias[c];
  for (int p = 0; p < pairs; ++p) {
    const TIn* x0 = taps[2 * p];
    const TIn* x1 = taps[2 * p + 1];
    const int16_t* wp = w + static_cast<size_t>(p) * channels_padded * 2;
    for (int c = 0; c < channels; ++c)
      acc[c] += (static_cast<int32_t>(x0[c]) - zp) * wp[2 * c] + (static_cast<int32_t>(x1[c]) - zp) * wp[2 * c + 1];
  }
}

#if QL_X86
template <typename TIn>
QL_TARGET_AVX2_INT void accumulatePixelAvx2(const TIn* const* taps, int pairs, int channels, int channels_padded,
                                            int32_t zp, const int16_t* w, const int32_t* bias, int32_t* acc) {
  const __m256i zpv = _mm256_set1_epi16(static_cast<int16_t>(zp));
  int c0 = 0;
  for (; c0 + 8 <= channels; c0 += 8) {
    __m256i sum = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(bias + c0));
    for (int p = 0; p < pairs; ++p) {
      const __m128i x0 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(taps[2 * p] + c0));
      const __m128i x1 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(taps[2 * p + 1] + c0));
      const __m128i pairs8 = _mm_unpacklo_epi8(x0, x1);  // x0[c], x1[c] for the 8 channels
      __m256i pairs16 = std::is_same<TIn, uint8_t>::value ? _mm256_cvtepu8_epi16(pairs8) : _mm256_cvtepi8_epi16(pairs8);
      pairs16 = _mm256_sub_epi16(pairs16, zpv);
      const __m256i wv = _mm256_loadu_si256(
          reinterpret_cast<const __m256i*>(w + (static_cast<size_t>(p) * channels_padded + c0) * 2));
      sum = _mm256_add_epi32(sum, _mm256_madd_epi16(pairs16, wv));
    }
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + c0), sum);
  }
  for (int c = c0; c < channels; ++c) {
    int32_t s = bias[c];
    for (int p = 0; p < pairs; ++p) {
      const int16_t* wp = w + (static_cast<size_t>(p) * channels_padded + c) * 2;
      s += (static_cast<int32_t>(taps[2 * p][c]) - zp) * wp[0] + (static_cast<int32_t>(taps[2 * p + 1][c]) - zp) * wp[1];
    }
    acc[c] = s;
  }
}

// ---- float ---------------------------------------------------------------------------------------------------------

QL_TARGET_AVX2_FLOAT void floatPixelAvx2(const float* const* taps, int n_taps, int channels, const float* w,
                                         const float* bias, float lo, float hi, float* out) {
  const __m256 lov = _mm256_set1_ps(lo), hiv = _mm256_set1_ps(hi);
  int c0 = 0;
  for (; c0 + 8 <= channels; c0 += 8) {
    __m256 acc = _mm256_loadu_ps(bias + c0);
    for (int t = 0; t < n_taps; ++t)
      acc = _mm256_add_ps(acc, _mm256_mul_ps(_mm256_loadu_ps(taps[t] + c0),
                                             _mm256_loadu_ps(w + static_cast<size_t>(t) * channels + c0)));
    _mm256_storeu_ps(out + c0, _mm256_min_ps(_mm256_max_ps(acc, lov), hiv));
  }
  for (int c = c0; c < channels; ++c) {
    float acc = bias[c];
    for (int t = 0; t < n_taps; ++t) acc += taps[t][c] * w[static_cast<size_t>(t) * channels + c];
    out[c] = std::min(std::max(acc, lo), hi);
  }
}
#endif

void floatPixelGeneric(const float* const* taps, int n_taps, int channels, const float* w, const float* bias,
                       float lo, float hi, float* out) {
  for (int c = 0; c < channels; ++c) {
    float acc = bias[c];
    for (int t = 0; t < n_taps; ++t) acc += taps[t][c] * w[static_cast<size_t>(t) * channels + c];
    out[c] = std::min(std::max(acc, lo), hi);
  }
}

}  // namespace

void QuantDepthwise::pack(const void* w, bool w_unsigned, const ConvGeometry& g, const std::vector<int32_t>& w_zp,
                          const int32_t* bias) {
  const TrimmedWindow tw = trimmedWindow(g);  // only the taps that ever read the input
  taps_ = tw.g.k_h * tw.g.k_w;
  pairs_ = (taps_ + 1) / 2;
  channels_ = g.out_c;
  channels_padded_ = static_cast<int>(roundUp(std::max(channels_, 1), 8));
  weights_.assign(static_cast<size_t>(pairs_) * channels_padded_ * 2, 0);
  for (int t = 0; t < taps_; ++t)
    for (int c = 0; c < channels_; ++c) {
      const int ky = tw.k_y0 + t / tw.g.k_w, kx = tw.k_x0 + t % tw.g.k_w;
      const size_t i = (static_cast<size_t>(ky) * g.k_w + kx) * channels_ + c;
      const int32_t raw = w_unsigned ? static_cast<int32_t>(static_cast<const uint8_t*>(w)[i])
                                     : static_cast<int32_t>(static_cast<const int8_t*>(w)[i]);
      weights_[(static_cast<size_t>(t / 2) * channels_padded_ + c) * 2 + static_cast<size_t>(t % 2)] =
          static_cast<int16_t>(raw - w_zp[static_cast<size_t>(c)]);
    }
  bias_.assign(static_cast<size_t>(channels_padded_), 0);
  if (bias) std::copy(bias, bias + channels_, bias_.begin());
  packed_ = true;
}

template <typename TIn, typename Write>
void QuantDepthwise::runAny(SimdLevel level, const ConvGeometry& g, const TIn* in, int32_t in_zp,
                            const Write& write) const {
  // Padding taps (and the dummy tap that makes the count even) read a row of zero points: (x - zp) = 0.
  std::vector<TIn> zero_row(static_cast<size_t>(channels_padded_) + 8, static_cast<TIn>(in_zp));
  std::vector<const TIn*> taps(static_cast<size_t>(pairs_) * 2, zero_row.data());
  std::vector<int32_t> acc(static_cast<size_t>(channels_padded_));
  const ConvGeometry window = trimmedWindow(g).g;
  size_t pixel = 0;
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox, ++pixel) {
        windowTaps(window, in, n, oy, ox, zero_row.data(), taps.data());
#if QL_X86
        if (level != SimdLevel::Generic)
          accumulatePixelAvx2(taps.data(), pairs_, channels_, channels_padded_, in_zp, weights_.data(), bias_.data(),
                              acc.data());
        else
#endif
          accumulatePixelGeneric(taps.data(), pairs_, channels_, channels_padded_, in_zp, weights_.data(),
                                 bias_.data(), acc.data());
        write(acc.data(), pixel * static_cast<size_t>(channels_));
      }
  (void)level;
}

template <typename TIn>
void QuantDepthwise::run(SimdLevel level, const ConvGeometry& g, const TIn* in, int32_t in_zp,
                         const Requantizer& os, TIn* out) const {
  runAny(level, g, in, in_zp, [&](const int32_t* acc, size_t at) { requantizeRow(level, acc, channels_, os, out + at); });
}

template void QuantDepthwise::run<int8_t>(SimdLevel, const ConvGeometry&, const int8_t*, int32_t,
                                          const Requantizer&, int8_t*) const;
template void QuantDepthwise::run<uint8_t>(SimdLevel, const ConvGeometry&, const uint8_t*, int32_t,
                                           const Requantizer&, uint8_t*) const;

void QuantDepthwise::runHybrid(SimdLevel level, const ConvGeometry& g, const int8_t* in, int32_t in_zp,
                               const FloatOutputStage& os, float* out) const {
  runAny(level, g, in, in_zp, [&](const int32_t* acc, size_t at) { hybridOutputRow(acc, channels_, os, out + at); });
}

void FloatDepthwise::pack(const float* w, const ConvGeometry& g, const float* bias) {
  // Only the taps that ever read the input, added in the order the whole window's size sets: the taps left out
  // add exact zeros, so the sums keep their rounding.
  const TrimmedWindow tw = trimmedWindow(g);
  taps_ = tw.g.k_h * tw.g.k_w;
  channels_ = g.out_c;
  const bool by_column = depthwiseTapsByColumn(g);
  weights_.resize(static_cast<size_t>(taps_) * channels_);
  for (int ky = 0; ky < tw.g.k_h; ++ky)
    for (int kx = 0; kx < tw.g.k_w; ++kx) {
      const size_t from = (static_cast<size_t>(tw.k_y0 + ky) * g.k_w + tw.k_x0 + kx) * channels_;
      std::copy(w + from, w + from + channels_,
                weights_.begin() + static_cast<ptrdiff_t>(tapIndex(tw.g, ky, kx, by_column)) * channels_);
    }
  bias_.assign(static_cast<size_t>(channels_), 0.f);
  if (bias) std::copy(bias, bias + channels_, bias_.begin());
  packed_ = true;
}

void FloatDepthwise::run(SimdLevel level, const ConvGeometry& g, const float* in, float lo, float hi,
                         float* out) const {
  std::vector<float> zero_row(static_cast<size_t>(channels_) + 8, 0.f);
  std::vector<const float*> taps(static_cast<size_t>(std::max(taps_, 1)), zero_row.data());
  const ConvGeometry window = trimmedWindow(g).g;
  const bool by_column = depthwiseTapsByColumn(g);  // the whole window's order, as pack()
  size_t pixel = 0;
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox, ++pixel) {
        windowTaps(window, in, n, oy, ox, zero_row.data(), taps.data(), by_column);
        float* o = out + pixel * static_cast<size_t>(channels_);
#if QL_X86
        if (level != SimdLevel::Generic) {
          floatPixelAvx2(taps.data(), taps_, channels_, weights_.data(), bias_.data(), lo, hi, o);
          continue;
        }
#endif
        floatPixelGeneric(taps.data(), taps_, channels_, weights_.data(), bias_.data(), lo, hi, o);
      }
  (void)level;
}

}  // namespace ql
