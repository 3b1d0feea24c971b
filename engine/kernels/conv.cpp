// CONV_2D and DEPTHWISE_CONV_2D: float, quantized (uint8 / int8 activations, per-tensor or per-channel
// weights, int32 bias) and hybrid (float activations, int8 weights quantized per batch on the fly, as TFLite's
// hybrid kernels do). The quantized accumulator is sum((x - x_zp) * (w - w_zp)) + bias; Requantizer turns it into
// the output in the arithmetic chosen (XNNPACK's fp32 or TFLite's fixed point).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels/conv_geometry.h"
#include "kernels/families.h"
#include "kernels/hybrid_quantize.h"
#include "kernels/int16_dot.h"
#include "kernels/requantize.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

// The per-output-channel weight zero points (0 for symmetric int8 weights).
std::vector<int32_t> weightZeroPoints(const RuntimeTensor& w, int channels) {
  std::vector<int32_t> zp(static_cast<size_t>(channels), 0);
  const auto& q = w.quant().zero_point;
  for (int c = 0; c < channels; ++c)
    zp[static_cast<size_t>(c)] = q.empty() ? 0 : static_cast<int32_t>(q.size() > 1 ? q[static_cast<size_t>(c)] : q[0]);
  return zp;
}

std::vector<float> biasFloat(const RuntimeTensor* bias, int channels) {
  std::vector<float> b(static_cast<size_t>(channels), 0.f);
  if (bias) std::memcpy(b.data(), bias->data<float>(), b.size() * sizeof(float));
  return b;
}

std::vector<int32_t> biasInt32(const RuntimeTensor* bias, int channels) {
  std::vector<int32_t> b(static_cast<size_t>(channels), 0);
  if (bias) std::memcpy(b.data(), bias->data<int32_t>(), b.size() * sizeof(int32_t));
  return b;
}

// Calls f(n, oy, ox, iy0, ix0) for every output position; the window's top-left input pixel may be negative.
template <typename F>
void forEachOutput(const ConvGeometry& g, F&& f) {
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) f(n, oy, ox, oy * g.stride_h - g.pad_h, ox * g.stride_w - g.pad_w);
}

// Calls f(iy, ix) for each filter tap (ky, kx) of a window whose top-left input pixel is (iy0, ix0) and that lies
// inside the input; taps over padding are skipped (they hold the input's zero point and add nothing).
template <typename F>
void forEachTap(const ConvGeometry& g, int iy0, int ix0, F&& f) {
  for (int ky = 0; ky < g.k_h; ++ky) {
    int iy = iy0 + ky * g.dil_h;
    if (iy < 0 || iy >= g.in_h) continue;
    for (int kx = 0; kx < g.k_w; ++kx) {
      int ix = ix0 + kx * g.dil_w;
      if (ix < 0 || ix >= g.in_w) continue;
      f(ky, kx, iy, ix);
    }
  }
}

// ---- CONV_2D -----------------------------------------------------------------------------------------------------
// input [N,H,W,Cin], filter [Cout,KH,KW,Cin], bias [Cout], output [N,OH,OW,Cout].

void convFloat(const ConvGeometry& g, const float* in, const float* w, const float* bias, float lo, float hi,
               float* out) {
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    float* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      float acc = bias[oc];
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        const float* x = in + ((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c;
        const float* k = w + ((static_cast<size_t>(oc) * g.k_h + ky) * g.k_w + kx) * g.in_c;
        for (int ic = 0; ic < g.in_c; ++ic) acc += x[ic] * k[ic];
      });
      o[oc] = std::min(std::max(acc, lo), hi);
    }
  });
}

// RQ turns (acc + bias, channel) into the output value: a Requantizer, or the identity for hybrid kernels.
template <typename TIn, typename TW, typename TOut, typename RQ>
void convQuant(const ConvGeometry& g, const TIn* in, int32_t in_zp, const TW* w, const std::vector<int32_t>& w_zp,
               const std::vector<int32_t>& bias, const RQ& rq, TOut* out) {
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    TOut* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      int32_t acc = 0;
      const int32_t wz = w_zp[static_cast<size_t>(oc)];
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        const TIn* x = in + ((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c;
        const TW* k = w + ((static_cast<size_t>(oc) * g.k_h + ky) * g.k_w + kx) * g.in_c;
        for (int ic = 0; ic < g.in_c; ++ic)
          acc += (static_cast<int32_t>(x[ic]) - in_zp) * (static_cast<int32_t>(k[ic]) - wz);
      });
      o[oc] = static_cast<TOut>(rq(acc + bias[static_cast<size_t>(oc)], oc));
    }
  });
}

