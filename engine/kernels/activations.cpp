// RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, PRELU, LOGISTIC, TANH, HARD_SWISH.
//
// Float computes the function; deployed LOGISTIC and HARD_SWISH as XNNPACK does (xnnpack_float_math.h).
// Quantized paths (r = s (q - Z)):
//  - LOGISTIC / TANH 8-bit: a 256-entry table. Deployed builds it as XNNPACK does (its reference function in
//    float: sigmoid from a double exp, tanhf; q = round-half-even(y / s_out + Z_out)); Reference as TFLite's
//    LUTPopulate (expf / tanhf in float, round half away from zero, then + Z_out).
//  - LOGISTIC / TANH int16 (TFLite; zero points 0, output scale 2^-15): power-of-two input scales run gemmlowp's
//    Q3.12 fixed-point logistic/tanh in Deployed (TFLite's optimized kernel); other scales, and Reference,
//    interpolate a 256-entry table of sigmoid(i / 24) in 0.16 (TFLite's reference kernel, see sigmoidTable()).
//  - RELU / RELU6 / RELU_N1_TO_1 (int8, uint8, int16): TFLite rescales by s_in / s_out with a fixed-point
//    multiplier and clamps to the activation's bounds quantized with round half away from zero.
//  - LEAKY_RELU 8-bit, Deployed: XNNPACK's (q - Z_in) * round(256 s_in / s_out [* alpha]) / 256 with a
//    rounding bias, where the delegate takes it; otherwise and int16, and in Reference: TFLite's two
//    fixed-point multipliers (identity and alpha).
//  - PRELU quantized and HARD_SWISH quantized: TFLite's fixed point in both arithmetics (the XNNPACK delegate
//    takes them in float only).
#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

#include "kernels/broadcast.h"
#include "kernels/families.h"
#include "kernels/fixed_point16.h"
#include "kernels/quant_math.h"
#include "kernels/quant_params.h"
#include "kernels/shape_util.h"
#include "kernels/xnnpack_float_math.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

using UnaryFn = std::function<float(float)>;

