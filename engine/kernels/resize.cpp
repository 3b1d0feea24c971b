// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on NHWC, the output size [new_height, new_width] from a constant
// int32 tensor, with align_corners and half_pixel_centers as TFLite defines them. Quantized tensors are resized
// in their integer values (input and output share their quantization; neither runtime rescales).
//
// Who computes what in TFLite's CPU runtime:
//  - RESIZE_BILINEAR float32/int8/uint8: XNNPACK (xnn_define_static_resize_bilinear_2d). Deployed follows its
//    indirection setup (source coordinates in float; half-pixel mode clamps the coordinate into the input, legacy
//    and align-corners modes only clamp it from above) and its microkernels: float lerps
//    t = tl + (tr - tl) * a_x, b = bl + (br - bl) * a_x, out = t + (b - t) * a_y; 8-bit in fixed point with 11
//    fractional bits per direction, a = lrintf(alpha * 2048), out = (acc + 2^21) >> 22.
//    Reference: TFLite's reference kernels: float and uint8 interpolate in float (uint8 adds 0.5 and truncates),
//    int8 (and int16, in both arithmetics) in 10-bit fixed point rounding half away from zero.
//  - RESIZE_NEAREST_NEIGHBOR: TFLite's builtin in both arithmetics (XNNPACK does not take it). The source index is
//    floor((x + offset) * scale) (round() with align_corners); for 8-bit types without align_corners or
//    half_pixel_centers the optimized kernel Deployed follows uses a 16.16 fixed-point scale instead,
//    (x * ((in << 16) / out + 1)) >> 16.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct ResizeGeometry {
  int n = 0, in_h = 0, in_w = 0, c = 0, out_h = 0, out_w = 0;
  bool align = false, half = false;
};

ResizeGeometry resizeGeometry(KernelContext& ctx) {
  const RuntimeTensor& in = ctx.input(0);
  if (in.rank() != 4) ctx.invalid("input must be 4-D");
  if (ctx.output(0).type() != in.type()) ctx.invalid("input and output types differ");
  std::vector<int64_t> size = integerValues(ctx, constantInput(ctx, 1, "size"));
  constexpr int64_t kLimit = int64_t{1} << 24;  // XNNPACK's limit; keeps every index computation in range
  if (size.size() != 2 || size[0] <= 0 || size[1] <= 0) ctx.invalid("size must be two positive values");
  if (size[0] >= kLimit || size[1] >= kLimit || in.dim(1) >= kLimit || in.dim(2) >= kLimit)
    ctx.unsupported("resize dimensions of 2^24 or more");
  ResizeGeometry g;
  g.n = in.dim(0), g.in_h = in.dim(1), g.in_w = in.dim(2), g.c = in.dim(3);
  if (g.in_h <= 0 || g.in_w <= 0) ctx.invalid("empty input");
  g.out_h = static_cast<int>(size[0]), g.out_w = static_cast<int>(size[1]);
  g.align = ctx.boolOption("align_corners"), g.half = ctx.boolOption("half_pixel_centers");
  if (g.align && g.half) ctx.invalid("align_corners and half_pixel_centers are exclusive");
  ctx.output(0).resize({g.n, g.out_h, g.out_w, g.c});
  return g;
}

// in / out, or (in - 1) / (out - 1) with align_corners, in float as both runtimes compute it.
float resizeScale(int in_size, int out_size, bool align) {
  return align && out_size > 1 ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                               : static_cast<float>(in_size) / static_cast<float>(out_size);
}

// --- bilinear: where each output row/column reads --------------------------------------------------------------

// The two source indices along one axis and the weight of the second.
struct Tap {
  int lo = 0, hi = 0;
  float alpha = 0;   // weight of `hi` (XNNPACK: exact; TFLite: may be negative / lo clamped, see tfliteTaps)
  int32_t q11 = 0;   // XNNPACK's 8-bit weight, lrintf(alpha * 2048)
  int32_t q10 = 0;   // TFLite's integer kernel: source coordinate in 1/1024 units
};

// XNNPACK's xnn_indirection_init_resize_bilinear2d_hwc_{f32,q11}.
std::vector<Tap> xnnpackTaps(int in_size, int out_size, bool align, bool half) {
  const float scale = resizeScale(in_size, out_size, align);
  const float max = static_cast<float>(in_size - 1);
  const float offset = 0.5f * scale - 0.5f;
  std::vector<Tap> taps(static_cast<size_t>(out_size));
  for (int o = 0; o < out_size; ++o) {
    float x = static_cast<float>(o) * scale;
    x = half ? std::min(std::max(x + offset, 0.0f), max) : std::min(x, max);
    Tap& t = taps[static_cast<size_t>(o)];
    t.lo = static_cast<int>(x);
    t.hi = std::min(t.lo + 1, in_size - 1);
    t.alpha = x - static_cast<float>(t.lo);
    t.q11 = static_cast<int32_t>(static_cast<uint16_t>(static_cast<int16_t>(std::lrint(t.alpha * 2048.0f))));
  }
  return taps;
}

