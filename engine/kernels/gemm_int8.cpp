#include "kernels/gemm_int8.h"

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

#include "kernels/quant_math.h"

// Full unrolling of the microkernels' register-block loops, so their accumulators live in registers.
#if defined(__clang__)
#define QL_UNROLL _Pragma("unroll")
#else
#define QL_UNROLL _Pragma("GCC unroll 16")
#endif

// Function-level targets: the binary stays baseline x86-64; these bodies run only where the CPU has them.
#define QL_TARGET_AVX2 __attribute__((target("avx2,fma")))
#define QL_TARGET_VNNI __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))

namespace ql {

// What a run writes: requantized int8/uint8, hybrid float, or the raw accumulators.
struct QuantGemm::Output {
  enum Kind { Int8, UInt8, Float, Raw } kind = Raw;
  const Requantizer* quant = nullptr;
  const FloatOutputStage* real = nullptr;
  void* data = nullptr;
  int64_t stride = 0;
};

namespace {

constexpr int kVnniRows = 8;    // rows per VNNI tile
constexpr int kVnniLanes = 16;  // int32 lanes per zmm: columns per packed block
constexpr int kI16Rows = 4;     // rows per int16 tile
constexpr int kI16Lanes = 8;    // int32 lanes per ymm

int64_t roundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

// Per-run constants shared by every level.
struct RunPlan {
  int k = 0, k_padded = 0, n = 0;
  bool a_unsigned = false;
  int32_t a_zp = 0;
  int32_t zero_u8 = 0;              // VNNI: the zero point of the unsigned activations
  std::vector<int32_t> col_const;   // added to every accumulator of a column
  const int32_t* raw_offset = nullptr;  // VNNI: times the row's centred sum, per column (null: none)
};

// ---- output of one row segment of accumulators (already complete int32 sums) ------------------------------------

// Hybrid float output. Kept out of the SIMD-target functions on purpose: compiled for baseline x86-64 there is no
// FMA to contract acc * scale + bias into, so this gives exactly what the plain loops give.
__attribute__((noinline)) void writeFloatRow(const int32_t* acc, int n0, int count, const FloatOutputStage& os,
                                             float* out) {
  for (int j = 0; j < count; ++j) {
    const int n = n0 + j;
    float v = static_cast<float>(acc[j]) * os.first_scale * os.scale[n];
    if (os.bias) v += os.bias[n];
    out[j] = std::min(std::max(v, os.lo), os.hi);
  }
}

template <typename TOut>
void writeQuantRowScalar(const int32_t* acc, int n0, int count, const Requantizer& os, TOut* out) {
  for (int j = 0; j < count; ++j) out[j] = static_cast<TOut>(os(acc[j], n0 + j));
}

using Output = QuantGemm::Output;

void writeRowGeneric(const int32_t* acc, int n0, int count, const Output& o, int64_t m) {
  switch (o.kind) {
    case Output::Int8:
      writeQuantRowScalar(acc, n0, count, *o.quant, static_cast<int8_t*>(o.data) + m * o.stride + n0);
      break;
    case Output::UInt8:
      writeQuantRowScalar(acc, n0, count, *o.quant, static_cast<uint8_t*>(o.data) + m * o.stride + n0);
      break;
    case Output::Float:
      writeFloatRow(acc, n0, count, *o.real, static_cast<float*>(o.data) + m * o.stride + n0);
      break;
    case Output::Raw:
      std::memcpy(static_cast<int32_t*>(o.data) + m * o.stride + n0, acc, static_cast<size_t>(count) * 4);
      break;
  }
}

#if QL_X86
// XNNPACK's fp32 requantization of 8 accumulators: clamp acc * scale to the output range less the zero point,
// round half to even (cvtps under the default rounding mode), add the zero point. Same as requantizeFp32.
QL_TARGET_AVX2 inline __m256i requantize8(__m256i acc, const float* scale, __m256 lo, __m256 hi, __m256i zp) {
  __m256 x = _mm256_mul_ps(_mm256_cvtepi32_ps(acc), _mm256_loadu_ps(scale));
  x = _mm256_min_ps(_mm256_max_ps(x, lo), hi);
  return _mm256_add_epi32(_mm256_cvtps_epi32(x), zp);
}

template <typename TOut>
QL_TARGET_AVX2 void writeQuantRowAvx2(const int32_t* acc, int n0, int count, const Requantizer& os, TOut* out) {
  if (!os.fp32) return writeQuantRowScalar(acc, n0, count, os, out);
  const __m256 lo = _mm256_set1_ps(static_cast<float>(os.lo - os.zero_point));
  const __m256 hi = _mm256_set1_ps(static_cast<float>(os.hi - os.zero_point));
  const __m256i zp = _mm256_set1_epi32(os.zero_point);
  int j = 0;
  for (; j + 8 <= count; j += 8) {
    __m256i q = requantize8(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + j)), os.scale.data() + n0 + j,
                            lo, hi, zp);
    __m128i q16 = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
    __m128i q8 = std::is_same<TOut, uint8_t>::value ? _mm_packus_epi16(q16, q16) : _mm_packs_epi16(q16, q16);
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out + j), q8);
  }
  if (j < count) writeQuantRowScalar(acc + j, n0 + j, count - j, os, out + j);
}

