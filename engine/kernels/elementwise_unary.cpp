// RSQRT, SQRT, EXP, LOG, ABS, NEG.
//
// Float computes the function (XNNPACK's float kernels agree with libm to a few ulp). Integer paths follow
// TFLite's builtin kernels (the XNNPACK delegate takes these ops in float only), r = s (q - Z):
//  - ABS int8 / int16: |q - Z_in|, rescaled by s_in / s_out with a fixed-point multiplier when the scales
//    differ, + Z_out; unquantized int16 and int32 take the plain absolute value.
//  - NEG int8 / int16 / int32 / int64: the stored value negated (no rescaling; -min wraps to min).
//  - EXP, LOG int8: a 256-entry table (TFLite's LUTPopulate: f in float, round half away from zero, + Z_out);
//    LOG of a value <= 0 gives the output's lowest representable value.
//  - SQRT int8: sqrt of the dequantized value in float, divided by s_out and truncated toward zero, + Z_out.
//  - RSQRT int8: 1 / sqrt(q - Z_in) from a fixed-point Newton-Raphson, rescaled by 1 / (sqrt(s_in) s_out).
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/quant_params.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

// --- plain elementwise (float, integers) ------------------------------------------------------------------------

template <typename T, typename F>
std::unique_ptr<Kernel> plain(F f) {
  return makeKernel([](KernelContext& ctx) { ctx.output(0).resize(ctx.input(0).shape()); },
                    [f](KernelContext& ctx) {
                      const T* in = ctx.input(0).data<T>();
                      T* out = ctx.output(0).mutableData<T>();
                      for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = f(in[i]);
                    });
}

// Two's complement negation and absolute value (the most negative value maps to itself), without UB.
template <typename T>
T wrappingNeg(T x) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(U{0} - static_cast<U>(x)));
}
template <typename T>
T wrappingAbs(T x) {
  return x < 0 ? wrappingNeg(x) : x;
}

// --- quantized ABS ----------------------------------------------------------------------------------------------

template <typename T>
class QuantAbsKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    if (std::is_same_v<T, int16_t> && (qin.zero_point != 0 || qout.zero_point != 0))
      ctx.invalid("int16 zero points must be 0");
    in_zp_ = qin.zero_point, out_zp_ = qout.zero_point;
    rescale_ = qin.scale != qout.scale;
    if (rescale_) quantizeMultiplier(static_cast<double>(qin.scale / qout.scale), &multiplier_, &shift_);
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      const int32_t v = std::abs(static_cast<int32_t>(in[i]) - in_zp_);
      const int32_t r = rescale_ ? multiplyByQuantizedMultiplier(v, multiplier_, shift_) : v;
      out[i] = static_cast<T>(clampTo(r + out_zp_, qmin<T>(), qmax<T>()));
    }
  }

 private:
  bool rescale_ = false;
  int32_t in_zp_ = 0, out_zp_ = 0, multiplier_ = 0;
  int shift_ = 0;
};

// --- int8 tables (EXP, LOG) -------------------------------------------------------------------------------------

// TFLite's LUTPopulate: s_in (q - Z_in), f in float, round(y / s_out) half away from zero, + Z_out, saturated.
std::array<int8_t, 256> int8Table(const QParams& in, const QParams& out, const std::function<float(float)>& f) {
  std::array<int8_t, 256> table{};
  const float inv_out = 1.0f / out.scale;
  for (int32_t q = -128; q <= 127; ++q) {
    const float x = in.scale * static_cast<float>(q - in.zero_point);
    const float rescaled = std::round(f(x) * inv_out);
    const int32_t r = static_cast<int32_t>(rescaled + static_cast<float>(out.zero_point));
    table[static_cast<uint8_t>(static_cast<int8_t>(q))] = static_cast<int8_t>(clampTo(r, -128, 127));
  }
  return table;
}

