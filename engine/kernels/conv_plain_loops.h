// The plain reference loops of CONV_2D (and the window iteration DEPTHWISE_CONV_2D's share): every output, every
// tap, in the order the runtime adds them. The fast paths (gemm_int8, gemm_float) give the same integer results.
// input [N,H,W,Cin], filter [Cout,KH,KW,Cin], bias [Cout], output [N,OH,OW,Cout].
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/float_sum_order.h"

namespace ql {

// Calls f(n, oy, ox, iy0, ix0) for every output position; the window's top-left input pixel may be negative.
template <typename F>
void forEachOutput(const ConvGeometry& g, F&& f) {
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) f(n, oy, ox, oy * g.stride_h - g.pad_h, ox * g.stride_w - g.pad_w);
}

// Calls f(ky, kx, iy, ix) for each filter tap of a window whose top-left input pixel is (iy0, ix0) and that lies
// inside the input, row by row, or column by column (kx outer, ky inner: the order XNNPACK's float depthwise
// kernels add small windows in, depthwiseTapsByColumn); taps over padding are skipped (they hold the input's
// zero point and add nothing).
template <typename F>
void forEachTap(const ConvGeometry& g, int iy0, int ix0, F&& f, bool by_column = false) {
  const int outer = by_column ? g.k_w : g.k_h, inner = by_column ? g.k_h : g.k_w;
  for (int a = 0; a < outer; ++a)
    for (int b = 0; b < inner; ++b) {
      const int ky = by_column ? b : a, kx = by_column ? a : b;
      const int iy = iy0 + ky * g.dil_h, ix = ix0 + kx * g.dil_w;
      if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) continue;
      f(ky, kx, iy, ix);
    }
}

// input [N,H,W,Cin], filter [Cout,KH,KW,Cin], bias [Cout], output [N,OH,OW,Cout].

inline bool sumsInFourLanes(const ConvGeometry& g) {
  const bool pointwise = g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 && g.pad_w == 0;
  return convSumsInFourLanes(g.out_c, pointwise);
}

// Sums in k order, or in four lanes where XNNPACK does (float_sum_order.h).
inline void convFloat(const ConvGeometry& g, const float* in, const float* w, const float* bias, float lo,
                      float hi, float* out) {
  const bool four_lanes = sumsInFourLanes(g);
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    float* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      ProductSum sum(bias[oc], four_lanes);
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        const float* x = in + pixelOffset(g, n, iy, ix);
        const float* k = w + ((static_cast<size_t>(oc) * g.k_h + ky) * g.k_w + kx) * g.in_c;
        for (int ic = 0; ic < g.in_c; ++ic) sum.add(ic, x[ic] * k[ic]);
      });
      o[oc] = std::min(std::max(sum.total(), lo), hi);
    }
  });
}

// TAcc: int32 (8-bit and 16x8 with int32 bias) or int64 (16x8 with int64 bias). RQ turns (acc, channel) into the
// output value: a requantizer, or the identity for hybrid kernels.
template <typename TAcc, typename TIn, typename TW, typename TOut, typename RQ>
void convQuant(const ConvGeometry& g, const TIn* in, int32_t in_zp, const TW* w, const std::vector<int32_t>& w_zp,
               const std::vector<TAcc>& bias, const RQ& rq, TOut* out) {
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    TOut* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      TAcc acc = 0;
      const int32_t wz = w_zp[static_cast<size_t>(oc)];
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        const TIn* x = in + pixelOffset(g, n, iy, ix);
        const TW* k = w + ((static_cast<size_t>(oc) * g.k_h + ky) * g.k_w + kx) * g.in_c;
        for (int ic = 0; ic < g.in_c; ++ic)
          acc += static_cast<TAcc>((static_cast<int32_t>(x[ic]) - in_zp) * (static_cast<int32_t>(k[ic]) - wz));
      });
      o[oc] = static_cast<TOut>(rq(static_cast<TAcc>(acc + bias[static_cast<size_t>(oc)]), oc));
    }
  });
}

// Stands in for a requantizer where the raw int32 accumulator is wanted (hybrid kernels).
struct RawAccumulator {
  int32_t operator()(int32_t acc, int) const { return acc; }
};

}  // namespace ql