QL_TARGET_AVX2 void writeRowAvx2(const int32_t* acc, int n0, int count, const Output& o, int64_t m) {
  if (o.kind == Output::Int8)
    return writeQuantRowAvx2(acc, n0, count, *o.quant, static_cast<int8_t*>(o.data) + m * o.stride + n0);
  if (o.kind == Output::UInt8)
    return writeQuantRowAvx2(acc, n0, count, *o.quant, static_cast<uint8_t*>(o.data) + m * o.stride + n0);
  writeRowGeneric(acc, n0, count, o, m);
}
#endif

// ---- Generic level: int16 layout, scalar --------------------------------------------------------------------------

template <typename TIn>
void fillRowI16(const void* const* runs, int segments, int len, int32_t zp, int k_padded, int16_t* dst) {
  int16_t* d = dst;
  for (int s = 0; s < segments; ++s, d += len) {
    const TIn* src = static_cast<const TIn*>(runs[s]);
    if (!src) {
      std::fill(d, d + len, static_cast<int16_t>(0));
      continue;
    }
    for (int i = 0; i < len; ++i) d[i] = static_cast<int16_t>(static_cast<int32_t>(src[i]) - zp);
  }
  std::fill(d, dst + k_padded, static_cast<int16_t>(0));
}

void runGeneric(int64_t rows, const RowSource& src, const RunPlan& plan, const int16_t* b16, const Output& o) {
  const int kp = plan.k_padded, k2 = kp / 2;
  std::vector<int16_t> a(static_cast<size_t>(kI16Rows) * static_cast<size_t>(kp));
  std::vector<const void*> runs(static_cast<size_t>(src.segments));
  int32_t tile[kI16Rows][kI16Lanes];
  for (int64_t m0 = 0; m0 < rows; m0 += kI16Rows) {
    const int valid = static_cast<int>(std::min<int64_t>(kI16Rows, rows - m0));
    for (int r = 0; r < valid; ++r) {
      src.describe(src.ctx, m0 + r, runs.data());
      int16_t* dst = a.data() + static_cast<size_t>(r) * kp;
      if (plan.a_unsigned) fillRowI16<uint8_t>(runs.data(), src.segments, src.segment_len, plan.a_zp, kp, dst);
      else fillRowI16<int8_t>(runs.data(), src.segments, src.segment_len, plan.a_zp, kp, dst);
    }
    for (int n0 = 0; n0 < plan.n; n0 += kI16Lanes) {
      const int16_t* b = b16 + static_cast<size_t>(n0 / kI16Lanes) * static_cast<size_t>(k2) * kI16Lanes * 2;
      for (int r = 0; r < valid; ++r) {
        const int16_t* ar = a.data() + static_cast<size_t>(r) * kp;
        for (int j = 0; j < kI16Lanes; ++j) tile[r][j] = plan.col_const[static_cast<size_t>(n0 + j)];
        for (int kk = 0; kk < k2; ++kk) {
          const int16_t* bk = b + static_cast<size_t>(kk) * kI16Lanes * 2;
          const int32_t a0 = ar[2 * kk], a1 = ar[2 * kk + 1];
          for (int j = 0; j < kI16Lanes; ++j) tile[r][j] += a0 * bk[2 * j] + a1 * bk[2 * j + 1];
        }
        writeRowGeneric(tile[r], n0, std::min(kI16Lanes, plan.n - n0), o, m0 + r);
      }
    }
  }
}

