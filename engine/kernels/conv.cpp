// CONV_2D, DEPTHWISE_CONV_2D and TRANSPOSE_CONV.
//  - float;
//  - quantized uint8 / int8 activations with per-tensor or per-channel weights and int32 bias: the accumulator is
//    sum((x - x_zp) * (w - w_zp)) + bias, turned into the output by XNNPACK's fp32 requantization (Deployed) or
//    TFLite's fixed-point multiplier (Reference);
//  - 16x8: int16 activations, int8 weights, int64 or int32 bias: TFLite's builtin kernels (XNNPACK has no int16),
//    rounding as the runtime does it (conv_requant16.h);
//  - hybrid (dynamic range): float activations, int8 weights. Each batch is quantized to int8 on the fly as
//    TFLite's hybrid kernels do: CONV_2D with per-channel scales that differ and DEPTHWISE_CONV_2D asymmetrically
//    (EvalHybridPerChannel), CONV_2D with one scale symmetrically (EvalHybrid); out = acc * scale + bias. (LiteRT
//    2.5.3 hands hybrid CONV_2D to XNNPACK's dynamically quantized convolution instead, which quantizes
//    asymmetrically and rounds half to even; the golden models follow TFLite's kernels: see conv_test.cpp.)
// Every kernel has plain reference loops (below) and, for float, uint8/int8 and hybrid, a fast path (im2col rows
// into the packed matrix products of gemm_int8 / gemm_float, depthwise in conv_depthwise) chosen at run time.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <type_traits>
#include <limits>

#include "kernels/conv_depthwise.h"
#include "kernels/conv_geometry.h"
#include "kernels/conv_hybrid_input.h"
#include "kernels/conv_requant16.h"
#include "kernels/families.h"
#include "kernels/float_sum_order.h"
#include "kernels/gemm_dispatch.h"
#include "kernels/gemm_float.h"
#include "kernels/gemm_int8.h"
#include "kernels/hybrid_quantize.h"
#include "kernels/requantize.h"
#include "kernels/shape_util.h"
#include "model/dtype.h"
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

// The bias as TB per channel (0 without bias); int32 and int64 biases widen to TB.
template <typename TB>
std::vector<TB> biasValues(const RuntimeTensor* bias, int channels) {
  std::vector<TB> b(static_cast<size_t>(channels), TB(0));
  if (!bias) return b;
  for (size_t c = 0; c < b.size(); ++c) {
    if (bias->type() == DType::Float32) b[c] = static_cast<TB>(bias->data<float>()[c]);
    else if (bias->type() == DType::Int64) b[c] = static_cast<TB>(bias->data<int64_t>()[c]);
    else b[c] = static_cast<TB>(bias->data<int32_t>()[c]);
  }
  return b;
}

// The scale of each output channel (one scale broadcast), checking the count.
std::vector<float> channelScales(const KernelContext& ctx, const RuntimeTensor& w, int channels) {
  const auto& s = w.quant().scale;
  if (s.empty()) ctx.invalid("quantized weights without a scale");
  if (s.size() != 1 && static_cast<int>(s.size()) != channels)
    ctx.invalid("weights have " + std::to_string(s.size()) + " scales for " + std::to_string(channels) +
                " output channels");
  std::vector<float> out(static_cast<size_t>(channels));
  for (int c = 0; c < channels; ++c) out[static_cast<size_t>(c)] = s.size() > 1 ? s[static_cast<size_t>(c)] : s[0];
  return out;
}

// The optional bias at `index` must have type `type` (kernels read it as such).
void requireBiasType(const KernelContext& ctx, size_t index, DType type) {
  const RuntimeTensor* bias = ctx.optionalInput(index);
  if (bias && bias->type() != type)
    ctx.invalid(ctx.opName() + " needs a " + dtypeName(type) + " bias, not " + dtypeName(bias->type()));
}

void requireScales(const KernelContext& ctx, const RuntimeTensor& in, const RuntimeTensor& w,
                   const RuntimeTensor& out) {
  if (w.quant().scale.empty() || in.quant().scale.empty() || out.quant().scale.empty())
    ctx.invalid("quantized " + ctx.opName() + " without scales on its input, weights or output");
}

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