// --- float ------------------------------------------------------------------------------------------------------

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
float hardSwish(float x) { return x * std::min(std::max(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

class FloatUnaryKernel : public Kernel {
 public:
  explicit FloatUnaryKernel(UnaryFn f) : f_(std::move(f)) {}
  // deployed_f: what the deployed runtime computes where it differs in the last bits from f.
  FloatUnaryKernel(UnaryFn f, UnaryFn deployed_f) : f_(std::move(f)), deployed_f_(std::move(deployed_f)) {}
  void prepare(KernelContext& ctx) override {
    ctx.output(0).resize(ctx.input(0).shape());
    use_deployed_ = ctx.arithmetic == Arithmetic::Deployed && deployed_f_;
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    const UnaryFn& f = use_deployed_ ? deployed_f_ : f_;
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = f(in[i]);
  }

 private:
  UnaryFn f_, deployed_f_;
  bool use_deployed_ = false;
};

// --- 8-bit lookup tables (LOGISTIC, TANH) -----------------------------------------------------------------------

enum class TableStyle { Xnnpack, Tflite };

// XNNPACK's reference sigmoid, from which it fills the table: exp in double, saturated beyond +-100.
float xnnpackTableSigmoid(float x) {
  if (x > 100) return 1;
  if (x < -100) return 0;
  const double e = std::exp(static_cast<double>(x));
  return static_cast<float>(e / (1 + e));
}

template <typename T>
std::array<T, 256> buildTable(TableStyle style, const QParams& in, const QParams& out, const UnaryFn& f) {
  std::array<T, 256> table{};
  const float inv_out = 1.0f / out.scale;
  for (int32_t q = qmin<T>(); q <= qmax<T>(); ++q) {
    int32_t r;
    if (style == TableStyle::Xnnpack) {
      // dequantize (q - Z) s, f, then q = nearbyint(y / s + Z) saturated (XNNPACK's reference quantize).
      const float x = (static_cast<float>(q) - static_cast<float>(in.zero_point)) * in.scale;
      float y = f(x) * inv_out + static_cast<float>(out.zero_point);
      y = std::isnan(y) ? 0.0f : std::nearbyint(y);
      r = static_cast<int32_t>(std::min(std::max(y, static_cast<float>(qmin<T>())), static_cast<float>(qmax<T>())));
    } else {
      // TFLite's LUTPopulate: s (q - Z), f, round(y / s_out) half away from zero, + Z_out, saturated.
      const float x = in.scale * static_cast<float>(q - in.zero_point);
      const float rescaled = std::round(f(x) * inv_out);
      r = clampTo(static_cast<int32_t>(rescaled + static_cast<float>(out.zero_point)), qmin<T>(), qmax<T>());
    }
    table[static_cast<uint8_t>(static_cast<T>(q))] = static_cast<T>(r);
  }
  return table;
}

// xnnpack_f: the function XNNPACK tabulates; tflite_f: TFLite's.
template <typename T>
class TableKernel : public Kernel {
 public:
  TableKernel(UnaryFn xnnpack_f, UnaryFn tflite_f) : xnnpack_f_(std::move(xnnpack_f)), tflite_f_(std::move(tflite_f)) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    table_ = ctx.arithmetic == Arithmetic::Deployed ? buildTable<T>(TableStyle::Xnnpack, qin, qout, xnnpack_f_)
                                                    : buildTable<T>(TableStyle::Tflite, qin, qout, tflite_f_);
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = table_[static_cast<uint8_t>(in[i])];
  }

 private:
  UnaryFn xnnpack_f_, tflite_f_;
  std::array<T, 256> table_{};
};

// --- int16 LOGISTIC / TANH --------------------------------------------------------------------------------------

// sigmoid(i / 24) in unsigned 0.16 for i in [0, 256), the table TFLite's int16 kernels interpolate linearly.
// Each sample is raised by half the interpolation error at the midpoint of its step, so that the interpolation
// errs evenly on both sides; the last entry is the format's maximum. (This reproduces TFLite's published table
// entry for entry.)
const std::array<uint32_t, 256>& sigmoidTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    auto s = [](double x) { return 65536.0 / (1.0 + std::exp(-x)); };
    const double h = 1.0 / 24.0;
    for (int i = 0; i < 255; ++i) {
      const double x = i * h;
      const double midpoint_error = s(x + h / 2) - (s(x) + s(x + h)) / 2;
      t[static_cast<size_t>(i)] = static_cast<uint32_t>(std::round(s(x) + midpoint_error / 2));
    }
    t[255] = 65535;
    return t;
  }();
  return table;
}

// TFLite's reference int16 logistic: the input rescaled to steps of 1/(3 * 4096) (range +-10.7), so that 512
// steps are one table step of 1/24: the table index above the low 9 bits, which interpolate linearly.
int16_t logisticByTable(int16_t x, int32_t multiplier, int left_shift) {
  const int32_t round = left_shift > 0 ? 1 << (left_shift - 1) : 0;
  const int32_t v = (x * multiplier + round) >> left_shift;
  const uint32_t abs_v = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t uh = abs_v >> 9;
  uint32_t result;
  if (uh >= 255) {
    result = 0x7fffu << 10;
  } else {
    const uint32_t ua = sigmoidTable()[uh], ub = sigmoidTable()[uh + 1];
    result = (ua << 9) + (abs_v & 0x1ffu) * (ub - ua);
  }
  result = v >= 0 ? result + (1u << 9) : (1u << (16 + 9)) - result + (1u << 9) - 1;
  return static_cast<int16_t>(result >> 10);
}

