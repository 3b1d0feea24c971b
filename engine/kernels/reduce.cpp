// MEAN, SUM and REDUCE_MAX over the axes of a constant axis tensor (negative axes count from the end, repeats
// are ignored), keep_dims or not.
//
// Who computes what in TFLite's CPU runtime: the XNNPACK delegate takes all three for float32, int8 and uint8
// (xnn_define_static_reduce_v2); int16 stays with TFLite's builtin kernels.
//  - float MEAN/SUM, Deployed: XNNPACK's summation order, reproduced exactly (see xnnpackFloatReduce below), the
//    sum of each microkernel call times 1/count (MEAN) added to the output. Reference: TFLite's reference_ops::
//    Mean/Sum, the row-major sum, divided by the count for MEAN.
//  - quantized MEAN/SUM, Deployed (XNNPACK, 8-bit): the raw int32 sum converted with one float multiply-add,
//      y = nearbyint(sum * s + z),  s = (s_in / s_out) * (1 / count)  (MEAN; 1 for SUM),
//                                   z = zp_out - (count * zp_in) * s,
//    saturated (XNNPACK's int32 -> qint8 convert after its qs8 rsum/rdsum kernels).
//    Reference (and int16 MEAN always): TFLite's reference QuantizedMeanOrSum: sum - count * zp_in, times the
//    multiplier of s_in / s_out, which MEAN divides by the count in fixed point first
//    ((multiplier << k) / count, shift - k, k = floor(log2(count)) clamped).
//    int16 SUM, Deployed: TFLite's optimized kernel, round(sum * s + bias) + zp_out in float.
//  - REDUCE_MAX: the largest raw value; quantized tensors are not rescaled (neither XNNPACK nor TFLite does).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

enum class Reduce { Mean, Sum, Max };

// Which input elements each output element reduces. The input dims are normalized as XNNPACK does: runs of
// adjacent reduced (or kept) dims merged into one.
struct ReducePlan {
  std::vector<int32_t> out_shape;
  std::vector<int64_t> dims;     // normalized input dims
  std::vector<bool> reduced;     // per normalized dim
  std::vector<int64_t> strides;  // row-major strides of the normalized dims
  int64_t outputs = 1, count = 1;
};

// Offsets of a row-major walk over the dims selected by `pick`, in row-major order.
std::vector<int64_t> walkOffsets(const ReducePlan& p, bool pick) {
  std::vector<int64_t> offsets{0};
  for (size_t d = 0; d < p.dims.size(); ++d) {
    if (p.reduced[d] != pick) continue;
    std::vector<int64_t> next;
    next.reserve(offsets.size() * static_cast<size_t>(p.dims[d]));
    for (int64_t base : offsets)
      for (int64_t i = 0; i < p.dims[d]; ++i) next.push_back(base + i * p.strides[d]);
    offsets.swap(next);
  }
  return offsets;
}

ReducePlan planReduction(KernelContext& ctx) {
  const RuntimeTensor& in = ctx.input(0);
  const int rank = in.rank();
  std::vector<bool> reduced(static_cast<size_t>(rank), false);
  for (int64_t a : integerValues(ctx, constantInput(ctx, 1, "axis"))) {
    int64_t x = a < 0 ? a + rank : a;
    if (x < 0 || x >= rank) ctx.invalid("axis " + std::to_string(a) + " out of range for rank " + std::to_string(rank));
    reduced[static_cast<size_t>(x)] = true;
  }
  const bool keep = ctx.boolOption("keep_dims");
  ReducePlan p;
  for (int d = 0; d < rank; ++d) {
    const bool r = reduced[static_cast<size_t>(d)];
    if (!r) p.out_shape.push_back(in.dim(d));
    else if (keep) p.out_shape.push_back(1);
    if (in.dim(d) < 0) ctx.invalid("negative dimension");
    if (!p.dims.empty() && p.reduced.back() == r) {
      p.dims.back() *= in.dim(d);
    } else {
      p.dims.push_back(in.dim(d));
      p.reduced.push_back(r);
    }
    (r ? p.count : p.outputs) *= in.dim(d);
  }
  p.strides.assign(p.dims.size(), 1);
  for (size_t i = p.dims.size(); i-- > 1;) p.strides[i - 1] = p.strides[i] * p.dims[i];
  ctx.output(0).resize(p.out_shape);
  return p;
}