// TFLite's ComputeInterpolationValues: lo = max(floor(x), 0), hi = min(ceil(x), size - 1), weight x - lo (which
// a negative half-pixel coordinate makes negative: the two taps are then the same pixel).
std::vector<Tap> tfliteTaps(int in_size, int out_size, bool align, bool half) {
  const float scale = resizeScale(in_size, out_size, align);
  std::vector<Tap> taps(static_cast<size_t>(out_size));
  for (int o = 0; o < out_size; ++o) {
    const float x = half ? (static_cast<float>(o) + 0.5f) * scale - 0.5f : static_cast<float>(o) * scale;
    Tap& t = taps[static_cast<size_t>(o)];
    t.lo = std::max(static_cast<int>(std::floor(x)), 0);
    t.hi = std::min(static_cast<int>(std::ceil(x)), in_size - 1);
    t.alpha = x - static_cast<float>(t.lo);
  }
  return taps;
}

// TFLite's ComputeInterpolationValuesInteger: the scale rounded to 1/1024, coordinates in 1/1024 units.
std::vector<Tap> tfliteIntegerTaps(int in_size, int out_size, bool align, bool half) {
  const bool aligned = align && out_size > 1;
  const int32_t num = aligned ? in_size - 1 : in_size, den = aligned ? out_size - 1 : out_size;
  const int64_t scale_10 = ((int64_t{1} << 10) * num + den / 2) / den;
  std::vector<Tap> taps(static_cast<size_t>(out_size));
  for (int o = 0; o < out_size; ++o) {
    const int64_t x = half ? o * scale_10 + scale_10 / 2 - (1 << 9) : o * scale_10;
    Tap& t = taps[static_cast<size_t>(o)];
    t.q10 = static_cast<int32_t>(x);
    t.lo = static_cast<int>(std::max<int64_t>(x / 1024, 0));
    t.hi = static_cast<int>(std::min<int64_t>((x + 1023) / 1024, in_size - 1));
  }
  return taps;
}

// The four corners of an output pixel, as offsets into the input.
struct Corners {
  size_t tl, tr, bl, br;
};

template <typename T>
class BilinearKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = resizeGeometry(ctx);
    xnnpack_ = ctx.arithmetic == Arithmetic::Deployed && !std::is_same_v<T, int16_t>;
    integer_ = !xnnpack_ && (std::is_same_v<T, int8_t> || std::is_same_v<T, int16_t>);
    auto taps = xnnpack_ ? xnnpackTaps : integer_ ? tfliteIntegerTaps : tfliteTaps;
    ys_ = taps(g_.in_h, g_.out_h, g_.align, g_.half);
    xs_ = taps(g_.in_w, g_.out_w, g_.align, g_.half);
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int b = 0; b < g_.n; ++b)
      for (int y = 0; y < g_.out_h; ++y)
        for (int x = 0; x < g_.out_w; ++x) {
          const Tap& ty = ys_[static_cast<size_t>(y)];
          const Tap& tx = xs_[static_cast<size_t>(x)];
          auto at = [&](int yy, int xx) { return ((static_cast<size_t>(b) * g_.in_h + yy) * g_.in_w + xx) * g_.c; };
          const Corners k{at(ty.lo, tx.lo), at(ty.lo, tx.hi), at(ty.hi, tx.lo), at(ty.hi, tx.hi)};
          T* o = out + ((static_cast<size_t>(b) * g_.out_h + y) * g_.out_w + x) * g_.c;
          for (int ch = 0; ch < g_.c; ++ch) o[ch] = pixel(in, k, ch, ty, tx);
        }
  }

 private:
  T pixel(const T* in, const Corners& k, int ch, const Tap& ty, const Tap& tx) const {
    const T tl = in[k.tl + ch], tr = in[k.tr + ch], bl = in[k.bl + ch], br = in[k.br + ch];
    if constexpr (std::is_same_v<T, float>) {
      if (xnnpack_) {
        const float t = tl + (tr - tl) * tx.alpha, bo = bl + (br - bl) * tx.alpha;
        return t + (bo - t) * ty.alpha;
      }
      return tfliteFloat(tl, tr, bl, br, ty.alpha, tx.alpha);
    } else {
      if (xnnpack_) return xnnpackQ11(tl, tr, bl, br, ty.q11, tx.q11);
      if (integer_) return tfliteQ10(tl, tr, bl, br, ty, tx);
      // TFLite's reference uint8: the float interpolation plus 0.5, truncated.
      return static_cast<T>(tfliteFloat(tl, tr, bl, br, ty.alpha, tx.alpha) + 0.5f);
    }
  }

  // tl (1 - dy)(1 - dx) + bl dy (1 - dx) + tr (1 - dy) dx + br dy dx, in this order, in float.
  static float tfliteFloat(float tl, float tr, float bl, float br, float dy, float dx) {
    return tl * (1 - dy) * (1 - dx) + bl * dy * (1 - dx) + tr * (1 - dy) * dx + br * dy * dx;
  }

  // XNNPACK's ibilinear for 8-bit: two lerps along x with 11-bit weights, one along y, (acc + 2^21) >> 22.
  static T xnnpackQ11(int32_t tl, int32_t tr, int32_t bl, int32_t br, int32_t ay, int32_t ax) {
    const int32_t t = tl * 2048 + (tr - tl) * ax;
    const int32_t b = bl * 2048 + (br - bl) * ax;
    const int32_t acc = t * 2048 + (b - t) * ay;
    return static_cast<T>((acc + (1 << 21)) >> 22);  // arithmetic shift: floor
  }

  // TFLite's ResizeBilinearInteger: weights in 1/1024, the 2^20-scaled sum rounded half away from zero.
  static T tfliteQ10(int64_t tl, int64_t tr, int64_t bl, int64_t br, const Tap& ty, const Tap& tx) {
    const int64_t dy = ty.q10 - 1024 * static_cast<int64_t>(ty.lo), dx = tx.q10 - 1024 * static_cast<int64_t>(tx.lo);
    const int64_t sum = tl * (1024 - dy) * (1024 - dx) + bl * dy * (1024 - dx) + tr * (1024 - dy) * dx + br * dy * dx;
    const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
    return static_cast<T>((sum + round) / (1 << 20));
  }

  ResizeGeometry g_;
  bool xnnpack_ = true, integer_ = false;
  std::vector<Tap> ys_, xs_;
};