// tanh(x) = 2 sigmoid(2x) - 1 from the same table, with 8 bits of interpolation.
int16_t tanhByTable(int16_t x, int32_t multiplier, int left_shift) {
  const int32_t round = left_shift > 0 ? 1 << (left_shift - 1) : 0;
  const int32_t v = (x * multiplier + round) >> left_shift;
  const uint32_t abs_v = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t uh = abs_v >> 8;
  int32_t result;
  if (uh >= 255) {
    result = 0xffff << 8;
  } else {
    const uint32_t ua = sigmoidTable()[uh], ub = sigmoidTable()[uh + 1];
    result = static_cast<int32_t>((ua << 8) + (abs_v & 0xffu) * (ub - ua));
  }
  result = v >= 0 ? result - (1 << (14 + 9)) + (1 << (9 - 2)) : -result + (1 << (14 + 9)) + (1 << (9 - 2)) - 1;
  return static_cast<int16_t>(result >> (9 - 1));
}

// TFLite's int16 LOGISTIC/TANH preparation: zero points 0, output scale 2^-15; a power-of-two input scale that
// puts the input in Q3.12 (LOGISTIC; TANH also accepts one bit less) runs gemmlowp's fixed point, any other
// scale is rescaled to 1 / (3 * 4096) for the table.
class Int16SigmoidKernel : public Kernel {
 public:
  explicit Int16SigmoidKernel(bool tanh) : tanh_(tanh) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    if (qin.zero_point != 0 || qout.zero_point != 0) ctx.invalid("int16 zero points must be 0");
    if (qout.scale != 1.0f / 32768) ctx.invalid("int16 output scale must be 1/32768");
    int log2 = 0;
    const bool pot = checkedLog2(qin.scale, &log2);
    left_shift_ = 12 + log2;
    const bool fixed_point = pot && (left_shift_ == 0 || (tanh_ && left_shift_ == 1));
    multiplier_ = 0;
    if (!fixed_point) {
      double m = static_cast<double>(qin.scale) * 4096.0 * 3.0;
      left_shift_ = 0;
      while (m <= 32767.0 / 2.0 && left_shift_ <= 30) ++left_shift_, m *= 2.0;
      multiplier_ = static_cast<int32_t>(m);
    }
    // TFLite's optimized kernel (Deployed) uses gemmlowp for power-of-two scales; its reference kernel always
    // goes through the table, with the power-of-two scale folded into the multiplier 3 * 2^shift.
    use_fixed_point_ = fixed_point && ctx.arithmetic == Arithmetic::Deployed;
    if (fixed_point && !use_fixed_point_) multiplier_ = 3 << left_shift_, left_shift_ = 0;
  }
  void eval(KernelContext& ctx) override {
    const int16_t* in = ctx.input(0).data<int16_t>();
    int16_t* out = ctx.output(0).mutableData<int16_t>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = one(in[i]);
  }

 private:
  int16_t one(int16_t x) const {
    if (use_fixed_point_) {
      if (!tanh_) return fp16::logistic(x, 3);
      const int16_t q312 = left_shift_ == 1 ? fp16::saturatingRoundingMultiplyByPOT(x, 1) : x;
      return fp16::tanh(q312, 3);
    }
    return tanh_ ? tanhByTable(x, multiplier_, left_shift_) : logisticByTable(x, multiplier_, left_shift_);
  }

  bool tanh_;
  bool use_fixed_point_ = false;
  int32_t multiplier_ = 0;
  int left_shift_ = 0;
};

// --- RELU family (quantized) ------------------------------------------------------------------------------------