size_t pixelOffset(const ConvGeometry& g, int n, int y, int x) {
  return ((static_cast<size_t>(n) * g.in_h + y) * g.in_w + x) * static_cast<size_t>(g.in_c);
}

// ---- plain loops: CONV_2D ----------------------------------------------------------------------------------------
// input [N,H,W,Cin], filter [Cout,KH,KW,Cin], bias [Cout], output [N,OH,OW,Cout].

bool sumsInFourLanes(const ConvGeometry& g) {
  const bool pointwise = g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 && g.pad_w == 0;
  return convSumsInFourLanes(g.out_c, pointwise);
}

// Sums in k order, or in four lanes where XNNPACK does (float_sum_order.h).
void convFloat(const ConvGeometry& g, const float* in, const float* w, const float* bias, float lo, float hi,
               float* out) {
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

// ---- plain loops: DEPTHWISE_CONV_2D ------------------------------------------------------------------------------
// input [N,H,W,Cin], filter [1,KH,KW,Cout] with Cout = Cin * multiplier; output channel oc reads input oc / m.

void depthwiseFloat(const ConvGeometry& g, const float* in, const float* w, const float* bias, float lo, float hi,
                    float* out) {
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

// Stands in for a requantizer where the raw int32 accumulator is wanted (hybrid kernels).
struct RawAccumulator {
  int32_t operator()(int32_t acc, int) const { return acc; }
};

// ---- fast paths: convolution rows for the matrix products --------------------------------------------------------

// Row m of the im2col matrix is output pixel m's window: k_h * k_w runs of in_c values, null over padding.
struct ConvRows {
  const ConvGeometry* g;
  const uint8_t* in;  // the input's bytes
  size_t elem;        // bytes per value
};

void describeWindowRow(const void* ctx, int64_t m, const void** runs) {
  const ConvRows& r = *static_cast<const ConvRows*>(ctx);
  const ConvGeometry& g = *r.g;
  const int64_t per_image = static_cast<int64_t>(g.out_h) * g.out_w;
  const int n = static_cast<int>(m / per_image);
  const int rem = static_cast<int>(m % per_image);
  const int iy0 = (rem / g.out_w) * g.stride_h - g.pad_h, ix0 = (rem % g.out_w) * g.stride_w - g.pad_w;
  int t = 0;
  for (int ky = 0; ky < g.k_h; ++ky) {
    const int iy = iy0 + ky * g.dil_h;
    for (int kx = 0; kx < g.k_w; ++kx, ++t) {
      const int ix = ix0 + kx * g.dil_w;
      const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
      runs[t] = inside ? r.in + pixelOffset(g, n, iy, ix) * r.elem : nullptr;
    }
  }
}

// A 1x1 convolution with stride 1 and no padding reads input pixel m as row m.
void describePixelRow(const void* ctx, int64_t m, const void** runs) {
  const ConvRows& r = *static_cast<const ConvRows*>(ctx);
  runs[0] = r.in + static_cast<size_t>(m) * static_cast<size_t>(r.g->in_c) * r.elem;
}

RowSource convRowSource(const ConvRows& rows) {
  const ConvGeometry& g = *rows.g;
  RowSource s;
  s.ctx = &rows;
  s.segment_len = g.in_c;
  const bool pointwise = g.k_h == 1 && g.k_w == 1 && g.stride_h == 1 && g.stride_w == 1 && g.pad_h == 0 &&
                         g.pad_w == 0 && g.out_h == g.in_h && g.out_w == g.in_w;
  if (pointwise) {
    s.segments = 1;
    s.describe = describePixelRow;
  } else {
    s.segments = g.k_h * g.k_w;
    s.describe = describeWindowRow;
  }
  return s;
}

int64_t outputPixels(const ConvGeometry& g) { return static_cast<int64_t>(g.batches) * g.out_h * g.out_w; }

// Windows over few channels (first layers: 1 to 4 channels) make rows of many tiny runs, whose per-row description
// costs more than the products. Such convolutions lay every window out once (im2col, `pad` over padding: the
// input's zero point) and multiply the patches as a pointwise convolution. Returns false (nothing done) when the
// convolution does not qualify or the patches would take more than 16 MiB.
template <typename T>
bool smallChannelPatches(const ConvGeometry& g, const T* in, T pad, std::vector<T>& patches, ConvGeometry* rows) {
  const size_t k = static_cast<size_t>(g.k_h) * g.k_w * g.in_c;
  const size_t m = static_cast<size_t>(outputPixels(g));
  if (g.in_c > 4 || (g.k_h == 1 && g.k_w == 1) || m * k * sizeof(T) > (size_t{16} << 20)) return false;
  patches.resize(m * k);
  T* dst = patches.data();
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) {
        const int iy0 = oy * g.stride_h - g.pad_h, ix0 = ox * g.stride_w - g.pad_w;
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int iy = iy0 + ky * g.dil_h;
          for (int kx = 0; kx < g.k_w; ++kx, dst += g.in_c) {
            const int ix = ix0 + kx * g.dil_w;
            if (iy < 0 || iy >= g.in_h || ix < 0 || ix >= g.in_w) {
              for (int c = 0; c < g.in_c; ++c) dst[c] = pad;
              continue;
            }
            const T* src = in + pixelOffset(g, n, iy, ix);
            for (int c = 0; c < g.in_c; ++c) dst[c] = src[c];
          }
        }
      }
  // The patches as a 1x1 convolution's input: one "pixel" of k channels per output pixel.
  *rows = g;
  rows->batches = 1, rows->in_h = 1, rows->in_w = static_cast<int>(m), rows->in_c = static_cast<int>(k);
  rows->out_h = 1, rows->out_w = static_cast<int>(m), rows->k_h = rows->k_w = 1;
  rows->stride_h = rows->stride_w = rows->dil_h = rows->dil_w = 1, rows->pad_h = rows->pad_w = 0;
  return true;
}

