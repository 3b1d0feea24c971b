// SOFTMAX (with beta) and LOG_SOFTMAX over the last axis.
//
// Float: exp((x - max) beta) / sum, as written. XNNPACK's differs in the last bit (a polynomial exp, the sum in
// vector lanes, whose handling of a row's last one to three values changed between the TFLite and LiteRT
// builds of ../shared/golden, and a multiply by 1 / sum); the formula as written is kept so that per-layer
// debugger rows of SOFTMAX equal a plain recomputation, and the golden whole-model rows stay within 1e-6.
// Quantized SOFTMAX, which TFLite's builtin kernel runs in both arithmetics (the XNNPACK delegate takes float
// only):
//  - int8/uint8 input, Deployed: TFLite's optimized kernel (x86, Arm32 and WebAssembly builds): a table of
//    exp(-s_in beta d) for every distance d from the row maximum, the row's sum in float, each probability
//    p / s_out rounded (uint8: + 0.5 and truncated; int8/int16: round half away, + Z_out).
//  - int8/uint8 input, Reference: TFLite's reference kernel in gemmlowp fixed point: the scaled difference in
//    Q5.26, exp on negative values, the sum in Q12.19, its reciprocal by Newton-Raphson, outputs offset by the
//    output type's minimum (int8 output: scale 1/256, zero point -128).
//  - int16 (zero points 0, output scale 2^-15): TFLite's int16 kernel with two interpolated 513-entry tables,
//    exp on [-10, 0] and 1 / (1 + x) on [0, 1].
// Quantized LOG_SOFTMAX (output scale 16/256, zero point 255 for uint8 and 127 for int8): Deployed follows
// TFLite's optimized kernel (the exp table and a float log), Reference its fixed-point kernel (gemmlowp exp and
// log).
#include <array>
#include <cmath>
#include <limits>
#include <type_traits>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/quant_params.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct Rows {
  int64_t rows = 0, depth = 0;
};

Rows rowsOf(const KernelContext& ctx, const RuntimeTensor& t) {
  if (t.rank() < 1) ctx.invalid("softmax of a scalar");
  Rows r;
  r.depth = t.dim(-1);
  r.rows = r.depth ? t.elements() / r.depth : 0;
  return r;
}

// Like qparamsOf, but a per-channel tensor is read by its first channel rather than refused.
QParams softmaxQParamsOf(const KernelContext& ctx, const RuntimeTensor& t, const char* what) {
  if (!t.quant().hasScale()) ctx.invalid(std::string("quantized ") + what + " without a scale");
  if (!(t.scale() > 0) || !std::isfinite(t.scale())) ctx.invalid(std::string("non-positive scale on ") + what);
  return {t.scale(), t.zeroPoint()};
}

// --- gemmlowp fixed point, 32-bit -------------------------------------------------------------------------------
// A raw int32 r with I integer bits stands for r / 2^(31 - I). Products of Q(a) and Q(b) are Q(a + b) via the
// doubling high multiply; sums wrap like the raw integer adds gemmlowp does.

int32_t wrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}
int32_t wrappingSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}
int32_t mul(int32_t a, int32_t b) { return saturatingRoundingDoublingHighMul(a, b); }

int32_t saturatingAdd(int32_t a, int32_t b) {
  const int64_t s = int64_t{a} + b;
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(s, INT32_MIN), INT32_MAX));
}
int32_t saturatingSub(int32_t a, int32_t b) {
  const int64_t s = int64_t{a} - b;
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(s, INT32_MIN), INT32_MAX));
}

// A value in Q(from) re-expressed in Q(to).
int32_t rescale(int32_t raw, int from_bits, int to_bits) {
  return saturatingRoundingMultiplyByPOT(raw, from_bits - to_bits);
}