// TFLite's QuantizedReluX: Z_out + (q - Z_in) * s_in / s_out (fixed point), clamped to [lo, hi] quantized.
template <typename T>
class QuantReluKernel : public Kernel {
 public:
  QuantReluKernel(float act_min, float act_max) : act_min_(act_min), act_max_(act_max) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    if constexpr (std::is_same_v<T, int16_t>) {
      if (qin.zero_point != 0 || qout.zero_point != 0) ctx.invalid("int16 zero points must be 0");
    }
    const float ratio = qin.scale / qout.scale;  // in float, as TFLite
    quantizeMultiplier(static_cast<double>(ratio), &multiplier_, &shift_);
    in_zp_ = qin.zero_point, out_zp_ = qout.zero_point;
    auto quantize = [&](float v) { return zeroPointPlusRounded(qout.zero_point, v / qout.scale); };
    lo_ = std::max(qmin<T>(), quantize(act_min_));
    hi_ = std::isinf(act_max_) ? qmax<T>() : std::min(qmax<T>(), quantize(act_max_));
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      const int32_t v =
          out_zp_ + multiplyByQuantizedMultiplier(static_cast<int32_t>(in[i]) - in_zp_, multiplier_, shift_);
      out[i] = static_cast<T>(clampTo(v, lo_, hi_));
    }
  }

 private:
  float act_min_, act_max_;
  int32_t multiplier_ = 0, in_zp_ = 0, out_zp_ = 0, lo_ = 0, hi_ = 0;
  int shift_ = 0;
};

// --- LEAKY_RELU (quantized) -------------------------------------------------------------------------------------

template <typename T>
class QuantLeakyReluKernel : public Kernel {
 public:
  explicit QuantLeakyReluKernel(float alpha) : alpha_(alpha) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    if constexpr (std::is_same_v<T, int16_t>) {
      if (qin.zero_point != 0 || qout.zero_point != 0) ctx.invalid("int16 zero points must be 0");
    }
    in_zp_ = qin.zero_point, out_zp_ = qout.zero_point;
    xnnpack_ = !std::is_same_v<T, int16_t> && ctx.arithmetic == Arithmetic::Deployed && xnnpackTakes(qin, qout);
    if (xnnpack_) {
      const float positive_scale = qin.scale / qout.scale;
      const float negative_scale = positive_scale * alpha_;
      positive_mult_ = static_cast<int32_t>(std::lrint(256.0f * positive_scale));
      negative_mult_ = static_cast<int32_t>(std::lrint(256.0f * negative_scale));
    } else {
      // TFLite: both ratios computed in float.
      const float alpha_ratio = qin.scale * alpha_ / qout.scale;
      const float identity_ratio = qin.scale / qout.scale;
      quantizeMultiplier(static_cast<double>(std::fabs(alpha_ratio)), &alpha_mult_, &alpha_shift_);
      alpha_negative_ = alpha_ratio < 0;
      quantizeMultiplier(static_cast<double>(identity_ratio), &identity_mult_, &identity_shift_);
    }
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = static_cast<T>(one(in[i]));
  }

 private:
  // The XNNPACK delegate's limits on the scale ratios (positive in [2^-8, 2^7], negative within +-2^7).
  bool xnnpackTakes(const QParams& in, const QParams& out) const {
    if (!std::isnormal(alpha_)) return false;
    const float positive = in.scale / out.scale;
    const float negative = positive * alpha_;
    return positive >= 1.0f / 256.0f && positive <= 128.0f && negative >= -127.99609375f && negative <= 128.0f &&
           std::fabs(negative) >= 1.0f / 256.0f;
  }
  int32_t one(T q) const {
    const int32_t x = static_cast<int32_t>(q) - in_zp_;
    if (xnnpack_) {
      // (x * m + (Z_out << 8) + 128) >> 8, XNNPACK's qs8/qu8 vlrelu.
      const int32_t acc = (out_zp_ * 256 + 0x80) + x * (x >= 0 ? positive_mult_ : negative_mult_);
      return clampTo(acc >> 8, qmin<T>(), qmax<T>());
    }
    int32_t v = out_zp_;
    if (x >= 0) {
      v += multiplyByQuantizedMultiplier(x, identity_mult_, identity_shift_);
    } else {
      const int32_t scaled = multiplyByQuantizedMultiplier(x, alpha_mult_, alpha_shift_);
      v += alpha_negative_ ? -scaled : scaled;
    }
    return clampTo(v, qmin<T>(), qmax<T>());
  }

  float alpha_;
  bool xnnpack_ = false, alpha_negative_ = false;
  int32_t in_zp_ = 0, out_zp_ = 0, positive_mult_ = 0, negative_mult_ = 0;
  int32_t alpha_mult_ = 0, identity_mult_ = 0;
  int alpha_shift_ = 0, identity_shift_ = 0;
};

