// ADD, SUB, MUL, DIV, SQUARED_DIFFERENCE, MINIMUM, MAXIMUM with numpy broadcasting and fused activations.
//
// Which arithmetic each quantized path follows (r = s (q - Z) throughout):
//  - ADD/SUB int8/uint8, Deployed: XNNPACK's vadd, where the delegate takes the op (every input-to-output scale
//    ratio in [2^-10, 2^8)): each input times round(s_i / s_out * 2^shift), the largest multiplier having 20
//    significant bits, summed in int32 with a rounding bias and shifted once (SUB negates the second
//    multiplier). Otherwise, and in Reference: TFLite, which shifts both inputs left by 20 (15 for int16),
//    rescales each with a fixed-point multiplier of s_i / (2 max s), adds, and rescales the sum.
//  - ADD/SUB int16 (TFLite only): zero points 0; power-of-two scales (the LSTM case, option pot_scale_int16)
//    shift the finer input right and add saturating in 16 bits, other scales take the general path above.
//  - MUL int8/uint8, Deployed: XNNPACK's vmul where it takes the op (s_a s_b / s_out in [2^-16, 2^8)): the
//    product of zero-point-corrected inputs times that float scale, rounded half to even. Otherwise TFLite:
//    the product times a fixed-point multiplier of the same ratio (computed in float, as TFLite does).
//  - MUL int16: TFLite (zero points 0); int16 x int16 -> int8/uint8 is Q0.15 x Q0.15 rounded to 8 bits.
//  - DIV int8/uint8/int16, SQUARED_DIFFERENCE int8: TFLite's fixed point (XNNPACK takes these in float only).
//  - MINIMUM/MAXIMUM on quantized tensors compare the stored values, as TFLite does (scales must agree).
//  - float, int32, int64 (and unquantized int16): plain arithmetic; integer ADD/SUB/MUL wrap like two's
//    complement hardware, integer DIV truncates toward zero and rejects a zero divisor.
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/broadcast.h"
#include "kernels/families.h"
#include "kernels/fixed_point16.h"
#include "kernels/quant_math.h"
#include "kernels/quant_params.h"
#include "kernels/requantize.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

enum class BinaryOp { Add, Sub, Mul, Div, SquaredDifference, Minimum, Maximum };

// Applies f(a, b) -> Out over the broadcast output.
template <typename In, typename Out, typename F>
void evalBroadcast(const Broadcast& bc, const KernelContext& ctx, F&& f) {
  const In* a = ctx.input(0).data<In>();
  const In* b = ctx.input(1).data<In>();
  Out* out = ctx.output(0).mutableData<Out>();
  bc.forEach([&](int64_t i, int64_t ai, int64_t bi) { out[i] = f(a[ai], b[bi]); });
}

// --- options and quantization parameters ------------------------------------------------------------------------

Activation activationOf(const KernelContext& ctx) {
  try {
    return activationFromName(ctx.enumOption("fused_activation_function", "NONE"));
  } catch (const std::invalid_argument& e) {
    ctx.unsupported(e.what());
  }
}

// The clamp TFLite's CalculateActivationRange<T> gives an unquantized integer output.
template <typename T>
void integerActivationRange(Activation act, T* lo, T* hi) {
  *lo = std::numeric_limits<T>::lowest();
  *hi = std::numeric_limits<T>::max();
  if (act == Activation::Relu) *lo = 0;
  if (act == Activation::Relu6) *lo = 0, *hi = 6;
  if (act == Activation::ReluN1To1) *lo = -1, *hi = 1;
}

void requireZeroPoint0(const KernelContext& ctx, const QParams& a, const QParams& b, const QParams& out) {
  if (a.zero_point != 0 || b.zero_point != 0 || out.zero_point != 0)
    ctx.invalid("int16 quantized tensors must have zero point 0");
}