// ---- DEPTHWISE_CONV_2D -------------------------------------------------------------------------------------------
// input [N,H,W,Cin], filter [1,KH,KW,Cout] with Cout = Cin * multiplier, output channel oc reads input oc / m.

void depthwiseFloat(const ConvGeometry& g, const float* in, const float* w, const float* bias, float lo, float hi,
                    float* out) {
  const int m = g.out_c / g.in_c;
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    float* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      float acc = bias[oc];
      const int ic = oc / m;
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        acc += in[((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c + ic] *
               w[(static_cast<size_t>(ky) * g.k_w + kx) * g.out_c + oc];
      });
      o[oc] = std::min(std::max(acc, lo), hi);
    }
  });
}

template <typename TIn, typename TW, typename TOut, typename RQ>
void depthwiseQuant(const ConvGeometry& g, const TIn* in, int32_t in_zp, const TW* w, const std::vector<int32_t>& w_zp,
                    const std::vector<int32_t>& bias, const RQ& rq, TOut* out) {
  const int m = g.out_c / g.in_c;
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    TOut* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc) {
      int32_t acc = 0;
      const int ic = oc / m;
      const int32_t wz = w_zp[static_cast<size_t>(oc)];
      forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
        int32_t x = in[((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c + ic];
        int32_t k = w[(static_cast<size_t>(ky) * g.k_w + kx) * g.out_c + oc];
        acc += (x - in_zp) * (k - wz);
      });
      o[oc] = static_cast<TOut>(rq(acc + bias[static_cast<size_t>(oc)], oc));
    }
  });
}

// ---- fast paths: zero points folded into int16 copies, inner loops in int16_dot ---------------------------------