// ---- kernels -----------------------------------------------------------------------------------------------------

enum class ConvKind { Conv, Depthwise };

bool weightsAndBiasConstant(const KernelContext& ctx) {
  const RuntimeTensor* bias = ctx.optionalInput(2);
  return ctx.input(1).isConstant() && (!bias || bias->isConstant());
}

class FloatConvKernel : public Kernel {
 public:
  explicit FloatConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    ctx.output(0).resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    activationRangeFloat(g_.activation, &lo_, &hi_);
    requireBiasType(ctx, 2, DType::Float32);
    repack_ = !weightsAndBiasConstant(ctx);
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    const float* w = ctx.input(1).data<float>();
    const RuntimeTensor* bias_t = ctx.optionalInput(2);
    const float* bias = bias_t ? bias_t->data<float>() : nullptr;
    float* out = ctx.output(0).mutableData<float>();
    if (fastKernelsEnabled()) {
      const SimdLevel level = simdLevel();
      if (kind_ == ConvKind::Depthwise && g_.out_c == g_.in_c) {
        if (!dw_.packed() || repack_) dw_.pack(w, g_, bias);
        return dw_.run(level, g_, in, lo_, hi_, out);
      }
      if (kind_ == ConvKind::Conv) {
        if (!gemm_.packedFor(level) || repack_)
          gemm_.pack(level, w, g_.out_c, g_.k_h * g_.k_w * g_.in_c, bias,
                     sumsInFourLanes(g_) ? g_.in_c : 0);
        ConvGeometry patch_rows;
        const bool patched = smallChannelPatches(g_, in, 0.f, patches_, &patch_rows);
        ConvRows rows = patched ? ConvRows{&patch_rows, reinterpret_cast<const uint8_t*>(patches_.data()), sizeof(float)}
                                : ConvRows{&g_, reinterpret_cast<const uint8_t*>(in), sizeof(float)};
        return gemm_.run(outputPixels(g_), convRowSource(rows), lo_, hi_, out, g_.out_c);
      }
    }
    std::vector<float> b = biasValues<float>(bias_t, g_.out_c);
    if (kind_ == ConvKind::Conv) convFloat(g_, in, w, b.data(), lo_, hi_, out);
    else depthwiseFloat(g_, in, w, b.data(), lo_, hi_, out);
  }

 private:
  ConvKind kind_;
  ConvGeometry g_;
  float lo_ = 0, hi_ = 0;
  bool repack_ = false;
  FloatGemm gemm_;
  FloatDepthwise dw_;
  std::vector<float> patches_;  // im2col of small-channel convolutions, kept between invocations
};