#if QL_X86
// ---- Avx2 level: int16 layout, vpmaddwd --------------------------------------------------------------------------

template <typename TIn>
QL_TARGET_AVX2 void fillRowI16Avx2(const void* const* runs, int segments, int len, int32_t zp, int k_padded,
                                   int16_t* dst) {
  const __m256i zpv = _mm256_set1_epi16(static_cast<int16_t>(zp));
  int16_t* d = dst;
  for (int s = 0; s < segments; ++s, d += len) {
    const TIn* src = static_cast<const TIn*>(runs[s]);
    if (!src) {
      std::memset(d, 0, static_cast<size_t>(len) * 2);
      continue;
    }
    int i = 0;
    for (; i + 16 <= len; i += 16) {
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
      __m256i w = std::is_same<TIn, uint8_t>::value ? _mm256_cvtepu8_epi16(v) : _mm256_cvtepi8_epi16(v);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + i), _mm256_sub_epi16(w, zpv));
    }
    for (; i < len; ++i) d[i] = static_cast<int16_t>(static_cast<int32_t>(src[i]) - zp);
  }
  std::memset(d, 0, static_cast<size_t>(dst + k_padded - d) * 2);
}

template <int MR, int NB>
QL_TARGET_AVX2 inline void tileI16Avx2(const int16_t* const* a, int k2, const int16_t* b, size_t block_stride,
                                       const int32_t* col_const, int32_t* tile) {
  __m256i acc[MR][NB];
  QL_UNROLL
  for (int j = 0; j < NB; ++j) {
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(col_const + j * kI16Lanes));
    QL_UNROLL
    for (int r = 0; r < MR; ++r) acc[r][j] = c;
  }
  for (int kk = 0; kk < k2; ++kk) {
    __m256i bv[NB];
    QL_UNROLL
    for (int j = 0; j < NB; ++j)
      bv[j] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(b + j * block_stride + static_cast<size_t>(kk) * 16));
    QL_UNROLL
    for (int r = 0; r < MR; ++r) {
      int32_t pair;
      std::memcpy(&pair, a[r] + 2 * kk, 4);
      const __m256i av = _mm256_set1_epi32(pair);
      QL_UNROLL
      for (int j = 0; j < NB; ++j) acc[r][j] = _mm256_add_epi32(acc[r][j], _mm256_madd_epi16(av, bv[j]));
    }
  }
  QL_UNROLL
  for (int r = 0; r < MR; ++r)
    QL_UNROLL
    for (int j = 0; j < NB; ++j)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(tile + (r * NB + j) * kI16Lanes), acc[r][j]);
}

