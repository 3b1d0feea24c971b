// PAD (pads with 0, or the output's zero point when quantized), PADV2 (with a given value) and MIRROR_PAD
// (REFLECT leaves the border out, SYMMETRIC repeats it). paddings: [rank, 2] before/after per dimension.
#include <algorithm>
#include <cstring>

#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

class PadKernel : public Kernel {
 public:
  enum class Mode { Constant, Reflect, Symmetric };
  explicit PadKernel(bool mirror) : mirror_(mirror) {}
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<int64_t> p = integerValues(ctx, constantInput(ctx, 1, "padding"));
    if (static_cast<int>(p.size()) != 2 * in.rank()) ctx.invalid("paddings must be [rank, 2]");
    before_.resize(static_cast<size_t>(in.rank()));
    std::vector<int32_t> shape = in.shape();
    for (int d = 0; d < in.rank(); ++d) {
      int64_t b = p[static_cast<size_t>(2 * d)], a = p[static_cast<size_t>(2 * d + 1)];
      if (b < 0 || a < 0) ctx.invalid("negative padding");
      before_[static_cast<size_t>(d)] = static_cast<int32_t>(b);
      shape[static_cast<size_t>(d)] += static_cast<int32_t>(a + b);
    }
    mode_ = Mode::Constant;
    if (mirror_) {
      mode_ = ctx.enumOption("mode", "REFLECT") == "SYMMETRIC" ? Mode::Symmetric : Mode::Reflect;
      for (int d = 0; d < in.rank(); ++d) {
        int32_t limit = in.dim(d) - (mode_ == Mode::Reflect ? 1 : 0);
        if (p[static_cast<size_t>(2 * d)] > limit || p[static_cast<size_t>(2 * d + 1)] > limit)
          ctx.invalid("mirror padding larger than the input");
      }
    }
    ctx.output(0).resize(shape);
    // The fill value as the output's bytes.
    elem_ = dtypeSize(in.type());
    fill_.assign(elem_, 0);
    const RuntimeTensor* value = ctx.optionalInput(2);
    if (value && value->elements() >= 1) {
      std::memcpy(fill_.data(), value->raw(), elem_);
    } else if (in.quant().hasScale()) {
      int32_t zp = ctx.output(0).zeroPoint();
      if (in.type() == DType::Int8) fill_[0] = static_cast<uint8_t>(static_cast<int8_t>(zp));
      else if (in.type() == DType::UInt8) fill_[0] = static_cast<uint8_t>(zp);
      else if (in.type() == DType::Int16) {
        int16_t z = static_cast<int16_t>(zp);
        std::memcpy(fill_.data(), &z, 2);
      }
    }
  }
  void eval(KernelContext& ctx) override {
    if (mode_ == Mode::Constant) return evalConstant(ctx);
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    const auto& os = out.shape();
    auto in_strides = rowMajorStrides(in.shape());
    int64_t n = out.elements();
    std::vector<int32_t> idx(os.size(), 0);
    uint8_t* dst = out.mutableRaw();
    for (int64_t i = 0; i < n; ++i) {
      int64_t src = 0;
      bool inside = true;
      for (size_t d = 0; d < os.size(); ++d) {
        int32_t x = idx[d] - before_[d];
        int32_t size = in.shape()[d];
        if (x < 0 || x >= size) {
          if (mode_ == Mode::Constant) {
            inside = false;
            break;
          }
          int32_t shift = mode_ == Mode::Reflect ? 0 : 1;
          x = x < 0 ? -x - shift : 2 * size - x - 2 + shift;
        }
        src += x * in_strides[d];
      }
      std::memcpy(dst + i * static_cast<int64_t>(elem_), inside ? in.raw() + src * static_cast<int64_t>(elem_) : fill_.data(), elem_);
      for (size_t d = os.size(); d-- > 0;) {
        if (++idx[d] < os[d]) break;
        idx[d] = 0;
      }
    }
  }

 private:
  // Constant padding: fill the output, then copy each innermost input row to its place.
  void evalConstant(KernelContext& ctx) {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    uint8_t* dst = out.mutableRaw();
    const int64_t n_out = out.elements();
    if (n_out > 0) {  // the fill value once, then doubled copies of what is filled so far
      const size_t total = static_cast<size_t>(n_out) * elem_;
      std::memcpy(dst, fill_.data(), elem_);
      for (size_t done = elem_; done < total; done *= 2) std::memcpy(dst + done, dst, std::min(done, total - done));
    }
    const int rank = in.rank();
    if (rank == 0 || in.elements() == 0) return;
    auto out_strides = rowMajorStrides(out.shape());
    const int64_t row = in.dim(rank - 1);
    const int64_t rows = in.elements() / row;
    std::vector<int32_t> idx(static_cast<size_t>(rank - 1), 0);
    const uint8_t* src = in.raw();
    for (int64_t r = 0; r < rows; ++r) {
      int64_t o = before_[static_cast<size_t>(rank - 1)];
      for (int d = 0; d < rank - 1; ++d)
        o += (idx[static_cast<size_t>(d)] + before_[static_cast<size_t>(d)]) * out_strides[static_cast<size_t>(d)];
      std::memcpy(dst + o * static_cast<int64_t>(elem_), src + r * row * static_cast<int64_t>(elem_),
                  static_cast<size_t>(row) * elem_);
      for (int d = rank - 1; d-- > 0;) {
        if (++idx[static_cast<size_t>(d)] < in.dim(d)) break;
        idx[static_cast<size_t>(d)] = 0;
      }
    }
  }

  bool mirror_;
  Mode mode_ = Mode::Constant;
  std::vector<int32_t> before_;
  size_t elem_ = 1;
  std::vector<uint8_t> fill_;
};

KernelFactory pad(bool mirror) {
  return [mirror](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1] || dtypeSize(ctx.in[0]->type()) == 0) return nullptr;
    return std::make_unique<PadKernel>(mirror);
  };
}

}  // namespace

void registerPadKernels(KernelRegistry& r) {
  r.add("PAD", pad(false));
  r.add("PADV2", pad(false));
  r.add("MIRROR_PAD", pad(true));
}

}  // namespace ql
