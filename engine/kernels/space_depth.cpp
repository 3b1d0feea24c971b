// DEPTH_TO_SPACE and SPACE_TO_DEPTH on NHWC with block_size b: (H, W, C*b*b) <-> (H*b, W*b, C), DCR order as
// TFLite uses.
#include <cstring>

#include "kernels/families.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

class SpaceDepthKernel : public Kernel {
 public:
  explicit SpaceDepthKernel(bool to_space) : to_space_(to_space) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    if (in.rank() != 4) ctx.invalid("input must be 4-D");
    b_ = static_cast<int>(ctx.intOption("block_size", 0));
    if (b_ <= 0) ctx.invalid("block_size must be positive");
    int n = in.dim(0), h = in.dim(1), w = in.dim(2), c = in.dim(3);
    if (to_space_) {
      if (c % (b_ * b_)) ctx.invalid("depth is not a multiple of block_size^2");
      ctx.output(0).resize({n, h * b_, w * b_, c / (b_ * b_)});
    } else {
      if (h % b_ || w % b_) ctx.invalid("height or width is not a multiple of block_size");
      ctx.output(0).resize({n, h / b_, w / b_, c * b_ * b_});
    }
  }
  void eval(KernelContext& ctx) override {
    // Walk the deep (small spatial) side; each of its pixels holds b*b*C values of the wide side.
    const RuntimeTensor& deep_t = to_space_ ? ctx.input(0) : ctx.output(0);
    const RuntimeTensor& wide_t = to_space_ ? ctx.output(0) : ctx.input(0);
    const size_t elem = dtypeSize(deep_t.type());
    const int n = deep_t.dim(0), h = deep_t.dim(1), w = deep_t.dim(2), c = wide_t.dim(3);
    const int wide_h = wide_t.dim(1), wide_w = wide_t.dim(2);
    uint8_t* out = ctx.output(0).mutableRaw();
    const uint8_t* in = ctx.input(0).raw();
    for (int bn = 0; bn < n; ++bn)
      for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
          for (int by = 0; by < b_; ++by)
            for (int bx = 0; bx < b_; ++bx) {
              size_t deep = ((((static_cast<size_t>(bn) * h + y) * w + x) * b_ + by) * b_ + bx) * c;
              size_t wide = ((static_cast<size_t>(bn) * wide_h + y * b_ + by) * wide_w + x * b_ + bx) * c;
              if (to_space_) std::memcpy(out + wide * elem, in + deep * elem, c * elem);
              else std::memcpy(out + deep * elem, in + wide * elem, c * elem);
            }
  }

 private:
  bool to_space_;
  int b_ = 1;
};

KernelFactory spaceDepth(bool to_space) {
  return [to_space](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || dtypeSize(ctx.in[0]->type()) == 0) return nullptr;
    return std::make_unique<SpaceDepthKernel>(to_space);
  };
}

}  // namespace

void registerSpaceDepthKernels(KernelRegistry& r) {
  r.add("DEPTH_TO_SPACE", spaceDepth(true));
  r.add("SPACE_TO_DEPTH", spaceDepth(false));
}

}  // namespace ql