QL_TARGET_AVX2 void runAvx2(int64_t rows, const RowSource& src, const RunPlan& plan, const int16_t* b16,
                            const Output& o) {
  constexpr int MR = kI16Rows;
  const int kp = plan.k_padded, k2 = kp / 2;
  const size_t block_stride = static_cast<size_t>(k2) * kI16Lanes * 2;
  std::vector<int16_t> a(static_cast<size_t>(MR) * static_cast<size_t>(kp));
  std::vector<const void*> runs(static_cast<size_t>(src.segments));
  alignas(32) int32_t tile[MR * 2 * kI16Lanes];
  const int16_t* rows_ptr[MR];
  for (int64_t m0 = 0; m0 < rows; m0 += MR) {
    const int valid = static_cast<int>(std::min<int64_t>(MR, rows - m0));
    for (int r = 0; r < valid; ++r) {
      src.describe(src.ctx, m0 + r, runs.data());
      int16_t* dst = a.data() + static_cast<size_t>(r) * kp;
      if (plan.a_unsigned) fillRowI16Avx2<uint8_t>(runs.data(), src.segments, src.segment_len, plan.a_zp, kp, dst);
      else fillRowI16Avx2<int8_t>(runs.data(), src.segments, src.segment_len, plan.a_zp, kp, dst);
      rows_ptr[r] = dst;
    }
    for (int r = valid; r < MR; ++r) rows_ptr[r] = rows_ptr[0];
    int n0 = 0;
    for (; plan.n - n0 > kI16Lanes; n0 += 2 * kI16Lanes) {
      tileI16Avx2<MR, 2>(rows_ptr, k2, b16 + static_cast<size_t>(n0 / kI16Lanes) * block_stride, block_stride,
                         plan.col_const.data() + n0, tile);
      const int count = std::min(2 * kI16Lanes, plan.n - n0);
      for (int r = 0; r < valid; ++r) writeRowAvx2(tile + r * 2 * kI16Lanes, n0, count, o, m0 + r);
    }
    if (n0 < plan.n) {
      tileI16Avx2<MR, 1>(rows_ptr, k2, b16 + static_cast<size_t>(n0 / kI16Lanes) * block_stride, block_stride,
                         plan.col_const.data() + n0, tile);
      const int count = plan.n - n0;
      for (int r = 0; r < valid; ++r) writeRowAvx2(tile + r * kI16Lanes, n0, count, o, m0 + r);
    }
  }
}

// ---- Avx512Vnni level: unsigned activations x signed weights, vpdpbusd --------------------------------------------

// Row of unsigned activations: uint8 as they are, int8 plus 128 (xor of the sign bit); padding is the unsigned
// zero point.
template <typename TIn>
QL_TARGET_VNNI void fillRowU8(const void* const* runs, int segments, int len, uint8_t zero, int k_padded,
                                 uint8_t* dst) {
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  uint8_t* d = dst;
  for (int s = 0; s < segments; ++s, d += len) {
    const uint8_t* src = static_cast<const uint8_t*>(runs[s]);
    if (!src) {
      std::memset(d, zero, static_cast<size_t>(len));
    } else if (len <= 16) {  // first layers: a few channels per tap, cheaper than a library call or a mask
      const uint8_t flip_bits = std::is_same<TIn, uint8_t>::value ? 0 : 0x80;
      for (int i = 0; i < len; ++i) d[i] = static_cast<uint8_t>(src[i] ^ flip_bits);
    } else if (std::is_same<TIn, uint8_t>::value) {
      std::memcpy(d, src, static_cast<size_t>(len));
    } else {
      int i = 0;
      for (; i + 64 <= len; i += 64)
        _mm512_storeu_si512(d + i, _mm512_xor_si512(_mm512_loadu_si512(src + i), flip));
      if (i < len) {
        const __mmask64 mask = (~0ULL) >> (64 - (len - i));
        _mm512_mask_storeu_epi8(d + i, mask, _mm512_xor_si512(_mm512_maskz_loadu_epi8(mask, src + i), flip));
      }
    }
  }
  std::memset(d, zero, static_cast<size_t>(dst + k_padded - d));
}

QL_TARGET_VNNI int64_t sumBytes(const uint8_t* p, int n) {
  __m512i acc = _mm512_setzero_si512();
  int i = 0;
  for (; i + 64 <= n; i += 64) acc = _mm512_add_epi64(acc, _mm512_sad_epu8(_mm512_loadu_si512(p + i), _mm512_setzero_si512()));
  int64_t s = _mm512_reduce_add_epi64(acc);
  for (; i < n; ++i) s += p[i];
  return s;
}