// --- nearest neighbor --------------------------------------------------------------------------------------------

// TFLite's GetNearestNeighbor for each output index along one axis.
std::vector<int> nearestIndices(int in_size, int out_size, bool align, bool half, bool fixed_point) {
  std::vector<int> idx(static_cast<size_t>(out_size));
  const float scale = resizeScale(in_size, out_size, align);
  const float offset = half ? 0.5f : 0.0f;
  const int64_t scale_16 = (static_cast<int64_t>(in_size) << 16) / out_size + 1;
  for (int o = 0; o < out_size; ++o) {
    int64_t i;
    if (fixed_point) i = (o * scale_16) >> 16;
    else if (align) i = static_cast<int64_t>(std::round((static_cast<float>(o) + offset) * scale));
    else i = static_cast<int64_t>(std::floor((static_cast<float>(o) + offset) * scale));
    idx[static_cast<size_t>(o)] = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(i, in_size - 1)));
  }
  return idx;
}

class NearestKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    g_ = resizeGeometry(ctx);
    elem_ = dtypeSize(ctx.input(0).type());
    // TFLite's optimized kernel (8-bit, legacy mode only) is what runs Deployed.
    const bool fixed = ctx.arithmetic == Arithmetic::Deployed && elem_ == 1 && !g_.align && !g_.half;
    ys_ = nearestIndices(g_.in_h, g_.out_h, g_.align, g_.half, fixed);
    xs_ = nearestIndices(g_.in_w, g_.out_w, g_.align, g_.half, fixed);
  }
  void eval(KernelContext& ctx) override {
    const uint8_t* in = ctx.input(0).raw();
    uint8_t* out = ctx.output(0).mutableRaw();
    const size_t pixel = static_cast<size_t>(g_.c) * elem_;
    for (int b = 0; b < g_.n; ++b)
      for (int y = 0; y < g_.out_h; ++y)
        for (int x = 0; x < g_.out_w; ++x) {
          const size_t src = (static_cast<size_t>(b) * g_.in_h + ys_[static_cast<size_t>(y)]) * g_.in_w +
                             static_cast<size_t>(xs_[static_cast<size_t>(x)]);
          const size_t dst = (static_cast<size_t>(b) * g_.out_h + y) * g_.out_w + x;
          std::memcpy(out + dst * pixel, in + src * pixel, pixel);
        }
  }

 private:
  ResizeGeometry g_;
  size_t elem_ = 1;
  std::vector<int> ys_, xs_;
};

}  // namespace

void registerResizeKernels(KernelRegistry& r) {
  r.add("RESIZE_BILINEAR", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<BilinearKernel<float>>();
      case DType::UInt8: return std::make_unique<BilinearKernel<uint8_t>>();
      case DType::Int8: return std::make_unique<BilinearKernel<int8_t>>();
      case DType::Int16: return std::make_unique<BilinearKernel<int16_t>>();
      default: return nullptr;
    }
  });
  r.add("RESIZE_NEAREST_NEIGHBOR", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32:
      case DType::UInt8:
      case DType::Int8:
      case DType::Int16:
      case DType::Int32:
      case DType::Int64:
      case DType::Float16:
      case DType::Bool: return std::make_unique<NearestKernel>();
      default: return nullptr;
    }
  });
}

}  // namespace ql
