// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC, windows clipped to the input (padding is never averaged in).
// Quantized average pooling keeps the input's scale and rounds the integer mean half away from zero, as
// TFLite's kernels do; max pooling compares integers.
#include <algorithm>
#include <limits>

#include "kernels/conv_geometry.h"
#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct PoolGeometry {
  int batches = 0, in_h = 0, in_w = 0, channels = 0, out_h = 0, out_w = 0;
  int k_h = 1, k_w = 1, stride_h = 1, stride_w = 1, pad_h = 0, pad_w = 0;
  Activation activation = Activation::None;
};

PoolGeometry poolGeometry(KernelContext& ctx) {
  const RuntimeTensor& in = ctx.input(0);
  if (in.rank() != 4) ctx.invalid("input must be 4-D");
  PoolGeometry g;
  g.batches = in.dim(0), g.in_h = in.dim(1), g.in_w = in.dim(2), g.channels = in.dim(3);
  g.k_h = static_cast<int>(ctx.intOption("filter_height", 1));
  g.k_w = static_cast<int>(ctx.intOption("filter_width", 1));
  g.stride_h = static_cast<int>(ctx.intOption("stride_h", 1));
  g.stride_w = static_cast<int>(ctx.intOption("stride_w", 1));
  if (g.k_h <= 0 || g.k_w <= 0 || g.stride_h <= 0 || g.stride_w <= 0) ctx.invalid("filter and strides must be positive");
  Padding p = Padding::Same;
  readWindowOptions(ctx, &p, &g.activation);
  g.out_h = windowOutputSize(p, g.in_h, g.k_h, g.stride_h);
  g.out_w = windowOutputSize(p, g.in_w, g.k_w, g.stride_w);
  g.pad_h = windowPaddingBefore(p, g.in_h, g.k_h, g.stride_h, 1, g.out_h);
  g.pad_w = windowPaddingBefore(p, g.in_w, g.k_w, g.stride_w, 1, g.out_w);
  ctx.output(0).resize({g.batches, g.out_h, g.out_w, g.channels});
  return g;
}

// Calls f(out_index, window) for each output element, window = the input offsets it covers.
template <typename F>
void forEachWindow(const PoolGeometry& g, F&& f) {
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) {
        int y0 = std::max(0, oy * g.stride_h - g.pad_h), y1 = std::min(g.in_h, oy * g.stride_h - g.pad_h + g.k_h);
        int x0 = std::max(0, ox * g.stride_w - g.pad_w), x1 = std::min(g.in_w, ox * g.stride_w - g.pad_w + g.k_w);
        size_t out = ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.channels;
        size_t base = static_cast<size_t>(n) * g.in_h * g.in_w * g.channels;
        f(out, base, y0, y1, x0, x1);
      }
}

template <bool kMax>
class FloatPoolKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = poolGeometry(ctx);
    activationRangeFloat(g_.activation, &lo_, &hi_);
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    forEachWindow(g_, [&](size_t o, size_t base, int y0, int y1, int x0, int x1) {
      for (int c = 0; c < g_.channels; ++c) {
        float acc = kMax ? -std::numeric_limits<float>::infinity() : 0.f;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) {
            float v = in[base + (static_cast<size_t>(y) * g_.in_w + x) * g_.channels + c];
            acc = kMax ? std::max(acc, v) : acc + v;
          }
        if (!kMax) acc /= static_cast<float>((y1 - y0) * (x1 - x0));
        out[o + c] = std::min(std::max(acc, lo_), hi_);
      }
    });
  }

 private:
  PoolGeometry g_;
  float lo_ = 0, hi_ = 0;
};

template <typename T, bool kMax>
class QuantPoolKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = poolGeometry(ctx);
    const RuntimeTensor& out = ctx.output(0);
    activationRangeQuantized(g_.activation, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo_, &hi_);
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    forEachWindow(g_, [&](size_t o, size_t base, int y0, int y1, int x0, int x1) {
      const int32_t count = (y1 - y0) * (x1 - x0);
      for (int c = 0; c < g_.channels; ++c) {
        int32_t acc = kMax ? qmin<T>() : 0;
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) {
            int32_t v = in[base + (static_cast<size_t>(y) * g_.in_w + x) * g_.channels + c];
            acc = kMax ? std::max(acc, v) : acc + v;
          }
        if (!kMax && count > 0) acc = acc >= 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
        out[o + c] = static_cast<T>(std::min(std::max(acc, lo_), hi_));
      }
    });
  }

 private:
  PoolGeometry g_;
  int32_t lo_ = 0, hi_ = 0;
};

template <bool kMax>
std::unique_ptr<Kernel> makePool(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0]) return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float32: return std::make_unique<FloatPoolKernel<kMax>>();
    case DType::UInt8: return std::make_unique<QuantPoolKernel<uint8_t, kMax>>();
    case DType::Int8: return std::make_unique<QuantPoolKernel<int8_t, kMax>>();
    case DType::Int16: return std::make_unique<QuantPoolKernel<int16_t, kMax>>();
    default: return nullptr;
  }
}

}  // namespace

void registerPoolingKernels(KernelRegistry& r) {
  r.add("AVERAGE_POOL_2D", makePool<false>);
  r.add("MAX_POOL_2D", makePool<true>);
}

}  // namespace ql
