// ARG_MAX and ARG_MIN along one axis (a constant int32/int64 axis tensor, negative counting from the end) with an
// int32 or int64 output. TFLite's builtin kernel in both arithmetics (XNNPACK does not take them): a strict
// comparison walking the axis upwards, so ties go to the lowest index and NaN is never chosen over a number it
// follows. Quantized inputs are compared as raw integers (the order is the same for any positive scale).
#include <functional>

#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

// Input viewed as [outer, axis, inner].
struct ArgGeometry {
  int64_t outer = 1, n = 1, inner = 1;
};

template <typename T>
class ArgKernel : public Kernel {
 public:
  explicit ArgKernel(bool is_max) : max_(is_max) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<int64_t> a = integerValues(ctx, constantInput(ctx, 1, "axis"));
    if (a.size() != 1) ctx.invalid("axis must be one value");
    const int64_t axis = a[0] < 0 ? a[0] + in.rank() : a[0];
    if (axis < 0 || axis >= in.rank()) ctx.invalid("axis " + std::to_string(a[0]) + " out of range");
    const DType out_type = ctx.output(0).type();
    if (out_type != DType::Int32 && out_type != DType::Int64) ctx.invalid("output type must be int32 or int64");
    int64_out_ = out_type == DType::Int64;
    std::vector<int32_t> shape = in.shape();
    g_ = ArgGeometry{};
    for (int d = 0; d < in.rank(); ++d) (d < axis ? g_.outer : d > axis ? g_.inner : g_.n) *= in.dim(d);
    if (g_.n == 0 && g_.outer * g_.inner > 0) ctx.invalid("arg min/max over an empty axis");
    shape.erase(shape.begin() + axis);
    ctx.output(0).resize(shape);
  }
  void eval(KernelContext& ctx) override {
    const T* x = ctx.input(0).data<T>();
    RuntimeTensor& out = ctx.output(0);
    for (int64_t o = 0; o < g_.outer; ++o)
      for (int64_t i = 0; i < g_.inner; ++i) {
        const T* column = x + o * g_.n * g_.inner + i;
        const int64_t best = max_ ? bestIndex(column, std::greater<T>()) : bestIndex(column, std::less<T>());
        if (int64_out_) out.mutableData<int64_t>()[o * g_.inner + i] = best;
        else out.mutableData<int32_t>()[o * g_.inner + i] = static_cast<int32_t>(best);
      }
  }

 private:
  // The first index whose value beats every earlier one under `better`.
  template <typename Better>
  int64_t bestIndex(const T* column, Better better) const {
    int64_t best = 0;
    T best_value = column[0];
    for (int64_t k = 1; k < g_.n; ++k) {
      const T v = column[k * g_.inner];
      if (better(v, best_value)) best_value = v, best = k;
    }
    return best;
  }

  bool max_;
  bool int64_out_ = false;
  ArgGeometry g_;
};

KernelFactory arg(bool is_max) {
  return [is_max](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<ArgKernel<float>>(is_max);
      case DType::UInt8: return std::make_unique<ArgKernel<uint8_t>>(is_max);
      case DType::Int8: return std::make_unique<ArgKernel<int8_t>>(is_max);
      case DType::Int16: return std::make_unique<ArgKernel<int16_t>>(is_max);
      case DType::Int32: return std::make_unique<ArgKernel<int32_t>>(is_max);
      case DType::Int64: return std::make_unique<ArgKernel<int64_t>>(is_max);
      case DType::Bool: return std::make_unique<ArgKernel<bool>>(is_max);
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
