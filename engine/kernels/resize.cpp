// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on NHWC, output size from a constant [new_height, new_width]
// tensor, with align_corners and half_pixel_centers as TFLite defines them. 8-bit bilinear interpolates in
// float and rounds.
#include <cmath>
#include <cstring>

#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct ResizeGeometry {
  int n = 0, in_h = 0, in_w = 0, c = 0, out_h = 0, out_w = 0;
  float scale_h = 1, scale_w = 1;
  bool align = false, half = false;
};

ResizeGeometry resizeGeometry(KernelContext& ctx) {
  const RuntimeTensor& in = ctx.input(0);
  if (in.rank() != 4) ctx.invalid("input must be 4-D");
  std::vector<int64_t> size = integerValues(ctx, constantInput(ctx, 1, "size"));
  if (size.size() != 2 || size[0] <= 0 || size[1] <= 0) ctx.invalid("size must be two positive values");
  ResizeGeometry g;
  g.n = in.dim(0), g.in_h = in.dim(1), g.in_w = in.dim(2), g.c = in.dim(3);
  g.out_h = static_cast<int>(size[0]), g.out_w = static_cast<int>(size[1]);
  g.align = ctx.boolOption("align_corners"), g.half = ctx.boolOption("half_pixel_centers");
  auto scale = [&](int in_size, int out_size) {
    return g.align && out_size > 1 ? static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1)
                                   : static_cast<float>(in_size) / static_cast<float>(out_size);
  };
  g.scale_h = scale(g.in_h, g.out_h), g.scale_w = scale(g.in_w, g.out_w);
  ctx.output(0).resize({g.n, g.out_h, g.out_w, g.c});
  return g;
}

template <typename T>
class BilinearKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override { g_ = resizeGeometry(ctx); }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    auto source = [&](int o, float scale, int size, float* pos, int* lo, int* hi) {
      *pos = g_.half ? (static_cast<float>(o) + 0.5f) * scale - 0.5f : static_cast<float>(o) * scale;
      *lo = std::max(static_cast<int>(std::floor(*pos)), 0);
      *hi = std::min(static_cast<int>(std::ceil(*pos)), size - 1);
    };
    for (int b = 0; b < g_.n; ++b)
      for (int y = 0; y < g_.out_h; ++y) {
        float fy;
        int y0, y1;
        source(y, g_.scale_h, g_.in_h, &fy, &y0, &y1);
        for (int x = 0; x < g_.out_w; ++x) {
          float fx;
          int x0, x1;
          source(x, g_.scale_w, g_.in_w, &fx, &x0, &x1);
          const float dy = fy - static_cast<float>(y0), dx = fx - static_cast<float>(x0);
          auto at = [&](int yy, int xx, int ch) {
            return static_cast<float>(in[((static_cast<size_t>(b) * g_.in_h + yy) * g_.in_w + xx) * g_.c + ch]);
          };
          T* o = out + ((static_cast<size_t>(b) * g_.out_h + y) * g_.out_w + x) * g_.c;
          for (int ch = 0; ch < g_.c; ++ch) {
            float v = at(y0, x0, ch) * (1 - dy) * (1 - dx) + at(y1, x0, ch) * dy * (1 - dx) +
                      at(y0, x1, ch) * (1 - dy) * dx + at(y1, x1, ch) * dy * dx;
            if constexpr (std::is_floating_point_v<T>) o[ch] = v;
            else o[ch] = static_cast<T>(std::min(std::max(std::round(v), float(qmin<T>())), float(qmax<T>())));
          }
        }
      }
  }

 private:
  template <typename U>
  static constexpr int32_t qmin() { return std::numeric_limits<U>::min(); }
  template <typename U>
  static constexpr int32_t qmax() { return std::numeric_limits<U>::max(); }
  ResizeGeometry g_;
};

class NearestKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override { g_ = resizeGeometry(ctx); }
  void eval(KernelContext& ctx) override {
    const size_t elem = dtypeSize(ctx.input(0).type());
    const uint8_t* in = ctx.input(0).raw();
    uint8_t* out = ctx.output(0).mutableRaw();
    auto source = [&](int o, float scale, int size) {
      float offset = g_.half ? 0.5f : 0.0f;
      float v = (static_cast<float>(o) + offset) * scale;
      int i = g_.align ? static_cast<int>(std::round(v)) : static_cast<int>(std::floor(v));
      return std::max(0, std::min(i, size - 1));
    };
    for (int b = 0; b < g_.n; ++b)
      for (int y = 0; y < g_.out_h; ++y) {
        int sy = source(y, g_.scale_h, g_.in_h);
        for (int x = 0; x < g_.out_w; ++x) {
          int sx = source(x, g_.scale_w, g_.in_w);
          std::memcpy(out + ((static_cast<size_t>(b) * g_.out_h + y) * g_.out_w + x) * g_.c * elem,
                      in + ((static_cast<size_t>(b) * g_.in_h + sy) * g_.in_w + sx) * g_.c * elem, g_.c * elem);
        }
      }
  }

 private:
  ResizeGeometry g_;
};

}  // namespace

void registerResizeKernels(KernelRegistry& r) {
  r.add("RESIZE_BILINEAR", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<BilinearKernel<float>>();
      case DType::UInt8: return std::make_unique<BilinearKernel<uint8_t>>();
      case DType::Int8: return std::make_unique<BilinearKernel<int8_t>>();
      default: return nullptr;
    }
  });
  r.add("RESIZE_NEAREST_NEIGHBOR", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || dtypeSize(ctx.in[0]->type()) == 0) return nullptr;
    return std::make_unique<NearestKernel>();
  });
}

}  // namespace ql