int32_t roundingHalfSum(int32_t a, int32_t b) {
  const int64_t sum = int64_t{a} + b;
  return static_cast<int32_t>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// exp(a) for a in [-1/4, 0), Q0.31 in and out: Taylor expansion around -1/8.
int32_t expOnQuarterInterval(int32_t a) {
  const int32_t exp_minus_one_eighth = 1895147668, one_third = 715827883;
  const int32_t x = wrappingAdd(a, 1 << 28);  // a + 1/8
  const int32_t x2 = mul(x, x), x3 = mul(x2, x), x4 = mul(x2, x2);
  const int32_t x4_over_4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const int32_t poly = saturatingRoundingMultiplyByPOT(wrappingAdd(mul(wrappingAdd(x4_over_4, x3), one_third), x2), -1);
  return wrappingAdd(exp_minus_one_eighth, mul(exp_minus_one_eighth, wrappingAdd(x, poly)));
}

// exp(a) for a <= 0 in Q(integer_bits), result in Q0.31: exp of a mod 1/4 times exp(-2^k) for each set bit k
// of the rest.
int32_t expOnNegativeValues(int32_t a, int integer_bits) {
  const int fractional_bits = 31 - integer_bits;
  const int32_t one_quarter = int32_t{1} << (fractional_bits - 2);
  const int32_t mask = one_quarter - 1;
  const int32_t a_mod_quarter_minus_quarter = wrappingSub(a & mask, one_quarter);
  int32_t result = expOnQuarterInterval(rescale(a_mod_quarter_minus_quarter, integer_bits, 0));
  const int32_t remainder = wrappingSub(a_mod_quarter_minus_quarter, a);
  struct Step {
    int exponent;
    int32_t multiplier;  // exp(-2^exponent) in Q0.31
  };
  static const Step kSteps[] = {{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
                                {2, 39332535},    {3, 720401},      {4, 242}};
  for (const Step& s : kSteps) {
    if (integer_bits <= s.exponent) continue;
    if (remainder & (int32_t{1} << (fractional_bits + s.exponent))) result = mul(result, s.multiplier);
  }
  if (integer_bits > 5 && a < -(int32_t{1} << (36 - integer_bits))) result = 0;  // below -32
  return a == 0 ? std::numeric_limits<int32_t>::max() : result;
}

// log(x) for x >= 1 (TFLite's log_x_for_x_greater_than_or_equal_to_1): x in Q(input_bits), log in
// Q(output_bits). x is normalized into [sqrt(1/2), sqrt(2)) around 1 twice (with and without a sqrt(1/2)
// premultiplication, keeping the better), and log of the mantissa comes from a rational approximation.
int32_t logOfAtLeastOne(int32_t x, int input_bits, int output_bits) {
  const int accum_bits = output_bits + 1;
  const int32_t log_2 = 1488522236, sqrt_sqrt_half = 1805811301, sqrt_half = 1518500250, one_quarter = 536870912;
  const int32_t alpha_n = 117049297, alpha_d = 127690142, alpha_i = 1057819769, alpha_f = 638450708;
  const int32_t shifted_quarter = rescale(one_quarter, 0, accum_bits);

  const int z_a_headroom_plus_1 = countLeadingZeros(static_cast<uint32_t>(x));
  const int32_t r_a_tmp = saturatingRoundingMultiplyByPOT(x, z_a_headroom_plus_1 - 1);
  const int32_t r_a = saturatingRoundingMultiplyByPOT(mul(r_a_tmp, sqrt_half), 1);
  const int32_t z_a_pow_2_adj = saturatingAdd(
      saturatingRoundingMultiplyByPOT(input_bits - z_a_headroom_plus_1, 31 - accum_bits), shifted_quarter);

  const int32_t z_b = mul(x, sqrt_half);
  const int z_b_headroom = countLeadingZeros(static_cast<uint32_t>(z_b)) - 1;
  const int32_t r_b = saturatingRoundingMultiplyByPOT(x, z_b_headroom);
  const int32_t z_b_pow_2_adj =
      saturatingSub(saturatingRoundingMultiplyByPOT(input_bits - z_b_headroom, 31 - accum_bits), shifted_quarter);

  const int32_t r = std::min(r_a, r_b);
  const int32_t z_pow_2_adj = std::max(z_a_pow_2_adj, z_b_pow_2_adj);

  const int32_t p = roundingHalfSum(r, sqrt_sqrt_half);
  int32_t q = wrappingSub(r, sqrt_sqrt_half);
  q = wrappingAdd(q, q);
  const int32_t common_sq = mul(q, q);
  const int32_t num = wrappingAdd(mul(q, r), mul(mul(q, common_sq), alpha_n));
  const int32_t denom_minus_one =
      wrappingAdd(mul(p, wrappingAdd(wrappingAdd(alpha_i, q), mul(alpha_d, common_sq))), mul(alpha_f, q));
  const int32_t recip_denom = oneOverOnePlusX(denom_minus_one);
  const int32_t num_scaled = rescale(num, 0, accum_bits);
  return rescale(wrappingAdd(mul(z_pow_2_adj, log_2), mul(num_scaled, recip_denom)), accum_bits, output_bits);
}

// TFLite's MultiplyByQuantizedMultiplierGreaterThanOne: an exact left shift, then the doubling high multiply.
int32_t multiplyGreaterThanOne(int32_t x, int32_t multiplier, int left_shift) {
  return saturatingRoundingDoublingHighMul(static_cast<int32_t>(static_cast<uint32_t>(x) << left_shift), multiplier);
}

// TFLite's PreprocessSoftmaxScaling: s_in beta 2^(31 - integer_bits) (capped) as a multiplier and left shift.
void softmaxInputScaling(double beta, double input_scale, int integer_bits, int32_t* multiplier, int* left_shift) {
  const double real = std::min(beta * input_scale * static_cast<double>(int64_t{1} << (31 - integer_bits)),
                               static_cast<double>((int64_t{1} << 31) - 1));
  quantizeMultiplier(real, multiplier, left_shift);
}

// TFLite's CalculateInputRadius: the largest input difference whose rescaled value still fits.
int inputRadius(int integer_bits, int left_shift) {
  const double max_rescaled = 1.0 * ((1 << integer_bits) - 1) *
                              static_cast<double>(int64_t{1} << (31 - integer_bits)) /
                              static_cast<double>(int64_t{1} << left_shift);
  return static_cast<int>(std::floor(max_rescaled));
}

constexpr int kScaledDiffIntegerBits = 5;
constexpr int kAccumulationIntegerBits = 12;

// --- float ------------------------------------------------------------------------------------------------------

class FloatSoftmaxKernel : public Kernel {
 public:
  explicit FloatSoftmaxKernel(bool log) : log_(log) {}
  void prepare(KernelContext& ctx) override {
    rowsOf(ctx, ctx.input(0));
    ctx.output(0).resize(ctx.input(0).shape());
    beta_ = log_ ? 1.0f : static_cast<float>(ctx.floatOption("beta", 1.0));
  }
  void eval(KernelContext& ctx) override {
    const Rows r = rowsOf(ctx, ctx.input(0));
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
        const float log_sum = std::log(sum);
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

// --- int8 / uint8 input -----------------------------------------------------------------------------------------

// exp(-s_in beta d) for d = 255 - i (TFLite's PopulateSoftmaxLookupTable); indexed from 255 - row max + x, which
// stays in [0, 255] for every x of the row.
std::array<float, 256> expTable(float input_scale, float beta) {
  std::array<float, 256> table{};
  const float scale = -input_scale * beta;
  for (int32_t d = 0; d <= 255; ++d) table[static_cast<size_t>(255 - d)] = std::exp(scale * static_cast<float>(d));
  return table;
}

// The table's exp(s_in beta (x - max)) for x of a row whose maximum is max: x - max is in [-255, 0], so
// 255 + x - max indexes the table. (The row's base 255 - max alone lies past the table's end for an int8 row
// whose maximum is negative, so it is never made into a pointer.)
inline float expOfDifference(const std::array<float, 256>& table, int32_t max, int32_t x) {
  return table[static_cast<size_t>(255 + x - max)];
}

template <typename In>
int32_t rowMax(const In* x, int64_t depth) {
  int32_t max = std::numeric_limits<In>::min();
  for (int64_t i = 0; i < depth; ++i) max = std::max(max, static_cast<int32_t>(x[i]));
  return max;
}

template <typename In, typename Out>
class QuantSoftmaxKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    rowsOf(ctx, in);
    out.resize(in.shape());
    const QParams qin = softmaxQParamsOf(ctx, in, "input"), qout = softmaxQParamsOf(ctx, out, "output");
    if (std::is_same_v<Out, int8_t> && (qout.zero_point != -128 || std::fabs(qout.scale - 1.f / 256) > 0.001f / 256))
      ctx.invalid("int8 softmax output must have scale 1/256 and zero point -128");
    const double beta = ctx.floatOption("beta", 1.0);
    fixed_point_ = ctx.arithmetic == Arithmetic::Reference;
    if (fixed_point_) {
      int left_shift = 0;
      softmaxInputScaling(beta, qin.scale, kScaledDiffIntegerBits, &input_multiplier_, &left_shift);
      input_left_shift_ = left_shift;
      diff_min_ = -inputRadius(kScaledDiffIntegerBits, left_shift);
    } else {
      table_ = expTable(qin.scale, static_cast<float>(beta));
      out_scale_ = qout.scale;
      out_zp_ = qout.zero_point;
    }
  }
  void eval(KernelContext& ctx) override {
    const Rows r = rowsOf(ctx, ctx.input(0));
    const In* in = ctx.input(0).data<In>();
    Out* out = ctx.output(0).mutableData<Out>();
    for (int64_t row = 0; row < r.rows; ++row) {
      if (fixed_point_) fixedPointRow(in + row * r.depth, out + row * r.depth, r.depth);
      else tableRow(in + row * r.depth, out + row * r.depth, r.depth);
    }
  }

 private:
  void tableRow(const In* x, Out* y, int64_t depth) const {
    const int32_t max = rowMax(x, depth);
    auto t = [&](In v) { return expOfDifference(table_, max, v); };
    float sum = 0;
    for (int64_t i = 0; i < depth; ++i) sum += t(x[i]);
    const float inv = 1.0f / (sum * out_scale_);
    for (int64_t i = 0; i < depth; ++i) {
      const float p = t(x[i]) * inv;  // NaN or huge only with a damaged output scale
      // TFLite's QuantizeSoftmaxOutput: uint8 truncates p + 0.5 and ignores the zero point.
      const int32_t q = std::is_same_v<Out, uint8_t>
                            ? (std::isnan(p) ? 0 : static_cast<int32_t>(std::clamp(p, -1e9f, 1e9f) + 0.5f))
                            : zeroPointPlusRounded(out_zp_, p);
      y[i] = static_cast<Out>(clampTo(q, qmin<Out>(), qmax<Out>()));
    }
  }

  // exp((x - max) s beta) in Q0.31 from the difference rescaled to Q5.26.
  int32_t expOfDiff(int32_t diff) const {
    return expOnNegativeValues(multiplyGreaterThanOne(diff, input_multiplier_, input_left_shift_),
                               kScaledDiffIntegerBits);
  }

  void fixedPointRow(const In* x, Out* y, int64_t depth) const {
    const int32_t max = rowMax(x, depth);
    int32_t sum = 0;  // Q12.19
    for (int64_t i = 0; i < depth; ++i) {
      const int32_t diff = static_cast<int32_t>(x[i]) - max;
      if (diff >= diff_min_) sum = wrappingAdd(sum, rescale(expOfDiff(diff), 0, kAccumulationIntegerBits));
    }
    int num_bits_over_unit = 0;
    const int32_t scale = reciprocal(sum, kAccumulationIntegerBits, &num_bits_over_unit);
    const int exponent = num_bits_over_unit + 31 - static_cast<int>(sizeof(Out) * 8);
    for (int64_t i = 0; i < depth; ++i) {
      const int32_t diff = static_cast<int32_t>(x[i]) - max;
      if (diff < diff_min_) {
        y[i] = std::numeric_limits<Out>::min();
        continue;
      }
      const int32_t unsat = roundingDivideByPOT(mul(scale, expOfDiff(diff)), exponent);
      y[i] = static_cast<Out>(clampTo(unsat + qmin<Out>(), qmin<Out>(), qmax<Out>()));
    }
  }

  bool fixed_point_ = false;
  std::array<float, 256> table_{};
  float out_scale_ = 1;
  int32_t out_zp_ = 0, input_multiplier_ = 0, diff_min_ = 0;
  int input_left_shift_ = 0;
};

// --- int16 ------------------------------------------------------------------------------------------------------

// TFLite's LUTPopulateInt16 (double precision): 512 samples of f over the input range, each biased by half the
// error of linear interpolation at the midpoint, and the end point; read by lookupInterpolated().
std::array<int16_t, 513> int16Table(double input_scale, int32_t input_zp, double output_scale, int32_t output_zp,
                                    double (*f)(double)) {
  std::array<int16_t, 513> lut{};
  const double input_min = input_scale * (-32768 - input_zp), input_max = input_scale * (32767 - input_zp);
  const double output_min = output_scale * (-32768 - output_zp), output_max = output_scale * (32767 - output_zp);
  const int steps = 512;
  const double step = (input_max - input_min) / steps, half_step = step / 2;
  const double inv = 65536.0 / (output_max - output_min);
  auto clamp16 = [](double v) { return static_cast<int16_t>(std::min(std::max(v, -32768.0), 32767.0)); };
  for (int i = 0; i < steps; ++i) {
    const double val = f(input_min + i * step);
    const double val_mid = f(input_min + i * step + half_step);
    const double val_next = f(input_min + (i + 1) * step);
    const double sample = std::round(val * inv);
    const double mid_interpolated = std::round((val_next * inv + std::round(val * inv)) / 2);
    const double mid_exact = std::round(val_mid * inv);
    const double bias = std::round((mid_interpolated - mid_exact) / 2);
    lut[static_cast<size_t>(i)] = clamp16(sample - bias);
  }
  lut[steps] = clamp16(std::round(f(input_max) * inv));
  return lut;
}

// TFLite's LUTLookup: the top 9 bits index the table, the low 7 interpolate.
int16_t lookupInterpolated(int16_t value, const std::array<int16_t, 513>& lut) {
  const size_t index = static_cast<size_t>(256 + (value >> 7));
  const int32_t offset = value & 0x7f;
  const int32_t base = lut[index];
  const int16_t slope = static_cast<int16_t>(lut[index + 1] - lut[index]);
  return static_cast<int16_t>(base + ((slope * offset + 64) >> 7));
}

double expOf(double x) { return std::exp(x); }
double oneOverOnePlus(double x) { return 1.0 / (1.0 + x); }

class Int16SoftmaxKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    rowsOf(ctx, in);
    out.resize(in.shape());
    const QParams qin = softmaxQParamsOf(ctx, in, "input"), qout = softmaxQParamsOf(ctx, out, "output");
    if (qin.zero_point != 0 || qout.zero_point != 0) ctx.invalid("int16 softmax needs zero points 0");
    if (std::fabs(qout.scale - 1.f / 32768) > 0.001f / 32768) ctx.invalid("int16 softmax output scale must be 2^-15");
    const double range = 65535.0;
    exp_lut_ = int16Table(10.0 / range, 32767, 2.0 / range, 0, expOf);             // exp on [-10, 0]
    recip_lut_ = int16Table(1.0 / range, -32768, 2.0 / range, 0, oneOverOnePlus);  // 1 / (1 + x) on [0, 1]
    // Differences scaled so that [-65535, 0] covers [-10, 0].
    const double beta = ctx.floatOption("beta", 1.0);
    quantizeMultiplier(qin.scale * beta / (10.0 / 65535.0), &input_multiplier_, &input_left_shift_);
  }
  void eval(KernelContext& ctx) override {
    const Rows r = rowsOf(ctx, ctx.input(0));
    const int16_t* in = ctx.input(0).data<int16_t>();
    int16_t* out = ctx.output(0).mutableData<int16_t>();
    for (int64_t row = 0; row < r.rows; ++row) oneRow(in + row * r.depth, out + row * r.depth, r.depth);
  }

 private:
  void oneRow(const int16_t* x, int16_t* y, int64_t depth) const {
    const int32_t max = rowMax(x, depth);
    int32_t sum = 0;  // Q16.15
    for (int64_t i = 0; i < depth; ++i) {
      const int32_t scaled = multiplyByQuantizedMultiplier(static_cast<int32_t>(x[i]) - max, input_multiplier_,
                                                           input_left_shift_);
      const int16_t centered = static_cast<int16_t>(clampTo(scaled + 32767, -32768, 32767));
      y[i] = lookupInterpolated(centered, exp_lut_);  // exp in Q0.15, kept in the output meanwhile
      sum += y[i];
    }
    // 1 / sum: the sum normalized to [1, 2), minus one, recentered for the table.
    const int headroom_plus_one = countLeadingZeros(static_cast<uint32_t>(sum));
    const int32_t shifted_sum =
        static_cast<int32_t>(((static_cast<int64_t>(sum) << (headroom_plus_one - 1)) + (1 << 13)) >> 14);
    const int32_t centered_sum = shifted_sum - ((1 << 15) + (1 << 16));
    const int16_t reciprocal_q015 =
        lookupInterpolated(static_cast<int16_t>(clampTo(centered_sum, -32768, 32767)), recip_lut_);
    const int right_shift = 31 - headroom_plus_one;
    const int64_t round = int64_t{1} << (right_shift - 1);
    for (int64_t i = 0; i < depth; ++i) {
      const int64_t v = (static_cast<int64_t>(y[i]) * reciprocal_q015 + round) >> right_shift;
      y[i] = static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(v, 0), 32767));
    }
  }

  std::array<int16_t, 513> exp_lut_{}, recip_lut_{};
  int32_t input_multiplier_ = 0;
  int input_left_shift_ = 0;
};

