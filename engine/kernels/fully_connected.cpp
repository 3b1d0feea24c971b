// FULLY_CONNECTED: input [..., K] seen as [batches, K], weights [O, K], optional bias [O]; output [batches, O]
// (or the input's shape with its last dimension O when keep_num_dims). weights_format DEFAULT only.
//  - float;
//  - uint8 / int8 (weights per-tensor or per-channel, int32 bias): XNNPACK's fp32 requantization (Deployed) or
//    TFLite's fixed-point multiplier (Reference);
//  - 16x8: int16 input and output, int8 weights, int64 bias (int64 sums) or int32 / no bias (int32 sums), TFLite's
//    builtin kernel (XNNPACK has no int16); rounding as the runtime does it, see conv_requant16.h;
//  - hybrid: float input, int8 weights. Each batch row is quantized on the fly, symmetrically or, with
//    asymmetric_quantize_inputs, asymmetrically; out = bias + acc * (row scale * weight scale), as TFLite's
//    EvalHybrid (per-channel weight scales multiply the row's scale per output).
// Plain loops below; float, uint8/int8 and hybrid also have the fast matrix products of gemm_float / gemm_int8.
#include <algorithm>
#include <cstring>
#include <memory>
#include <type_traits>

#include "kernels/conv_hybrid_input.h"
#include "kernels/conv_requant16.h"
#include "kernels/families.h"
#include "kernels/float_sum_order.h"
#include "kernels/gemm_dispatch.h"
#include "kernels/gemm_float.h"
#include "kernels/gemm_int8.h"
#include "kernels/hybrid_quantize.h"
#include "kernels/requantize.h"
#include "kernels/weight_operands.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

struct FcShape {
  int batches = 0, depth = 0, units = 0;
};

FcShape prepareShape(KernelContext& ctx, Activation* act) {
  const RuntimeTensor& in = ctx.input(0);
  const RuntimeTensor& w = ctx.input(1);
  if (w.rank() != 2) ctx.invalid("weights must be 2-D [units, depth]");
  if (ctx.enumOption("weights_format", "DEFAULT") != "DEFAULT")
    ctx.unsupported("weights_format " + ctx.enumOption("weights_format"));
  FcShape s;
  s.units = w.dim(0), s.depth = w.dim(1);
  if (s.depth <= 0 || in.elements() % s.depth != 0)
    ctx.invalid("input of " + std::to_string(in.elements()) + " values does not split into rows of " +
                std::to_string(s.depth));
  s.batches = static_cast<int>(in.elements() / s.depth);
  if (const RuntimeTensor* b = ctx.optionalInput(2))
    if (b->elements() != s.units) ctx.invalid("bias has " + std::to_string(b->elements()) + " values");
  std::vector<int32_t> out_shape;
  if (ctx.boolOption("keep_num_dims")) {
    out_shape = in.shape();
    if (out_shape.empty()) out_shape.push_back(s.units);
    out_shape.back() = s.units;
  } else {
    out_shape = {s.batches, s.units};
  }
  ctx.output(0).resize(out_shape);
  try {
    *act = activationFromName(ctx.enumOption("fused_activation_function", "NONE"));
  } catch (const std::invalid_argument& e) {
    ctx.unsupported(e.what());
  }
  if (*act == Activation::Tanh || *act == Activation::SignBit)
    ctx.unsupported("fused activation " + ctx.enumOption("fused_activation_function"));
  return s;
}

// Row m of the matrix product is batch row m of the input.
struct FcRows {
  const uint8_t* in;
  size_t row_bytes;
};

void describeFcRow(const void* ctx, int64_t m, const void** runs) {
  const FcRows& r = *static_cast<const FcRows*>(ctx);
  runs[0] = r.in + static_cast<size_t>(m) * r.row_bytes;
}

RowSource fcRowSource(const FcRows& rows, int depth) {
  RowSource s;
  s.segments = 1;
  s.segment_len = depth;
  s.describe = describeFcRow;
  s.ctx = &rows;
  return s;
}

class FloatFcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    activationRangeFloat(act, &lo_, &hi_);
    if (const RuntimeTensor* b = ctx.optionalInput(2))
      if (b->type() != DType::Float32) ctx.invalid("float FULLY_CONNECTED needs a float bias");
    repack_ = !weightsAndBiasConstant(ctx);
  }
  void eval(KernelContext& ctx) override {
    const float* x = ctx.input(0).data<float>();
    const float* w = ctx.input(1).data<float>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    float* out = ctx.output(0).mutableData<float>();
    if (fastKernelsEnabled()) {
      const SimdLevel level = simdLevel();
      if (!gemm_.packedFor(level) || repack_)
        gemm_.pack(level, w, s_.units, s_.depth, b ? b->data<float>() : nullptr,
                   fullyConnectedSumsInFourLanes(s_.units) ? s_.depth : 0);
      FcRows rows{reinterpret_cast<const uint8_t*>(x), static_cast<size_t>(s_.depth) * sizeof(float)};
      return gemm_.run(s_.batches, fcRowSource(rows, s_.depth), lo_, hi_, out, s_.units);
    }
    // Sums in k order, or in four lanes where XNNPACK does (float_sum_order.h).
    const bool four_lanes = fullyConnectedSumsInFourLanes(s_.units);
    for (int n = 0; n < s_.batches; ++n)
      for (int u = 0; u < s_.units; ++u) {
        ProductSum sum(b ? b->data<float>()[u] : 0.f, four_lanes);
        const float* row = w + static_cast<size_t>(u) * s_.depth;
        const float* in = x + static_cast<size_t>(n) * s_.depth;
        for (int k = 0; k < s_.depth; ++k) sum.add(k, in[k] * row[k]);
        out[static_cast<size_t>(n) * s_.units + u] = std::min(std::max(sum.total(), lo_), hi_);
      }
  }

 private:
  FcShape s_;
  float lo_ = 0, hi_ = 0;
  bool repack_ = false;
  FloatGemm gemm_;
};

template <typename T>
class QuantFcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& w = ctx.input(1);
    RuntimeTensor& out = ctx.output(0);
    if (w.quant().scale.empty() || in.quant().scale.empty() || out.quant().scale.empty())
      ctx.invalid("quantized FULLY_CONNECTED without scales");
    if (const RuntimeTensor* b = ctx.optionalInput(2))
      if (b->type() != DType::Int32) ctx.invalid("quantized FULLY_CONNECTED needs an int32 bias");
    std::vector<float> w_scales = weightScales(ctx, w, s_.units, "units");
    int32_t lo = 0, hi = 0;
    fusedActivationRange(ctx.arithmetic, act, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo, &hi);
    rq_ = Requantizer(ctx.arithmetic, in.scale(), w_scales, out.scale(), s_.units, out.zeroPoint(), lo, hi);
    w_zp_ = weightZeroPoints(w, s_.units);
    repack_ = !weightsAndBiasConstant(ctx);
  }
  void eval(KernelContext& ctx) override {
    const T* x = ctx.input(0).data<T>();
    const T* w = ctx.input(1).data<T>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    const int32_t* bias = b ? b->data<int32_t>() : nullptr;
    T* out = ctx.output(0).mutableData<T>();
    const int32_t x_zp = ctx.input(0).zeroPoint();
    const bool is_unsigned = std::is_same<T, uint8_t>::value;
    if (fastKernelsEnabled()) {
      const SimdLevel level = simdLevel();
      if (!gemm_.packedFor(level) || repack_) gemm_.pack(level, w, is_unsigned, s_.units, s_.depth, w_zp_, bias);
      FcRows rows{reinterpret_cast<const uint8_t*>(x), static_cast<size_t>(s_.depth)};
      return gemm_.run(s_.batches, is_unsigned, x_zp, fcRowSource(rows, s_.depth), rq_, out, s_.units);
    }
    for (int n = 0; n < s_.batches; ++n)
      for (int u = 0; u < s_.units; ++u) {
        int32_t acc = bias ? bias[u] : 0;
        const T* row = w + static_cast<size_t>(u) * s_.depth;
        const T* in = x + static_cast<size_t>(n) * s_.depth;
        const int32_t wz = w_zp_[static_cast<size_t>(u)];
        for (int k = 0; k < s_.depth; ++k)
          acc += (static_cast<int32_t>(in[k]) - x_zp) * (static_cast<int32_t>(row[k]) - wz);
        out[static_cast<size_t>(n) * s_.units + u] = static_cast<T>(rq_(acc, u));
      }
  }

 private:
  FcShape s_;
  Requantizer rq_;
  std::vector<int32_t> w_zp_;
  bool repack_ = false;
  QuantGemm gemm_;
};

