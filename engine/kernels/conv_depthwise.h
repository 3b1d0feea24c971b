// Fast DEPTHWISE_CONV_2D with depth multiplier 1 (every input channel has its own filter). For each output pixel
// the window's taps are pointers into the input; taps over padding point at a row holding the input's zero
// point (quantized) or 0.0 (float), so they add nothing and the inner loops need no bounds checks. Channels go
// eight at a time:
//  - quantized: two taps' (x - x_zp) interleaved as int16 pairs, times the matching weight pairs with vpmaddwd,
//    exact int32 sums, then the Requantizer (requantize.h; bit for bit the plain loops);
//  - float: one FMA per tap (the plain loops add in the same tap order, but without FMA).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/gemm_int8.h"

namespace ql {

class QuantDepthwise {
 public:
  // w: [1, KH, KW, C] int8 (w_unsigned false) or uint8; w_zp and bias (may be null) per channel.
  void pack(const void* w, bool w_unsigned, const ConvGeometry& g, const std::vector<int32_t>& w_zp,
            const int32_t* bias);
  bool packed() const { return packed_; }
  // out has the output's shape; TIn is int8 or uint8 (the output has the input's type).
  template <typename TIn>
  void run(SimdLevel level, const ConvGeometry& g, const TIn* in, int32_t in_zp, const Requantizer& os,
           TIn* out) const;
  // Hybrid: int8 activations quantized on the fly (zero point in_zp) for one batch of `g`, float output.
  void runHybrid(SimdLevel level, const ConvGeometry& g, const int8_t* in, int32_t in_zp, const FloatOutputStage& os,
                 float* out) const;

 private:
  template <typename TIn, typename Write>
  void runAny(SimdLevel level, const ConvGeometry& g, const TIn* in, int32_t in_zp, const Write& write) const;

  bool packed_ = false;
  int taps_ = 0, pairs_ = 0, channels_ = 0, channels_padded_ = 0;
  std::vector<int16_t> weights_;  // [pair][channel][2]: (w - w_zp) of taps 2p and 2p+1 (0 past the last tap)
  std::vector<int32_t> bias_;     // [channel]
};

class FloatDepthwise {
 public:
  void pack(const float* w, const ConvGeometry& g, const float* bias);
  bool packed() const { return packed_; }
  void run(SimdLevel level, const ConvGeometry& g, const float* in, float lo, float hi, float* out) const;

 private:
  bool packed_ = false;
  int taps_ = 0, channels_ = 0;
  std::vector<float> weights_;  // [tap][channel]
  std::vector<float> bias_;     // [channel]
};

}  // namespace ql