// uint8 or int8 activations and weights of the same type.
template <typename T>
class QuantConvKernel : public Kernel {
 public:
  explicit QuantConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    RuntimeTensor& out = ctx.output(0);
    out.resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& w = ctx.input(1);
    requireScales(ctx, in, w, out);
    requireBiasType(ctx, 2, DType::Int32);
    std::vector<float> w_scales = channelScales(ctx, w, g_.out_c);
    int32_t lo = 0, hi = 0;
    fusedActivationRange(ctx.arithmetic, g_.activation, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo, &hi);
    rq_ = std::make_unique<Requantizer>(ctx.arithmetic, in.scale(), w.quant().scale, out.scale(), g_.out_c,
                                        out.zeroPoint(), lo, hi);
    stage_ = QuantOutputStage::make(ctx.arithmetic, in.scale(), w_scales, out.scale(), g_.out_c, out.zeroPoint(), lo,
                                    hi);
    w_zp_ = weightZeroPoints(w, g_.out_c);
    repack_ = !weightsAndBiasConstant(ctx);
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& input = ctx.input(0);
    const T* in = input.data<T>();
    const T* w = ctx.input(1).data<T>();
    const RuntimeTensor* bias_t = ctx.optionalInput(2);
    const int32_t* bias = bias_t ? bias_t->data<int32_t>() : nullptr;
    T* out = ctx.output(0).mutableData<T>();
    const int32_t in_zp = input.zeroPoint();
    const bool is_unsigned = std::is_same<T, uint8_t>::value;
    if (fastKernelsEnabled()) {
      const SimdLevel level = simdLevel();
      if (kind_ == ConvKind::Depthwise && g_.out_c == g_.in_c) {
        if (!dw_.packed() || repack_) dw_.pack(w, is_unsigned, g_, w_zp_, bias);
        return dw_.run(level, g_, in, in_zp, stage_, out);
      }
      if (kind_ == ConvKind::Conv) {
        if (!gemm_.packedFor(level) || repack_)
          gemm_.pack(level, w, is_unsigned, g_.out_c, g_.k_h * g_.k_w * g_.in_c, w_zp_, bias);
        ConvGeometry patch_rows;
        const bool patched = smallChannelPatches(g_, in, static_cast<T>(in_zp), patches_, &patch_rows);
        ConvRows rows = patched ? ConvRows{&patch_rows, reinterpret_cast<const uint8_t*>(patches_.data()), sizeof(T)}
                                : ConvRows{&g_, reinterpret_cast<const uint8_t*>(in), sizeof(T)};
        return gemm_.run(outputPixels(g_), is_unsigned, in_zp, convRowSource(rows), stage_, out, g_.out_c);
      }
    }
    std::vector<int32_t> b = biasValues<int32_t>(bias_t, g_.out_c);
    if (kind_ == ConvKind::Conv) convQuant<int32_t>(g_, in, in_zp, w, w_zp_, b, *rq_, out);
    else depthwiseQuant<int32_t>(g_, in, in_zp, w, w_zp_, b, *rq_, out);
  }

 private:
  ConvKind kind_;
  ConvGeometry g_;
  std::unique_ptr<Requantizer> rq_;  // plain loops
  QuantOutputStage stage_;           // fast paths (same arithmetic)
  std::vector<int32_t> w_zp_;
  bool repack_ = false;
  QuantGemm gemm_;
  QuantDepthwise dw_;
  std::vector<T> patches_;  // im2col of small-channel convolutions, kept between invocations
};

