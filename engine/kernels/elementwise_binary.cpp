// ADD, SUB, MUL, DIV, SQUARED_DIFFERENCE, MINIMUM, MAXIMUM with numpy broadcasting and fused activations.
// Quantized ADD/SUB (8-bit): Deployed follows XNNPACK's vadd (each input scaled by round(s_i / s_out * 2^shift)
// into one int32 sum, one rounding shift); Reference follows TFLite (inputs shifted left by 20, each rescaled by a
// fixed-point multiplier, the sum rescaled once more). Quantized MUL: the product of zero-point-corrected inputs
// requantized by s_a * s_b / s_out (Requantizer).
#include <cmath>
#include <cstring>

#include "kernels/families.h"
#include "kernels/requantize.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

enum class BinaryOp { Add, Sub, Mul, Div, SquaredDifference, Minimum, Maximum };

// Walks the broadcast output, giving the flat offsets of both inputs.
struct Broadcast {
  std::vector<int32_t> shape;
  std::vector<int64_t> a_strides, b_strides;
  bool same = false;  // both inputs have the output's shape

  template <typename F>
  void forEach(F&& f) const {
    int64_t n = flatSize(shape);
    if (same) {
      for (int64_t i = 0; i < n; ++i) f(i, i, i);
      return;
    }
    std::vector<int32_t> idx(shape.size(), 0);
    int64_t ao = 0, bo = 0;
    for (int64_t i = 0; i < n; ++i) {
      f(i, ao, bo);
      for (size_t d = shape.size(); d-- > 0;) {
        ao += a_strides[d], bo += b_strides[d];
        if (++idx[d] < shape[d]) break;
        ao -= a_strides[d] * shape[d], bo -= b_strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }
};

Broadcast broadcastOf(const KernelContext& ctx) {
  Broadcast b;
  const auto& sa = ctx.input(0).shape();
  const auto& sb = ctx.input(1).shape();
  try {
    b.shape = broadcastShapes(sa, sb);
  } catch (const std::invalid_argument&) {
    ctx.invalid("input shapes do not broadcast");
  }
  b.a_strides = broadcastStrides(sa, b.shape);
  b.b_strides = broadcastStrides(sb, b.shape);
  b.same = sa == b.shape && sb == b.shape;
  return b;
}

Activation activationOf(const KernelContext& ctx) {
  try {
    return activationFromName(ctx.enumOption("fused_activation_function", "NONE"));
  } catch (const std::invalid_argument& e) {
    ctx.unsupported(e.what());
  }
}

template <typename T>
T applyFloat(BinaryOp op, T a, T b) {
  switch (op) {
    case BinaryOp::Add: return a + b;
    case BinaryOp::Sub: return a - b;
    case BinaryOp::Mul: return a * b;
    case BinaryOp::Div: return a / b;
    case BinaryOp::SquaredDifference: return (a - b) * (a - b);
    case BinaryOp::Minimum: return std::min(a, b);
    case BinaryOp::Maximum: return std::max(a, b);
  }
  return a;
}

template <typename T>
class PlainBinaryKernel : public Kernel {
 public:
  explicit PlainBinaryKernel(BinaryOp op) : op_(op) {}
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    if constexpr (std::is_floating_point_v<T>) {
      activationRangeFloat(activationOf(ctx), &lo_, &hi_);
    } else {
      if (activationOf(ctx) != Activation::None) ctx.unsupported("a fused activation on integer data");
      if (op_ == BinaryOp::Div) int_div_ = true;
    }
  }
  void eval(KernelContext& ctx) override {
    const T* a = ctx.input(0).data<T>();
    const T* b = ctx.input(1).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    bc_.forEach([&](int64_t i, int64_t ai, int64_t bi) {
      if constexpr (std::is_floating_point_v<T>) {
        out[i] = std::min(std::max(applyFloat(op_, a[ai], b[bi]), lo_), hi_);
      } else {
        if (int_div_ && b[bi] == 0) ctx.invalid("integer division by zero");
        out[i] = applyFloat(op_, a[ai], b[bi]);
      }
    });
  }

 private:
  BinaryOp op_;
  Broadcast bc_;
  float lo_ = -INFINITY, hi_ = INFINITY;
  bool int_div_ = false;
};

// 8-bit ADD / SUB.
template <typename T>
class QuantAddKernel : public Kernel {
 public:
  explicit QuantAddKernel(bool subtract) : subtract_(subtract) {}
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    RuntimeTensor& out = ctx.output(0);
    out.resize(bc_.shape);
    const RuntimeTensor& a = ctx.input(0);
    const RuntimeTensor& b = ctx.input(1);
    if (a.quant().scale.empty() || b.quant().scale.empty() || out.quant().scale.empty())
      ctx.invalid("quantized ADD/SUB without scales");
    a_zp_ = a.zeroPoint(), b_zp_ = b.zeroPoint(), out_zp_ = out.zeroPoint();
    fusedActivationRange(ctx.arithmetic, activationOf(ctx), out.scale(), out_zp_, qmin<T>(), qmax<T>(), &lo_, &hi_);
    deployed_ = ctx.arithmetic == Arithmetic::Deployed;
    if (deployed_) {
      // XNNPACK: multipliers with 20 significant bits for the larger ratio, one shift for the sum.
      const float a_ratio = a.scale() / out.scale(), b_ratio = b.scale() / out.scale();
      const float max_ratio = std::max(std::fabs(a_ratio), std::fabs(b_ratio));
      int exponent = 0;
      std::frexp(max_ratio, &exponent);  // max_ratio = m * 2^exponent, m in [0.5, 1)
      shift_ = 20 - (exponent - 1);
      a_mult_ = static_cast<int32_t>(std::lrint(std::ldexp(a_ratio, shift_)));
      b_mult_ = static_cast<int32_t>(std::lrint(std::ldexp(b_ratio, shift_)));
      if (subtract_) b_mult_ = -b_mult_;
    } else {
      const int left_shift = 20;
      const double twice_max = 2.0 * std::max(a.scale(), b.scale());
      quantizeMultiplier(a.scale() / twice_max, &ref_a_mult_, &ref_a_shift_);
      quantizeMultiplier(b.scale() / twice_max, &ref_b_mult_, &ref_b_shift_);
      quantizeMultiplier(twice_max / ((1 << left_shift) * static_cast<double>(out.scale())), &ref_out_mult_,
                         &ref_out_shift_);
    }
  }
  void eval(KernelContext& ctx) override {
    const T* a = ctx.input(0).data<T>();
    const T* b = ctx.input(1).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    bc_.forEach([&](int64_t i, int64_t ai, int64_t bi) {
      const int32_t x = static_cast<int32_t>(a[ai]) - a_zp_, y = static_cast<int32_t>(b[bi]) - b_zp_;
      int32_t v;
      if (deployed_) {
        const int64_t acc = static_cast<int64_t>(x) * a_mult_ + static_cast<int64_t>(y) * b_mult_ +
                            (int64_t{1} << (shift_ - 1));
        v = static_cast<int32_t>(acc >> shift_) + out_zp_;
      } else {
        const int32_t sx = multiplyByQuantizedMultiplier(x * (1 << 20), ref_a_mult_, ref_a_shift_);
        int32_t sy = multiplyByQuantizedMultiplier(y * (1 << 20), ref_b_mult_, ref_b_shift_);
        if (subtract_) sy = -sy;
        v = multiplyByQuantizedMultiplier(sx + sy, ref_out_mult_, ref_out_shift_) + out_zp_;
      }
      out[i] = static_cast<T>(std::min(std::max(v, lo_), hi_));
    });
  }

