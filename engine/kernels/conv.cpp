// CONV_2D and DEPTHWISE_CONV_2D (TRANSPOSE_CONV: transpose_conv.cpp).
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
// Every kernel has plain reference loops (conv_plain_loops.h, depthwise_plain_loops.h) and, for float, uint8/int8
// and hybrid, a fast path (im2col rows into the packed matrix products of gemm_int8 / gemm_float, depthwise in
// conv_depthwise) chosen at run time.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <type_traits>
#include <limits>

#include "kernels/conv_depthwise.h"
#include "kernels/conv_plain_loops.h"
#include "kernels/depthwise_plain_loops.h"
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
#include "kernels/weight_operands.h"
#include "kernels/shape_util.h"
#include "model/dtype.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

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
    std::vector<float> w_scales = weightScales(ctx, w, g_.out_c, "output channels");
    int32_t lo = 0, hi = 0;
    fusedActivationRange(ctx.arithmetic, g_.activation, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo, &hi);
    rq_ = Requantizer(ctx.arithmetic, in.scale(), w_scales, out.scale(), g_.out_c, out.zeroPoint(), lo, hi);
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
        return dw_.run(level, g_, in, in_zp, rq_, out);
      }
      if (kind_ == ConvKind::Conv) {
        if (!gemm_.packedFor(level) || repack_)
          gemm_.pack(level, w, is_unsigned, g_.out_c, g_.k_h * g_.k_w * g_.in_c, w_zp_, bias);
        ConvGeometry patch_rows;
        const bool patched = smallChannelPatches(g_, in, static_cast<T>(in_zp), patches_, &patch_rows);
        ConvRows rows = patched ? ConvRows{&patch_rows, reinterpret_cast<const uint8_t*>(patches_.data()), sizeof(T)}
                                : ConvRows{&g_, reinterpret_cast<const uint8_t*>(in), sizeof(T)};
        return gemm_.run(outputPixels(g_), is_unsigned, in_zp, convRowSource(rows), rq_, out, g_.out_c);
      }
    }
    std::vector<int32_t> b = biasValues<int32_t>(bias_t, g_.out_c);
    if (kind_ == ConvKind::Conv) convQuant<int32_t>(g_, in, in_zp, w, w_zp_, b, rq_, out);
    else depthwiseQuant<int32_t>(g_, in, in_zp, w, w_zp_, b, rq_, out);
  }

 private:
  ConvKind kind_;
  ConvGeometry g_;
  Requantizer rq_;
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
    weightScales(ctx, w, g_.out_c, "output channels");
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
    w_scale_ = weightScales(ctx, ctx.input(1), g_.out_c, "output channels");
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

}  // namespace

void registerConvKernels(KernelRegistry& r) {
  r.add("CONV_2D", makeConvKernel<ConvKind::Conv>);
  r.add("DEPTHWISE_CONV_2D", makeConvKernel<ConvKind::Depthwise>);
}

}  // namespace ql
