// QUANTIZE (float32 -> int8/uint8/int16, per tensor or per channel; or requantizing an 8/16/32-bit integer tensor
// to a new scale and zero point), DEQUANTIZE (int8/uint8/int16/float16 -> float32) and CAST.
//
// Who computes what in TFLite's CPU runtime (the XNNPACK delegate's VisitUnaryNode):
//  - float32 -> int8/uint8 per tensor: XNNPACK's f32->qs8/qu8 convert: q = x * (1 / s) rounded half to even (the
//    magic-bias trick), plus zp, saturated; NaN saturates to the type's maximum. Reference: TFLite's
//    AffineQuantize, round(x / s) half away from zero, plus zp, saturated. int16 and per-channel outputs are
//    TFLite's in both arithmetics (Deployed int16 divides in double, as TFLite's optimized kernel does).
//  - int8 -> int8 and uint8 -> uint8 whose scale ratio s_in / s_out lies in [1/256, 128]: XNNPACK's qs8/qu8
//    convert, whose ratio has 8 fractional bits: m = lrintf(256 * s_in / s_out), q = ((x - zp_in) * m + 128) >> 8
//    + zp_out. Everything else (other ratios, mixed types, 16/32-bit) and Reference: TFLite's Requantize,
//    (x - zp_in) times the fixed-point multiplier of s_in / s_out (computed in double) plus zp_out.
//  - DEQUANTIZE: s * (q - zp), which both runtimes round once to float; float16 widens exactly.
//  - CAST: TFLite's builtin (the version the golden references ran): float32 to int32 saturates (NaN -> max),
//    to int16/uint8 clamps (NaN -> 0), to other integers is a plain C++ conversion (see plainFloatCast); anything
//    to bool is x != 0; integers to integers wrap; float16 is widened first.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "model/tensor_values.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

// --- float -> integer ----------------------------------------------------------------------------------------------

// XNNPACK f32 -> q8: x * inv_scale, rounded half to even, plus zp, saturated; NaN -> qmax.
template <typename T>
T xnnpackQuantize(float x, float inv_scale, int32_t zp) {
  const float v = x * inv_scale;
  if (std::isnan(v)) return static_cast<T>(qmax<T>());
  const float lo = static_cast<float>(qmin<T>() - zp), hi = static_cast<float>(qmax<T>() - zp);
  return static_cast<T>(static_cast<int32_t>(std::nearbyint(std::min(std::max(v, lo), hi))) + zp);
}

// TFLite's AffineQuantize: round(x / scale) half away from zero, plus zp, saturated (NaN -> zp). The reference
// kernel divides in float; the optimized one, which the runtime runs for int16, divides by the scale as a double.
template <typename T>
T tfliteQuantize(float x, float scale, int32_t zp, bool divide_in_double) {
  double r = divide_in_double ? std::round(static_cast<double>(x) / static_cast<double>(scale))
                              : static_cast<double>(std::round(x / scale));
  if (std::isnan(r)) r = 0;
  const double lo = static_cast<double>(qmin<T>()) - zp, hi = static_cast<double>(qmax<T>()) - zp;
  return static_cast<T>(static_cast<int32_t>(std::min(std::max(r, lo), hi)) + zp);
}

