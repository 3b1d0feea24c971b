// CONCATENATION, SPLIT, SPLIT_V, PACK, UNPACK: data movement along one axis, by bytes. CONCATENATION of 8-bit
// inputs whose scale or zero point differ from the output's requantizes them the way TFLite does
// (round(x * s_in / s_out + bias) in float).
#include <cmath>
#include <cstring>

#include "kernels/families.h"
#include "kernels/quant_math.h"
#include "kernels/quant_params.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

// outer = product of dims before axis; inner = product of dims from axis on (in elements).
int64_t outerSize(const std::vector<int32_t>& s, int axis) {
  int64_t n = 1;
  for (int i = 0; i < axis; ++i) n *= s[static_cast<size_t>(i)];
  return n;
}
int64_t innerSize(const std::vector<int32_t>& s, int axis) {
  int64_t n = 1;
  for (size_t i = static_cast<size_t>(axis); i < s.size(); ++i) n *= s[i];
  return n;
}

// A scalar has no axis to join or cut along (the run fuzzer made a rank-0 CONCATENATION input).
int axisOf(const KernelContext& ctx, int64_t axis, int rank) {
  if (rank < 1) ctx.invalid("a scalar has no axis to concatenate or split along");
  try {
    return normalizeAxis(static_cast<int>(axis), rank);
  } catch (const std::invalid_argument& e) {
    ctx.invalid(e.what());
  }
}

// These ops move bytes: every input that carries data and every output must be of one type (a damaged file's
// output of another type would be written past its end).
void requireOneType(const KernelContext& ctx, const RuntimeTensor& data, const std::vector<size_t>& inputs) {
  for (size_t i : inputs)
    if (ctx.input(i).type() != data.type()) ctx.invalid("inputs differ in type");
  for (size_t i = 0; i < ctx.out.size(); ++i)
    if (ctx.output(i).type() != data.type())
      ctx.invalid("output " + std::to_string(i) + " is " + dtypeName(ctx.output(i).type()) + " but the data is " +
                  dtypeName(data.type()));
}

class ConcatKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& first = ctx.input(0);
    axis_ = axisOf(ctx, ctx.intOption("axis", 0), first.rank());
    std::vector<int32_t> shape = first.shape();
    shape[static_cast<size_t>(axis_)] = 0;
    for (size_t i = 0; i < ctx.inputCount(); ++i) {
      const RuntimeTensor& t = ctx.input(i);
      if (t.rank() != first.rank() || t.type() != first.type()) ctx.invalid("inputs differ in rank or type");
      for (int d = 0; d < t.rank(); ++d)
        if (d != axis_ && t.dim(d) != first.dim(d)) ctx.invalid("inputs differ outside the concatenation axis");
      shape[static_cast<size_t>(axis_)] += t.dim(axis_);
    }
    requireOneType(ctx, first, {});
    ctx.output(0).resize(shape);
    Activation act = Activation::None;
    try {
      act = activationFromName(ctx.enumOption("fused_activation_function", "NONE"));
    } catch (const std::invalid_argument& e) {
      ctx.unsupported(e.what());
    }
    if (first.type() == DType::Float32) activationRangeFloat(act, &lo_, &hi_);
    else if (act != Activation::None) ctx.unsupported("a fused activation on a quantized CONCATENATION");
  }
  void eval(KernelContext& ctx) override {
    RuntimeTensor& out = ctx.output(0);
    const size_t elem = dtypeSize(out.type());
    const int64_t outer = outerSize(out.shape(), axis_);
    const int64_t out_inner = innerSize(out.shape(), axis_);
    int64_t offset = 0;
    for (size_t i = 0; i < ctx.inputCount(); ++i) {
      const RuntimeTensor& t = ctx.input(i);
      const int64_t inner = innerSize(t.shape(), axis_);
      for (int64_t o = 0; o < outer; ++o) {
        uint8_t* dst = out.mutableRaw() + (o * out_inner + offset) * static_cast<int64_t>(elem);
        const uint8_t* src = t.raw() + o * inner * static_cast<int64_t>(elem);
        copyPart(t, out, src, dst, inner);
      }
      offset += inner;
    }
    if (out.type() == DType::Float32 && (lo_ > -INFINITY || hi_ < INFINITY)) {
      float* v = out.mutableData<float>();
      for (int64_t k = 0, n = out.elements(); k < n; ++k) v[k] = std::min(std::max(v[k], lo_), hi_);
    }
  }

 private:
  static void copyPart(const RuntimeTensor& in, const RuntimeTensor& out, const uint8_t* src, uint8_t* dst, int64_t n) {
    bool same = in.quant().scale == out.quant().scale && in.quant().zero_point == out.quant().zero_point;
    if (same || (in.type() != DType::UInt8 && in.type() != DType::Int8)) {
      std::memcpy(dst, src, static_cast<size_t>(n) * dtypeSize(in.type()));
      return;
    }
    const float scale = in.scale() / out.scale();
    const float bias = -static_cast<float>(in.zeroPoint()) * scale;
    // Saturating before the cast: a damaged scale can make the value huge or NaN (the run fuzzer's finding).
    const int32_t zero_point = out.zeroPoint();
    for (int64_t k = 0; k < n; ++k) {
      if (in.type() == DType::UInt8) {
        dst[k] = static_cast<uint8_t>(clampTo(zeroPointPlusRounded(zero_point, src[k] * scale + bias), 0, 255));
      } else {
        const float x = static_cast<int8_t>(src[k]) * scale + bias;
        dst[k] = static_cast<uint8_t>(static_cast<int8_t>(clampTo(zeroPointPlusRounded(zero_point, x), -128, 127)));
      }
    }
  }
  int axis_ = 0;
  float lo_ = -INFINITY, hi_ = INFINITY;
};