template <int MR, int NB>
QL_TARGET_VNNI inline void tileVnni(const uint8_t* const* a, int k4, const int8_t* b, size_t block_stride,
                                    int32_t* tile) {
  __m512i acc[MR][NB];
  QL_UNROLL
  for (int r = 0; r < MR; ++r)
    QL_UNROLL
    for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_setzero_si512();
  for (int kk = 0; kk < k4; ++kk) {
    __m512i bv[NB];
    QL_UNROLL
    for (int j = 0; j < NB; ++j) bv[j] = _mm512_loadu_si512(b + j * block_stride + static_cast<size_t>(kk) * 64);
    QL_UNROLL
    for (int r = 0; r < MR; ++r) {
      int32_t quad;
      std::memcpy(&quad, a[r] + 4 * kk, 4);
      const __m512i av = _mm512_set1_epi32(quad);
      QL_UNROLL
      for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], av, bv[j]);
    }
  }
  QL_UNROLL
  for (int r = 0; r < MR; ++r)
    QL_UNROLL
    for (int j = 0; j < NB; ++j) _mm512_storeu_si512(tile + (r * NB + j) * kVnniLanes, acc[r][j]);
}

// Adds the per-column constant (and the raw-weight row correction) to `count` accumulators of one row.
QL_TARGET_VNNI inline void finishRowVnni(int32_t* acc, const RunPlan& plan, int n0, int count, int32_t row_term) {
  for (int j = 0; j < count; j += kVnniLanes) {
    __m512i v = _mm512_loadu_si512(acc + j);
    v = _mm512_add_epi32(v, _mm512_loadu_si512(plan.col_const.data() + n0 + j));
    if (plan.raw_offset)
      v = _mm512_add_epi32(v, _mm512_mullo_epi32(_mm512_set1_epi32(row_term),
                                                 _mm512_loadu_si512(plan.raw_offset + n0 + j)));
    _mm512_storeu_si512(acc + j, v);
  }
}

QL_TARGET_VNNI void runVnni(int64_t rows, const RowSource& src, const RunPlan& plan, const int8_t* b8,
                            const Output& o) {
  constexpr int MR = kVnniRows;
  const int kp = plan.k_padded, k4 = kp / 4;
  const size_t block_stride = static_cast<size_t>(k4) * 64;
  const uint8_t zero = static_cast<uint8_t>(plan.zero_u8);
  // uint8 rows that need no copy (one run whose length is a whole number of 4-byte groups): read in place.
  const bool direct = plan.a_unsigned && src.segments == 1 && src.segment_len == kp;
  std::vector<uint8_t> a(static_cast<size_t>(MR) * static_cast<size_t>(kp));
  std::vector<const void*> runs(static_cast<size_t>(src.segments));
  alignas(64) int32_t tile[MR * 2 * kVnniLanes];
  const uint8_t* rows_ptr[MR];
  int32_t row_term[MR] = {};
  for (int64_t m0 = 0; m0 < rows; m0 += MR) {
    const int valid = static_cast<int>(std::min<int64_t>(MR, rows - m0));
    for (int r = 0; r < valid; ++r) {
      src.describe(src.ctx, m0 + r, runs.data());
      const uint8_t* row = static_cast<const uint8_t*>(runs[0]);
      if (!direct || !row) {
        uint8_t* dst = a.data() + static_cast<size_t>(r) * kp;
        if (plan.a_unsigned) fillRowU8<uint8_t>(runs.data(), src.segments, src.segment_len, zero, kp, dst);
        else fillRowU8<int8_t>(runs.data(), src.segments, src.segment_len, zero, kp, dst);
        row = dst;
      }
      rows_ptr[r] = row;
      // sum over the row of (a_u - zero): padding and the k tail hold `zero` and add nothing.
      if (plan.raw_offset)
        row_term[r] = static_cast<int32_t>(static_cast<uint32_t>(sumBytes(row, kp)) -
                                           static_cast<uint32_t>(kp) * static_cast<uint32_t>(zero));
    }
    for (int r = valid; r < MR; ++r) rows_ptr[r] = rows_ptr[0];
    int n0 = 0;
    for (; plan.n - n0 > kVnniLanes; n0 += 2 * kVnniLanes) {
      tileVnni<MR, 2>(rows_ptr, k4, b8 + static_cast<size_t>(n0 / kVnniLanes) * block_stride, block_stride, tile);
      const int count = std::min(2 * kVnniLanes, plan.n - n0);
      for (int r = 0; r < valid; ++r) {
        int32_t* acc = tile + r * 2 * kVnniLanes;
        finishRowVnni(acc, plan, n0, count, row_term[r]);
        writeRowAvx2(acc, n0, count, o, m0 + r);
      }
    }
    if (n0 < plan.n) {
      tileVnni<MR, 1>(rows_ptr, k4, b8 + static_cast<size_t>(n0 / kVnniLanes) * block_stride, block_stride, tile);
      const int count = plan.n - n0;
      for (int r = 0; r < valid; ++r) {
        int32_t* acc = tile + r * kVnniLanes;
        finishRowVnni(acc, plan, n0, count, row_term[r]);
        writeRowAvx2(acc, n0, count, o, m0 + r);
      }
    }
  }
}
#endif  // QL_X86

}  // namespace

