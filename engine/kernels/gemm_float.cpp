#include "kernels/gemm_float.h"

#include <algorithm>
#include <cstring>

#include "kernels/float_sum_order.h"

#if defined(__x86_64__) || defined(__i386__)
// GCC 12's AVX-512 headers pass _mm512_undefined_*() as the unused merge source of unmasked intrinsics, which
// -Wmaybe-uninitialized reports as a use of an uninitialized value: a known false positive of the headers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define QL_X86 1
#endif

// Full unrolling of the microkernels' register-block loops, so their accumulators live in registers.
#if defined(__clang__)
#define QL_UNROLL _Pragma("unroll")
#else
#define QL_UNROLL _Pragma("GCC unroll 16")
#endif

// No "fma" on purpose: TFLite's deployed float kernels (XNNPACK as ../shared/golden ran it, and the builtin
// reference loops) multiply and then add, each rounded. A fused multiply-add rounds once and drifts from them in
// the last bit, which per-layer error rows of float ops would inherit. Without the target feature the compiler
// cannot contract the separate multiply and add either.
#define QL_TARGET_AVX2 __attribute__((target("avx2")))
#define QL_TARGET_AVX512 __attribute__((target("avx2,avx512f")))

namespace ql {
namespace {

constexpr int kGenericRows = 4;
constexpr int kAvx2Rows = 6;
constexpr int kAvx512Rows = 8;

int64_t roundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

// Makes the MR row pointers of the block starting at m0: the input itself when a row is one run, else a copy of
// its runs (zeros over padding) in `scratch`. Rows past the end repeat row 0 (computed, never stored).
template <int MR>
int blockRows(int64_t m0, int64_t rows, const RowSource& src, std::vector<const void*>& runs, float* scratch, int k,
              const float** a) {
  const int valid = static_cast<int>(std::min<int64_t>(MR, rows - m0));
  for (int r = 0; r < valid; ++r) {
    src.describe(src.ctx, m0 + r, runs.data());
    if (src.segments == 1 && runs[0]) {
      a[r] = static_cast<const float*>(runs[0]);
      continue;
    }
    float* dst = scratch + static_cast<size_t>(r) * static_cast<size_t>(k);
    const int len = src.segment_len;
    for (int s = 0; s < src.segments; ++s) {
      float* d = dst + static_cast<size_t>(s) * static_cast<size_t>(len);
      const float* run = static_cast<const float*>(runs[static_cast<size_t>(s)]);
      if (!run) {
        std::fill(d, d + len, 0.f);
      } else if (len <= 8) {  // first layers: a few channels per tap, cheaper than a memcpy call
        for (int i = 0; i < len; ++i) d[i] = run[i];
      } else {
        std::memcpy(d, run, static_cast<size_t>(len) * sizeof(float));
      }
    }
    a[r] = dst;
  }
  for (int r = valid; r < MR; ++r) a[r] = a[0];
  return valid;
}

// Calls body(m0, valid, a) for each block of MR rows, a holding the block's row pointers (blockRows).
template <int MR, typename Body>
void forEachRowBlock(int64_t rows, const RowSource& src, int k, Body&& body) {
  std::vector<const void*> runs(static_cast<size_t>(src.segments));
  std::vector<float> scratch(static_cast<size_t>(MR) * static_cast<size_t>(std::max(k, 1)));
  const float* a[MR];
  for (int64_t m0 = 0; m0 < rows; m0 += MR) body(m0, blockRows<MR>(m0, rows, src, runs, scratch.data(), k, a), a);
}

void runGeneric(int64_t rows, const RowSource& src, int n, int k, int block, const float* b, const float* bias,
                float lo, float hi, float* out, int64_t stride) {
  std::vector<float> acc(static_cast<size_t>(block));
  forEachRowBlock<kGenericRows>(rows, src, k, [&](int64_t m0, int valid, const float* const* a) {
    for (int n0 = 0; n0 < n; n0 += block) {
      const float* bb = b + static_cast<size_t>(n0) * static_cast<size_t>(k);
      const int count = std::min(block, n - n0);
      for (int r = 0; r < valid; ++r) {
        std::copy(bias + n0, bias + n0 + block, acc.begin());
        for (int kk = 0; kk < k; ++kk) {
          const float x = a[r][kk];
          const float* bk = bb + static_cast<size_t>(kk) * static_cast<size_t>(block);
          for (int j = 0; j < block; ++j) acc[static_cast<size_t>(j)] += x * bk[j];
        }
        float* o = out + (m0 + r) * stride + n0;
        for (int j = 0; j < count; ++j) o[j] = std::min(std::max(acc[static_cast<size_t>(j)], lo), hi);
      }
    }
  });
}

// One output in four lanes (ProductSum's order); x and w hold taps of `channels` values each.
float fourLaneDot(const float* x, const float* w, int k, int channels, float bias) {
#if QL_X86
  // The four lanes in one SSE register (x86-64's baseline): each tap's channels in groups of four, the last group
  // padded with zeros, whose products add +0 to lanes that start at +0.
  __m128 acc = _mm_set_ss(bias);
  for (int t0 = 0; t0 < k; t0 += channels) {
    int j = 0;
    for (; j + 4 <= channels; j += 4)
      acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(x + t0 + j), _mm_loadu_ps(w + t0 + j)));
    if (j < channels) {
      alignas(16) float xs[4] = {0.f, 0.f, 0.f, 0.f}, ws[4] = {0.f, 0.f, 0.f, 0.f};
      for (int i = 0; j + i < channels; ++i) xs[i] = x[t0 + j + i], ws[i] = w[t0 + j + i];
      acc = _mm_add_ps(acc, _mm_mul_ps(_mm_load_ps(xs), _mm_load_ps(ws)));
    }
  }
  alignas(16) float lane[4];
  _mm_store_ps(lane, acc);
  return (lane[0] + lane[2]) + (lane[1] + lane[3]);
#else
  ProductSum sum(bias, true);
  for (int kk = 0; kk < k; ++kk) sum.add(kk % channels, x[kk] * w[kk]);
  return sum.total();
#endif
}