// The integer clamp of a quantized output in the arithmetic actually used.
// TFLite rejects TANH and SIGN_BIT fused into a quantized op (the XNNPACK delegate too).
void quantizedActivation(const KernelContext& ctx, bool fp32_clamp, const QParams& out, int32_t type_min,
                         int32_t type_max, int32_t* lo, int32_t* hi) {
  const Activation act = activationOf(ctx);
  if (act == Activation::Tanh || act == Activation::SignBit)
    ctx.unsupported("TANH or SIGN_BIT fused into a quantized op");
  fusedActivationRange(fp32_clamp ? Arithmetic::Deployed : Arithmetic::Reference, act, out.scale, out.zero_point,
                       type_min, type_max, lo, hi);
}

// --- gemmlowp fixed point (32-bit) needed by quantized DIV ------------------------------------------------------

// TFLite's MultiplyByQuantizedMultiplierGreaterThanOne (double rounding: the shift is exact).
int32_t multiplyByMultiplierGreaterThanOne(int32_t x, int32_t multiplier, int left_shift) {
  return saturatingRoundingDoublingHighMul(static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift), multiplier);
}

// TFLite's MultiplyByQuantizedMultiplierSmallerThanOneExp. A multiplier of 1 or more only comes from a damaged
// file's scales (the run fuzzer's ADD): it saturates as the general multiply does rather than shifting by a negative
// amount.
int32_t multiplyByMultiplierSmallerThanOne(int32_t x, int32_t multiplier, int shift) {
  if (shift > 0) return multiplyByQuantizedMultiplier(x, multiplier, shift);
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -shift);
}

// --- float and plain integer kernels ----------------------------------------------------------------------------

template <typename T>
T applyPlain(BinaryOp op, T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    switch (op) {
      case BinaryOp::Add: return a + b;
      case BinaryOp::Sub: return a - b;
      case BinaryOp::Mul: return a * b;
      case BinaryOp::Div: return a / b;
      case BinaryOp::SquaredDifference: return (a - b) * (a - b);
      case BinaryOp::Minimum: return std::min(a, b);
      case BinaryOp::Maximum: return std::max(a, b);
    }
  } else {
    // Wrap-around arithmetic (what the hardware does) without undefined behaviour: 8/16/32-bit values in int64,
    // 64-bit values through uint64.
    using Wide = std::conditional_t<(sizeof(T) < 8), int64_t, uint64_t>;
    const Wide wa = static_cast<Wide>(a), wb = static_cast<Wide>(b);
    switch (op) {
      case BinaryOp::Add: return static_cast<T>(wa + wb);
      case BinaryOp::Sub: return static_cast<T>(wa - wb);
      case BinaryOp::Mul: return static_cast<T>(static_cast<uint64_t>(wa) * static_cast<uint64_t>(wb));
      case BinaryOp::Div:
        if (a == std::numeric_limits<T>::min() && b == -1) return a;  // the one quotient that overflows
        return static_cast<T>(a / b);
      case BinaryOp::SquaredDifference: {
        const uint64_t d = static_cast<uint64_t>(wa - wb);
        return static_cast<T>(d * d);
      }
      case BinaryOp::Minimum: return std::min(a, b);
      case BinaryOp::Maximum: return std::max(a, b);
    }
  }
  return a;
}

// float32, int32, int64, unquantized int16; MINIMUM/MAXIMUM on any stored type (quantized included).
template <typename T>
class PlainBinaryKernel : public Kernel {
 public:
  explicit PlainBinaryKernel(BinaryOp op) : op_(op) {}
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    const bool has_activation = op_ != BinaryOp::Minimum && op_ != BinaryOp::Maximum &&
                                op_ != BinaryOp::SquaredDifference;
    const Activation act = has_activation ? activationOf(ctx) : Activation::None;
    if constexpr (std::is_floating_point_v<T>) {
      activationRangeFloat(act, &lo_, &hi_);
    } else {
      integerActivationRange(act, &lo_, &hi_);
    }
  }
  void eval(KernelContext& ctx) override {
    if constexpr (!std::is_floating_point_v<T>) {
      if (op_ == BinaryOp::Div) {
        const RuntimeTensor& divisor = ctx.input(1);
        for (int64_t i = 0, n = divisor.elements(); i < n; ++i)
          if (divisor.data<T>()[i] == 0) ctx.invalid("integer division by zero");
      }
    }
    const BinaryOp op = op_;
    const T lo = lo_, hi = hi_;
    evalBroadcast<T, T>(bc_, ctx, [op, lo, hi](T a, T b) { return std::min(std::max(applyPlain(op, a, b), lo), hi); });
  }

 private:
  BinaryOp op_;
  Broadcast bc_;
  T lo_{}, hi_{};
};