// 16x8: int16 activations and output, int8 weights; TFLite's builtin kernels, rounding as conv_requant16.h says.
class Int16ConvKernel : public Kernel {
 public:
  explicit Int16ConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    RuntimeTensor& out = ctx.output(0);
    out.resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& w = ctx.input(1);
    requireScales(ctx, in, w, out);
    channelScales(ctx, w, g_.out_c);
    const RuntimeTensor* bias = ctx.optionalInput(2);
    if (bias && bias->type() != DType::Int64 && bias->type() != DType::Int32)
      ctx.invalid("16x8 " + ctx.opName() + " needs an int64 or int32 bias");
    // TFLite's 16x8 depthwise kernel only has int64 sums; CONV_2D sums in the bias's type.
    if (kind_ == ConvKind::Depthwise && bias && bias->type() != DType::Int64)
      ctx.invalid("16x8 DEPTHWISE_CONV_2D needs an int64 bias");
    wide_ = kind_ == ConvKind::Depthwise || (bias && bias->type() == DType::Int64);
    int32_t lo = 0, hi = 0;
    activationRangeQuantized(g_.activation, out.scale(), out.zeroPoint(), qmin<int16_t>(), qmax<int16_t>(), &lo, &hi);
    rq_ = std::make_unique<Requantizer16x8>(ctx.arithmetic, false, in.scale(), w.quant().scale, out.scale(), g_.out_c,
                                            out.zeroPoint(), lo, hi);
    w_zp_ = weightZeroPoints(w, g_.out_c);
  }
  void eval(KernelContext& ctx) override {
    if (wide_) run<int64_t>(ctx);
    else run<int32_t>(ctx);
  }

 private:
  template <typename TAcc>
  void run(KernelContext& ctx) {
    const RuntimeTensor& input = ctx.input(0);
    const int16_t* in = input.data<int16_t>();
    const int8_t* w = ctx.input(1).data<int8_t>();
    int16_t* out = ctx.output(0).mutableData<int16_t>();
    std::vector<TAcc> b = biasValues<TAcc>(ctx.optionalInput(2), g_.out_c);
    if (kind_ == ConvKind::Conv) convQuant<TAcc>(g_, in, input.zeroPoint(), w, w_zp_, b, *rq_, out);
    else depthwiseQuant<TAcc>(g_, in, input.zeroPoint(), w, w_zp_, b, *rq_, out);
  }

  ConvKind kind_;
  ConvGeometry g_;
  bool wide_ = false;
  std::unique_ptr<Requantizer16x8> rq_;
  std::vector<int32_t> w_zp_;
};

// Hybrid: float input and output, int8 weights with per-channel (or per-tensor) scales.
class HybridConvKernel : public Kernel {
 public:
  explicit HybridConvKernel(ConvKind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    g_ = convGeometry(ctx, kind_ == ConvKind::Depthwise);
    ctx.output(0).resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    activationRangeFloat(g_.activation, &lo_, &hi_);
    w_scale_ = channelScales(ctx, ctx.input(1), g_.out_c);
    // TFLite's CONV_2D takes the per-channel path only when the channel scales differ; with one scale it quantizes
    // the input symmetrically and folds the weights' scale into the input's (conv.cc, EvalHybrid).
    asymmetric_ = kind_ == ConvKind::Depthwise ||
                  std::any_of(w_scale_.begin(), w_scale_.end(), [&](float s) { return s != w_scale_[0]; });
    const RuntimeTensor* bias = ctx.optionalInput(2);
    if (bias && bias->type() != DType::Float32) ctx.invalid("hybrid " + ctx.opName() + " needs a float bias");
    repack_ = !ctx.input(1).isConstant();
    one_ = g_;
    one_.batches = 1;
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    const int8_t* w = ctx.input(1).data<int8_t>();
    const RuntimeTensor* bias_t = ctx.optionalInput(2);
    float* out = ctx.output(0).mutableData<float>();
    const size_t batch_in = static_cast<size_t>(g_.in_h) * g_.in_w * g_.in_c;
    const size_t batch_out = static_cast<size_t>(g_.out_h) * g_.out_w * g_.out_c;
    quantized_.resize(batch_in);
    std::vector<float> scale(static_cast<size_t>(g_.out_c));
    FloatOutputStage stage;
    stage.scale = scale.data();
    stage.bias = bias_t ? bias_t->data<float>() : nullptr;
    stage.lo = lo_, stage.hi = hi_;
    const bool fast = fastKernelsEnabled();
    const SimdLevel level = simdLevel();
    const bool fast_depthwise = fast && kind_ == ConvKind::Depthwise && g_.out_c == g_.in_c;
    const bool fast_conv = fast && kind_ == ConvKind::Conv;
    const std::vector<int32_t> zeros(static_cast<size_t>(g_.out_c), 0);
    if (fast_depthwise && (!dw_.packed() || repack_)) dw_.pack(w, false, g_, zeros, nullptr);
    if (fast_conv && (!gemm_.packedFor(level) || repack_))
      gemm_.pack(level, w, false, g_.out_c, g_.k_h * g_.k_w * g_.in_c, zeros, nullptr);
    for (int n = 0; n < g_.batches; ++n) {
      // x ~ input_scale * (q - zero_point), per batch.
      float input_scale = 1.f;
      int32_t zero_point = 0;
      const float* x = in + n * batch_in;
      if (asymmetric_) {
        AsymmetricQuantization aq = fast ? quantizeAsymmetricFast(level, x, batch_in, quantized_.data())
                                         : quantizeAsymmetric(x, batch_in, quantized_.data());
        input_scale = aq.scale, zero_point = aq.zero_point;
        if (kind_ == ConvKind::Depthwise) {
          // TFLite's optimized hybrid depthwise kernel: acc * input_scale * channel_scale, left to right.
          stage.first_scale = input_scale;
          stage.scale = w_scale_.data();
        } else {
          for (size_t c = 0; c < scale.size(); ++c) scale[c] = w_scale_[c] * input_scale;
        }
      } else {
        input_scale = fast ? quantizeSymmetricFast(level, x, batch_in, quantized_.data())
                           : quantizeSymmetric(x, batch_in, quantized_.data());
        std::fill(scale.begin(), scale.end(), input_scale * w_scale_[0]);
      }
      float* o = out + n * batch_out;
      if (fast_depthwise) {
        dw_.runHybrid(level, one_, quantized_.data(), zero_point, stage, o);
      } else if (fast_conv) {
        ConvRows rows{&one_, reinterpret_cast<const uint8_t*>(quantized_.data()), 1};
        gemm_.runFloat(outputPixels(one_), zero_point, convRowSource(rows), stage, o, g_.out_c);
      } else {
        plainBatch(w, zero_point, stage, o);
      }
    }
  }