class Int8TableKernel : public Kernel {
 public:
  explicit Int8TableKernel(bool log) : log_(log) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    if (log_) {
      const float output_min = static_cast<float>(-128 - qout.zero_point) * qout.scale;
      table_ = int8Table(qin, qout, [output_min](float x) { return x <= 0.0f ? output_min : std::log(x); });
    } else {
      table_ = int8Table(qin, qout, [](float x) { return std::exp(x); });
    }
  }
  void eval(KernelContext& ctx) override {
    const int8_t* in = ctx.input(0).data<int8_t>();
    int8_t* out = ctx.output(0).mutableData<int8_t>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = table_[static_cast<uint8_t>(in[i])];
  }

 private:
  bool log_;
  std::array<int8_t, 256> table_{};
};

// --- int8 SQRT --------------------------------------------------------------------------------------------------

class Int8SqrtKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    ctx.output(0).resize(in.shape());
    qin_ = qparamsOf(ctx, in, "input");
    qout_ = qparamsOf(ctx, ctx.output(0), "output");
  }
  void eval(KernelContext& ctx) override {
    const int8_t* in = ctx.input(0).data<int8_t>();
    int8_t* out = ctx.output(0).mutableData<int8_t>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      const float x = qin_.scale * static_cast<float>(static_cast<int32_t>(in[i]) - qin_.zero_point);
      if (x < 0.0f) ctx.invalid("SQRT of a negative value");
      const int32_t q = static_cast<int32_t>(std::sqrt(x) / qout_.scale) + qout_.zero_point;  // truncates
      out[i] = static_cast<int8_t>(clampTo(q, -128, 127));
    }
  }

 private:
  QParams qin_, qout_;
};

// --- int8 RSQRT -------------------------------------------------------------------------------------------------

// TFLite's GetInvSqrtQuantizedMultiplierExp with reverse_shift -1: 1 / sqrt(input) as a Q0.31 multiplier and
// a left shift, by five Newton-Raphson steps x <- 1.5 x - (input / 2) x^3 in Q3.28 on the input normalized to
// [2^27, 2^29).
void invSqrtMultiplier(int32_t input, int32_t* multiplier, int* shift) {
  if (input <= 1) {
    *multiplier = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  int right_shift = 11;
  while (input >= (1 << 29)) input /= 4, ++right_shift;
  const int left_shift_bit_pairs = (countLeadingZeros(static_cast<uint32_t>(input)) - 1) / 2 - 1;
  right_shift -= left_shift_bit_pairs;
  input <<= 2 * left_shift_bit_pairs;
  auto mul = [](int32_t a, int32_t b) { return saturatingRoundingDoublingHighMul(a, b); };
  const int32_t x_in = input >> 1;                              // Q3.28
  const int32_t half_x_in = saturatingRoundingMultiplyByPOT(x_in, -1);            // Q3.28
  const int32_t one_and_half = (1 << 28) + (1 << 27);           // 1.5 in Q3.28
  int32_t x = 1 << 28;                                          // 1 in Q3.28
  for (int i = 0; i < 5; ++i) {
    const int32_t x3 = saturatingRoundingMultiplyByPOT(mul(mul(x, x), x), 6);     // Q9.22 -> Q3.28
    x = saturatingRoundingMultiplyByPOT(static_cast<int32_t>(static_cast<uint32_t>(mul(one_and_half, x)) -
                                           static_cast<uint32_t>(mul(half_x_in, x3))),
                      3);                                       // Q6.25 -> Q3.28
  }
  x = mul(x, 1518500250);  // times sqrt(2) / 2 (Q0.31): Q3.28
  if (right_shift < 0) {
    x = static_cast<int32_t>(static_cast<uint32_t>(x) << -right_shift);
    right_shift = 0;
  }
  *multiplier = x;
  *shift = -right_shift;
}

class Int8RsqrtKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    ctx.output(0).resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, ctx.output(0), "output");
    in_zp_ = qin.zero_point, out_zp_ = qout.zero_point;
    quantizeMultiplier(1.0 / (std::sqrt(qin.scale) * qout.scale), &multiplier_, &shift_);
  }
  void eval(KernelContext& ctx) override {
    const int8_t* in = ctx.input(0).data<int8_t>();
    int8_t* out = ctx.output(0).mutableData<int8_t>();
    constexpr int kShift = 20;  // keeps the reciprocal an integer
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      const int32_t v = static_cast<int32_t>(in[i]) - in_zp_;
      if (v < 0) ctx.invalid("RSQRT of a negative value");
      if (v == 0) {
        out[i] = 127;  // TFLite: a value at zero stands for the largest output
        continue;
      }
      int32_t inv_multiplier = 0;
      int inv_shift = 0;
      invSqrtMultiplier(v, &inv_multiplier, &inv_shift);
      const int32_t data = multiplyByQuantizedMultiplier(1, inv_multiplier, inv_shift + kShift);
      const int32_t r = multiplyByQuantizedMultiplier(data, multiplier_, shift_ - kShift) + out_zp_;
      out[i] = static_cast<int8_t>(clampTo(r, -128, 127));
    }
  }

 private:
  int32_t in_zp_ = 0, out_zp_ = 0, multiplier_ = 0;
  int shift_ = 0;
};