// w: [n][k] as given.
void runFourLanes(int64_t rows, const RowSource& src, int n, int k, int channels, const float* w, const float* bias,
                  float lo, float hi, float* out, int64_t stride) {
  forEachRowBlock<kGenericRows>(rows, src, k, [&](int64_t m0, int valid, const float* const* a) {
    for (int r = 0; r < valid; ++r) {
      float* o = out + (m0 + r) * stride;
      for (int c = 0; c < n; ++c) {
        const float total = fourLaneDot(a[r], w + static_cast<size_t>(c) * static_cast<size_t>(k), k, channels, bias[c]);
        o[c] = std::min(std::max(total, lo), hi);
      }
    }
  });
}

#if QL_X86
// 6 rows x 16 columns: 12 accumulators, two weight vectors and one broadcast in the 16 ymm registers.
QL_TARGET_AVX2 void tileAvx2(const float* const* a, int k, const float* b, const float* bias, float lo, float hi,
                             float* out, int64_t stride, int valid, int count) {
  __m256 acc[kAvx2Rows][2];
  const __m256 b0 = _mm256_loadu_ps(bias), b1 = _mm256_loadu_ps(bias + 8);
  QL_UNROLL
  for (int r = 0; r < kAvx2Rows; ++r) acc[r][0] = b0, acc[r][1] = b1;
  for (int kk = 0; kk < k; ++kk) {
    const __m256 w0 = _mm256_loadu_ps(b + static_cast<size_t>(kk) * 16);
    const __m256 w1 = _mm256_loadu_ps(b + static_cast<size_t>(kk) * 16 + 8);
    QL_UNROLL
    for (int r = 0; r < kAvx2Rows; ++r) {
      const __m256 x = _mm256_broadcast_ss(a[r] + kk);
      acc[r][0] = _mm256_add_ps(acc[r][0], _mm256_mul_ps(x, w0));
      acc[r][1] = _mm256_add_ps(acc[r][1], _mm256_mul_ps(x, w1));
    }
  }
  const __m256 lov = _mm256_set1_ps(lo), hiv = _mm256_set1_ps(hi);
  QL_UNROLL
  for (int r = 0; r < valid; ++r) {
    const __m256 v0 = _mm256_min_ps(_mm256_max_ps(acc[r][0], lov), hiv);
    const __m256 v1 = _mm256_min_ps(_mm256_max_ps(acc[r][1], lov), hiv);
    float* o = out + r * stride;
    if (count == 16) {
      _mm256_storeu_ps(o, v0);
      _mm256_storeu_ps(o + 8, v1);
    } else {
      alignas(32) float tmp[16];
      _mm256_store_ps(tmp, v0);
      _mm256_store_ps(tmp + 8, v1);
      std::memcpy(o, tmp, static_cast<size_t>(count) * sizeof(float));
    }
  }
}

QL_TARGET_AVX2 void runAvx2(int64_t rows, const RowSource& src, int n, int k, const float* b, const float* bias,
                            float lo, float hi, float* out, int64_t stride) {
  forEachRowBlock<kAvx2Rows>(rows, src, k, [&](int64_t m0, int valid, const float* const* a) {
    for (int n0 = 0; n0 < n; n0 += 16)
      tileAvx2(a, k, b + static_cast<size_t>(n0) * static_cast<size_t>(k), bias + n0, lo, hi, out + m0 * stride + n0,
               stride, valid, std::min(16, n - n0));
  });
}