 private:
  void plainBatch(const int8_t* w, int32_t zero_point, const FloatOutputStage& stage, float* o) {
    const size_t batch_out = static_cast<size_t>(g_.out_h) * g_.out_w * g_.out_c;
    acc_.resize(batch_out);
    const std::vector<int32_t> zeros(static_cast<size_t>(g_.out_c), 0);
    if (kind_ == ConvKind::Conv)
      convQuant<int32_t>(one_, quantized_.data(), zero_point, w, zeros, zeros, RawAccumulator(), acc_.data());
    else
      depthwiseQuant<int32_t>(one_, quantized_.data(), zero_point, w, zeros, zeros, RawAccumulator(), acc_.data());
    for (size_t i = 0; i < batch_out; ++i) {
      const size_t c = i % static_cast<size_t>(g_.out_c);
      float v = static_cast<float>(acc_[i]) * stage.first_scale * stage.scale[c];
      if (stage.bias) v += stage.bias[c];
      o[i] = std::min(std::max(v, lo_), hi_);
    }
  }

  ConvKind kind_;
  ConvGeometry g_, one_;  // one_: a single batch
  float lo_ = 0, hi_ = 0;
  bool asymmetric_ = true;
  bool repack_ = false;
  std::vector<float> w_scale_;
  std::vector<int8_t> quantized_;  // one batch of the input, quantized
  std::vector<int32_t> acc_;
  QuantGemm gemm_;
  QuantDepthwise dw_;
};

// ---- TRANSPOSE_CONV ----------------------------------------------------------------------------------------------
// inputs: output_shape [4] (int32), weights [Cout,KH,KW,Cin], input [N,H,W,Cin], optional bias [Cout]. Each input
// pixel scatters input x weights into the output window it maps to; padding is what SAME/VALID would remove from
// a convolution of the output back to the input. XNNPACK runs float, uint8 and int8 (its deconvolution, fp32
// requantization); 16x8 is TFLite's reference kernel (int64 sums with an int64 bias, else int32).

