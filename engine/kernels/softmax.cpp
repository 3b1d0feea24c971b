// SOFTMAX (with beta) and LOG_SOFTMAX over the last axis. Float as written; 8-bit quantized SOFTMAX as TFLite's
// optimized kernel does it: a table of exp(-input_scale * beta * d) for every distance d from the row maximum,
// the row's sum in float, and each probability quantized with the output's scale (1/256) and zero point.
#include <array>
#include <cmath>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct Rows {
  int64_t rows = 0, depth = 0;
};

Rows rowsOf(const RuntimeTensor& t) {
  Rows r;
  r.depth = t.rank() ? t.dim(-1) : 1;
  r.rows = r.depth ? t.elements() / r.depth : 0;
  return r;
}

class FloatSoftmaxKernel : public Kernel {
 public:
  explicit FloatSoftmaxKernel(bool log) : log_(log) {}
  void prepare(KernelContext& ctx) override {
    ctx.output(0).resize(ctx.input(0).shape());
    beta_ = log_ ? 1.0f : static_cast<float>(ctx.floatOption("beta", 1.0));
  }
  void eval(KernelContext& ctx) override {
    Rows r = rowsOf(ctx.input(0));
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    for (int64_t row = 0; row < r.rows; ++row) {
      const float* x = in + row * r.depth;
      float* y = out + row * r.depth;
      float max = x[0];
      for (int64_t i = 1; i < r.depth; ++i) max = std::max(max, x[i]);
      float sum = 0;
      for (int64_t i = 0; i < r.depth; ++i) sum += std::exp((x[i] - max) * beta_);
      if (log_) {
        float log_sum = std::log(sum);
        for (int64_t i = 0; i < r.depth; ++i) y[i] = (x[i] - max) * beta_ - log_sum;
      } else {
        for (int64_t i = 0; i < r.depth; ++i) y[i] = std::exp((x[i] - max) * beta_) / sum;
      }
    }
  }

 private:
  bool log_;
  float beta_ = 1.0f;
};

template <typename T>
class QuantSoftmaxKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    if (in.quant().scale.empty() || out.quant().scale.empty()) ctx.invalid("quantized SOFTMAX without scales");
    float beta = static_cast<float>(ctx.floatOption("beta", 1.0));
    const float scale = -in.scale() * beta;
    for (int32_t d = 0; d <= 255; ++d) table_[static_cast<size_t>(255 - d)] = std::exp(scale * static_cast<float>(d));
    out_scale_ = out.scale();
    out_zp_ = out.zeroPoint();
  }
  void eval(KernelContext& ctx) override {
    Rows r = rowsOf(ctx.input(0));
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t row = 0; row < r.rows; ++row) {
      const T* x = in + row * r.depth;
      T* y = out + row * r.depth;
      int32_t max = qmin<T>();
      for (int64_t i = 0; i < r.depth; ++i) max = std::max(max, static_cast<int32_t>(x[i]));
      // table[255 - max + x] = exp(-scale * beta * (max - x))
      const float* t = &table_[static_cast<size_t>(255 - max)];
      float sum = 0;
      for (int64_t i = 0; i < r.depth; ++i) sum += t[static_cast<int32_t>(x[i])];
      const float inv = 1.0f / (sum * out_scale_);
      for (int64_t i = 0; i < r.depth; ++i) {
        float p = t[static_cast<int32_t>(x[i])] * inv;
        int32_t q = static_cast<int32_t>(p + 0.5f) + out_zp_;
        y[i] = static_cast<T>(std::min(std::max(q, qmin<T>()), qmax<T>()));
      }
    }
  }

 private:
  std::array<float, 256 + 256> table_{};  // indexed from 255 - max; signed inputs reach below 0 + 255
  float out_scale_ = 1;
  int32_t out_zp_ = 0;
};

}  // namespace

void registerSoftmaxKernels(KernelRegistry& r) {
  r.add("SOFTMAX", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<FloatSoftmaxKernel>(false);
      case DType::UInt8: return std::make_unique<QuantSoftmaxKernel<uint8_t>>();
      case DType::Int8: return std::make_unique<QuantSoftmaxKernel<int8_t>>();
      default: return nullptr;
    }
  });
  r.add("LOG_SOFTMAX", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || ctx.in[0]->type() != DType::Float32) return nullptr;
    return std::make_unique<FloatSoftmaxKernel>(true);
  });
}

}  // namespace ql