// 8 rows x (16 * NB) columns: up to 16 accumulators of the 32 zmm registers. Blocks of 16 columns are
// block_stride floats apart.
template <int NB>
QL_TARGET_AVX512 void tileAvx512(const float* const* a, int k, const float* b, size_t block_stride, const float* bias,
                                 float lo, float hi, float* out, int64_t stride, int valid, int count) {
  __m512 acc[kAvx512Rows][NB];
  QL_UNROLL
  for (int j = 0; j < NB; ++j) {
    const __m512 bj = _mm512_loadu_ps(bias + 16 * j);
    QL_UNROLL
    for (int r = 0; r < kAvx512Rows; ++r) acc[r][j] = bj;
  }
  for (int kk = 0; kk < k; ++kk) {
    __m512 w[NB];
    QL_UNROLL
    for (int j = 0; j < NB; ++j) w[j] = _mm512_loadu_ps(b + j * block_stride + static_cast<size_t>(kk) * 16);
    QL_UNROLL
    for (int r = 0; r < kAvx512Rows; ++r) {
      const __m512 x = _mm512_set1_ps(a[r][kk]);
      QL_UNROLL
      for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_add_ps(acc[r][j], _mm512_mul_ps(x, w[j]));
    }
  }
  const __m512 lov = _mm512_set1_ps(lo), hiv = _mm512_set1_ps(hi);
  __mmask16 mask[NB];
  QL_UNROLL
  for (int j = 0; j < NB; ++j) {
    const int left = count - 16 * j;
    mask[j] = left >= 16 ? static_cast<__mmask16>(0xFFFF) : left <= 0 ? 0 : static_cast<__mmask16>((1u << left) - 1);
  }
  QL_UNROLL
  for (int r = 0; r < kAvx512Rows; ++r) {
    if (r >= valid) break;
    float* o = out + r * stride;
    QL_UNROLL
    for (int j = 0; j < NB; ++j)
      _mm512_mask_storeu_ps(o + 16 * j, mask[j], _mm512_min_ps(_mm512_max_ps(acc[r][j], lov), hiv));
  }
}

QL_TARGET_AVX512 void runAvx512(int64_t rows, const RowSource& src, int n, int k, const float* b, const float* bias,
                                float lo, float hi, float* out, int64_t stride) {
  const size_t block_stride = static_cast<size_t>(k) * 16;
  forEachRowBlock<kAvx512Rows>(rows, src, k, [&](int64_t m0, int valid, const float* const* a) {
    int n0 = 0;
    for (; n - n0 > 16; n0 += 32)
      tileAvx512<2>(a, k, b + static_cast<size_t>(n0) * static_cast<size_t>(k), block_stride, bias + n0, lo, hi,
                    out + m0 * stride + n0, stride, valid, std::min(32, n - n0));
    if (n0 < n)
      tileAvx512<1>(a, k, b + static_cast<size_t>(n0) * static_cast<size_t>(k), block_stride, bias + n0, lo, hi,
                    out + m0 * stride + n0, stride, valid, n - n0);
  });
}
#endif

}  // namespace

void FloatGemm::pack(SimdLevel level, const float* w, int n, int k, const float* bias, int four_lane_channels) {
#if !QL_X86
  level = SimdLevel::Generic;
#endif
  level_ = level, n_ = n, k_ = k, four_lane_channels_ = four_lane_channels;
  block_ = 16;
  if (four_lane_channels > 0) {
    b_.assign(w, w + static_cast<size_t>(n) * static_cast<size_t>(k));
    bias_.assign(static_cast<size_t>(n), 0.f);
    if (bias) std::copy(bias, bias + n, bias_.begin());
    packed_ = true;
    return;
  }
  // Whole pairs of blocks: the AVX-512 tiles read two blocks at a time.
  const int n_padded = static_cast<int>(roundUp(std::max(n, 1), 2 * block_));
  b_.assign(static_cast<size_t>(n_padded) * static_cast<size_t>(k), 0.f);
  for (int c = 0; c < n; ++c)
    for (int kk = 0; kk < k; ++kk)
      b_[(static_cast<size_t>(c / block_) * static_cast<size_t>(k) + static_cast<size_t>(kk)) * block_ +
         static_cast<size_t>(c % block_)] = w[static_cast<size_t>(c) * static_cast<size_t>(k) + static_cast<size_t>(kk)];
  bias_.assign(static_cast<size_t>(n_padded), 0.f);
  if (bias) std::copy(bias, bias + n, bias_.begin());
  packed_ = true;
}

void FloatGemm::run(int64_t rows, const RowSource& src, float lo, float hi, float* out, int64_t out_stride) const {
  if (rows <= 0 || n_ <= 0) return;
  if (four_lane_channels_ > 0)
    return runFourLanes(rows, src, n_, k_, four_lane_channels_, b_.data(), bias_.data(), lo, hi, out, out_stride);
#if QL_X86
  if (level_ == SimdLevel::Avx512Vnni)
    return runAvx512(rows, src, n_, k_, b_.data(), bias_.data(), lo, hi, out, out_stride);
  if (level_ == SimdLevel::Avx2) return runAvx2(rows, src, n_, k_, b_.data(), bias_.data(), lo, hi, out, out_stride);
#endif
  runGeneric(rows, src, n_, k_, block_, b_.data(), bias_.data(), lo, hi, out, out_stride);
}

}  // namespace ql
