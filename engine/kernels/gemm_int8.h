// Quantized matrix product for CONV_2D (im2col rows) and FULLY_CONNECTED:
//   acc[m][n] = sum_k (a[m][k] - a_zp) * (w[n][k] - w_zp[n]) + bias[n]
// exact in int32 (as TFLite and XNNPACK compute it), then a Requantizer (requantize.h) turns acc into the output.
// The weights are packed once per SIMD level:
//  - Avx512Vnni: vpdpbusd multiplies unsigned activations by signed weights, four products at a time, into int32
//    lanes. Activations become unsigned by adding 128 to int8 ones; the shifted zero point is taken out again by
//    a per-column constant (-zero * sum of the column's weights). Weights that do not fit int8 once their zero
//    point is removed (uint8 weights far from 128) are stored raw and the difference comes back through the
//    row sums of the activations.
//  - Avx2 / Generic: activations and weights minus their zero points as int16, multiplied by vpmaddwd (two
//    products per int32 lane), which is exact with no correction at all.
// Integer sums are exact in any order, so every level gives the plain loops' results bit for bit.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/gemm_dispatch.h"
#include "kernels/requantize.h"
#include "runtime/kernel.h"

namespace ql {

// Hybrid kernels: out = (acc * first_scale) * scale[channel] + bias[channel] (bias may be null), each product rounded,
// clamped to [lo, hi]. Hybrid CONV_2D and
// FULLY_CONNECTED fold the input's scale into `scale` (first_scale 1, an exact multiply); TFLite's optimized
// hybrid DEPTHWISE_CONV_2D multiplies by the input's scale first and the channel's second.
struct FloatOutputStage {
  float first_scale = 1.f;
  const float* scale = nullptr;
  const float* bias = nullptr;
  float lo = 0, hi = 0;
};

// Row m of the left operand as `segments` runs of `segment_len` activations (the taps of one output pixel's
// window in CONV_2D, one run in FULLY_CONNECTED); a null run is padding, i.e. the activations' zero point.
struct RowSource {
  int segments = 1;
  int segment_len = 0;
  void (*describe)(const void* ctx, int64_t m, const void** runs) = nullptr;
  const void* ctx = nullptr;
};

// out[n] = os(acc[n], n) for n < count, vectorized at `level` (depthwise kernels use it per pixel).
template <typename TOut>
void requantizeRow(SimdLevel level, const int32_t* acc, int count, const Requantizer& os, TOut* out);
// out[n] = clamp(acc[n] * os.scale[n] + os.bias[n]) for n < count.
void hybridOutputRow(const int32_t* acc, int count, const FloatOutputStage& os, float* out);

class QuantGemm {
 public:
  // w: [n][k] int8 (w_unsigned false) or uint8 weights; w_zp: per column; bias: per column or null.
  void pack(SimdLevel level, const void* w, bool w_unsigned, int n, int k, const std::vector<int32_t>& w_zp,
            const int32_t* bias);
  bool packedFor(SimdLevel level) const { return packed_ && level_ == level; }
  int columns() const { return n_; }
  int depth() const { return k_; }

  // out[m * out_stride + n] for m < rows, n < columns. a_unsigned: the activations are uint8 (else int8).
  template <typename TOut>
  void run(int64_t rows, bool a_unsigned, int32_t a_zp, const RowSource& src, const Requantizer& os, TOut* out,
           int64_t out_stride) const;
  // Hybrid: int8 activations with zero point a_zp, float output.
  void runFloat(int64_t rows, int32_t a_zp, const RowSource& src, const FloatOutputStage& os, float* out,
                int64_t out_stride) const;

  // The raw accumulators (tests and hybrid kernels): acc[m * columns + n].
  void accumulate(int64_t rows, bool a_unsigned, int32_t a_zp, const RowSource& src, int32_t* acc) const;

  struct Output;  // what a run writes (defined in the .cpp)

 private:
  void runAny(int64_t rows, bool a_unsigned, int32_t a_zp, const RowSource& src, const Output& out) const;

  bool packed_ = false;
  SimdLevel level_ = SimdLevel::Generic;
  int n_ = 0, k_ = 0;
  int k_padded_ = 0;  // k rounded up to the level's group (4 for VNNI, 2 for int16)
  int n_padded_ = 0;  // n rounded up to 32 (VNNI) or 16 (int16)
  std::vector<int8_t> b8_;     // VNNI: [n/16][k/4][16][4]
  std::vector<int16_t> b16_;   // int16: [n/8][k/2][8][2]
  std::vector<int32_t> bias_;  // per column (0 without bias), padded to n_padded_
  std::vector<int32_t> column_sum_;  // VNNI: sum over k of the stored signed weights of column n
  std::vector<int32_t> raw_offset_;  // VNNI: (w - w_zp) - stored weight, per column; empty when all are 0
};

}  // namespace ql