// v - zp as int16 into `out` (kept by the kernel between invocations, so large activations are not reallocated).
template <typename T>
void centerInto(const T* v, size_t n, int32_t zp, std::vector<int16_t>& out) {
  out.resize(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<int16_t>(static_cast<int32_t>(v[i]) - zp);
}

// Weights minus their per-channel zero point; `channel_of(i)` gives the output channel of element i.
template <typename TW, typename F>
std::vector<int16_t> centeredWeights(const TW* w, size_t n, const std::vector<int32_t>& w_zp, F channel_of) {
  std::vector<int16_t> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<int16_t>(static_cast<int32_t>(w[i]) - w_zp[channel_of(i)]);
  return out;
}

// 1x1 convolution with stride 1 and no padding: a matrix product of pixels by channels, two pixels and four
// output channels at a time.
template <typename TOut, typename RQ>
void pointwiseFast(const ConvGeometry& g, const int16_t* x, const int16_t* w, const std::vector<int32_t>& bias,
                   const RQ& rq, TOut* out) {
  const size_t pixels = static_cast<size_t>(g.batches) * g.out_h * g.out_w;
  const int c = g.in_c;
  size_t p = 0;
  int32_t acc[8];
  for (; p + 2 <= pixels; p += 2) {
    const int16_t* x0 = x + p * c;
    const int16_t* x1 = x0 + c;
    TOut* o0 = out + p * g.out_c;
    TOut* o1 = o0 + g.out_c;
    int oc = 0;
    for (; oc + 4 <= g.out_c; oc += 4) {
      const int16_t* k = w + static_cast<size_t>(oc) * c;
      dot2x4Int16(x0, x1, k, k + c, k + 2 * c, k + 3 * c, c, acc);
      for (int j = 0; j < 4; ++j) {
        const int32_t b = bias[static_cast<size_t>(oc + j)];
        o0[oc + j] = static_cast<TOut>(rq(acc[2 * j] + b, oc + j));
        o1[oc + j] = static_cast<TOut>(rq(acc[2 * j + 1] + b, oc + j));
      }
    }
    for (; oc < g.out_c; ++oc) {
      const int16_t* k = w + static_cast<size_t>(oc) * c;
      o0[oc] = static_cast<TOut>(rq(dotInt16(x0, k, c) + bias[static_cast<size_t>(oc)], oc));
      o1[oc] = static_cast<TOut>(rq(dotInt16(x1, k, c) + bias[static_cast<size_t>(oc)], oc));
    }
  }
  for (; p < pixels; ++p)
    for (int oc = 0; oc < g.out_c; ++oc)
      out[p * g.out_c + oc] = static_cast<TOut>(
          rq(dotInt16(x + p * c, w + static_cast<size_t>(oc) * c, c) + bias[static_cast<size_t>(oc)], oc));
}

// Copies every output pixel's window into one row of `patches` (zeros over padding, which is the centred zero
// point), so any convolution becomes a pointwise one over rows of k_h * k_w * in_c values.
void im2col(const ConvGeometry& g, const int16_t* x, std::vector<int16_t>& patches) {
  const size_t row = static_cast<size_t>(g.k_h) * g.k_w * g.in_c;
  patches.assign(static_cast<size_t>(g.batches) * g.out_h * g.out_w * row, 0);
  size_t p = 0;
  forEachOutput(g, [&](int n, int, int, int iy0, int ix0) {
    int16_t* dst = patches.data() + p++ * row;
    forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
      std::memcpy(dst + (static_cast<size_t>(ky) * g.k_w + kx) * g.in_c,
                  x + ((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c,
                  static_cast<size_t>(g.in_c) * sizeof(int16_t));
    });
  });
}

template <typename TOut, typename RQ>
void convFast(const ConvGeometry& g, const int16_t* x, const int16_t* w, const std::vector<int32_t>& bias, const RQ& rq,
              TOut* out, std::vector<int16_t>& scratch) {
  if (g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 && g.pad_w == 0 &&
      g.out_h == g.in_h && g.out_w == g.in_w)
    return pointwiseFast(g, x, w, bias, rq, out);
  // Small windows over few channels (the first layer of most networks) make short dot products: lay the windows
  // out as rows and multiply them as a pointwise convolution, while that stays within 64 MiB.
  const size_t row = static_cast<size_t>(g.k_h) * g.k_w * g.in_c;
  const size_t pixels = static_cast<size_t>(g.batches) * g.out_h * g.out_w;
  if (g.in_c < 32 && pixels * row * sizeof(int16_t) <= (size_t{64} << 20)) {
    im2col(g, x, scratch);
    ConvGeometry rows = g;
    rows.in_c = static_cast<int>(row);
    rows.in_h = g.out_h, rows.in_w = g.out_w, rows.k_h = rows.k_w = 1;
    rows.stride_h = rows.stride_w = 1, rows.pad_h = rows.pad_w = 0;
    return pointwiseFast(rows, scratch.data(), w, bias, rq, out);
  }
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    TOut* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    const bool inside = iy0 >= 0 && ix0 >= 0 && iy0 + (g.k_h - 1) * g.dil_h < g.in_h && ix0 + (g.k_w - 1) * g.dil_w < g.in_w;
    int first_single = 0;
    if (inside && g.dil_w == 1) {
      // Whole window inside the input with contiguous rows: four output channels per pass over the input.
      const size_t row_len = static_cast<size_t>(g.k_w) * g.in_c;
      const size_t oc_stride = static_cast<size_t>(g.k_h) * row_len;
      for (; first_single + 4 <= g.out_c; first_single += 4) {
        int32_t acc[4] = {0, 0, 0, 0};
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int16_t* xr = x + ((static_cast<size_t>(n) * g.in_h + iy0 + ky * g.dil_h) * g.in_w + ix0) * g.in_c;
          const int16_t* k0 = w + static_cast<size_t>(first_single) * oc_stride + ky * row_len;
          dot4Int16(xr, k0, k0 + oc_stride, k0 + 2 * oc_stride, k0 + 3 * oc_stride, static_cast<int>(row_len), acc);
        }
        for (int j = 0; j < 4; ++j)
          o[first_single + j] = static_cast<TOut>(rq(acc[j] + bias[static_cast<size_t>(first_single + j)], first_single + j));
      }
    }
    for (int oc = first_single; oc < g.out_c; ++oc) {
      int32_t acc = 0;
      for (int ky = 0; ky < g.k_h; ++ky) {
        int iy = iy0 + ky * g.dil_h;
        if (!inside && (iy < 0 || iy >= g.in_h)) continue;
        const int16_t* k_row = w + (static_cast<size_t>(oc) * g.k_h + ky) * g.k_w * g.in_c;
        const int16_t* x_row = x + (static_cast<size_t>(n) * g.in_h + iy) * g.in_w * g.in_c;
        if (inside && g.dil_w == 1) {  // the window's row is contiguous: one dot product
          acc += dotInt16(x_row + static_cast<size_t>(ix0) * g.in_c, k_row, g.k_w * g.in_c);
          continue;
        }
        for (int kx = 0; kx < g.k_w; ++kx) {
          int ix = ix0 + kx * g.dil_w;
          if (ix < 0 || ix >= g.in_w) continue;
          acc += dotInt16(x_row + static_cast<size_t>(ix) * g.in_c, k_row + static_cast<size_t>(kx) * g.in_c, g.in_c);
        }
      }
      o[oc] = static_cast<TOut>(rq(acc + bias[static_cast<size_t>(oc)], oc));
    }
  });
}

