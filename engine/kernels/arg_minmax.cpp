// ARG_MAX and ARG_MIN along one axis (a constant axis tensor), int32 or int64 output; ties go to the lowest
// index, as TFLite's kernels do.
#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

template <typename T>
class ArgKernel : public Kernel {
 public:
  explicit ArgKernel(bool is_max) : max_(is_max) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<int64_t> a = integerValues(ctx, constantInput(ctx, 1, "axis"));
    if (a.size() != 1) ctx.invalid("axis must be one value");
    axis_ = static_cast<int>(a[0] < 0 ? a[0] + in.rank() : a[0]);
    if (axis_ < 0 || axis_ >= in.rank()) ctx.invalid("axis out of range");
    std::vector<int32_t> shape = in.shape();
    shape.erase(shape.begin() + axis_);
    ctx.output(0).resize(shape);
    if (ctx.output(0).type() != DType::Int32 && ctx.output(0).type() != DType::Int64)
      ctx.unsupported("output type other than int32/int64");
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    const T* x = in.data<T>();
    int64_t outer = 1, inner = 1, n = in.dim(axis_);
    for (int d = 0; d < axis_; ++d) outer *= in.dim(d);
    for (int d = axis_ + 1; d < in.rank(); ++d) inner *= in.dim(d);
    RuntimeTensor& out = ctx.output(0);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t best = 0;
        T best_v = x[o * n * inner + i];
        for (int64_t k = 1; k < n; ++k) {
          T v = x[(o * n + k) * inner + i];
          if (max_ ? v > best_v : v < best_v) best_v = v, best = k;
        }
        if (out.type() == DType::Int64) out.mutableData<int64_t>()[o * inner + i] = best;
        else out.mutableData<int32_t>()[o * inner + i] = static_cast<int32_t>(best);
      }
  }

 private:
  bool max_;
  int axis_ = 0;
};

KernelFactory arg(bool is_max) {
  return [is_max](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<ArgKernel<float>>(is_max);
      case DType::UInt8: return std::make_unique<ArgKernel<uint8_t>>(is_max);
      case DType::Int8: return std::make_unique<ArgKernel<int8_t>>(is_max);
      case DType::Int32: return std::make_unique<ArgKernel<int32_t>>(is_max);
      default: return nullptr;
    }
  };
}

}  // namespace

void registerArgMinMaxKernels(KernelRegistry& r) {
  r.add("ARG_MAX", arg(true));
  r.add("ARG_MIN", arg(false));
}

}  // namespace ql