// --- quantized ADD / SUB ----------------------------------------------------------------------------------------

// XNNPACK's qs8/qu8 vadd: a * a_mult + b * b_mult + bias, arithmetic shift right.
struct XnnpackAddParams {
  int32_t a_mult = 0, b_mult = 0, bias = 0, out_zp = 0, lo = 0, hi = 0;
  int shift = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    const int64_t acc = int64_t{bias} + int64_t{a} * a_mult + int64_t{b} * b_mult;
    return clampTo(static_cast<int32_t>(acc >> shift) + out_zp, lo, hi);
  }
};

// Whether the XNNPACK delegate takes a quantized ADD/SUB: every input-to-output scale ratio in [2^-10, 2^8).
bool xnnpackTakesAdd(const QParams& a, const QParams& b, const QParams& out) {
  for (float s : {a.scale / out.scale, b.scale / out.scale})
    if (s < 1.0f / 1024.0f || s >= 256.0f) return false;
  return true;
}

XnnpackAddParams xnnpackAddParams(const QParams& a, const QParams& b, const QParams& out, bool subtract) {
  XnnpackAddParams p;
  const float a_ratio = a.scale / out.scale;
  const float b_ratio = (subtract ? -b.scale : b.scale) / out.scale;
  const float max_ratio = std::max(std::fabs(a_ratio), std::fabs(b_ratio));
  int exponent = 0;
  std::frexp(max_ratio, &exponent);  // max_ratio = m 2^exponent, m in [0.5, 1): floor(log2) = exponent - 1
  p.shift = 20 - (exponent - 1);
  // round(|ratio| 2^shift) with the ratio's sign, as XNNPACK forms them (exact scaling, then lrintf).
  auto multiplier = [&](float ratio) {
    const int32_t m = static_cast<int32_t>(std::lrint(std::ldexp(std::fabs(ratio), p.shift)));
    return std::signbit(ratio) ? -m : m;
  };
  p.a_mult = multiplier(a_ratio);
  p.b_mult = multiplier(b_ratio);
  p.bias = static_cast<int32_t>((int64_t{1} << (p.shift - 1)) - int64_t{p.a_mult} * a.zero_point -
                                int64_t{p.b_mult} * b.zero_point);
  p.out_zp = out.zero_point;
  return p;
}

// TFLite's general quantized ADD/SUB (8-bit and int16 with general scales).
struct TfliteAddParams {
  int left_shift = 20;
  int32_t a_offset = 0, b_offset = 0, out_offset = 0;
  int32_t a_mult = 0, b_mult = 0, out_mult = 0;
  int a_shift = 0, b_shift = 0, out_shift = 0;
  bool subtract = false, out_mult_greater_than_one = false;
  int32_t lo = 0, hi = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    const int32_t sa = multiplyByMultiplierSmallerThanOne((a - a_offset) * (1 << left_shift), a_mult, a_shift);
    const int32_t sb = multiplyByMultiplierSmallerThanOne((b - b_offset) * (1 << left_shift), b_mult, b_shift);
    const int32_t sum = subtract ? sa - sb : sa + sb;
    const int32_t scaled = out_mult_greater_than_one ? multiplyByMultiplierGreaterThanOne(sum, out_mult, out_shift)
                                                     : multiplyByMultiplierSmallerThanOne(sum, out_mult, out_shift);
    return clampTo(scaled + out_offset, lo, hi);
  }
};

