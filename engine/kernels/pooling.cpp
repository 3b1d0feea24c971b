// AVERAGE_POOL_2D and MAX_POOL_2D over NHWC. Windows are clipped to the input: padding is never averaged in, the
// divisor is the number of pixels inside (TFLite's definition, which XNNPACK follows too).
//
// Who computes what in TFLite's CPU runtime (tensorflow/lite/delegates/xnnpack/xnnpack_delegate.cc):
//  - float average pooling: XNNPACK. Its avgpool microkernels add the window in a fixed tree of nine taps
//    (taps in column-major window order, padding taps reading a zero row) and multiply the sum by 1/count.
//    Deployed reproduces that order bit for bit; Reference divides TFLite's row-major sum by the count.
//  - quantized average pooling: never XNNPACK (the delegate takes float only), so TFLite's builtin kernel in
//    both arithmetics: the raw sum (zero point included) divided by the count rounding half away from zero,
//    (sum + count/2) / count for sum > 0, (sum - count/2) / count otherwise; no rescaling (input and output
//    share their quantization).
//  - max pooling: XNNPACK for float, int8 and uint8. Only the fused activation's integer clamp depends on the
//    arithmetic (XNNPACK quantizes the float bounds with lrintf, TFLite rounds half away from zero).
#include <algorithm>
#include <array>
#include <limits>
#include <type_traits>

#include "kernels/conv_geometry.h"
#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/requantize.h"
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
  if (ctx.output(0).type() != in.type()) ctx.invalid("input and output types differ");
  PoolGeometry g;
  g.batches = in.dim(0), g.in_h = in.dim(1), g.in_w = in.dim(2), g.channels = in.dim(3);
  const int64_t k_h = ctx.intOption("filter_height", 1), k_w = ctx.intOption("filter_width", 1);
  const int64_t s_h = ctx.intOption("stride_h", 1), s_w = ctx.intOption("stride_w", 1);
  constexpr int64_t kLimit = std::numeric_limits<int32_t>::max() / 4;
  if (k_h <= 0 || k_w <= 0 || s_h <= 0 || s_w <= 0) ctx.invalid("filter and strides must be positive");
  if (k_h > kLimit || k_w > kLimit || s_h > kLimit || s_w > kLimit) ctx.invalid("filter or stride too large");
  g.k_h = static_cast<int>(k_h), g.k_w = static_cast<int>(k_w);
  g.stride_h = static_cast<int>(s_h), g.stride_w = static_cast<int>(s_w);
  Padding p = Padding::Same;
  readWindowOptions(ctx, &p, &g.activation);
  g.out_h = windowOutputSize(p, g.in_h, g.k_h, g.stride_h);
  g.out_w = windowOutputSize(p, g.in_w, g.k_w, g.stride_w);
  if (g.out_h < 0 || g.out_w < 0) ctx.invalid("window larger than the input");
  g.pad_h = windowPaddingBefore(p, g.in_h, g.k_h, g.stride_h, 1, g.out_h);
  g.pad_w = windowPaddingBefore(p, g.in_w, g.k_w, g.stride_w, 1, g.out_w);
  ctx.output(0).resize({g.batches, g.out_h, g.out_w, g.channels});
  return g;
}

// The part of an output pixel's window that lies inside the input: rows [y0, y1), columns [x0, x1), and where the
// full (unclipped) window starts, for kernels that also need its padding taps.
struct Window {
  int y0, y1, x0, x1, top, left;
  int count() const { return (y1 - y0) * (x1 - x0); }
};

// Calls f(out_offset, in_batch_offset, window) for each output pixel.
template <typename F>
void forEachWindow(const PoolGeometry& g, F&& f) {
  for (int n = 0; n < g.batches; ++n)
    for (int oy = 0; oy < g.out_h; ++oy)
      for (int ox = 0; ox < g.out_w; ++ox) {
        Window w;
        w.top = oy * g.stride_h - g.pad_h, w.left = ox * g.stride_w - g.pad_w;
        w.y0 = std::max(0, w.top), w.y1 = std::min(g.in_h, w.top + g.k_h);
        w.x0 = std::max(0, w.left), w.x1 = std::min(g.in_w, w.left + g.k_w);
        size_t out = ((static_cast<size_t>(n) * g.out_h + oy) * g.out_w + ox) * g.channels;
        size_t base = static_cast<size_t>(n) * g.in_h * g.in_w * g.channels;
        f(out, base, w);
      }
}