// --- XNNPACK's float summation ---------------------------------------------------------------------------------

// f32 rsum (wasmsimd u16 acc4): four 4-lane accumulators over blocks of 16, up to three more blocks of 4 into
// accumulators 0..2, then (acc0 + acc2) + (acc1 + acc3), lanes folded (0+2, 1+3), a 2-element tail added, lanes
// 0 and 1 added, a 1-element tail added.
float xnnpackRowSum(const float* x, int64_t n) {
  float acc[4][4] = {};
  int64_t i = 0;
  for (; n - i >= 16; i += 16)
    for (int a = 0; a < 4; ++a)
      for (int l = 0; l < 4; ++l) acc[a][l] = acc[a][l] + x[i + 4 * a + l];
  for (int a = 0; a < 3 && n - i >= 4; ++a, i += 4)
    for (int l = 0; l < 4; ++l) acc[a][l] = acc[a][l] + x[i + l];
  float v[4];
  for (int l = 0; l < 4; ++l) v[l] = (acc[0][l] + acc[2][l]) + (acc[1][l] + acc[3][l]);
  float lane0 = v[0] + v[2], lane1 = v[1] + v[3];
  const int64_t tail = n - i;
  if (tail & 2) {
    lane0 = lane0 + x[i], lane1 = lane1 + x[i + 1];
    i += 2;
  }
  float sum = lane0 + lane1;
  if (tail & 1) sum = sum + x[i];
  return sum;
}

// The normalized dims right-aligned in XNNPACK's six: reduced dims at 1, 3, 5 when the innermost dim is reduced
// ("contiguous"), at 0, 2, 4 otherwise. False when they do not fit in six.
bool sixDims(const ReducePlan& p, std::array<int64_t, 6>* dims, std::array<int64_t, 6>* strides) {
  if (p.dims.size() > 6) return false;
  dims->fill(1);
  strides->fill(0);
  const size_t shift = 6 - p.dims.size();
  for (size_t d = 0; d < p.dims.size(); ++d) (*dims)[shift + d] = p.dims[d], (*strides)[shift + d] = p.strides[d];
  return true;
}

// MEAN/SUM as XNNPACK sums floats. Contiguous: for each output, over dims 1 and 3 in order, the row of dim 5
// summed by xnnpackRowSum, times scale, added to the output. Otherwise (rdsum 7p7x): for each output, over dims
// 0 and 2 in order, dim 4 summed in order, times scale, added to the output.
bool xnnpackFloatReduce(const ReducePlan& p, float scale, const float* in, float* out) {
  std::array<int64_t, 6> d, s;
  // A plan without dims (a scalar, or dims of 1 only) has no innermost dim to ask about: the plain loops take it
  // (the run fuzzer's finding).
  if (p.reduced.empty() || !sixDims(p, &d, &s)) return false;
  const bool contiguous = p.reduced.back();
  int64_t o = 0;
  if (contiguous) {
    for (int64_t i0 = 0; i0 < d[0]; ++i0)
      for (int64_t i2 = 0; i2 < d[2]; ++i2)
        for (int64_t i4 = 0; i4 < d[4]; ++i4, ++o) {
          float acc = 0.f;
          for (int64_t i1 = 0; i1 < d[1]; ++i1)
            for (int64_t i3 = 0; i3 < d[3]; ++i3)
              acc = acc + xnnpackRowSum(in + i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4], d[5]) * scale;
          out[o] = acc;
        }
    return true;
  }
  for (int64_t i1 = 0; i1 < d[1]; ++i1)
    for (int64_t i3 = 0; i3 < d[3]; ++i3)
      for (int64_t i5 = 0; i5 < d[5]; ++i5, ++o) {
        const float* base = in + i1 * s[1] + i3 * s[3] + i5 * s[5];
        float acc = 0.f;
        for (int64_t i0 = 0; i0 < d[0]; ++i0)
          for (int64_t i2 = 0; i2 < d[2]; ++i2) {
            float rows = 0.f;
            for (int64_t i4 = 0; i4 < d[4]; ++i4) rows = base[i0 * s[0] + i2 * s[2] + i4 * s[4]] + rows;
            acc = acc + rows * scale;
          }
        out[o] = acc;
      }
  return true;
}