 private:
  bool subtract_;
  Broadcast bc_;
  bool deployed_ = true;
  int32_t a_zp_ = 0, b_zp_ = 0, out_zp_ = 0, lo_ = 0, hi_ = 0;
  int32_t a_mult_ = 0, b_mult_ = 0;
  int shift_ = 0;
  int32_t ref_a_mult_ = 0, ref_b_mult_ = 0, ref_out_mult_ = 0;
  int ref_a_shift_ = 0, ref_b_shift_ = 0, ref_out_shift_ = 0;
};

// 8-bit MUL.
template <typename T>
class QuantMulKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    RuntimeTensor& out = ctx.output(0);
    out.resize(bc_.shape);
    const RuntimeTensor& a = ctx.input(0);
    const RuntimeTensor& b = ctx.input(1);
    if (a.quant().scale.empty() || b.quant().scale.empty() || out.quant().scale.empty())
      ctx.invalid("quantized MUL without scales");
    int32_t lo = 0, hi = 0;
    fusedActivationRange(ctx.arithmetic, activationOf(ctx), out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo, &hi);
    rq_ = std::make_unique<Requantizer>(ctx.arithmetic, a.scale(), std::vector<float>{b.scale()}, out.scale(), 1,
                                        out.zeroPoint(), lo, hi);
    a_zp_ = a.zeroPoint(), b_zp_ = b.zeroPoint();
  }
  void eval(KernelContext& ctx) override {
    const T* a = ctx.input(0).data<T>();
    const T* b = ctx.input(1).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    bc_.forEach([&](int64_t i, int64_t ai, int64_t bi) {
      int32_t p = (static_cast<int32_t>(a[ai]) - a_zp_) * (static_cast<int32_t>(b[bi]) - b_zp_);
      out[i] = static_cast<T>((*rq_)(p, 0));
    });
  }

 private:
  Broadcast bc_;
  std::unique_ptr<Requantizer> rq_;
  int32_t a_zp_ = 0, b_zp_ = 0;
};