template <typename TOut, typename RQ>
void depthwiseFast(const ConvGeometry& g, const int16_t* x, const int16_t* w, const std::vector<int32_t>& bias,
                   const RQ& rq, TOut* out) {
  const int m = g.out_c / g.in_c;
  std::vector<int32_t> acc(static_cast<size_t>(g.out_c));
  std::vector<int16_t> spread(static_cast<size_t>(g.out_c));  // input channel ic repeated m times
  forEachOutput(g, [&](int n, int oy, int ox, int iy0, int ix0) {
    std::fill(acc.begin(), acc.end(), 0);
    forEachTap(g, iy0, ix0, [&](int ky, int kx, int iy, int ix) {
      const int16_t* xp = x + ((static_cast<size_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c;
      const int16_t* src = xp;
      if (m > 1) {
        for (int oc = 0; oc < g.out_c; ++oc) spread[static_cast<size_t>(oc)] = xp[oc / m];
        src = spread.data();
      }
      multiplyAccumulateInt16(acc.data(), src, w + (static_cast<size_t>(ky) * g.k_w + kx) * g.out_c, g.out_c);
    });
    TOut* o = out + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
    for (int oc = 0; oc < g.out_c; ++oc)
      o[oc] = static_cast<TOut>(rq(acc[static_cast<size_t>(oc)] + bias[static_cast<size_t>(oc)], oc));
  });
}

// ---- kernels -----------------------------------------------------------------------------------------------------

enum class ConvKind { Conv, Depthwise };

class FloatConvKernel : public Kernel {
 public:
  explicit FloatConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    ctx.output(0).resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    activationRangeFloat(g_.activation, &lo_, &hi_);
  }
  void eval(KernelContext& ctx) override {
    std::vector<float> bias = biasFloat(ctx.optionalInput(2), g_.out_c);
    const float* in = ctx.input(0).data<float>();
    const float* w = ctx.input(1).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    if (kind_ == ConvKind::Conv) convFloat(g_, in, w, bias.data(), lo_, hi_, out);
    else depthwiseFloat(g_, in, w, bias.data(), lo_, hi_, out);
  }

 private:
  ConvKind kind_;
  ConvGeometry g_;
  float lo_ = 0, hi_ = 0;
};

template <typename TIn, typename TW>
class QuantConvKernel : public Kernel {
 public:
  explicit QuantConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    RuntimeTensor& out = ctx.output(0);
    out.resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    const RuntimeTensor& w = ctx.input(1);
    if (w.quant().scale.empty() || ctx.input(0).quant().scale.empty() || out.quant().scale.empty())
      ctx.invalid("quantized convolution without scales on its input, weights or output");
    if (w.quant().scale.size() != 1 && static_cast<int>(w.quant().scale.size()) != g_.out_c)
      ctx.invalid("weights have " + std::to_string(w.quant().scale.size()) + " scales for " +
                  std::to_string(g_.out_c) + " output channels");
    int32_t lo = 0, hi = 0;
    fusedActivationRange(ctx.arithmetic, g_.activation, out.scale(), out.zeroPoint(), qmin<TIn>(), qmax<TIn>(), &lo,
                         &hi);
    rq_ = std::make_unique<Requantizer>(ctx.arithmetic, ctx.input(0).scale(), w.quant().scale, out.scale(), g_.out_c,
                                        out.zeroPoint(), lo, hi);
    w_zp_ = weightZeroPoints(w, g_.out_c);
    weights16_.clear();
  }
  void eval(KernelContext& ctx) override {
    std::vector<int32_t> bias = biasInt32(ctx.optionalInput(2), g_.out_c);
    const TIn* in = ctx.input(0).data<TIn>();
    const TW* w = ctx.input(1).data<TW>();
    TIn* out = ctx.output(0).mutableData<TIn>();
    int32_t in_zp = ctx.input(0).zeroPoint();
    if (usePlainKernels()) {
      if (kind_ == ConvKind::Conv) convQuant(g_, in, in_zp, w, w_zp_, bias, *rq_, out);
      else depthwiseQuant(g_, in, in_zp, w, w_zp_, bias, *rq_, out);
      return;
    }
    const size_t w_count = static_cast<size_t>(ctx.input(1).elements());
    if (weights16_.empty()) {  // weights are constant: centre them once
      const int per_oc = kind_ == ConvKind::Conv ? g_.k_h * g_.k_w * g_.in_c : 1;
      const int oc_count = g_.out_c;
      weights16_ = kind_ == ConvKind::Conv
                       ? centeredWeights(w, w_count, w_zp_, [&](size_t i) { return i / static_cast<size_t>(per_oc); })
                       : centeredWeights(w, w_count, w_zp_, [&](size_t i) { return i % static_cast<size_t>(oc_count); });
    }
    centerInto(in, static_cast<size_t>(ctx.input(0).elements()), in_zp, input16_);
    if (kind_ == ConvKind::Conv) convFast(g_, input16_.data(), weights16_.data(), bias, *rq_, out, patches16_);
    else depthwiseFast(g_, input16_.data(), weights16_.data(), bias, *rq_, out);
  }

 private:
  ConvKind kind_;
  ConvGeometry g_;
  std::unique_ptr<Requantizer> rq_;
  std::vector<int32_t> w_zp_;
  std::vector<int16_t> weights16_;  // weights minus their zero points, made on first use
  std::vector<int16_t> input16_;    // the input minus its zero point, reused between invocations
  std::vector<int16_t> patches16_;  // im2col rows for small-channel convolutions
};