TfliteAddParams tfliteAddParams(const QParams& a, const QParams& b, const QParams& out, int left_shift,
                                bool subtract) {
  TfliteAddParams p;
  p.left_shift = left_shift;
  p.subtract = subtract;
  p.a_offset = a.zero_point, p.b_offset = b.zero_point, p.out_offset = out.zero_point;
  const double twice_max = 2.0 * static_cast<double>(std::max(a.scale, b.scale));
  quantizeMultiplier(a.scale / twice_max, &p.a_mult, &p.a_shift);
  quantizeMultiplier(b.scale / twice_max, &p.b_mult, &p.b_shift);
  const double out_ratio = twice_max / (static_cast<double>(1 << left_shift) * out.scale);
  quantizeMultiplier(out_ratio, &p.out_mult, &p.out_shift);
  // SUB takes the > 1 branch explicitly (very narrow output ranges); ADD's multiplier is < 1 in practice.
  p.out_mult_greater_than_one = subtract && out_ratio > 1;
  return p;
}

// TFLite's int16 ADD/SUB with power-of-two scales: the finer input shifted right with rounding.
struct Pot16AddParams {
  int a_right_shift = 0, b_right_shift = 0;
  bool subtract = false;
  int32_t lo = 0, hi = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    const int32_t sa = roundingDivideByPOT(a, a_right_shift);
    const int32_t sb = roundingDivideByPOT(b, b_right_shift);
    if (subtract) return clampTo(sa - sb, lo, hi);
    // ADD adds in Q0.15 and saturates to 16 bits first (gemmlowp SaturatingAdd), then clamps.
    const int32_t sum = clampTo(sa + sb, -32768, 32767);
    return clampTo(sum, lo, hi);
  }
};

template <typename T>
class QuantAddKernel : public Kernel {
 public:
  explicit QuantAddKernel(bool subtract) : subtract_(subtract) {}

  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    const QParams a = qparamsOf(ctx, ctx.input(0), "input 0");
    const QParams b = qparamsOf(ctx, ctx.input(1), "input 1");
    const QParams out = qparamsOf(ctx, ctx.output(0), "output");
    if constexpr (std::is_same_v<T, int16_t>) {
      prepareInt16(ctx, a, b, out);
    } else {
      mode_ = ctx.arithmetic == Arithmetic::Deployed && xnnpackTakesAdd(a, b, out) ? Mode::Xnnpack : Mode::Tflite;
      int32_t lo = 0, hi = 0;
      quantizedActivation(ctx, mode_ == Mode::Xnnpack, out, qmin<T>(), qmax<T>(), &lo, &hi);
      if (mode_ == Mode::Xnnpack) {
        xnn_ = xnnpackAddParams(a, b, out, subtract_);
        xnn_.lo = lo, xnn_.hi = hi;
      } else {
        tfl_ = tfliteAddParams(a, b, out, 20, subtract_);
        tfl_.lo = lo, tfl_.hi = hi;
      }
    }
  }

  void eval(KernelContext& ctx) override {
    auto run = [&](const auto& f) {
      evalBroadcast<T, T>(bc_, ctx, [&f](T a, T b) { return static_cast<T>(f(a, b)); });
    };
    switch (mode_) {
      case Mode::Xnnpack: run(xnn_); break;
      case Mode::Tflite: run(tfl_); break;
      case Mode::Pot16: run(pot_); break;
    }
  }

 private:
  enum class Mode { Xnnpack, Tflite, Pot16 };

  void prepareInt16(KernelContext& ctx, const QParams& a, const QParams& b, const QParams& out) {
    requireZeroPoint0(ctx, a, b, out);
    int32_t lo = 0, hi = 0;
    quantizedActivation(ctx, false, out, qmin<T>(), qmax<T>(), &lo, &hi);
    // The option only counts when the op has its options table; TFLite zero-initializes params otherwise.
    const bool pot_option = ctx.op.builtin_options.present() && ctx.boolOption("pot_scale_int16", true);
    int a_log2 = 0, b_log2 = 0, out_log2 = 0;
    const bool pot = pot_option && checkedLog2(a.scale, &a_log2) && checkedLog2(b.scale, &b_log2) &&
                     checkedLog2(out.scale, &out_log2);
    if (!pot) {
      mode_ = Mode::Tflite;
      tfl_ = tfliteAddParams(a, b, out, 15, subtract_);
      tfl_.lo = lo, tfl_.hi = hi;
      return;
    }
    const int a_shift = a_log2 - out_log2, b_shift = b_log2 - out_log2;
    if ((a_shift != 0 && b_shift != 0) || a_shift > 0 || b_shift > 0)
      ctx.unsupported("int16 power-of-two scales where an input is coarser than the output");
    mode_ = Mode::Pot16;
    pot_.a_right_shift = -a_shift, pot_.b_right_shift = -b_shift;
    pot_.subtract = subtract_;
    pot_.lo = lo, pot_.hi = hi;
  }

  bool subtract_;
  Broadcast bc_;
  Mode mode_ = Mode::Tflite;
  XnnpackAddParams xnn_;
  TfliteAddParams tfl_;
  Pot16AddParams pot_;
};