KernelFactory binary(BinaryOp op) {
  return [op](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1] || ctx.out.empty() || !ctx.out[0]) return nullptr;
    DType t = ctx.in[0]->type();
    if (ctx.in[1]->type() != t) return nullptr;
    bool quantized = ctx.in[0]->quant().hasScale();
    if (t == DType::Float32) return std::make_unique<PlainBinaryKernel<float>>(op);
    if (t == DType::Int32 && !quantized) return std::make_unique<PlainBinaryKernel<int32_t>>(op);
    if (t == DType::Int64 && !quantized) return std::make_unique<PlainBinaryKernel<int64_t>>(op);
    if ((op == BinaryOp::Add || op == BinaryOp::Sub) && t == DType::Int8)
      return std::make_unique<QuantAddKernel<int8_t>>(op == BinaryOp::Sub);
    if ((op == BinaryOp::Add || op == BinaryOp::Sub) && t == DType::UInt8)
      return std::make_unique<QuantAddKernel<uint8_t>>(op == BinaryOp::Sub);
    if (op == BinaryOp::Mul && t == DType::Int8) return std::make_unique<QuantMulKernel<int8_t>>();
    if (op == BinaryOp::Mul && t == DType::UInt8) return std::make_unique<QuantMulKernel<uint8_t>>();
    return nullptr;
  };
}

}  // namespace

void registerElementwiseBinaryKernels(KernelRegistry& r) {
  r.add("ADD", binary(BinaryOp::Add));
  r.add("SUB", binary(BinaryOp::Sub));
  r.add("MUL", binary(BinaryOp::Mul));
  r.add("DIV", binary(BinaryOp::Div));
  r.add("SQUARED_DIFFERENCE", binary(BinaryOp::SquaredDifference));
  r.add("MINIMUM", binary(BinaryOp::Minimum));
  r.add("MAXIMUM", binary(BinaryOp::Maximum));
}

}  // namespace ql