// --- quantized LOG_SOFTMAX --------------------------------------------------------------------------------------

template <typename T>
class QuantLogSoftmaxKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    rowsOf(ctx, in);
    out.resize(in.shape());
    const QParams qin = softmaxQParamsOf(ctx, in, "input"), qout = softmaxQParamsOf(ctx, out, "output");
    if (qout.scale != 16.0f / 256 || qout.zero_point != qmax<T>())
      ctx.invalid("quantized log softmax output must have scale 16/256 and the type's maximum as zero point");
    fixed_point_ = ctx.arithmetic == Arithmetic::Reference;
    in_scale_ = qin.scale, out_scale_ = qout.scale, out_zp_ = qout.zero_point;
    if (fixed_point_) {
      int left_shift = 0;
      softmaxInputScaling(1.0, qin.scale, kScaledDiffIntegerBits, &input_multiplier_, &left_shift);
      input_left_shift_ = left_shift;
      // The inverse of that scaling, for the lowest difference whose log probability is representable.
      const double reverse = std::ldexp(1.0, 31 - left_shift) / static_cast<double>(input_multiplier_);
      quantizeMultiplier(reverse, &reverse_multiplier_, &reverse_shift_);
      diff_min_ = -inputRadius(kScaledDiffIntegerBits, left_shift);
    } else {
      table_ = expTable(qin.scale, 1.0f);
    }
  }
  void eval(KernelContext& ctx) override {
    const Rows r = rowsOf(ctx, ctx.input(0));
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    for (int64_t row = 0; row < r.rows; ++row) {
      if (fixed_point_) fixedPointRow(in + row * r.depth, out + row * r.depth, r.depth);
      else tableRow(in + row * r.depth, out + row * r.depth, r.depth);
    }
  }

 private:
  // TFLite's optimized LogSoftmax: (s_in (x - max) - log sum) / s_out, rounded half to even (rint).
  void tableRow(const T* x, T* y, int64_t depth) const {
    const int32_t max = rowMax(x, depth);
    float sum = 0;
    for (int64_t i = 0; i < depth; ++i) sum += expOfDifference(table_, max, x[i]);
    const float log_sum = std::log(sum);
    const float scale = in_scale_ / out_scale_;
    const float precomputed = (in_scale_ * static_cast<float>(max) + log_sum) / out_scale_;
    for (int64_t i = 0; i < depth; ++i) {
      const float log_prob = scale * static_cast<float>(x[i]) - precomputed;
      const int32_t q = static_cast<int32_t>(std::rint(log_prob) + static_cast<float>(out_zp_));
      y[i] = static_cast<T>(clampTo(q, qmin<T>(), qmax<T>()));
    }
  }

  int32_t diffInQ5(int32_t diff) const { return multiplyGreaterThanOne(diff, input_multiplier_, input_left_shift_); }

  // TFLite's reference LogSoftmax: log of the Q12.19 sum of exps in Q5.26, subtracted from each scaled
  // difference, rounded to 4 integer bits and offset by the type's maximum.
  void fixedPointRow(const T* x, T* y, int64_t depth) const {
    constexpr int kOutputIntegerBits = 4;
    const int32_t max = rowMax(x, depth);
    int32_t sum = 0;
    for (int64_t i = 0; i < depth; ++i) {
      const int32_t diff = static_cast<int32_t>(x[i]) - max;
      if (diff >= diff_min_)
        sum = wrappingAdd(sum, rescale(expOnNegativeValues(diffInQ5(diff), kScaledDiffIntegerBits), 0,
                                       kAccumulationIntegerBits));
    }
    const int32_t log_sum = logOfAtLeastOne(sum, kAccumulationIntegerBits, kScaledDiffIntegerBits);
    const int32_t shifted_log_sum = wrappingAdd(log_sum, std::numeric_limits<int32_t>::min());
    const int32_t adjusted_diff_min =
        std::max(diff_min_ - 1, multiplyByQuantizedMultiplier(shifted_log_sum, reverse_multiplier_, reverse_shift_));
    for (int64_t i = 0; i < depth; ++i) {
      const int32_t diff = static_cast<int32_t>(x[i]) - max;
      if (diff <= adjusted_diff_min) {
        y[i] = std::numeric_limits<T>::min();
        continue;
      }
      const int32_t v = roundingDivideByPOT(wrappingSub(diffInQ5(diff), log_sum),
                                            31 - kScaledDiffIntegerBits - kOutputIntegerBits) +
                        qmax<T>();
      y[i] = static_cast<T>(clampTo(v, qmin<T>(), qmax<T>()));
    }
  }

  bool fixed_point_ = false;
  std::array<float, 256> table_{};
  float in_scale_ = 1, out_scale_ = 1;
  int32_t out_zp_ = 0, input_multiplier_ = 0, reverse_multiplier_ = 0, diff_min_ = 0;
  int input_left_shift_ = 0, reverse_shift_ = 0;
};

}  // namespace

