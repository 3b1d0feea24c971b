// QUANTIZE (float -> int8/uint8/int16, or requantizing between integer types), DEQUANTIZE (int8/uint8/int16/
// float16 -> float32) and CAST. Deployed QUANTIZE rounds x * (1/scale) half to even as XNNPACK does; Reference
// rounds x / scale half away from zero as TFLite's builtin kernel does.
#include <cmath>
#include <cstring>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "model/tensor_values.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

template <typename T>
class QuantizeFloatKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    ctx.output(0).resize(ctx.input(0).shape());
    if (ctx.output(0).quant().scale.empty()) ctx.invalid("QUANTIZE output without a scale");
    if (ctx.output(0).quant().perChannel()) ctx.unsupported("per-channel QUANTIZE of activations");
  }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    T* out = ctx.output(0).mutableData<T>();
    const float scale = ctx.output(0).scale();
    const int32_t zp = ctx.output(0).zeroPoint();
    const float inv = 1.0f / scale;
    const bool deployed = ctx.arithmetic == Arithmetic::Deployed;
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      int32_t q;
      if (deployed) {
        float x = std::min(std::max(in[i] * inv, static_cast<float>(qmin<T>() - zp)), static_cast<float>(qmax<T>() - zp));
        q = static_cast<int32_t>(std::lrint(x)) + zp;
      } else {
        q = static_cast<int32_t>(std::min(std::max(std::round(in[i] / scale) + zp, float(qmin<T>())), float(qmax<T>())));
      }
      out[i] = static_cast<T>(std::min(std::max(q, qmin<T>()), qmax<T>()));
    }
  }
};

// Integer to integer with a new scale and zero point: (x - zp_in) * s_in / s_out + zp_out. Reference: TFLite's
// multiplier and shift. Deployed: XNNPACK's convert, whose ratio has only 8 fractional bits
// (round(256 * s_in / s_out)), rounding the result half up.
template <typename TIn, typename TOut>
class RequantizeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    ctx.output(0).resize(ctx.input(0).shape());
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& out = ctx.output(0);
    if (in.quant().scale.empty() || out.quant().scale.empty()) ctx.invalid("requantizing QUANTIZE without scales");
    quantizeMultiplier(static_cast<double>(in.scale()) / static_cast<double>(out.scale()), &multiplier_, &shift_);
    q8_multiplier_ = static_cast<int32_t>(std::lrint(256.0f * (in.scale() / out.scale())));
  }
  void eval(KernelContext& ctx) override {
    const TIn* in = ctx.input(0).data<TIn>();
    TOut* out = ctx.output(0).mutableData<TOut>();
    const int32_t in_zp = ctx.input(0).zeroPoint(), out_zp = ctx.output(0).zeroPoint();
    const bool deployed = ctx.arithmetic == Arithmetic::Deployed;
    for (int64_t i = 0, n = ctx.input(0).elements(); i < n; ++i) {
      const int32_t x = static_cast<int32_t>(in[i]) - in_zp;
      int32_t v = deployed ? ((x * q8_multiplier_ + 128) >> 8) + out_zp
                           : multiplyByQuantizedMultiplier(x, multiplier_, shift_) + out_zp;
      out[i] = static_cast<TOut>(std::min(std::max(v, qmin<TOut>()), qmax<TOut>()));
    }
  }

 private:
  int32_t multiplier_ = 0, q8_multiplier_ = 0;
  int shift_ = 0;
};

class DequantizeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override { ctx.output(0).resize(ctx.input(0).shape()); }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<float> real = realValues(in.type(), in.shape(), in.quant(), in.raw(), in.bytes());
    std::memcpy(ctx.output(0).mutableRaw(), real.data(), real.size() * sizeof(float));
  }
};

template <typename TIn, typename TOut>
void castValues(const void* in, void* out, int64_t n) {
  const TIn* x = static_cast<const TIn*>(in);
  TOut* y = static_cast<TOut*>(out);
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_same_v<TOut, bool>) y[i] = x[i] != TIn(0);
    else y[i] = static_cast<TOut>(x[i]);
  }
}

template <typename TIn>
bool castFrom(DType out_type, const void* in, void* out, int64_t n) {
  switch (out_type) {
    case DType::Float32: castValues<TIn, float>(in, out, n); return true;
    case DType::Int32: castValues<TIn, int32_t>(in, out, n); return true;
    case DType::Int64: castValues<TIn, int64_t>(in, out, n); return true;
    case DType::UInt8: castValues<TIn, uint8_t>(in, out, n); return true;
    case DType::Int8: castValues<TIn, int8_t>(in, out, n); return true;
    case DType::Int16: castValues<TIn, int16_t>(in, out, n); return true;
    case DType::Bool: castValues<TIn, bool>(in, out, n); return true;
    default: return false;
  }
}

bool castAny(DType in_type, DType out_type, const void* in, void* out, int64_t n) {
  switch (in_type) {
    case DType::Float32: return castFrom<float>(out_type, in, out, n);
    case DType::Int32: return castFrom<int32_t>(out_type, in, out, n);
    case DType::Int64: return castFrom<int64_t>(out_type, in, out, n);
    case DType::UInt8: return castFrom<uint8_t>(out_type, in, out, n);
    case DType::Int8: return castFrom<int8_t>(out_type, in, out, n);
    case DType::Int16: return castFrom<int16_t>(out_type, in, out, n);
    case DType::Bool: return castFrom<bool>(out_type, in, out, n);
    default: return false;
  }
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

std::unique_ptr<Kernel> makeQuantize(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
  DType in = ctx.in[0]->type(), out = ctx.out[0]->type();
  if (in == DType::Float32) {
    if (out == DType::Int8) return std::make_unique<QuantizeFloatKernel<int8_t>>();
    if (out == DType::UInt8) return std::make_unique<QuantizeFloatKernel<uint8_t>>();
    if (out == DType::Int16) return std::make_unique<QuantizeFloatKernel<int16_t>>();
    return nullptr;
  }
  if (in == DType::Int8 && out == DType::Int8) return std::make_unique<RequantizeKernel<int8_t, int8_t>>();
  if (in == DType::Int8 && out == DType::UInt8) return std::make_unique<RequantizeKernel<int8_t, uint8_t>>();
  if (in == DType::UInt8 && out == DType::Int8) return std::make_unique<RequantizeKernel<uint8_t, int8_t>>();
  if (in == DType::UInt8 && out == DType::UInt8) return std::make_unique<RequantizeKernel<uint8_t, uint8_t>>();
  if (in == DType::Int16 && out == DType::Int16) return std::make_unique<RequantizeKernel<int16_t, int16_t>>();
  if (in == DType::Int16 && out == DType::Int8) return std::make_unique<RequantizeKernel<int16_t, int8_t>>();
  if (in == DType::Int8 && out == DType::Int16) return std::make_unique<RequantizeKernel<int8_t, int16_t>>();
  return nullptr;
}

std::unique_ptr<Kernel> makeDequantize(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0] || ctx.out[0]->type() != DType::Float32)
    return nullptr;
  DType in = ctx.in[0]->type();
  if (in == DType::Float16 || in == DType::Int8 || in == DType::UInt8 || in == DType::Int16)
    return std::make_unique<DequantizeKernel>();
  return nullptr;
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