template <typename T>
class QuantizeFloatKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    RuntimeTensor& out = ctx.output(0);
    out.resize(ctx.input(0).shape());
    const QuantParams& q = out.quant();
    if (!q.hasScale()) ctx.invalid("QUANTIZE output without a scale");
    for (float s : q.scale)
      if (!(s > 0) || !std::isfinite(s)) ctx.invalid("QUANTIZE output scale must be positive");
    if (q.perChannel()) {
      const int rank = out.rank();
      if (q.quantized_dimension < 0 || q.quantized_dimension >= rank ||
          static_cast<size_t>(out.dim(q.quantized_dimension)) != q.scale.size())
        ctx.invalid("per-channel scales do not match the quantized dimension");
      channels_ = ChannelIndexer(out.shape(), q.quantized_dimension);
    }
    per_channel_ = q.perChannel();
    xnnpack_ = ctx.arithmetic == Arithmetic::Deployed && !per_channel_ && !std::is_same_v<T, int16_t>;
    optimized_ = ctx.arithmetic == Arithmetic::Deployed;
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    RuntimeTensor& out_t = ctx.output(0);
    T* out = out_t.mutableData<T>();
    const QuantParams& q = out_t.quant();
    const int64_t n = ctx.input(0).elements();
    if (per_channel_) {
      for (int64_t i = 0; i < n; ++i) {
        const size_t c = static_cast<size_t>(channels_.channel(i));
        const int32_t zp = c < q.zero_point.size() ? static_cast<int32_t>(q.zero_point[c]) : 0;
        out[i] = tfliteQuantize<T>(in[i], q.scale[c], zp, /*divide_in_double=*/false);
      }
      return;
    }
    const float scale = out_t.scale(), inv = 1.0f / scale;
    const int32_t zp = out_t.zeroPoint();
    for (int64_t i = 0; i < n; ++i)
      out[i] = xnnpack_ ? xnnpackQuantize<T>(in[i], inv, zp) : tfliteQuantize<T>(in[i], scale, zp, optimized_);
  }

 private:
  ChannelIndexer channels_{{1}, 0};
  bool per_channel_ = false, xnnpack_ = true, optimized_ = true;
};

// --- integer -> integer ------------------------------------------------------------------------------------------

template <typename TIn, typename TOut>
class RequantizeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    ctx.output(0).resize(ctx.input(0).shape());
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& out = ctx.output(0);
    if (!in.quant().hasScale() || !out.quant().hasScale()) ctx.invalid("requantizing QUANTIZE without scales");
    if (in.quant().perChannel() || out.quant().perChannel()) ctx.unsupported("per-channel requantization");
    if (!(in.scale() > 0) || !(out.scale() > 0)) ctx.invalid("QUANTIZE scales must be positive");
    quantizeMultiplier(static_cast<double>(in.scale()) / static_cast<double>(out.scale()), &multiplier_, &shift_);
    const float ratio = in.scale() / out.scale();
    constexpr bool kSame8Bit = std::is_same_v<TIn, TOut> && sizeof(TIn) == 1;
    xnnpack_ = kSame8Bit && ctx.arithmetic == Arithmetic::Deployed && ratio >= 1.0f / 256.0f && ratio <= 128.0f;
    q8_multiplier_ = static_cast<int32_t>(std::lrint(256.0f * ratio));
    // TFLite shifts x left before multiplying; keep that shift inside int32.
    limit_ = std::numeric_limits<int32_t>::max() >> std::max(shift_, 0);
  }
  void eval(KernelContext& ctx) override {
    const TIn* in = ctx.input(0).data<TIn>();
    TOut* out = ctx.output(0).mutableData<TOut>();
    const int32_t in_zp = ctx.input(0).zeroPoint(), out_zp = ctx.output(0).zeroPoint();
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      // Only int32 inputs can leave the range TFLite's int32 arithmetic handles: they saturate.
      const int64_t centered = static_cast<int64_t>(in[i]) - in_zp;
      const auto x = static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(centered, -limit_), limit_));
      const int32_t v = xnnpack_ ? ((x * q8_multiplier_ + 128) >> 8) + out_zp
                                 : multiplyByQuantizedMultiplier(x, multiplier_, shift_) + out_zp;
      out[i] = static_cast<TOut>(std::min(std::max(v, qmin<TOut>()), qmax<TOut>()));
    }
  }

 private:
  int32_t multiplier_ = 0, q8_multiplier_ = 0, limit_ = std::numeric_limits<int32_t>::max();
  int shift_ = 0;
  bool xnnpack_ = false;
};

// --- DEQUANTIZE --------------------------------------------------------------------------------------------------

class DequantizeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    if (in.type() != DType::Float16 && !in.quant().hasScale()) ctx.invalid("DEQUANTIZE input without a scale");
    ctx.output(0).resize(in.shape());
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<float> real = realValues(in.type(), in.shape(), in.quant(), in.raw(), in.bytes());
    std::memcpy(ctx.output(0).mutableRaw(), real.data(), real.size() * sizeof(float));
  }
};

