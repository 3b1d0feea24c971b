// TRANSPOSE_CONV. Inputs: output_shape [4] (int32), weights [Cout,KH,KW,Cin], input [N,H,W,Cin], optional bias
// [Cout]. Each input pixel scatters input x weights into the output window it maps to; padding is what SAME/VALID
// would remove from a convolution of the output back to the input. XNNPACK runs float, uint8 and int8 (its
// deconvolution, fp32 requantization); 16x8 is TFLite's reference kernel (int64 sums with an int64 bias, else
// int32).
#include <algorithm>
#include <memory>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/conv_requant16.h"
#include "kernels/families.h"
#include "kernels/requantize.h"
#include "kernels/weight_operands.h"
#include "model/dtype.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

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
    weightScales(ctx, w, g_.out_c, "output channels");
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
    rq_ = Requantizer(ctx.arithmetic, in.scale(), w.quant().scale, out.scale(), g_.out_c, out.zeroPoint(), lo, hi);
  }
  void eval(KernelContext& ctx) override {
    switch (type_) {
      case Type::Float: return evalFloat(ctx);
      case Type::UInt8: return evalQuant<int32_t, uint8_t, uint8_t>(ctx, rq_);
      case Type::Int8: return evalQuant<int32_t, int8_t, int8_t>(ctx, rq_);
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
  Requantizer rq_;
  std::unique_ptr<Requantizer16x8> rq16_;
  std::vector<int32_t> w_zp_;
};

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

void registerTransposeConvKernels(KernelRegistry& r) { r.add("TRANSPOSE_CONV", makeTransposeConvKernel); }

}  // namespace ql