// --- registration -----------------------------------------------------------------------------------------------

bool sameTypeInOut(const KernelContext& ctx) {
  return !ctx.in.empty() && ctx.in[0] && !ctx.out.empty() && ctx.out[0] && ctx.in[0]->type() == ctx.out[0]->type();
}

bool quantized(const KernelContext& ctx) { return ctx.in[0]->quant().hasScale(); }

// Float plus, for RSQRT / SQRT / EXP / LOG, TFLite's int8 path.
KernelFactory floatOrInt8(float (*f)(float), std::function<std::unique_ptr<Kernel>()> int8_kernel) {
  return [f, int8_kernel](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (!sameTypeInOut(ctx)) return nullptr;
    if (ctx.in[0]->type() == DType::Float32) return plain<float>(f);
    if (ctx.in[0]->type() == DType::Int8 && quantized(ctx) && int8_kernel) return int8_kernel();
    return nullptr;
  };
}

std::unique_ptr<Kernel> makeAbs(const KernelContext& ctx) {
  if (!sameTypeInOut(ctx)) return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float32: return plain<float>([](float x) { return std::fabs(x); });
    case DType::Int32: return plain<int32_t>(wrappingAbs<int32_t>);
    case DType::Int8:
      if (quantized(ctx)) return std::make_unique<QuantAbsKernel<int8_t>>();
      return nullptr;
    case DType::Int16:
      if (quantized(ctx)) return std::make_unique<QuantAbsKernel<int16_t>>();
      return plain<int16_t>(wrappingAbs<int16_t>);
    default: return nullptr;
  }
}

std::unique_ptr<Kernel> makeNeg(const KernelContext& ctx) {
  if (!sameTypeInOut(ctx)) return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float32: return plain<float>([](float x) { return -x; });
    case DType::Int8: return plain<int8_t>(wrappingNeg<int8_t>);
    case DType::Int16: return plain<int16_t>(wrappingNeg<int16_t>);
    case DType::Int32: return plain<int32_t>(wrappingNeg<int32_t>);
    case DType::Int64: return plain<int64_t>(wrappingNeg<int64_t>);
    default: return nullptr;
  }
}

float rsqrt(float x) { return 1.0f / std::sqrt(x); }
float sqrtF(float x) { return std::sqrt(x); }
float expF(float x) { return std::exp(x); }
float logF(float x) { return std::log(x); }

}  // namespace

void registerElementwiseUnaryKernels(KernelRegistry& r) {
  r.add("RSQRT", floatOrInt8(rsqrt, [] { return std::make_unique<Int8RsqrtKernel>(); }));
  r.add("SQRT", floatOrInt8(sqrtF, [] { return std::make_unique<Int8SqrtKernel>(); }));
  r.add("EXP", floatOrInt8(expF, [] { return std::make_unique<Int8TableKernel>(false); }));
  r.add("LOG", floatOrInt8(logF, [] { return std::make_unique<Int8TableKernel>(true); }));
  r.add("ABS", makeAbs);
  r.add("NEG", makeNeg);
}

}  // namespace ql