// Hybrid: float input and output, int8 weights with per-channel (or per-tensor) scales. Each batch's input is
// quantized asymmetrically to int8 on the fly; acc * input_scale * weight_scale + bias gives the float output.
class HybridConvKernel : public Kernel {
 public:
  explicit HybridConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    ctx.output(0).resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    activationRangeFloat(g_.activation, &lo_, &hi_);
    const auto& s = ctx.input(1).quant().scale;
    if (s.empty()) ctx.invalid("int8 weights without a scale");
    w_scale_.resize(static_cast<size_t>(g_.out_c));
    for (int c = 0; c < g_.out_c; ++c) w_scale_[static_cast<size_t>(c)] = s.size() > 1 ? s[static_cast<size_t>(c)] : s[0];
  }
  void eval(KernelContext& ctx) override {
    std::vector<float> bias = biasFloat(ctx.optionalInput(2), g_.out_c);
    const float* in = ctx.input(0).data<float>();
    const int8_t* w = ctx.input(1).data<int8_t>();
    float* out = ctx.output(0).mutableData<float>();
    const size_t batch_in = static_cast<size_t>(g_.in_h) * g_.in_w * g_.in_c;
    const size_t batch_out = static_cast<size_t>(g_.out_h) * g_.out_w * g_.out_c;
    std::vector<int8_t> q(batch_in);
    std::vector<int32_t> acc_out(batch_out);
    ConvGeometry one = g_;
    one.batches = 1;
    std::vector<int32_t> zero_w_zp(static_cast<size_t>(g_.out_c), 0), zero_bias(static_cast<size_t>(g_.out_c), 0);
    for (int n = 0; n < g_.batches; ++n) {
      AsymmetricQuantization aq = quantizeAsymmetric(in + n * batch_in, batch_in, q.data());
      IdentityAccumulator keep;
      if (kind_ == ConvKind::Conv)
        convQuant(one, q.data(), aq.zero_point, w, zero_w_zp, zero_bias, keep, acc_out.data());
      else
        depthwiseQuant(one, q.data(), aq.zero_point, w, zero_w_zp, zero_bias, keep, acc_out.data());
      float* o = out + n * batch_out;
      for (size_t i = 0; i < batch_out; ++i) {
        int c = static_cast<int>(i % static_cast<size_t>(g_.out_c));
        float v = static_cast<float>(acc_out[i]) * (aq.scale * w_scale_[static_cast<size_t>(c)]) + bias[static_cast<size_t>(c)];
        o[i] = std::min(std::max(v, lo_), hi_);
      }
    }
  }

 private:
  // Stands in for a Requantizer when the raw int32 accumulator is wanted.
  struct IdentityAccumulator {
    int32_t operator()(int32_t acc, int) const { return acc; }
  };
  ConvKind kind_;
  ConvGeometry g_;
  float lo_ = 0, hi_ = 0;
  std::vector<float> w_scale_;
};