// 16x8: TFLite's reference kernel in both arithmetics.
class Int16FcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& w = ctx.input(1);
    RuntimeTensor& out = ctx.output(0);
    if (w.quant().scale.empty() || in.quant().scale.empty() || out.quant().scale.empty())
      ctx.invalid("16x8 FULLY_CONNECTED without scales");
    weightScales(ctx, w, s_.units, "units");
    const RuntimeTensor* b = ctx.optionalInput(2);
    if (b && b->type() != DType::Int64 && b->type() != DType::Int32)
      ctx.invalid("16x8 FULLY_CONNECTED needs an int64 or int32 bias");
    wide_ = b && b->type() == DType::Int64;
    int32_t lo = 0, hi = 0;
    activationRangeQuantized(act, out.scale(), out.zeroPoint(), qmin<int16_t>(), qmax<int16_t>(), &lo, &hi);
    rq_ = std::make_unique<Requantizer16x8>(ctx.arithmetic, true, in.scale(), w.quant().scale, out.scale(), s_.units,
                                            out.zeroPoint(), lo, hi);
    w_zp_ = weightZeroPoints(w, s_.units);
  }
  void eval(KernelContext& ctx) override {
    if (wide_) run<int64_t>(ctx);
    else run<int32_t>(ctx);
  }

 private:
  template <typename TAcc>
  void run(KernelContext& ctx) {
    const int16_t* x = ctx.input(0).data<int16_t>();
    const int8_t* w = ctx.input(1).data<int8_t>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    int16_t* out = ctx.output(0).mutableData<int16_t>();
    const int32_t x_zp = ctx.input(0).zeroPoint();
    for (int n = 0; n < s_.batches; ++n)
      for (int u = 0; u < s_.units; ++u) {
        TAcc acc = 0;
        const int8_t* row = w + static_cast<size_t>(u) * s_.depth;
        const int16_t* in = x + static_cast<size_t>(n) * s_.depth;
        const int32_t wz = w_zp_[static_cast<size_t>(u)];
        for (int k = 0; k < s_.depth; ++k)
          acc += static_cast<TAcc>((static_cast<int32_t>(in[k]) - x_zp) * (static_cast<int32_t>(row[k]) - wz));
        if (b) acc += b->type() == DType::Int64 ? static_cast<TAcc>(b->data<int64_t>()[u]) : b->data<int32_t>()[u];
        out[static_cast<size_t>(n) * s_.units + u] = static_cast<int16_t>((*rq_)(acc, u));
      }
  }

  FcShape s_;
  bool wide_ = false;
  std::unique_ptr<Requantizer16x8> rq_;
  std::vector<int32_t> w_zp_;
};

class HybridFcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    activationRangeFloat(act, &lo_, &hi_);
    asymmetric_ = ctx.boolOption("asymmetric_quantize_inputs");
    w_scale_ = weightScales(ctx, ctx.input(1), s_.units, "units");
    if (const RuntimeTensor* b = ctx.optionalInput(2))
      if (b->type() != DType::Float32) ctx.invalid("hybrid FULLY_CONNECTED needs a float bias");
    repack_ = !ctx.input(1).isConstant();
  }
  void eval(KernelContext& ctx) override {
    const float* x = ctx.input(0).data<float>();
    const int8_t* w = ctx.input(1).data<int8_t>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    float* out = ctx.output(0).mutableData<float>();
    q_.resize(static_cast<size_t>(s_.depth));
    std::vector<float> scale(static_cast<size_t>(s_.units));
    FloatOutputStage stage;
    stage.scale = scale.data();
    stage.bias = b ? b->data<float>() : nullptr;
    stage.lo = lo_, stage.hi = hi_;
    const bool fast = fastKernelsEnabled();
    const SimdLevel level = simdLevel();
    if (fast && (!gemm_.packedFor(level) || repack_))
      gemm_.pack(level, w, false, s_.units, s_.depth, std::vector<int32_t>(static_cast<size_t>(s_.units), 0), nullptr);
    for (int n = 0; n < s_.batches; ++n) {
      const float* in = x + static_cast<size_t>(n) * s_.depth;
      // The row ~ row_scale * (q - zero_point).
      float row_scale = 1.f;
      int32_t zp = 0;
      if (asymmetric_) {
        AsymmetricQuantization aq = fast ? quantizeAsymmetricFast(level, in, q_.size(), q_.data())
                                         : quantizeAsymmetric(in, q_.size(), q_.data());
        row_scale = aq.scale, zp = aq.zero_point;
      } else {
        row_scale = fast ? quantizeSymmetricFast(level, in, q_.size(), q_.data())
                         : quantizeSymmetric(in, q_.size(), q_.data());
      }
      for (size_t u = 0; u < scale.size(); ++u) scale[u] = row_scale * w_scale_[u];
      float* o = out + static_cast<size_t>(n) * s_.units;
      if (fast) {
        FcRows rows{reinterpret_cast<const uint8_t*>(q_.data()), static_cast<size_t>(s_.depth)};
        gemm_.runFloat(1, zp, fcRowSource(rows, s_.depth), stage, o, s_.units);
        continue;
      }
      for (int u = 0; u < s_.units; ++u) {
        const int8_t* row = w + static_cast<size_t>(u) * s_.depth;
        int32_t acc = 0;
        for (int k = 0; k < s_.depth; ++k) acc += (static_cast<int32_t>(q_[static_cast<size_t>(k)]) - zp) * row[k];
        float v = static_cast<float>(acc) * scale[static_cast<size_t>(u)];
        if (stage.bias) v += stage.bias[u];
        o[u] = std::min(std::max(v, lo_), hi_);
      }
    }
  }

 private:
  FcShape s_;
  float lo_ = 0, hi_ = 0;
  bool asymmetric_ = false;
  bool repack_ = false;
  std::vector<float> w_scale_;
  std::vector<int8_t> q_;  // one quantized input row
  QuantGemm gemm_;
};

std::unique_ptr<Kernel> makeFcKernel(const KernelContext& ctx) {
  if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
  const DType in = ctx.in[0]->type(), w = ctx.in[1]->type();
  if (in == DType::Float32 && w == DType::Float32) return std::make_unique<FloatFcKernel>();
  if (in == DType::Float32 && w == DType::Int8) return std::make_unique<HybridFcKernel>();
  if (in == DType::UInt8 && w == DType::UInt8) return std::make_unique<QuantFcKernel<uint8_t>>();
  if (in == DType::Int8 && w == DType::Int8) return std::make_unique<QuantFcKernel<int8_t>>();
  if (in == DType::Int16 && w == DType::Int8) return std::make_unique<Int16FcKernel>();
  return nullptr;
}

}  // namespace

void registerFullyConnectedKernels(KernelRegistry& r) { r.add("FULLY_CONNECTED", makeFcKernel); }

}  // namespace ql