// --- kernels -----------------------------------------------------------------------------------------------------

class ReduceKernelBase : public Kernel {
 public:
  explicit ReduceKernelBase(Reduce op) : op_(op) {}
  void prepare(KernelContext& ctx) override {
    if (ctx.output(0).type() != ctx.input(0).type()) ctx.invalid("input and output types differ");
    plan_ = planReduction(ctx);
    // The offset tables hold one int64 per output element and one per element of a reduced group (either may be
    // huge when the other is empty: a damaged [1, 0, 2^30] input).
    const double table_bytes = (static_cast<double>(plan_.outputs) + static_cast<double>(plan_.count)) * 8;
    ctx.checkScratch(table_bytes >= static_cast<double>(SIZE_MAX) ? SIZE_MAX : static_cast<size_t>(table_bytes),
                     "its offset tables for " + ctx.input(0).describe());
    kept_ = walkOffsets(plan_, false);
    taps_ = walkOffsets(plan_, true);
    prepareValues(ctx);
  }

 protected:
  virtual void prepareValues(KernelContext&) {}
  // Calls f(output_index, input offsets base + taps_[k]) for each output element.
  template <typename F>
  void forEachOutput(F&& f) const {
    for (size_t o = 0; o < kept_.size(); ++o) f(o, kept_[o]);
  }

  Reduce op_;
  ReducePlan plan_;
  std::vector<int64_t> kept_, taps_;  // input offset of each output's first element; offsets within a group
};

class FloatReduceKernel : public ReduceKernelBase {
 public:
  using ReduceKernelBase::ReduceKernelBase;
  void prepareValues(KernelContext& ctx) override { xnnpack_ = ctx.arithmetic == Arithmetic::Deployed; }
  void eval(KernelContext& ctx) override {
    const float* in = ctx.input(0).data<float>();
    float* out = ctx.output(0).mutableData<float>();
    if (op_ != Reduce::Max && xnnpack_ && plan_.count > 0) {
      const float scale = op_ == Reduce::Mean ? 1.0f / static_cast<float>(plan_.count) : 1.0f;
      if (xnnpackFloatReduce(plan_, scale, in, out)) return;
    }
    forEachOutput([&](size_t o, int64_t base) {
      float acc = op_ == Reduce::Max ? -std::numeric_limits<float>::infinity() : 0.f;
      for (int64_t t : taps_) acc = op_ == Reduce::Max ? std::max(acc, in[base + t]) : acc + in[base + t];
      if (op_ == Reduce::Mean) acc /= static_cast<float>(plan_.count);  // 0 / 0 = NaN for an empty reduction
      out[o] = acc;
    });
  }

 private:
  bool xnnpack_ = true;
};

