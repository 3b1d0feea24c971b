// RSQRT, SQRT, EXP, LOG, ABS, NEG on float32 (ABS and NEG on int32 too).
#include <cmath>

#include "kernels/families.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

template <typename T, typename F>
std::unique_ptr<Kernel> elementwise(F f) {
  return makeKernel([](KernelContext& ctx) { ctx.output(0).resize(ctx.input(0).shape()); },
                    [f](KernelContext& ctx) {
                      const T* in = ctx.input(0).data<T>();
                      T* out = ctx.output(0).mutableData<T>();
                      for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = f(in[i]);
                    });
}

template <typename F>
KernelFactory floatOnly(F f) {
  return [f](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || ctx.in[0]->type() != DType::Float32) return nullptr;
    return elementwise<float>(f);
  };
}

template <typename FF, typename FI>
KernelFactory floatOrInt(FF ff, FI fi) {
  return [ff, fi](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0]) return nullptr;
    if (ctx.in[0]->type() == DType::Float32) return elementwise<float>(ff);
    if (ctx.in[0]->type() == DType::Int32 && !ctx.in[0]->quant().hasScale()) return elementwise<int32_t>(fi);
    return nullptr;
  };
}

}  // namespace

void registerElementwiseUnaryKernels(KernelRegistry& r) {
  r.add("RSQRT", floatOnly([](float x) { return 1.0f / std::sqrt(x); }));
  r.add("SQRT", floatOnly([](float x) { return std::sqrt(x); }));
  r.add("EXP", floatOnly([](float x) { return std::exp(x); }));
  r.add("LOG", floatOnly([](float x) { return std::log(x); }));
  r.add("ABS", floatOrInt([](float x) { return std::fabs(x); }, [](int32_t x) { return x < 0 ? -x : x; }));
  r.add("NEG", floatOrInt([](float x) { return -x; }, [](int32_t x) { return -x; }));
}

}  // namespace ql