// --- PRELU ------------------------------------------------------------------------------------------------------

// Walks the output (the input's shape), giving the input's and alpha's flat offsets.
// PRELU broadcasts alpha against x, but TFLite requires the output to keep x's shape.
Broadcast preluBroadcastOf(const KernelContext& ctx) {
  Broadcast b = broadcastOf(ctx, "alpha does not broadcast against the input");
  if (b.shape != ctx.input(0).shape()) ctx.invalid("alpha would change the input's shape");
  return b;
}

class FloatPreluKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    walk_ = preluBroadcastOf(ctx);
    ctx.output(0).resize(walk_.shape);
  }
  void eval(KernelContext& ctx) override {
    const float* x = ctx.input(0).data<float>();
    const float* a = ctx.input(1).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    walk_.forEach([&](int64_t i, int64_t xo, int64_t ao) { out[i] = x[xo] >= 0 ? x[xo] : x[xo] * a[ao]; });
  }

 private:
  Broadcast walk_;
};

// TFLite: x >= 0: (q - Z) s_in / s_out; x < 0: (q - Z)(a - Z_a) s_in s_a / s_out, both fixed point.
template <typename T>
class QuantPreluKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    walk_ = preluBroadcastOf(ctx);
    ctx.output(0).resize(walk_.shape);
    const QParams qin = qparamsOf(ctx, ctx.input(0), "input");
    const QParams qa = qparamsOf(ctx, ctx.input(1), "alpha");
    const QParams qout = qparamsOf(ctx, ctx.output(0), "output");
    const float ratio_positive = qin.scale / qout.scale;
    const float ratio_negative = qin.scale * qa.scale / qout.scale;
    quantizeMultiplier(static_cast<double>(ratio_positive), &mult_pos_, &shift_pos_);
    quantizeMultiplier(static_cast<double>(ratio_negative), &mult_neg_, &shift_neg_);
    in_zp_ = qin.zero_point, alpha_zp_ = qa.zero_point, out_zp_ = qout.zero_point;
  }
  void eval(KernelContext& ctx) override {
    const T* x = ctx.input(0).data<T>();
    const T* a = ctx.input(1).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    walk_.forEach([&](int64_t i, int64_t xo, int64_t ao) {
      const int32_t v = static_cast<int32_t>(x[xo]) - in_zp_;
      int32_t r;
      if (v >= 0) {
        r = multiplyByQuantizedMultiplier(v, mult_pos_, shift_pos_);
      } else {
        const int32_t alpha = static_cast<int32_t>(a[ao]) - alpha_zp_;
        r = multiplyByQuantizedMultiplier(v * alpha, mult_neg_, shift_neg_);
      }
      out[i] = static_cast<T>(clampTo(r + out_zp_, qmin<T>(), qmax<T>()));
    });
  }

 private:
  Broadcast walk_;
  int32_t mult_pos_ = 0, mult_neg_ = 0, in_zp_ = 0, alpha_zp_ = 0, out_zp_ = 0;
  int shift_pos_ = 0, shift_neg_ = 0;
};

// --- HARD_SWISH (quantized) -------------------------------------------------------------------------------------

// TFLite's 16-bit fixed-point hard swish: x * relu6(x + 3) / 6 with the input on a scale 128 times finer, a
// "relu-ish" factor in [0, 1] from x rescaled so that 3 becomes 32768, and one final rounding shift.
struct HardSwishParams {
  int32_t in_zp = 0, out_zp = 0;
  int16_t output_mult = 0, reluish_mult = 0;
  int output_exponent = 0, reluish_exponent = 0;
};