template <typename T>
class QuantReduceKernel : public ReduceKernelBase {
 public:
  using ReduceKernelBase::ReduceKernelBase;
  void prepareValues(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    const RuntimeTensor& out = ctx.output(0);
    if (op_ == Reduce::Max) return;
    if (!in.quant().hasScale() || !out.quant().hasScale()) ctx.invalid("quantized reduction without scales");
    if (in.quant().perChannel() || out.quant().perChannel()) ctx.unsupported("per-channel quantized reduction");
    in_zp_ = in.zeroPoint(), out_zp_ = out.zeroPoint();
    const bool eight_bit = !std::is_same_v<T, int16_t>;
    mode_ = ctx.arithmetic == Arithmetic::Reference ? Mode::FixedPoint
            : eight_bit                             ? Mode::Xnnpack
            : op_ == Reduce::Sum                    ? Mode::TfliteFloatSum
                                                    : Mode::FixedPoint;
    const float ratio = in.scale() / out.scale();
    const float count = static_cast<float>(plan_.count);
    // XNNPACK: s = (s_in / s_out) * (1 / count), z = zp_out - (count * zp_in) * s.
    xnn_scale_ = op_ == Reduce::Mean ? ratio * (1.0f / count) : ratio;
    xnn_zero_ = static_cast<float>(out_zp_) - (count * static_cast<float>(in_zp_)) * xnn_scale_;
    // TFLite's optimized int16 SUM: round(sum * ratio + bias) + zp_out, bias = -zp_in * ratio * count.
    float_ratio_ = ratio;
    float_bias_ = -static_cast<float>(in_zp_) * ratio * count;
    // TFLite's reference: the multiplier of s_in / s_out (in double), divided by the count for MEAN.
    quantizeMultiplier(static_cast<double>(in.scale()) / static_cast<double>(out.scale()), &multiplier_, &shift_);
    if (op_ == Reduce::Mean && plan_.count > 0) {
      int k = 0;
      while ((plan_.count >> (k + 1)) != 0) ++k;  // floor(log2(count))
      k = std::min(k, 32);
      k = std::max(0, std::min(k, 31 + shift_));
      multiplier_ = static_cast<int32_t>((static_cast<int64_t>(multiplier_) << k) / plan_.count);
      shift_ -= k;
    }
  }
  void eval(KernelContext& ctx) override {
    const T* in = ctx.input(0).data<T>();
    T* out = ctx.output(0).mutableData<T>();
    forEachOutput([&](size_t o, int64_t base) {
      if (op_ == Reduce::Max) {
        T m = std::numeric_limits<T>::lowest();
        for (int64_t t : taps_) m = std::max(m, in[base + t]);
        out[o] = m;
        return;
      }
      int64_t sum = 0;
      for (int64_t t : taps_) sum += in[base + t];
      out[o] = static_cast<T>(std::min(std::max(requantizeSum(sum), qmin<T>()), qmax<T>()));
    });
  }

 private:
  enum class Mode { Xnnpack, FixedPoint, TfliteFloatSum };

  int32_t requantizeSum(int64_t sum) const {
    if (plan_.count == 0) return 0;
    switch (mode_) {
      case Mode::Xnnpack: {
        float y = std::nearbyint(static_cast<float>(static_cast<int32_t>(sum)) * xnn_scale_ + xnn_zero_);
        return static_cast<int32_t>(std::min(std::max(y, float(qmin<T>())), float(qmax<T>())));
      }
      case Mode::TfliteFloatSum: {
        float y = std::round(static_cast<float>(sum) * float_ratio_ + float_bias_) + static_cast<float>(out_zp_);
        return static_cast<int32_t>(std::min(std::max(y, float(qmin<T>())), float(qmax<T>())));
      }
      case Mode::FixedPoint:
      default: {
        const auto centered = static_cast<int32_t>(sum - plan_.count * in_zp_);
        return multiplyByQuantizedMultiplier(centered, multiplier_, shift_) + out_zp_;
      }
    }
  }

  Mode mode_ = Mode::Xnnpack;
  int32_t in_zp_ = 0, out_zp_ = 0, multiplier_ = 0;
  int shift_ = 0;
  float xnn_scale_ = 0, xnn_zero_ = 0, float_ratio_ = 0, float_bias_ = 0;
};

KernelFactory reduce(Reduce op) {
  return [op](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1]) return nullptr;
    switch (ctx.in[0]->type()) {
      case DType::Float32: return std::make_unique<FloatReduceKernel>(op);
      case DType::Int8: return std::make_unique<QuantReduceKernel<int8_t>>(op);
      case DType::UInt8: return std::make_unique<QuantReduceKernel<uint8_t>>(op);
      case DType::Int16: return std::make_unique<QuantReduceKernel<int16_t>>(op);
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