size_t pixelOffset(const PoolGeometry& g, size_t base, int y, int x) {
  return base + (static_cast<size_t>(y) * g.in_w + x) * g.channels;
}

// --- max pooling ----------------------------------------------------------------------------------------------

template <typename T, typename Clamp>
void maxPool(const PoolGeometry& g, const T* in, T* out, Clamp clamp) {
  forEachWindow(g, [&](size_t o, size_t base, const Window& w) {
    for (int c = 0; c < g.channels; ++c) {
      T acc = std::numeric_limits<T>::has_infinity ? -std::numeric_limits<T>::infinity()
                                                   : std::numeric_limits<T>::lowest();
      for (int y = w.y0; y < w.y1; ++y)
        for (int x = w.x0; x < w.x1; ++x) acc = std::max(acc, in[pixelOffset(g, base, y, x) + c]);
      out[o + c] = clamp(acc);
    }
  });
}

class FloatMaxPoolKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = poolGeometry(ctx);
    activationRangeFloat(g_.activation, &lo_, &hi_);
  }
  void eval(KernelContext& ctx) override {
    maxPool<float>(g_, ctx.input(0).data<float>(), ctx.output(0).mutableData<float>(),
                   [&](float v) { return std::min(std::max(v, lo_), hi_); });
  }

 private:
  PoolGeometry g_;
  float lo_ = 0, hi_ = 0;
};

template <typename T>
class QuantMaxPoolKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = poolGeometry(ctx);
    const RuntimeTensor& out = ctx.output(0);
    // int16 max pooling is TFLite's builtin kernel in both arithmetics.
    Arithmetic a = std::is_same_v<T, int16_t> ? Arithmetic::Reference : ctx.arithmetic;
    fusedActivationRange(a, g_.activation, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo_, &hi_);
  }
  void eval(KernelContext& ctx) override {
    maxPool<T>(g_, ctx.input(0).data<T>(), ctx.output(0).mutableData<T>(), [&](T v) {
      return static_cast<T>(std::min(std::max(static_cast<int32_t>(v), lo_), hi_));
    });
  }

 private:
  PoolGeometry g_;
  int32_t lo_ = 0, hi_ = 0;
};

// --- float average pooling -------------------------------------------------------------------------------------

// XNNPACK's nine-tap addition tree (f32-avgpool 9p / 9x microkernels): ((t0 + t1) + t8 + (t6 + t7)) added to
// ((t2 + t3) + (t4 + t5)), the pass's sum then added to the running sum of the previous passes.
float nineTapSum(const std::array<float, 9>& t) {
  const float s018 = (t[0] + t[1]) + t[8];
  const float s23 = t[2] + t[3], s45 = t[4] + t[5], s67 = t[6] + t[7];
  return (s23 + s45) + (s018 + s67);
}

// The mean of one channel of a window as XNNPACK computes it: taps in column-major order over the whole window
// (x outer, y inner, as its indirection buffer lists them), taps outside the input read 0, nine per pass; the sum
// times 1/count in float.
float xnnpackWindowMean(const PoolGeometry& g, const float* in, size_t base, const Window& w, int c) {
  const int taps = g.k_h * g.k_w;
  float acc = 0.f;
  std::array<float, 9> pass{};
  int filled = 0, seen = 0;
  for (int kx = 0; kx < g.k_w; ++kx)
    for (int ky = 0; ky < g.k_h; ++ky) {
      const int y = w.top + ky, x = w.left + kx;
      const bool inside = y >= 0 && y < g.in_h && x >= 0 && x < g.in_w;
      pass[static_cast<size_t>(filled++)] = inside ? in[pixelOffset(g, base, y, x) + c] : 0.f;
      ++seen;
      if (filled == 9 && seen < taps) {  // a full pass that is not the last one
        acc = acc + nineTapSum(pass);
        pass.fill(0.f);
        filled = 0;
      }
    }
  acc = acc + nineTapSum(pass);
  return acc * (1.0f / static_cast<float>(w.count()));
}

class FloatAveragePoolKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = poolGeometry(ctx);
    activationRangeFloat(g_.activation, &lo_, &hi_);
    xnnpack_ = ctx.arithmetic == Arithmetic::Deployed;
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    forEachWindow(g_, [&](size_t o, size_t base, const Window& w) {
      for (int c = 0; c < g_.channels; ++c) {
        float mean = 0.f;
        if (w.count() > 0) mean = xnnpack_ ? xnnpackWindowMean(g_, in, base, w, c) : tfliteWindowMean(in, base, w, c);
        out[o + c] = std::min(std::max(mean, lo_), hi_);
      }
    });
  }

 private:
  // TFLite's reference: the row-major sum divided by the count.
  float tfliteWindowMean(const float* in, size_t base, const Window& w, int c) const {
    float sum = 0.f;
    for (int y = w.y0; y < w.y1; ++y)
      for (int x = w.x0; x < w.x1; ++x) sum += in[pixelOffset(g_, base, y, x) + c];
    return sum / static_cast<float>(w.count());
  }

  PoolGeometry g_;
  float lo_ = 0, hi_ = 0;
  bool xnnpack_ = true;
};

// --- quantized average pooling (TFLite's builtin kernel in both arithmetics) ----------------------------------

// round(sum / count) half away from zero, in integers, as TFLite's AveragePool for 8- and 16-bit types.
int32_t roundedIntegerMean(int32_t sum, int32_t count) {
  return sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
}

template <typename T>
class QuantAveragePoolKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = poolGeometry(ctx);
    const RuntimeTensor& out = ctx.output(0);
    activationRangeQuantized(g_.activation, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo_, &hi_);
    // The integer sum must not overflow: 2^31 / 2^16 windows of 16-bit values.
    if (static_cast<int64_t>(g_.k_h) * g_.k_w > (int64_t{1} << 15)) ctx.unsupported("pooling window too large");
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    forEachWindow(g_, [&](size_t o, size_t base, const Window& w) {
      const int32_t count = w.count();
      for (int c = 0; c < g_.channels; ++c) {
        int32_t sum = 0;
        for (int y = w.y0; y < w.y1; ++y)
          for (int x = w.x0; x < w.x1; ++x) sum += in[pixelOffset(g_, base, y, x) + c];
        const int32_t mean = count > 0 ? roundedIntegerMean(sum, count) : 0;
        out[o + c] = static_cast<T>(std::min(std::max(mean, lo_), hi_));
      }
    });
  }

 private:
  PoolGeometry g_;
  int32_t lo_ = 0, hi_ = 0;
};

std::unique_ptr<Kernel> makeAveragePool(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0]) return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float32: return std::make_unique<FloatAveragePoolKernel>();
    case DType::UInt8: return std::make_unique<QuantAveragePoolKernel<uint8_t>>();
    case DType::Int8: return std::make_unique<QuantAveragePoolKernel<int8_t>>();
    case DType::Int16: return std::make_unique<QuantAveragePoolKernel<int16_t>>();
    default: return nullptr;
  }
}

std::unique_ptr<Kernel> makeMaxPool(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0]) return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float32: return std::make_unique<FloatMaxPoolKernel>();
    case DType::UInt8: return std::make_unique<QuantMaxPoolKernel<uint8_t>>();
    case DType::Int8: return std::make_unique<QuantMaxPoolKernel<int8_t>>();
    case DType::Int16: return std::make_unique<QuantMaxPoolKernel<int16_t>>();
    default: return nullptr;
  }
}

}  // namespace

void registerPoolingKernels(KernelRegistry& r) {
  r.add("AVERAGE_POOL_2D", makeAveragePool);
  r.add("MAX_POOL_2D", makeMaxPool);
}

}  // namespace ql