template <typename TOut>
void requantizeRow(SimdLevel level, const int32_t* acc, int count, const Requantizer& os, TOut* out) {
#if QL_X86
  if (level != SimdLevel::Generic) return writeQuantRowAvx2(acc, 0, count, os, out);
#endif
  (void)level;
  writeQuantRowScalar(acc, 0, count, os, out);
}
template void requantizeRow<int8_t>(SimdLevel, const int32_t*, int, const Requantizer&, int8_t*);
template void requantizeRow<uint8_t>(SimdLevel, const int32_t*, int, const Requantizer&, uint8_t*);

void hybridOutputRow(const int32_t* acc, int count, const FloatOutputStage& os, float* out) {
  writeFloatRow(acc, 0, count, os, out);
}

void QuantGemm::pack(SimdLevel level, const void* w, bool w_unsigned, int n, int k, const std::vector<int32_t>& w_zp,
                     const int32_t* bias) {
#if !QL_X86
  level = SimdLevel::Generic;
#endif
  level_ = level, n_ = n, k_ = k;
  auto weight = [&](int col, int kk) {
    const size_t i = static_cast<size_t>(col) * static_cast<size_t>(k) + static_cast<size_t>(kk);
    return w_unsigned ? static_cast<int32_t>(static_cast<const uint8_t*>(w)[i])
                      : static_cast<int32_t>(static_cast<const int8_t*>(w)[i]);
  };
  b8_.clear(), b16_.clear(), column_sum_.clear(), raw_offset_.clear();
  if (level == SimdLevel::Avx512Vnni) {
    k_padded_ = static_cast<int>(roundUp(k, 4));
    n_padded_ = static_cast<int>(roundUp(std::max(n, 1), 2 * kVnniLanes));
    // Stored weights: w - w_zp when every one fits int8; otherwise the raw value as int8 (uint8 - 128) and the
    // per-column difference in raw_offset_.
    bool centred_fits = true;
    for (int c = 0; c < n && centred_fits; ++c)
      for (int kk = 0; kk < k; ++kk) {
        const int32_t v = weight(c, kk) - w_zp[static_cast<size_t>(c)];
        if (v < -128 || v > 127) {
          centred_fits = false;
          break;
        }
      }
    if (!centred_fits) {
      raw_offset_.assign(static_cast<size_t>(n_padded_), 0);
      for (int c = 0; c < n; ++c)
        raw_offset_[static_cast<size_t>(c)] = (w_unsigned ? 128 : 0) - w_zp[static_cast<size_t>(c)];
    }
    const int k4 = k_padded_ / 4;
    b8_.assign(static_cast<size_t>(n_padded_) * static_cast<size_t>(k_padded_), 0);
    column_sum_.assign(static_cast<size_t>(n_padded_), 0);
    for (int c = 0; c < n; ++c)
      for (int kk = 0; kk < k; ++kk) {
        const int32_t stored = centred_fits ? weight(c, kk) - w_zp[static_cast<size_t>(c)]
                                            : weight(c, kk) - (w_unsigned ? 128 : 0);
        const size_t at = ((static_cast<size_t>(c / kVnniLanes) * static_cast<size_t>(k4) + static_cast<size_t>(kk / 4)) *
                               kVnniLanes + static_cast<size_t>(c % kVnniLanes)) * 4 + static_cast<size_t>(kk % 4);
        b8_[at] = static_cast<int8_t>(stored);
        column_sum_[static_cast<size_t>(c)] += stored;
      }
  } else {
    k_padded_ = static_cast<int>(roundUp(k, 2));
    n_padded_ = static_cast<int>(roundUp(std::max(n, 1), 2 * kI16Lanes));
    const int k2 = k_padded_ / 2;
    b16_.assign(static_cast<size_t>(n_padded_) * static_cast<size_t>(k_padded_), 0);
    for (int c = 0; c < n; ++c)
      for (int kk = 0; kk < k; ++kk) {
        const size_t at = ((static_cast<size_t>(c / kI16Lanes) * static_cast<size_t>(k2) + static_cast<size_t>(kk / 2)) *
                               kI16Lanes + static_cast<size_t>(c % kI16Lanes)) * 2 + static_cast<size_t>(kk % 2);
        b16_[at] = static_cast<int16_t>(weight(c, kk) - w_zp[static_cast<size_t>(c)]);
      }
  }
  bias_.assign(static_cast<size_t>(n_padded_), 0);
  if (bias) std::copy(bias, bias + n, bias_.begin());
  packed_ = true;
}