// --- CAST ----------------------------------------------------------------------------------------------------------

// A C++ static_cast from floating point to an integer type, as the runtime the golden references come from
// (WebAssembly) executes it: a saturating conversion to 32 bits (64 for 64-bit targets), signed or unsigned like
// the target, NaN -> 0, then the target's low bits.
template <typename To>
To plainFloatCast(double x) {
  if (std::isnan(x)) return To(0);
  using Wide = std::conditional_t<sizeof(To) == 8, To, std::conditional_t<std::is_signed_v<To>, int32_t, uint32_t>>;
  const double lo = static_cast<double>(std::numeric_limits<Wide>::min());
  const double hi = static_cast<double>(std::numeric_limits<Wide>::max());
  if (x <= lo) return static_cast<To>(std::numeric_limits<Wide>::min());
  if (x >= hi) return static_cast<To>(std::numeric_limits<Wide>::max());
  return static_cast<To>(static_cast<Wide>(x));
}

// TFLite's cast of float32 to an integer: int32 saturates (NaN -> the maximum), int16 and uint8 clamp to their
// range first (NaN -> 0), other types are a plain static_cast. Other floating sources (float16, float64) are
// always a plain static_cast.
template <typename To, bool kFloat32Source>
To floatToInteger(double x) {
  if constexpr (kFloat32Source && std::is_same_v<To, int32_t>) {
    const double max_below = static_cast<double>(std::nextafterf(2147483647.0f, 0.f));
    return x <= max_below ? plainFloatCast<int32_t>(std::max(x, -2147483648.0)) : std::numeric_limits<int32_t>::max();
  } else if constexpr (kFloat32Source && (std::is_same_v<To, int16_t> || std::is_same_v<To, uint8_t>)) {
    const double lo = std::numeric_limits<To>::min(), hi = std::numeric_limits<To>::max();
    return plainFloatCast<To>(std::isnan(x) ? x : std::max(std::min(x, hi), lo));
  } else {
    return plainFloatCast<To>(x);
  }
}

template <typename To, typename From>
To castValue(From x) {
  if constexpr (std::is_same_v<To, bool>) {
    return x != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    return floatToInteger<To, std::is_same_v<From, float>>(static_cast<double>(x));
  } else {
    return static_cast<To>(x);
  }
}

template <typename From, typename To>
void castArray(const void* in, void* out, int64_t n) {
  const From* x = static_cast<const From*>(in);
  To* y = static_cast<To*>(out);
  for (int64_t i = 0; i < n; ++i) y[i] = castValue<To>(x[i]);
}

// The element types CAST handles directly (float16 goes through float32).
template <typename From>
bool castFrom(DType to, const void* in, void* out, int64_t n) {
  switch (to) {
    case DType::Float32: castArray<From, float>(in, out, n); return true;
    case DType::Float64: castArray<From, double>(in, out, n); return true;
    case DType::Int8: castArray<From, int8_t>(in, out, n); return true;
    case DType::UInt8: castArray<From, uint8_t>(in, out, n); return true;
    case DType::Int16: castArray<From, int16_t>(in, out, n); return true;
    case DType::UInt16: castArray<From, uint16_t>(in, out, n); return true;
    case DType::Int32: castArray<From, int32_t>(in, out, n); return true;
    case DType::UInt32: castArray<From, uint32_t>(in, out, n); return true;
    case DType::Int64: castArray<From, int64_t>(in, out, n); return true;
    case DType::Bool: castArray<From, bool>(in, out, n); return true;
    default: return false;
  }
}