void registerSoftmaxKernels(KernelRegistry& r) {
  r.add("SOFTMAX", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
    const DType in = ctx.in[0]->type(), out = ctx.out[0]->type();
    if (in == DType::Float32 && out == DType::Float32) return std::make_unique<FloatSoftmaxKernel>(false);
    if (in == DType::UInt8 && out == DType::UInt8) return std::make_unique<QuantSoftmaxKernel<uint8_t, uint8_t>>();
    if (in == DType::UInt8 && out == DType::Int16) return std::make_unique<QuantSoftmaxKernel<uint8_t, int16_t>>();
    if (in == DType::Int8 && out == DType::Int8) return std::make_unique<QuantSoftmaxKernel<int8_t, int8_t>>();
    if (in == DType::Int8 && out == DType::Int16) return std::make_unique<QuantSoftmaxKernel<int8_t, int16_t>>();
    if (in == DType::Int16 && out == DType::Int16) return std::make_unique<Int16SoftmaxKernel>();
    return nullptr;
  });
  r.add("LOG_SOFTMAX", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
    const DType in = ctx.in[0]->type();
    if (ctx.out[0]->type() != in) return nullptr;
    if (in == DType::Float32) return std::make_unique<FloatSoftmaxKernel>(true);
    if (in == DType::UInt8) return std::make_unique<QuantLogSoftmaxKernel<uint8_t>>();
    if (in == DType::Int8) return std::make_unique<QuantLogSoftmaxKernel<int8_t>>();
    return nullptr;
  });
}

}  // namespace ql
