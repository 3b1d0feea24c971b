// MEAN, SUM, REDUCE_MAX over the axes of a constant axis tensor, keep_dims or not. Quantized MEAN: Deployed
// follows XNNPACK (sum of x - zp_in, times s_in / (s_out * count) in float, round half to even); Reference
// follows TFLite (the float mean of the raw values, rescaled by s_in / s_out, rounded half away from zero).
#include <cmath>
#include <limits>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

enum class Reduce { Mean, Sum, Max };

// For each output element, the list of input offsets it reduces, computed once.
struct ReducePlan {
  std::vector<int32_t> out_shape;
  std::vector<std::vector<int64_t>> groups;
};

ReducePlan planReduction(const KernelContext& ctx) {
  const RuntimeTensor& in = ctx.input(0);
  std::vector<int64_t> axes = integerValues(ctx, constantInput(ctx, 1, "axis"));
  const int rank = in.rank();
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  for (int64_t a : axes) {
    int64_t x = a < 0 ? a + rank : a;
    if (x < 0 || x >= rank) ctx.invalid("axis " + std::to_string(a) + " out of range");
    reduced[static_cast<size_t>(x)] = true;
  }
  const bool keep = ctx.boolOption("keep_dims");
  ReducePlan p;
  std::vector<int32_t> kept_shape;  // output shape with reduced dims as 1
  for (int d = 0; d < rank; ++d) {
    kept_shape.push_back(reduced[static_cast<size_t>(d)] ? 1 : in.dim(d));
    if (!reduced[static_cast<size_t>(d)] || keep) p.out_shape.push_back(kept_shape.back());
  }
  int64_t out_n = 1;
  for (int32_t d : kept_shape) out_n *= d;
  p.groups.assign(static_cast<size_t>(out_n), {});
  auto out_strides = rowMajorStrides(kept_shape);
  std::vector<int32_t> idx(static_cast<size_t>(rank), 0);
  for (int64_t i = 0, n = in.elements(); i < n; ++i) {
    int64_t o = 0;
    for (int d = 0; d < rank; ++d)
      if (!reduced[static_cast<size_t>(d)]) o += idx[static_cast<size_t>(d)] * out_strides[static_cast<size_t>(d)];
    p.groups[static_cast<size_t>(o)].push_back(i);
    for (int d = rank; d-- > 0;) {
      if (++idx[static_cast<size_t>(d)] < in.dim(d)) break;
      idx[static_cast<size_t>(d)] = 0;
    }
  }
  return p;
}

class FloatReduceKernel : public Kernel {
 public:
  explicit FloatReduceKernel(Reduce op) : op_(op) {}
  void prepare(KernelContext& ctx) override {
    plan_ = planReduction(ctx);
    ctx.output(0).resize(plan_.out_shape);
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    for (size_t o = 0; o < plan_.groups.size(); ++o) {
      const auto& g = plan_.groups[o];
      float acc = op_ == Reduce::Max ? -std::numeric_limits<float>::infinity() : 0.f;
      for (int64_t i : g) acc = op_ == Reduce::Max ? std::max(acc, in[i]) : acc + in[i];
      if (op_ == Reduce::Mean && !g.empty()) acc /= static_cast<float>(g.size());
      out[o] = acc;
    }
  }

 private:
  Reduce op_;
  ReducePlan plan_;
};

template <typename T>
class QuantReduceKernel : public Kernel {
 public:
  explicit QuantReduceKernel(Reduce op) : op_(op) {}
  void prepare(KernelContext& ctx) override {
    plan_ = planReduction(ctx);
    ctx.output(0).resize(plan_.out_shape);
    if (ctx.input(0).quant().scale.empty() || ctx.output(0).quant().scale.empty()) ctx.invalid("quantized reduce without scales");
    deployed_ = ctx.arithmetic == Arithmetic::Deployed;
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in_t = ctx.input(0);
    RuntimeTensor& out_t = ctx.output(0);
    const T* in = in_t.data<T>();
    T* out = out_t.mutableData<T>();
    const int32_t in_zp = in_t.zeroPoint(), out_zp = out_t.zeroPoint();
    const float ratio = in_t.scale() / out_t.scale();
    for (size_t o = 0; o < plan_.groups.size(); ++o) {
      const auto& g = plan_.groups[o];
      const float count = static_cast<float>(std::max<size_t>(g.size(), 1));
      int32_t q;
      if (op_ == Reduce::Max) {
        int32_t m = qmin<T>();
        for (int64_t i : g) m = std::max(m, static_cast<int32_t>(in[i]));
        q = static_cast<int32_t>(std::lrint(static_cast<float>(m - in_zp) * ratio)) + out_zp;
      } else {
        int32_t sum = 0;
        for (int64_t i : g) sum += static_cast<int32_t>(in[i]);
        if (deployed_) {
          int32_t centered = sum - static_cast<int32_t>(g.size()) * in_zp;
          float scale = op_ == Reduce::Mean ? in_t.scale() / (out_t.scale() * count) : ratio;
          q = requantizeFp32(centered, scale, out_zp, qmin<T>(), qmax<T>());
        } else {
          float value = op_ == Reduce::Mean ? static_cast<float>(sum) / count : static_cast<float>(sum);
          float centered = op_ == Reduce::Mean ? static_cast<float>(in_zp) : static_cast<float>(in_zp) * count;
          q = static_cast<int32_t>(std::round(value * ratio - centered * ratio)) + out_zp;
        }
      }
      out[o] = static_cast<T>(std::min(std::max(q, qmin<T>()), qmax<T>()));
    }
  }

 private:
  Reduce op_;
  ReducePlan plan_;
  bool deployed_ = true;
};

KernelFactory reduce(Reduce op) {
  return [op](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<FloatReduceKernel>(op);
      case DType::Int8: return std::make_unique<QuantReduceKernel<int8_t>>(op);
      case DType::UInt8: return std::make_unique<QuantReduceKernel<uint8_t>>(op);
      default: return nullptr;
    }
  };
}

}  // namespace

void registerReduceKernels(KernelRegistry& r) {
  r.add("MEAN", reduce(Reduce::Mean));
  r.add("SUM", reduce(Reduce::Sum));
  r.add("REDUCE_MAX", reduce(Reduce::Max));
}

}  // namespace ql