// ---- TRANSPOSE_CONV ----------------------------------------------------------------------------------------------
// inputs: output_shape [4] (int32), weights [Cout,KH,KW,Cin], input [N,H,W,Cin], optional bias [Cout]. Each input
// pixel scatters input x weights into the output window it maps to; padding is what SAME/VALID would remove from
// a convolution of the output back to the input.

class TransposeConvKernel : public Kernel {
 public:
  explicit TransposeConvKernel(bool quantized) : quantized_(quantized) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& shape_t = ctx.input(0);
    const RuntimeTensor& w = ctx.input(1);
    const RuntimeTensor& in = ctx.input(2);
    if (!shape_t.isConstant() || shape_t.elements() != 4 || shape_t.type() != DType::Int32)
      ctx.unsupported("an output shape that is not a constant int32 [4]");
    if (w.rank() != 4 || in.rank() != 4 || w.dim(3) != in.dim(3)) ctx.invalid("weights and input do not fit");
    const int32_t* os = shape_t.data<int32_t>();
    g_.batches = in.dim(0), g_.in_h = in.dim(1), g_.in_w = in.dim(2), g_.in_c = in.dim(3);
    g_.out_h = os[1], g_.out_w = os[2], g_.out_c = w.dim(0), g_.k_h = w.dim(1), g_.k_w = w.dim(2);
    if (os[0] != g_.batches || os[3] != g_.out_c) ctx.invalid("output shape does not match batch or weights");
    g_.stride_h = static_cast<int>(ctx.intOption("stride_h", 1));
    g_.stride_w = static_cast<int>(ctx.intOption("stride_w", 1));
    if (g_.stride_h <= 0 || g_.stride_w <= 0) ctx.invalid("strides must be positive");
    Padding p = Padding::Same;
    readWindowOptions(ctx, &p, &g_.activation);
    g_.pad_h = windowPaddingBefore(p, g_.out_h, g_.k_h, g_.stride_h, 1, g_.in_h);
    g_.pad_w = windowPaddingBefore(p, g_.out_w, g_.k_w, g_.stride_w, 1, g_.in_w);
    RuntimeTensor& out = ctx.output(0);
    out.resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    if (quantized_) {
      if (w.quant().scale.empty() || in.quant().scale.empty() || out.quant().scale.empty())
        ctx.invalid("quantized TRANSPOSE_CONV without scales");
      int32_t lo = 0, hi = 0;
      int32_t tmin = out.type() == DType::UInt8 ? 0 : -128, tmax = out.type() == DType::UInt8 ? 255 : 127;
      fusedActivationRange(ctx.arithmetic, g_.activation, out.scale(), out.zeroPoint(), tmin, tmax, &lo, &hi);
      rq_ = std::make_unique<Requantizer>(ctx.arithmetic, in.scale(), w.quant().scale, out.scale(), g_.out_c,
                                          out.zeroPoint(), lo, hi);
      w_zp_ = weightZeroPoints(w, g_.out_c);
    } else {
      activationRangeFloat(g_.activation, &lo_, &hi_);
    }
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& w = ctx.input(1);
    const RuntimeTensor& in = ctx.input(2);
    RuntimeTensor& out = ctx.output(0);
    const RuntimeTensor* bias = ctx.optionalInput(3);
    const size_t n_out = static_cast<size_t>(out.elements());
    if (!quantized_) {
      std::vector<float> acc(n_out, 0.f);
      scatter(in.data<float>(), 0, w.data<float>(), std::vector<int32_t>(static_cast<size_t>(g_.out_c), 0), acc.data());
      std::vector<float> b = biasFloat(bias, g_.out_c);
      float* o = out.mutableData<float>();
      for (size_t i = 0; i < n_out; ++i)
        o[i] = std::min(std::max(acc[i] + b[i % static_cast<size_t>(g_.out_c)], lo_), hi_);
      return;
    }
    std::vector<int32_t> acc(n_out, 0);
    std::vector<int32_t> b = biasInt32(bias, g_.out_c);
    if (in.type() == DType::UInt8) {
      scatter(in.data<uint8_t>(), in.zeroPoint(), w.data<uint8_t>(), w_zp_, acc.data());
      uint8_t* o = out.mutableData<uint8_t>();
      for (size_t i = 0; i < n_out; ++i) {
        int c = static_cast<int>(i % static_cast<size_t>(g_.out_c));
        o[i] = static_cast<uint8_t>((*rq_)(acc[i] + b[static_cast<size_t>(c)], c));
      }
    } else {
      scatter(in.data<int8_t>(), in.zeroPoint(), w.data<int8_t>(), w_zp_, acc.data());
      int8_t* o = out.mutableData<int8_t>();
      for (size_t i = 0; i < n_out; ++i) {
        int c = static_cast<int>(i % static_cast<size_t>(g_.out_c));
        o[i] = static_cast<int8_t>((*rq_)(acc[i] + b[static_cast<size_t>(c)], c));
      }
    }
  }

 private:
  template <typename TIn, typename TW, typename TAcc>
  void scatter(const TIn* in, int32_t in_zp, const TW* w, const std::vector<int32_t>& w_zp, TAcc* acc) const {
    for (int n = 0; n < g_.batches; ++n)
      for (int y = 0; y < g_.in_h; ++y)
        for (int x = 0; x < g_.in_w; ++x) {
          const TIn* px = in + ((static_cast<size_t>(n) * g_.in_h + y) * g_.in_w + x) * g_.in_c;
          for (int ky = 0; ky < g_.k_h; ++ky) {
            int oy = y * g_.stride_h + ky - g_.pad_h;
            if (oy < 0 || oy >= g_.out_h) continue;
            for (int kx = 0; kx < g_.k_w; ++kx) {
              int ox = x * g_.stride_w + kx - g_.pad_w;
              if (ox < 0 || ox >= g_.out_w) continue;
              TAcc* o = acc + ((static_cast<size_t>(n) * g_.out_h + oy) * g_.out_w + ox) * g_.out_c;
              for (int oc = 0; oc < g_.out_c; ++oc) {
                const TW* k = w + ((static_cast<size_t>(oc) * g_.k_h + ky) * g_.k_w + kx) * g_.in_c;
                TAcc sum = 0;
                for (int ic = 0; ic < g_.in_c; ++ic)
                  sum += static_cast<TAcc>(static_cast<TAcc>(px[ic]) - static_cast<TAcc>(in_zp)) *
                         static_cast<TAcc>(static_cast<TAcc>(k[ic]) - static_cast<TAcc>(w_zp[static_cast<size_t>(oc)]));
                o[oc] += sum;
              }
            }
          }
        }
  }

  bool quantized_;
  ConvGeometry g_;
  float lo_ = 0, hi_ = 0;
  std::unique_ptr<Requantizer> rq_;
  std::vector<int32_t> w_zp_;
};

