// FULLY_CONNECTED: input [..., K] seen as [batches, K], weights [O, K], optional bias [O]; output [batches, O]
// (or the input's shape with its last dimension O when keep_num_dims). Float, quantized (uint8 / int8, weights
// per-tensor or per-channel) and hybrid (float input, int8 weights; the input quantized per batch row,
// symmetrically or, with asymmetric_quantize_inputs, asymmetrically, as TFLite's hybrid kernel does).
#include <algorithm>
#include <cstring>

#include "kernels/families.h"
#include "kernels/hybrid_quantize.h"
#include "kernels/int16_dot.h"
#include "kernels/requantize.h"
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
  return s;
}

class FloatFcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    activationRangeFloat(act, &lo_, &hi_);
  }
  void eval(KernelContext& ctx) override {
    const float* x = ctx.input(0).data<float>();
    const float* w = ctx.input(1).data<float>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    float* out = ctx.output(0).mutableData<float>();
    for (int n = 0; n < s_.batches; ++n)
      for (int u = 0; u < s_.units; ++u) {
        float acc = b ? b->data<float>()[u] : 0.f;
        const float* row = w + static_cast<size_t>(u) * s_.depth;
        const float* in = x + static_cast<size_t>(n) * s_.depth;
        for (int k = 0; k < s_.depth; ++k) acc += in[k] * row[k];
        out[static_cast<size_t>(n) * s_.units + u] = std::min(std::max(acc, lo_), hi_);
      }
  }

 private:
  FcShape s_;
  float lo_ = 0, hi_ = 0;
};

template <typename T>
class QuantFcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    const RuntimeTensor& w = ctx.input(1);
    RuntimeTensor& out = ctx.output(0);
    if (w.quant().scale.empty() || ctx.input(0).quant().scale.empty() || out.quant().scale.empty())
      ctx.invalid("quantized FULLY_CONNECTED without scales");
    int32_t lo = 0, hi = 0;
    fusedActivationRange(ctx.arithmetic, act, out.scale(), out.zeroPoint(), qmin<T>(), qmax<T>(), &lo, &hi);
    rq_ = std::make_unique<Requantizer>(ctx.arithmetic, ctx.input(0).scale(), w.quant().scale, out.scale(), s_.units,
                                        out.zeroPoint(), lo, hi);
    w_zp_.assign(static_cast<size_t>(s_.units), 0);
    const auto& zp = w.quant().zero_point;
    for (int u = 0; u < s_.units; ++u)
      w_zp_[static_cast<size_t>(u)] = zp.empty() ? 0 : static_cast<int32_t>(zp.size() > 1 ? zp[static_cast<size_t>(u)] : zp[0]);
  }
  void eval(KernelContext& ctx) override {
    const T* x = ctx.input(0).data<T>();
    const T* w = ctx.input(1).data<T>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    T* out = ctx.output(0).mutableData<T>();
    const int32_t x_zp = ctx.input(0).zeroPoint();
    if (!usePlainKernels()) {
      // Zero points folded into int16 copies once; each output is one dot product (int16_dot.h).
      if (w16_.empty()) {
        w16_.resize(static_cast<size_t>(s_.units) * s_.depth);
        for (size_t i = 0; i < w16_.size(); ++i)
          w16_[i] = static_cast<int16_t>(static_cast<int32_t>(w[i]) - w_zp_[i / static_cast<size_t>(s_.depth)]);
      }
      std::vector<int16_t> x16(static_cast<size_t>(s_.depth));
      for (int n = 0; n < s_.batches; ++n) {
        for (int k = 0; k < s_.depth; ++k)
          x16[static_cast<size_t>(k)] = static_cast<int16_t>(static_cast<int32_t>(x[static_cast<size_t>(n) * s_.depth + k]) - x_zp);
        for (int u = 0; u < s_.units; ++u) {
          int32_t acc = (b ? b->data<int32_t>()[u] : 0) + dotInt16(x16.data(), &w16_[static_cast<size_t>(u) * s_.depth], s_.depth);
          out[static_cast<size_t>(n) * s_.units + u] = static_cast<T>((*rq_)(acc, u));
        }
      }
      return;
    }
    for (int n = 0; n < s_.batches; ++n)
      for (int u = 0; u < s_.units; ++u) {
        int32_t acc = b ? b->data<int32_t>()[u] : 0;
        const T* row = w + static_cast<size_t>(u) * s_.depth;
        const T* in = x + static_cast<size_t>(n) * s_.depth;
        const int32_t wz = w_zp_[static_cast<size_t>(u)];
        for (int k = 0; k < s_.depth; ++k)
          acc += (static_cast<int32_t>(in[k]) - x_zp) * (static_cast<int32_t>(row[k]) - wz);
        out[static_cast<size_t>(n) * s_.units + u] = static_cast<T>((*rq_)(acc, u));
      }
  }

 private:
  FcShape s_;
  std::unique_ptr<Requantizer> rq_;
  std::vector<int32_t> w_zp_;
  std::vector<int16_t> w16_;  // weights minus their zero points, made on first use
};

class HybridFcKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    Activation act;
    s_ = prepareShape(ctx, &act);
    activationRangeFloat(act, &lo_, &hi_);
    asymmetric_ = ctx.boolOption("asymmetric_quantize_inputs");
    const auto& sc = ctx.input(1).quant().scale;
    if (sc.empty()) ctx.invalid("int8 weights without a scale");
    w_scale_.resize(static_cast<size_t>(s_.units));
    for (int u = 0; u < s_.units; ++u) w_scale_[static_cast<size_t>(u)] = sc.size() > 1 ? sc[static_cast<size_t>(u)] : sc[0];
  }
  void eval(KernelContext& ctx) override {
    const float* x = ctx.input(0).data<float>();
    const int8_t* w = ctx.input(1).data<int8_t>();
    const RuntimeTensor* b = ctx.optionalInput(2);
    float* out = ctx.output(0).mutableData<float>();
    std::vector<int8_t> q(static_cast<size_t>(s_.depth));
    for (int n = 0; n < s_.batches; ++n) {
      const float* in = x + static_cast<size_t>(n) * s_.depth;
      float scale = 1.f;
      int32_t zp = 0;
      if (asymmetric_) {
        AsymmetricQuantization aq = quantizeAsymmetric(in, q.size(), q.data());
        scale = aq.scale, zp = aq.zero_point;
      } else {
        scale = quantizeSymmetric(in, q.size(), q.data());
      }
      for (int u = 0; u < s_.units; ++u) {
        const int8_t* row = w + static_cast<size_t>(u) * s_.depth;
        int32_t acc = 0;
        for (int k = 0; k < s_.depth; ++k) acc += (static_cast<int32_t>(q[static_cast<size_t>(k)]) - zp) * row[k];
        float v = (b ? b->data<float>()[u] : 0.f) + static_cast<float>(acc) * scale * w_scale_[static_cast<size_t>(u)];
        out[static_cast<size_t>(n) * s_.units + u] = std::min(std::max(v, lo_), hi_);
      }
    }
  }

 private:
  FcShape s_;
  float lo_ = 0, hi_ = 0;
  bool asymmetric_ = false;
  std::vector<float> w_scale_;
};

std::unique_ptr<Kernel> makeFcKernel(const KernelContext& ctx) {
  if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
  DType in = ctx.in[0]->type(), w = ctx.in[1]->type();
  if (in == DType::Float32 && w == DType::Float32) return std::make_unique<FloatFcKernel>();
  if (in == DType::Float32 && w == DType::Int8) return std::make_unique<HybridFcKernel>();
  if (in == DType::UInt8 && w == DType::UInt8) return std::make_unique<QuantFcKernel<uint8_t>>();
  if (in == DType::Int8 && w == DType::Int8) return std::make_unique<QuantFcKernel<int8_t>>();
  return nullptr;
}

}  // namespace

void registerFullyConnectedKernels(KernelRegistry& r) { r.add("FULLY_CONNECTED", makeFcKernel); }

}  // namespace ql