template <typename TAcc, typename TIn, typename TW>
void transposeScatter(const ConvGeometry& g, const TIn* in, int32_t in_zp, const TW* w,
                      const std::vector<int32_t>& w_zp, TAcc* acc) {
  for (int n = 0; n < g.batches; ++n)
    for (int y = 0; y < g.in_h; ++y)
      for (int x = 0; x < g.in_w; ++x) {
        const TIn* px = in + pixelOffset(g, n, y, x);
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int oy = y * g.stride_h + ky - g.pad_h;
          if (oy < 0 || oy >= g.out_h) continue;
          for (int kx = 0; kx < g.k_w; ++kx) {
            const int ox = x * g.stride_w + kx - g.pad_w;
            if (ox < 0 || ox >= g.out_w) continue;
            TAcc* o = acc + ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.out_c;
            for (int oc = 0; oc < g.out_c; ++oc) {
              const TW* k = w + ((static_cast<size_t>(oc) * g.k_h + ky) * g.k_w + kx) * g.in_c;
              const TAcc wz = static_cast<TAcc>(w_zp[static_cast<size_t>(oc)]);
              TAcc sum = 0;
              for (int ic = 0; ic < g.in_c; ++ic)
                sum += (static_cast<TAcc>(px[ic]) - static_cast<TAcc>(in_zp)) * (static_cast<TAcc>(k[ic]) - wz);
              o[oc] += sum;
            }
          }
        }
      }
}

class TransposeConvKernel : public Kernel {
 public:
  enum class Type { Float, UInt8, Int8, Int16 };
  explicit TransposeConvKernel(Type type) : type_(type) {}
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
    if (g_.out_h < 0 || g_.out_w < 0) ctx.invalid("negative output shape");
    g_.stride_h = static_cast<int>(ctx.intOption("stride_h", 1));
    g_.stride_w = static_cast<int>(ctx.intOption("stride_w", 1));
    if (g_.stride_h <= 0 || g_.stride_w <= 0) ctx.invalid("strides must be positive");
    Padding p = Padding::Same;
    readWindowOptions(ctx, &p, &g_.activation);
    g_.pad_h = windowPaddingBefore(p, g_.out_h, g_.k_h, g_.stride_h, 1, g_.in_h);
    g_.pad_w = windowPaddingBefore(p, g_.out_w, g_.k_w, g_.stride_w, 1, g_.in_w);
    if (const RuntimeTensor* bias = ctx.optionalInput(3))
      if (bias->elements() != g_.out_c) ctx.invalid("bias has " + std::to_string(bias->elements()) + " values");
    RuntimeTensor& out = ctx.output(0);
    out.resize({g_.batches, g_.out_h, g_.out_w, g_.out_c});
    if (type_ == Type::Float) {
      requireBiasType(ctx, 3, DType::Float32);
      activationRangeFloat(g_.activation, &lo_, &hi_);
      return;
    }
    requireScales(ctx, in, w, out);
    channelScales(ctx, w, g_.out_c);
    w_zp_ = weightZeroPoints(w, g_.out_c);
    int32_t lo = 0, hi = 0;
    if (type_ == Type::Int16) {
      const RuntimeTensor* bias = ctx.optionalInput(3);
      if (bias && bias->type() != DType::Int64 && bias->type() != DType::Int32)
        ctx.invalid("16x8 TRANSPOSE_CONV needs an int64 or int32 bias");
      wide_ = bias && bias->type() == DType::Int64;
      activationRangeQuantized(g_.activation, out.scale(), out.zeroPoint(), qmin<int16_t>(), qmax<int16_t>(), &lo, &hi);
      rq16_ = std::make_unique<Requantizer16x8>(ctx.arithmetic, false, in.scale(), w.quant().scale, out.scale(),
                                                g_.out_c, out.zeroPoint(), lo, hi);
      return;
    }
    requireBiasType(ctx, 3, DType::Int32);
    const int32_t tmin = type_ == Type::UInt8 ? 0 : -128, tmax = type_ == Type::UInt8 ? 255 : 127;
    fusedActivationRange(ctx.arithmetic, g_.activation, out.scale(), out.zeroPoint(), tmin, tmax, &lo, &hi);
    rq_ = std::make_unique<Requantizer>(ctx.arithmetic, in.scale(), w.quant().scale, out.scale(), g_.out_c,
                                        out.zeroPoint(), lo, hi);
  }
  void eval(KernelContext& ctx) override {
    switch (type_) {
      case Type::Float: return evalFloat(ctx);
      case Type::UInt8: return evalQuant<int32_t, uint8_t, uint8_t>(ctx, *rq_);
      case Type::Int8: return evalQuant<int32_t, int8_t, int8_t>(ctx, *rq_);
      case Type::Int16:
        if (wide_) return evalQuant<int64_t, int16_t, int8_t>(ctx, *rq16_);
        return evalQuant<int32_t, int16_t, int8_t>(ctx, *rq16_);
    }
  }

 private:
  void evalFloat(KernelContext& ctx) {
    RuntimeTensor& out = ctx.output(0);
    const size_t n_out = static_cast<size_t>(out.elements());
    std::vector<float> acc(n_out, 0.f);
    transposeScatter(g_, ctx.input(2).data<float>(), 0, ctx.input(1).data<float>(),
                     std::vector<int32_t>(static_cast<size_t>(g_.out_c), 0), acc.data());
    std::vector<float> b = biasValues<float>(ctx.optionalInput(3), g_.out_c);
    float* o = out.mutableData<float>();
    for (size_t i = 0; i < n_out; ++i)
      o[i] = std::min(std::max(acc[i] + b[i % static_cast<size_t>(g_.out_c)], lo_), hi_);
  }
  template <typename TAcc, typename TIn, typename TW, typename RQ>
  void evalQuant(KernelContext& ctx, const RQ& rq) {
    const RuntimeTensor& in = ctx.input(2);
    RuntimeTensor& out = ctx.output(0);
    const size_t n_out = static_cast<size_t>(out.elements());
    std::vector<TAcc> acc(n_out, 0);
    transposeScatter(g_, in.data<TIn>(), in.zeroPoint(), ctx.input(1).data<TW>(), w_zp_, acc.data());
    std::vector<TAcc> b = biasValues<TAcc>(ctx.optionalInput(3), g_.out_c);
    TIn* o = out.mutableData<TIn>();
    for (size_t i = 0; i < n_out; ++i) {
      const int c = static_cast<int>(i % static_cast<size_t>(g_.out_c));
      o[i] = static_cast<TIn>(rq(static_cast<TAcc>(acc[i] + b[static_cast<size_t>(c)]), c));
    }
  }

  Type type_;
  ConvGeometry g_;
  float lo_ = 0, hi_ = 0;
  bool wide_ = false;
  std::unique_ptr<Requantizer> rq_;
  std::unique_ptr<Requantizer16x8> rq16_;
  std::vector<int32_t> w_zp_;
};

