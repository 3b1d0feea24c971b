// Float matrix product for CONV_2D (im2col rows) and FULLY_CONNECTED:
//   out[m][n] = clamp(bias[n] + sum_k a[m][k] * w[n][k], lo, hi)
// with the weights packed once in blocks of 16 columns and register-blocked microkernels (6x16 on AVX2, 8x32 on
// AVX-512) that add the products in the plain loops' order (bias first, then k ascending, no fused multiply-add),
// so results equal theirs bit for bit. Layers that XNNPACK sums in four lanes (float_sum_order.h) are packed for
// that order instead (one SSE register of four lanes on x86).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/gemm_dispatch.h"
#include "kernels/gemm_int8.h"  // RowSource

namespace ql {

class FloatGemm {
 public:
  // w: [n][k]; bias: per column or null. four_lane_channels > 0 sums each output in ProductSum's four lanes, with
  // k % four_lane_channels as the product's channel (the input channels of one kernel tap); 0 sums in k order.
  void pack(SimdLevel level, const float* w, int n, int k, const float* bias, int four_lane_channels = 0);
  bool packedFor(SimdLevel level) const { return packed_ && level_ == level; }
  // out[m * out_stride + n] for m < rows and n < columns; padding runs of `src` are zeros.
  void run(int64_t rows, const RowSource& src, float lo, float hi, float* out, int64_t out_stride) const;

 private:
  bool packed_ = false;
  SimdLevel level_ = SimdLevel::Generic;
  int n_ = 0, k_ = 0, block_ = 16, four_lane_channels_ = 0;
  std::vector<float> b_;     // [n / 16][k][16], or [n][k] for four lanes
  std::vector<float> bias_;  // padded to a whole block
};

}  // namespace ql