// --- quantized MUL ----------------------------------------------------------------------------------------------

// The product of zero-point-corrected inputs, requantized by s_a s_b / s_out: XNNPACK in float (half to even),
// TFLite with a fixed-point multiplier.
struct MulParams {
  bool fp32 = false;
  float scale = 0;
  int32_t multiplier = 0;
  int shift = 0;
  int32_t a_zp = 0, b_zp = 0, out_zp = 0, lo = 0, hi = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    const int32_t product = (a - a_zp) * (b - b_zp);
    if (fp32) return requantizeFp32(product, scale, out_zp, lo, hi);
    return clampTo(multiplyByQuantizedMultiplier(product, multiplier, shift) + out_zp, lo, hi);
  }
};

// int16 x int16 -> int8/uint8 (TFLite): the Q0.15 product rounded to 8 fractional bits, plus the zero point.
struct Mul16To8Params {
  int32_t out_zp = 0, lo = 0, hi = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    const int16_t product =
        fp16::saturatingRoundingDoublingHighMul(static_cast<int16_t>(a), static_cast<int16_t>(b));  // Q0.15
    const int32_t rescaled = fp16::roundingDivideByPOT(product, 8);
    return out_zp + clampTo(rescaled, lo - out_zp, hi - out_zp);
  }
};

template <typename T>
class QuantMulKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    const QParams a = qparamsOf(ctx, ctx.input(0), "input 0");
    const QParams b = qparamsOf(ctx, ctx.input(1), "input 1");
    const QParams out = qparamsOf(ctx, ctx.output(0), "output");
    // Both runtimes form s_a s_b / s_out in float.
    const float product_scale = a.scale * b.scale;
    const float ratio = product_scale / out.scale;
    bool fp32 = false;
    if constexpr (std::is_same_v<T, int16_t>) {
      requireZeroPoint0(ctx, a, b, out);
    } else {
      fp32 = ctx.arithmetic == Arithmetic::Deployed && ratio >= 1.0f / 65536.0f && ratio < 256.0f;
    }
    p_.fp32 = fp32;
    p_.scale = ratio;
    quantizeMultiplier(static_cast<double>(ratio), &p_.multiplier, &p_.shift);
    p_.a_zp = a.zero_point, p_.b_zp = b.zero_point, p_.out_zp = out.zero_point;
    quantizedActivation(ctx, fp32, out, qmin<T>(), qmax<T>(), &p_.lo, &p_.hi);
  }
  void eval(KernelContext& ctx) override {
    const MulParams& p = p_;
    evalBroadcast<T, T>(bc_, ctx, [&p](T a, T b) { return static_cast<T>(p(a, b)); });
  }

 private:
  Broadcast bc_;
  MulParams p_;
};