template <ConvKind kind>
std::unique_ptr<Kernel> makeConvKernel(const KernelContext& ctx) {
  if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
  DType in = ctx.in[0]->type(), w = ctx.in[1]->type();
  if (in == DType::Float32 && w == DType::Float32) return std::make_unique<FloatConvKernel>(kind);
  if (in == DType::Float32 && w == DType::Int8) return std::make_unique<HybridConvKernel>(kind);
  if (in == DType::UInt8 && w == DType::UInt8) return std::make_unique<QuantConvKernel<uint8_t, uint8_t>>(kind);
  if (in == DType::Int8 && w == DType::Int8) return std::make_unique<QuantConvKernel<int8_t, int8_t>>(kind);
  return nullptr;
}

}  // namespace

void registerConvKernels(KernelRegistry& r) {
  r.add("CONV_2D", makeConvKernel<ConvKind::Conv>);
  r.add("DEPTHWISE_CONV_2D", makeConvKernel<ConvKind::Depthwise>);
  r.add("TRANSPOSE_CONV", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 3 || !ctx.in[1] || !ctx.in[2]) return nullptr;
    DType in = ctx.in[2]->type(), w = ctx.in[1]->type();
    if (in == DType::Float32 && w == DType::Float32) return std::make_unique<TransposeConvKernel>(false);
    if ((in == DType::UInt8 && w == DType::UInt8) || (in == DType::Int8 && w == DType::Int8))
      return std::make_unique<TransposeConvKernel>(true);
    return nullptr;
  });
}

}  // namespace ql
