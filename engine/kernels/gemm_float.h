// Float matrix product for CONV_2D (im2col rows) and FULLY_CONNECTED:
//   out[m][n] = clamp(bias[n] + sum_k a[m][k] * w[n][k], lo, hi)
// with the weights packed once in blocks of 16 columns and register-blocked FMA microkernels (6x16 on AVX2, 8x32
// on AVX-512). Sums are added in another order than the plain loops
// (and with FMA), so results differ from them by float rounding only.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/gemm_dispatch.h"
#include "kernels/gemm_int8.h"  // RowSource

namespace ql {

class FloatGemm {
 public:
  // w: [n][k]; bias: per column or null.
  void pack(SimdLevel level, const float* w, int n, int k, const float* bias);
  bool packedFor(SimdLevel level) const { return packed_ && level_ == level; }
  // out[m * out_stride + n] for m < rows and n < columns; padding runs of `src` are zeros.
  void run(int64_t rows, const RowSource& src, float lo, float hi, float* out, int64_t out_stride) const;

 private:
  bool packed_ = false;
  SimdLevel level_ = SimdLevel::Generic;
  int n_ = 0, k_ = 0, block_ = 16;
  std::vector<float> b_;     // [n / 16][k][16]
  std::vector<float> bias_;  // padded to a whole block
};

}  // namespace ql