int16_t saturatingLeftShift16(int16_t value, int amount) {
  const int64_t r = static_cast<int64_t>(value) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(r, -32768), 32767));
}

// Like gemmlowp's doubling high multiply but truncating toward zero (ARM SQDMULH).
int16_t saturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((static_cast<int32_t>(a) * b) / (1 << 15));
}

// TFLite's DownScaleInt32ToInt16Multiplier: the 32-bit multiplier rounded to its top 16 bits.
int16_t downscaleMultiplier(int32_t m) {
  if (m >= std::numeric_limits<int32_t>::max() - (1 << 15)) return std::numeric_limits<int16_t>::max();
  return static_cast<int16_t>((m + (1 << 15)) >> 16);
}

template <typename T>
T hardSwishQuantized(const HardSwishParams& p, T q) {
  const int16_t x = static_cast<int16_t>(static_cast<int32_t>(q) - p.in_zp);
  const int16_t hires = static_cast<int16_t>(x * (1 << 7));
  const int16_t preshift_output = fp16::saturatingRoundingDoublingHighMul(hires, p.output_mult);
  int16_t reluish = hires;
  if (p.reluish_exponent > 0) reluish = saturatingLeftShift16(reluish, p.reluish_exponent - 1);
  reluish = fp16::saturatingRoundingDoublingHighMul(reluish, p.reluish_mult);
  if (p.reluish_exponent > 0) reluish = saturatingLeftShift16(reluish, 1);
  if (p.reluish_exponent < 0) reluish = fp16::roundingDivideByPOT(reluish, -p.reluish_exponent);
  reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);  // [-1, 1] -> [0, 1]
  const int16_t preshift = saturatingDoublingHighMul16(reluish, preshift_output);
  int32_t out = fp16::roundingDivideByPOT(preshift, -p.output_exponent) + p.out_zp;
  return static_cast<T>(clampTo(out, qmin<T>(), qmax<T>()));
}

template <typename T>
class QuantHardSwishKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    out.resize(in.shape());
    const QParams qin = qparamsOf(ctx, in, "input"), qout = qparamsOf(ctx, out, "output");
    p_.in_zp = qin.zero_point, p_.out_zp = qout.zero_point;
    const float hires_input_scale = (1.0f / 128.0f) * qin.scale;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t m32 = 0;
    quantizeMultiplier(static_cast<double>(hires_input_scale / qout.scale), &m32, &p_.output_exponent);
    p_.output_mult = downscaleMultiplier(m32);
    if (p_.output_exponent > 0) ctx.unsupported("an output scale finer than the input scale / 128");
    quantizeMultiplier(static_cast<double>(hires_input_scale / reluish_scale), &m32, &p_.reluish_exponent);
    p_.reluish_mult = downscaleMultiplier(m32);
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) out[i] = hardSwishQuantized<T>(p_, in[i]);
  }

 private:
  HardSwishParams p_;
};

// --- registration -----------------------------------------------------------------------------------------------

bool sameTypeInOut(const KernelContext& ctx) {
  return !ctx.in.empty() && ctx.in[0] && !ctx.out.empty() && ctx.out[0] && ctx.in[0]->type() == ctx.out[0]->type();
}

KernelFactory relu(float act_min, float act_max) {
  return [act_min, act_max](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (!sameTypeInOut(ctx)) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32:
        return std::make_unique<FloatUnaryKernel>(
            [act_min, act_max](float x) { return std::min(std::max(x, act_min), act_max); });
      case DType::UInt8: return std::make_unique<QuantReluKernel<uint8_t>>(act_min, act_max);
      case DType::Int8: return std::make_unique<QuantReluKernel<int8_t>>(act_min, act_max);
      case DType::Int16: return std::make_unique<QuantReluKernel<int16_t>>(act_min, act_max);
      default: return nullptr;
    }
  };
}