bool castDirect(DType from, DType to, const void* in, void* out, int64_t n) {
  switch (from) {
    case DType::Float32: return castFrom<float>(to, in, out, n);
    case DType::Float64: return castFrom<double>(to, in, out, n);
    case DType::Int8: return castFrom<int8_t>(to, in, out, n);
    case DType::UInt8: return castFrom<uint8_t>(to, in, out, n);
    case DType::Int16: return castFrom<int16_t>(to, in, out, n);
    case DType::UInt16: return castFrom<uint16_t>(to, in, out, n);
    case DType::Int32: return castFrom<int32_t>(to, in, out, n);
    case DType::UInt32: return castFrom<uint32_t>(to, in, out, n);
    case DType::Int64: return castFrom<int64_t>(to, in, out, n);
    case DType::Bool: return castFrom<bool>(to, in, out, n);
    default: return false;
  }
}

bool castAny(DType from, DType to, const void* in, void* out, int64_t n) {
  const size_t count = static_cast<size_t>(n);
  if (from == DType::Float16) {  // exact in double, and cast from there as TFLite casts halves (plainly)
    std::vector<double> wide(count);
    const uint16_t* h = static_cast<const uint16_t*>(in);
    for (size_t i = 0; i < count; ++i) wide[i] = halfToFloat(h[i]);
    return castAny(DType::Float64, to, wide.data(), out, n);
  }
  if (to == DType::Float16) {
    std::vector<float> wide(count);
    if (!castAny(from, DType::Float32, in, wide.data(), n)) return false;
    uint16_t* h = static_cast<uint16_t*>(out);
    for (size_t i = 0; i < count; ++i) h[i] = floatToHalf(wide[i]);
    return true;
  }
  return castDirect(from, to, in, out, n);
}

class CastKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    ctx.output(0).resize(ctx.input(0).shape());
    uint8_t probe_in[8] = {}, probe_out[8] = {};
    if (!castAny(ctx.input(0).type(), ctx.output(0).type(), probe_in, probe_out, 1))
      ctx.unsupported(std::string("CAST from ") + dtypeName(ctx.input(0).type()) + " to " +
                      dtypeName(ctx.output(0).type()));
  }
  void eval(KernelContext& ctx) override {
    castAny(ctx.input(0).type(), ctx.output(0).type(), ctx.input(0).raw(), ctx.output(0).mutableRaw(),
            ctx.input(0).elements());
  }
};

// --- factories -----------------------------------------------------------------------------------------------------

template <typename TIn>
std::unique_ptr<Kernel> requantizeTo(DType out) {
  switch (out) {
    case DType::Int8: return std::make_unique<RequantizeKernel<TIn, int8_t>>();
    case DType::UInt8: return std::make_unique<RequantizeKernel<TIn, uint8_t>>();
    case DType::Int16: return std::make_unique<RequantizeKernel<TIn, int16_t>>();
    default: return nullptr;
  }
}

std::unique_ptr<Kernel> makeQuantize(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
  const DType in = ctx.in[0]->type(), out = ctx.out[0]->type();
  switch (in) {
    case DType::Float32:
      if (out == DType::Int8) return std::make_unique<QuantizeFloatKernel<int8_t>>();
      if (out == DType::UInt8) return std::make_unique<QuantizeFloatKernel<uint8_t>>();
      if (out == DType::Int16) return std::make_unique<QuantizeFloatKernel<int16_t>>();
      return nullptr;
    case DType::Int8: return requantizeTo<int8_t>(out);
    case DType::UInt8: return requantizeTo<uint8_t>(out);
    case DType::Int16: return requantizeTo<int16_t>(out);
    case DType::Int32: return out == DType::UInt8 ? nullptr : requantizeTo<int32_t>(out);
    default: return nullptr;
  }
}

std::unique_ptr<Kernel> makeDequantize(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0] || ctx.out[0]->type() != DType::Float32)
    return nullptr;
  switch (ctx.in[0]->type()) {
    case DType::Float16:
    case DType::Int8:
    case DType::UInt8:
    case DType::Int16: return std::make_unique<DequantizeKernel>();
    default: return nullptr;
  }
}

}  // namespace

void registerQuantizeKernels(KernelRegistry& r) {
  r.add("QUANTIZE", makeQuantize);
  r.add("DEQUANTIZE", makeDequantize);
  r.add("CAST", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
    return std::make_unique<CastKernel>();
  });
}

}  // namespace ql