// SPLIT (axis tensor, then the input), SPLIT_V (input, sizes, axis), UNPACK (input; axis option; the axis drops).
class SplitKernel : public Kernel {
 public:
  enum class Kind { Split, SplitV, Unpack };
  explicit SplitKernel(Kind kind) : kind_(kind) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = input(ctx);
    int64_t axis = 0;
    if (kind_ == Kind::Split) axis = scalar(ctx, ctx.input(0));
    else if (kind_ == Kind::SplitV) axis = scalar(ctx, ctx.input(2));
    else axis = ctx.intOption("axis", 0);
    axis_ = axisOf(ctx, axis, in.rank());
    const int n = static_cast<int>(ctx.out.size());
    requireOneType(ctx, in, {});
    int32_t dim = in.dim(axis_);
    sizes_.assign(static_cast<size_t>(n), 0);
    if (kind_ == Kind::SplitV) {
      const RuntimeTensor& s = ctx.input(1);
      if (s.elements() != n) ctx.invalid("size_splits has " + std::to_string(s.elements()) + " values");
      int unknown = -1, known = 0;
      for (int i = 0; i < n; ++i) {
        int32_t v = s.type() == DType::Int64 ? static_cast<int32_t>(s.data<int64_t>()[i]) : s.data<int32_t>()[i];
        if (v == -1) unknown = i;
        else if (v < 0) ctx.invalid("size_splits holds " + std::to_string(v));
        else known += v;
        sizes_[static_cast<size_t>(i)] = v;
      }
      if (unknown >= 0) sizes_[static_cast<size_t>(unknown)] = dim - known;
      if (unknown >= 0 && dim < known) ctx.invalid("size_splits add up to more than the dimension");
    } else {
      if (n == 0 || dim % n != 0) ctx.invalid("dimension " + std::to_string(dim) + " does not split into " + std::to_string(n));
      for (int i = 0; i < n; ++i) sizes_[static_cast<size_t>(i)] = dim / n;
    }
    int32_t total = 0;
    for (int i = 0; i < n; ++i) {
      total += sizes_[static_cast<size_t>(i)];
      std::vector<int32_t> shape = in.shape();
      if (kind_ == Kind::Unpack) shape.erase(shape.begin() + axis_);
      else shape[static_cast<size_t>(axis_)] = sizes_[static_cast<size_t>(i)];
      ctx.output(static_cast<size_t>(i)).resize(shape);
    }
    if (total != dim) ctx.invalid("split sizes do not add up to the dimension");
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in = input(ctx);
    const size_t elem = dtypeSize(in.type());
    const int64_t outer = outerSize(in.shape(), axis_);
    const int64_t in_inner = innerSize(in.shape(), axis_);
    const int64_t per_slice = in_inner / std::max(1, in.dim(axis_));
    int64_t offset = 0;
    for (size_t i = 0; i < ctx.out.size(); ++i) {
      const int64_t inner = per_slice * sizes_[i];
      for (int64_t o = 0; o < outer; ++o)
        std::memcpy(ctx.output(i).mutableRaw() + o * inner * static_cast<int64_t>(elem),
                    in.raw() + (o * in_inner + offset) * static_cast<int64_t>(elem), static_cast<size_t>(inner) * elem);
      offset += inner;
    }
  }

 private:
  const RuntimeTensor& input(const KernelContext& ctx) const { return ctx.input(kind_ == Kind::Split ? 1 : 0); }
  static int64_t scalar(const KernelContext& ctx, const RuntimeTensor& t) {
    if (!t.isConstant() || t.elements() != 1) ctx.unsupported("a split axis that is not a constant scalar");
    return t.type() == DType::Int64 ? t.data<int64_t>()[0] : t.data<int32_t>()[0];
  }
  Kind kind_;
  int axis_ = 0;
  std::vector<int32_t> sizes_;
};

