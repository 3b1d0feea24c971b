// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH. Float computes the function;
// 8-bit quantized unary functions go through a 256-entry lookup table (lookup_table.h), which is how both
// XNNPACK and TFLite's optimized kernels run them.
#include <cmath>
#include <cstring>

#include "kernels/families.h"
#include "kernels/lookup_table.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

using UnaryFn = std::function<float(float)>;

class FloatUnaryKernel : public Kernel {
 public:
  explicit FloatUnaryKernel(UnaryFn f) : f_(std::move(f)) {}
  void prepare(KernelContext& ctx) override { ctx.output(0).resize(ctx.input(0).shape()); }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = f_(in[i]);
  }

 private:
  UnaryFn f_;
};

template <typename T>
class LutKernel : public Kernel {
 public:
  explicit LutKernel(UnaryFn f) : f_(std::move(f)) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    if (in.quant().scale.empty() || out.quant().scale.empty()) ctx.invalid("quantized op without scales");
    table_ = buildLookupTable<T>(ctx.arithmetic, in.scale(), in.zeroPoint(), out.scale(), out.zeroPoint(), f_);
  }
  void eval(KernelContext& ctx) override {
    applyLookupTable(table_, ctx.input(0).data<T>(), ctx.output(0).mutableData<T>(), ctx.input(0).elements());
  }

 private:
  UnaryFn f_;
  std::array<T, 256> table_{};
};

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float hardSwish(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

// One registration for a unary function with float and 8-bit paths.
KernelFactory unary(UnaryFn f) {
  return [f](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
    DType t = ctx.in[0]->type();
    if (t != ctx.out[0]->type()) return nullptr;
    if (t == DType::Float32) return std::make_unique<FloatUnaryKernel>(f);
    if (t == DType::UInt8) return std::make_unique<LutKernel<uint8_t>>(f);
    if (t == DType::Int8) return std::make_unique<LutKernel<int8_t>>(f);
    return nullptr;
  };
}

// LEAKY_RELU needs its alpha option, so its function is made in the factory.
std::unique_ptr<Kernel> makeLeakyRelu(const KernelContext& ctx) {
  float alpha = static_cast<float>(ctx.floatOption("alpha", 0.2));
  return unary([alpha](float x) { return x >= 0 ? x : alpha * x; })(ctx);
}

// PRELU: out = x >= 0 ? x : alpha * x with alpha broadcast against x (float).
class PreluKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    try {
      shape_ = broadcastShapes(ctx.input(0).shape(), ctx.input(1).shape());
    } catch (const std::invalid_argument&) {
      ctx.invalid("alpha does not broadcast against the input");
    }
    ctx.output(0).resize(shape_);
    x_strides_ = broadcastStrides(ctx.input(0).shape(), shape_);
    a_strides_ = broadcastStrides(ctx.input(1).shape(), shape_);
  }
  void eval(KernelContext& ctx) override {
    const float* x = ctx.input(0).data<float>();
    const float* a = ctx.input(1).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    std::vector<int32_t> idx(shape_.size(), 0);
    int64_t n = flatSize(shape_);
    for (int64_t i = 0; i < n; ++i) {
      int64_t xo = 0, ao = 0;
      for (size_t d = 0; d < idx.size(); ++d) xo += idx[d] * x_strides_[d], ao += idx[d] * a_strides_[d];
      out[i] = x[xo] >= 0 ? x[xo] : x[xo] * a[ao];
      for (size_t d = idx.size(); d-- > 0;) {
        if (++idx[d] < shape_[d]) break;
        idx[d] = 0;
      }
    }
  }

 private:
  std::vector<int32_t> shape_;
  std::vector<int64_t> x_strides_, a_strides_;
};

}  // namespace

void registerActivationKernels(KernelRegistry& r) {
  r.add("RELU", unary([](float x) { return std::max(x, 0.0f); }));
  r.add("RELU6", unary([](float x) { return std::min(std::max(x, 0.0f), 6.0f); }));
  r.add("RELU_N1_TO_1", unary([](float x) { return std::min(std::max(x, -1.0f), 1.0f); }));
  r.add("LOGISTIC", unary(sigmoid));
  r.add("TANH", unary([](float x) { return std::tanh(x); }));
  r.add("HARD_SWISH", unary(hardSwish));
  r.add("LEAKY_RELU", makeLeakyRelu);
  r.add("PRELU", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1] || ctx.in[0]->type() != DType::Float32 ||
        ctx.in[1]->type() != DType::Float32)
      return nullptr;
    return std::make_unique<PreluKernel>();
  });
}

}  // namespace ql