template <typename Out>
class Mul16To8Kernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    const QParams out = qparamsOf(ctx, ctx.output(0), "output");
    p_.out_zp = out.zero_point;
    quantizedActivation(ctx, false, out, qmin<Out>(), qmax<Out>(), &p_.lo, &p_.hi);
  }
  void eval(KernelContext& ctx) override {
    const Mul16To8Params& p = p_;
    evalBroadcast<int16_t, Out>(bc_, ctx, [&p](int16_t a, int16_t b) { return static_cast<Out>(p(a, b)); });
  }

 private:
  Broadcast bc_;
  Mul16To8Params p_;
};

// --- quantized DIV ----------------------------------------------------------------------------------------------

// TFLite's DivElementwise: a / b as a * reciprocal(b) in fixed point, then rescaled by s_a / (s_b s_out).
struct DivParams {
  int32_t a_zp = 0, b_zp = 0, out_zp = 0, multiplier = 0, lo = 0, hi = 0;
  int shift = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    int32_t x = a - a_zp, y = b - b_zp;
    if (y < 0) x = -x, y = -y;  // the reciprocal must be positive
    int recip_shift = 0;
    const int32_t y_inv = reciprocal(y, 31, &recip_shift);
    const int headroom = countLeadingSignBits(x);
    const int32_t unscaled = multiplyByMultiplierGreaterThanOne(x, y_inv, headroom);
    const int total_shift = shift - recip_shift - headroom;
    // TFLite rescales with MultiplyByQuantizedMultiplierSmallerThanOneExp; a total shift that comes out positive
    // (a quotient far beyond the output range) is undefined there and saturates here.
    const int32_t v =
        total_shift <= 0
            ? multiplyByMultiplierSmallerThanOne(unscaled, multiplier, total_shift)
            : saturatingRoundingDoublingHighMul(saturatingRoundingMultiplyByPOT(unscaled, total_shift), multiplier);
    return clampTo(v + out_zp, lo, hi);
  }
};

template <typename T>
class QuantDivKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    const QParams a = qparamsOf(ctx, ctx.input(0), "input 0");
    const QParams b = qparamsOf(ctx, ctx.input(1), "input 1");
    const QParams out = qparamsOf(ctx, ctx.output(0), "output");
    const float ratio = a.scale / (b.scale * out.scale);  // in float, as TFLite
    quantizeMultiplier(static_cast<double>(ratio), &p_.multiplier, &p_.shift);
    p_.a_zp = a.zero_point, p_.b_zp = b.zero_point, p_.out_zp = out.zero_point;
    quantizedActivation(ctx, false, out, qmin<T>(), qmax<T>(), &p_.lo, &p_.hi);
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& divisor = ctx.input(1);
    for (int64_t i = 0, n = divisor.elements(); i < n; ++i)
      if (static_cast<int32_t>(divisor.data<T>()[i]) == p_.b_zp) ctx.invalid("division by a quantized zero");
    const DivParams& p = p_;
    evalBroadcast<T, T>(bc_, ctx, [&p](T a, T b) { return static_cast<T>(p(a, b)); });
  }

 private:
  Broadcast bc_;
  DivParams p_;
};

// --- quantized SQUARED_DIFFERENCE (int8) ------------------------------------------------------------------------

// TFLite: both inputs shifted left by 7 and rescaled to s / (2 max s), the difference squared, rescaled by
// (2 max s)^2 / (2^14 s_out).
struct SquaredDifferenceParams {
  int32_t a_zp = 0, b_zp = 0, out_zp = 0;
  int32_t a_mult = 0, b_mult = 0, out_mult = 0;
  int a_shift = 0, b_shift = 0, out_shift = 0;

  int32_t operator()(int32_t a, int32_t b) const {
    const int32_t sa = multiplyByMultiplierSmallerThanOne((a - a_zp) * (1 << 7), a_mult, a_shift);
    const int32_t sb = multiplyByMultiplierSmallerThanOne((b - b_zp) * (1 << 7), b_mult, b_shift);
    const int32_t d = sa - sb;
    const int32_t v = multiplyByMultiplierSmallerThanOne(d * d, out_mult, out_shift) + out_zp;
    return clampTo(v, -128, 127);
  }
};

class QuantSquaredDifferenceKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    bc_ = broadcastOf(ctx);
    ctx.output(0).resize(bc_.shape);
    const QParams a = qparamsOf(ctx, ctx.input(0), "input 0");
    const QParams b = qparamsOf(ctx, ctx.input(1), "input 1");
    const QParams out = qparamsOf(ctx, ctx.output(0), "output");
    const double twice_max = 2.0 * static_cast<double>(std::max(a.scale, b.scale));
    quantizeMultiplier(a.scale / twice_max, &p_.a_mult, &p_.a_shift);
    quantizeMultiplier(b.scale / twice_max, &p_.b_mult, &p_.b_shift);
    quantizeMultiplier(twice_max * twice_max / ((1 << 14) * static_cast<double>(out.scale)), &p_.out_mult,
                       &p_.out_shift);
    if (p_.out_shift > 0) ctx.unsupported("an output scale finer than (2 max input scale)^2 / 2^14");
    p_.a_zp = a.zero_point, p_.b_zp = b.zero_point, p_.out_zp = out.zero_point;
  }
  void eval(KernelContext& ctx) override {
    const SquaredDifferenceParams& p = p_;
    evalBroadcast<int8_t, int8_t>(bc_, ctx, [&p](int8_t a, int8_t b) { return static_cast<int8_t>(p(a, b)); });
  }

 private:
  Broadcast bc_;
  SquaredDifferenceParams p_;
};

// --- registration -----------------------------------------------------------------------------------------------

template <typename T>
std::unique_ptr<Kernel> quantizedKernel(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return std::make_unique<QuantAddKernel<T>>(false);
    case BinaryOp::Sub: return std::make_unique<QuantAddKernel<T>>(true);
    case BinaryOp::Mul: return std::make_unique<QuantMulKernel<T>>();
    case BinaryOp::Div: return std::make_unique<QuantDivKernel<T>>();
    case BinaryOp::Minimum:
    case BinaryOp::Maximum: return std::make_unique<PlainBinaryKernel<T>>(op);
    case BinaryOp::SquaredDifference:
      if constexpr (std::is_same_v<T, int8_t>) return std::make_unique<QuantSquaredDifferenceKernel>();
      return nullptr;
  }
  return nullptr;
}

KernelFactory binary(BinaryOp op) {
  return [op](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1] || ctx.out.empty() || !ctx.out[0]) return nullptr;
    const DType t = ctx.in[0]->type();
    const DType out_t = ctx.out[0]->type();
    if (ctx.in[1]->type() != t) return nullptr;
    const bool quantized = ctx.in[0]->quant().hasScale();
    if (op == BinaryOp::Mul && t == DType::Int16 && quantized) {
      if (out_t == DType::Int8) return std::make_unique<Mul16To8Kernel<int8_t>>();
      if (out_t == DType::UInt8) return std::make_unique<Mul16To8Kernel<uint8_t>>();
    }
    if (out_t != t) return nullptr;
    switch (t) {
      case DType::Float32: return std::make_unique<PlainBinaryKernel<float>>(op);
      case DType::Int32: return std::make_unique<PlainBinaryKernel<int32_t>>(op);
      case DType::Int64:
        if (op == BinaryOp::Div || op == BinaryOp::SquaredDifference) return nullptr;  // TFLite has neither
        return std::make_unique<PlainBinaryKernel<int64_t>>(op);
      case DType::Int16:
        if (quantized && op != BinaryOp::SquaredDifference) return quantizedKernel<int16_t>(op);
        if (op == BinaryOp::Div || op == BinaryOp::SquaredDifference) return nullptr;
        return std::make_unique<PlainBinaryKernel<int16_t>>(op);
      case DType::Int8: return quantizedKernel<int8_t>(op);
      case DType::UInt8:
        if (op == BinaryOp::SquaredDifference) return nullptr;
        return quantizedKernel<uint8_t>(op);
      default: return nullptr;
    }
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