// PACK: N tensors of one shape stacked along a new axis.
class PackKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& first = ctx.input(0);
    int rank = first.rank() + 1;
    int64_t axis = ctx.intOption("axis", 0);
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) ctx.invalid("axis out of range");
    axis_ = static_cast<int>(axis);
    for (size_t i = 0; i < ctx.inputCount(); ++i)
      if (ctx.input(i).shape() != first.shape()) ctx.invalid("PACK inputs differ in shape");
    std::vector<size_t> inputs(ctx.inputCount());
    for (size_t i = 0; i < inputs.size(); ++i) inputs[i] = i;
    requireOneType(ctx, first, inputs);
    std::vector<int32_t> shape = first.shape();
    shape.insert(shape.begin() + axis_, static_cast<int32_t>(ctx.inputCount()));
    ctx.output(0).resize(shape);
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& first = ctx.input(0);
    const size_t elem = dtypeSize(first.type());
    const int64_t outer = outerSize(first.shape(), axis_);
    const int64_t inner = innerSize(first.shape(), axis_);
    const int64_t n = static_cast<int64_t>(ctx.inputCount());
    for (int64_t i = 0; i < n; ++i)
      for (int64_t o = 0; o < outer; ++o)
        std::memcpy(ctx.output(0).mutableRaw() + ((o * n + i) * inner) * static_cast<int64_t>(elem),
                    ctx.input(static_cast<size_t>(i)).raw() + o * inner * static_cast<int64_t>(elem),
                    static_cast<size_t>(inner) * elem);
  }

 private:
  int axis_ = 0;
};

bool fixedSizeData(const KernelContext& ctx, size_t data_input) {
  return ctx.in.size() > data_input && ctx.in[data_input] && dtypeSize(ctx.in[data_input]->type()) > 0;
}

}  // namespace

void registerConcatSplitKernels(KernelRegistry& r) {
  r.add("CONCATENATION", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    return fixedSizeData(ctx, 0) ? std::make_unique<ConcatKernel>() : nullptr;
  });
  r.add("SPLIT", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    return fixedSizeData(ctx, 1) ? std::make_unique<SplitKernel>(SplitKernel::Kind::Split) : nullptr;
  });
  r.add("SPLIT_V", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    return fixedSizeData(ctx, 0) ? std::make_unique<SplitKernel>(SplitKernel::Kind::SplitV) : nullptr;
  });
  r.add("UNPACK", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    return fixedSizeData(ctx, 0) ? std::make_unique<SplitKernel>(SplitKernel::Kind::Unpack) : nullptr;
  });
  r.add("PACK", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    return fixedSizeData(ctx, 0) ? std::make_unique<PackKernel>() : nullptr;
  });
}

}  // namespace ql