void QuantGemm::runAny(int64_t rows, bool a_unsigned, int32_t a_zp, const RowSource& src, const Output& out) const {
  if (rows <= 0 || n_ <= 0) return;
  RunPlan plan;
  plan.k = k_, plan.k_padded = k_padded_, plan.n = n_;
  plan.a_unsigned = a_unsigned, plan.a_zp = a_zp;
  plan.col_const = bias_;
#if QL_X86
  if (level_ == SimdLevel::Avx512Vnni) {
    // sum (a_u - z)(s + d) = sum a_u s - z sum s + d sum (a_u - z), with z the unsigned zero point.
    plan.zero_u8 = a_unsigned ? a_zp : a_zp + 128;
    for (int c = 0; c < n_padded_; ++c)
      plan.col_const[static_cast<size_t>(c)] = static_cast<int32_t>(
          static_cast<uint32_t>(bias_[static_cast<size_t>(c)]) -
          static_cast<uint32_t>(plan.zero_u8) * static_cast<uint32_t>(column_sum_[static_cast<size_t>(c)]));
    if (!raw_offset_.empty()) plan.raw_offset = raw_offset_.data();
    return runVnni(rows, src, plan, b8_.data(), out);
  }
  if (level_ == SimdLevel::Avx2) return runAvx2(rows, src, plan, b16_.data(), out);
#endif
  runGeneric(rows, src, plan, b16_.data(), out);
}

template <typename TOut>
void QuantGemm::run(int64_t rows, bool a_unsigned, int32_t a_zp, const RowSource& src, const Requantizer& os,
                    TOut* out, int64_t out_stride) const {
  Output o;
  o.kind = std::is_same<TOut, uint8_t>::value ? Output::UInt8 : Output::Int8;
  o.quant = &os, o.data = out, o.stride = out_stride;
  runAny(rows, a_unsigned, a_zp, src, o);
}

template void QuantGemm::run<int8_t>(int64_t, bool, int32_t, const RowSource&, const Requantizer&, int8_t*,
                                     int64_t) const;
template void QuantGemm::run<uint8_t>(int64_t, bool, int32_t, const RowSource&, const Requantizer&, uint8_t*,
                                      int64_t) const;

void QuantGemm::runFloat(int64_t rows, int32_t a_zp, const RowSource& src, const FloatOutputStage& os, float* out,
                         int64_t out_stride) const {
  Output o;
  o.kind = Output::Float, o.real = &os, o.data = out, o.stride = out_stride;
  runAny(rows, false, a_zp, src, o);
}

void QuantGemm::accumulate(int64_t rows, bool a_unsigned, int32_t a_zp, const RowSource& src, int32_t* acc) const {
  Output o;
  o.kind = Output::Raw, o.data = acc, o.stride = n_;
  runAny(rows, a_unsigned, a_zp, src, o);
}

}  // namespace ql