// LOGISTIC and TANH: float, 8-bit tables, int16 fixed point.
KernelFactory sigmoidLike(bool tanh) {
  return [tanh](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (!sameTypeInOut(ctx)) return nullptr;
    const UnaryFn xnnpack_f = tanh ? UnaryFn([](float x) { return std::tanh(x); }) : UnaryFn(xnnpackTableSigmoid);
    const UnaryFn tflite_f = tanh ? UnaryFn([](float x) { return std::tanh(x); }) : UnaryFn(sigmoid);
    switch (ctx.in[0]->type()) {
      case DType::Float32:
        return tanh ? std::make_unique<FloatUnaryKernel>(tflite_f)
                    : std::make_unique<FloatUnaryKernel>(tflite_f, UnaryFn(xnnpackSigmoid));
      case DType::UInt8: return std::make_unique<TableKernel<uint8_t>>(xnnpack_f, tflite_f);
      case DType::Int8: return std::make_unique<TableKernel<int8_t>>(xnnpack_f, tflite_f);
      case DType::Int16: return std::make_unique<Int16SigmoidKernel>(tanh);
      default: return nullptr;
    }
  };
}

std::unique_ptr<Kernel> makeHardSwish(const KernelContext& ctx) {
  if (!sameTypeInOut(ctx)) return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float32: return std::make_unique<FloatUnaryKernel>(hardSwish, UnaryFn(xnnpackHardSwish));
    case DType::UInt8: return std::make_unique<QuantHardSwishKernel<uint8_t>>();
    case DType::Int8: return std::make_unique<QuantHardSwishKernel<int8_t>>();
    default: return nullptr;
  }
}

std::unique_ptr<Kernel> makeLeakyRelu(const KernelContext& ctx) {
  if (!sameTypeInOut(ctx)) return nullptr;
  const float alpha = static_cast<float>(ctx.floatOption("alpha", 0.2));
  switch (ctx.in[0]->type()) {
    case DType::Float32: return std::make_unique<FloatUnaryKernel>([alpha](float x) { return x > 0 ? x : x * alpha; });
    case DType::UInt8: return std::make_unique<QuantLeakyReluKernel<uint8_t>>(alpha);
    case DType::Int8: return std::make_unique<QuantLeakyReluKernel<int8_t>>(alpha);
    case DType::Int16: return std::make_unique<QuantLeakyReluKernel<int16_t>>(alpha);
    default: return nullptr;
  }
}

std::unique_ptr<Kernel> makePrelu(const KernelContext& ctx) {
  if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1] || !sameTypeInOut(ctx)) return nullptr;
  const DType t = ctx.in[0]->type();
  if (ctx.in[1]->type() != t) return nullptr;
  switch (t) {
    case DType::Float32: return std::make_unique<FloatPreluKernel>();
    case DType::UInt8: return std::make_unique<QuantPreluKernel<uint8_t>>();
    case DType::Int8: return std::make_unique<QuantPreluKernel<int8_t>>();
    case DType::Int16: return std::make_unique<QuantPreluKernel<int16_t>>();
    default: return nullptr;
  }
}

}  // namespace

void registerActivationKernels(KernelRegistry& r) {
  const float inf = std::numeric_limits<float>::infinity();
  r.add("RELU", relu(0.0f, inf));
  r.add("RELU6", relu(0.0f, 6.0f));
  r.add("RELU_N1_TO_1", relu(-1.0f, 1.0f));
  r.add("LOGISTIC", sigmoidLike(false));
  r.add("TANH", sigmoidLike(true));
  r.add("HARD_SWISH", makeHardSwish);
  r.add("LEAKY_RELU", makeLeakyRelu);
  r.add("PRELU", makePrelu);
}

}  // namespace ql