template <ConvKind kind>
std::unique_ptr<Kernel> makeConvKernel(const KernelContext& ctx) {
  if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
  const DType in = ctx.in[0]->type(), w = ctx.in[1]->type();
  if (in == DType::Float32 && w == DType::Float32) return std::make_unique<FloatConvKernel>(kind);
  if (in == DType::Float32 && w == DType::Int8) return std::make_unique<HybridConvKernel>(kind);
  if (in == DType::UInt8 && w == DType::UInt8) return std::make_unique<QuantConvKernel<uint8_t>>(kind);
  if (in == DType::Int8 && w == DType::Int8) return std::make_unique<QuantConvKernel<int8_t>>(kind);
  if (in == DType::Int16 && w == DType::Int8) return std::make_unique<Int16ConvKernel>(kind);
  return nullptr;
}

std::unique_ptr<Kernel> makeTransposeConvKernel(const KernelContext& ctx) {
  if (ctx.in.size() < 3 || !ctx.in[0] || !ctx.in[1] || !ctx.in[2]) return nullptr;
  const DType in = ctx.in[2]->type(), w = ctx.in[1]->type();
  using Type = TransposeConvKernel::Type;
  if (in == DType::Float32 && w == DType::Float32) return std::make_unique<TransposeConvKernel>(Type::Float);
  if (in == DType::UInt8 && w == DType::UInt8) return std::make_unique<TransposeConvKernel>(Type::UInt8);
  if (in == DType::Int8 && w == DType::Int8) return std::make_unique<TransposeConvKernel>(Type::Int8);
  if (in == DType::Int16 && w == DType::Int8) return std::make_unique<TransposeConvKernel>(Type::Int16);
  return nullptr;
}

}  // namespace

void registerConvKernels(KernelRegistry& r) {
  r.add("CONV_2D", makeConvKernel<ConvKind::Conv>);
  r.add("DEPTHWISE_CONV_2D", makeConvKernel<ConvKind::Depthwise>);
  r.add("TRANSPOSE_CONV", makeTransposeConvKernel);
}

}  // namespace ql
