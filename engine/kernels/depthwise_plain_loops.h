// The plain reference loops of DEPTHWISE_CONV_2D (any depth multiplier; conv_depthwise.h is the fast path for
// multiplier 1). input [N,H,W,Cin], filter [1,KH,KW,Cout] with Cout = Cin * multiplier; output channel oc reads
// input channel oc / multiplier.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/conv_plain_loops.h"

namespace ql {

inline void depthwiseFloat(const ConvGeometry& g, const float* in, const float* w, const float* bias, float lo,
                           float hi, float* out) {
  const int m = g.out_c / g.in_c;
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    float* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      float acc = bias[oc];
      const int ic = oc / m;
      forEachTap(
          g, iy0, ix0,
          [&](int ky, int kx, int iy, int ix) {
            acc += in[pixelOffset(g, n, iy, ix) + ic] * w[(static_cast<size_t>(ky) * g.k_w + kx) * g.out_c + oc];
          },
          depthwiseTapsByColumn(g));
      o[oc] = std::min(std::max(acc, lo), hi);
    }
  });
}

template <typename TAcc, typename TIn, typename TW, typename TOut, typename RQ>
void depthwiseQuant(const ConvGeometry& g, const TIn* in, int32_t in_zp, const TW* w, const std::vector<int32_t>& w_zp,
                    const std::vector<TAcc>& bias, const RQ& rq, TOut* out) {
  const int m = g.out_c / g.in_c;
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    TOut* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      TAcc acc = 0;
      const int ic = oc / m;
      const int32_t wz = w_zp[static_cast<size_t>(oc)];
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        const int32_t x = in[pixelOffset(g, n, iy, ix) + ic];
        const int32_t k = w[(static_cast<size_t>(ky) * g.k_w + kx) * g.out_c + oc];
        acc += static_cast<TAcc>((x - in_zp) * (k - wz));
      });
      o[oc] = static_cast<TOut>(rq(static_cast<TAcc>(acc + bias[static_cast<size_t>(oc)]), oc));
    }
  });
}

}  // namespace ql
