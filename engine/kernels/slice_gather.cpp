// STRIDED_SLICE (begin/end/shrink-axis masks, offset), SLICE, GATHER (axis, batch_dims) and TILE: data movement
// by index, for any fixed-size element type.
#include <cstring>

#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

// Copies the elements of `in` at start + k * stride along each dimension into `out` (row-major walk).
void copyStrided(const RuntimeTensor& in, RuntimeTensor& out, const std::vector<int32_t>& start,
                 const std::vector<int32_t>& stride, const std::vector<int32_t>& count) {
  const size_t elem = dtypeSize(in.type());
  auto strides = rowMajorStrides(in.shape());
  int64_t n = 1;
  for (int32_t c : count) n *= c;
  if (n == 0) return;
  std::vector<int32_t> idx(count.size(), 0);
  uint8_t* dst = out.mutableRaw();
  for (int64_t i = 0; i < n; ++i) {
    int64_t src = 0;
    for (size_t d = 0; d < count.size(); ++d) src += (start[d] + static_cast<int64_t>(idx[d]) * stride[d]) * strides[d];
    std::memcpy(dst + i * static_cast<int64_t>(elem), in.raw() + src * static_cast<int64_t>(elem), elem);
    for (size_t d = count.size(); d-- > 0;) {
      if (++idx[d] < count[d]) break;
      idx[d] = 0;
    }
  }
}

class StridedSliceKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    const int rank = in.rank();
    std::vector<int64_t> begin = integerValues(ctx, constantInput(ctx, 1, "begin"));
    std::vector<int64_t> end = integerValues(ctx, constantInput(ctx, 2, "end"));
    std::vector<int64_t> strides = ctx.optionalInput(3) ? integerValues(ctx, constantInput(ctx, 3, "strides"))
                                                        : std::vector<int64_t>(begin.size(), 1);
    if (ctx.intOption("ellipsis_mask") != 0 || ctx.intOption("new_axis_mask") != 0)
      ctx.unsupported("STRIDED_SLICE with ellipsis_mask or new_axis_mask");
    if (begin.size() != end.size() || begin.size() != strides.size() || static_cast<int>(begin.size()) > rank)
      ctx.invalid("begin, end and strides must have one value per sliced dimension");
    const int64_t begin_mask = ctx.intOption("begin_mask"), end_mask = ctx.intOption("end_mask");
    const int64_t shrink = ctx.intOption("shrink_axis_mask");
    const bool offset = ctx.boolOption("offset");
    start_.assign(static_cast<size_t>(rank), 0);
    stride_.assign(static_cast<size_t>(rank), 1);
    count_ = in.shape();
    std::vector<int32_t> out_shape;
    for (int d = 0; d < rank; ++d) {
      const int64_t dim = in.dim(d);
      if (d >= static_cast<int>(begin.size())) {
        out_shape.push_back(static_cast<int32_t>(dim));
        continue;
      }
      int64_t s = strides[static_cast<size_t>(d)];
      if (s == 0) ctx.invalid("stride 0");
      int64_t b = begin[static_cast<size_t>(d)], e = end[static_cast<size_t>(d)];
      if (offset) e += b;
      if (b < 0) b += dim;
      if (e < 0 && !offset) e += dim;
      if (begin_mask & (int64_t{1} << d)) b = s > 0 ? 0 : dim - 1;
      if (end_mask & (int64_t{1} << d)) e = s > 0 ? dim : -1;
      const bool shrink_d = shrink & (int64_t{1} << d);
      if (shrink_d) e = b + 1, s = 1;
      // Clamp into the dimension the way TensorFlow does.
      if (s > 0) {
        b = std::min(std::max<int64_t>(b, 0), dim);
        e = std::min(std::max<int64_t>(e, 0), dim);
      } else {
        b = std::min(std::max<int64_t>(b, -1), dim - 1);
        e = std::min(std::max<int64_t>(e, -1), dim - 1);
      }
      int64_t n = s > 0 ? (e - b + s - 1) / s : (b - e - s - 1) / -s;
      n = std::max<int64_t>(n, 0);
      start_[static_cast<size_t>(d)] = static_cast<int32_t>(b);
      stride_[static_cast<size_t>(d)] = static_cast<int32_t>(s);
      count_[static_cast<size_t>(d)] = static_cast<int32_t>(n);
      if (!shrink_d) out_shape.push_back(static_cast<int32_t>(n));
    }
    ctx.output(0).resize(out_shape);
  }
  void eval(KernelContext& ctx) override { copyStrided(ctx.input(0), ctx.output(0), start_, stride_, count_); }

 private:
  std::vector<int32_t> start_, stride_, count_;
};

class SliceKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<int64_t> begin = integerValues(ctx, constantInput(ctx, 1, "begin"));
    std::vector<int64_t> size = integerValues(ctx, constantInput(ctx, 2, "size"));
    if (static_cast<int>(begin.size()) != in.rank() || size.size() != begin.size())
      ctx.invalid("begin and size need one value per dimension");
    start_.resize(begin.size());
    count_.resize(begin.size());
    for (size_t d = 0; d < begin.size(); ++d) {
      int64_t dim = in.shape()[d];
      int64_t s = size[d] == -1 ? dim - begin[d] : size[d];
      if (begin[d] < 0 || s < 0 || begin[d] + s > dim) ctx.invalid("slice outside the input");
      start_[d] = static_cast<int32_t>(begin[d]);
      count_[d] = static_cast<int32_t>(s);
    }
    ctx.output(0).resize(count_);
  }
  void eval(KernelContext& ctx) override {
    copyStrided(ctx.input(0), ctx.output(0), start_, std::vector<int32_t>(start_.size(), 1), count_);
  }

 private:
  std::vector<int32_t> start_, count_;
};

class GatherKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& params = ctx.input(0);
    const RuntimeTensor& indices = ctx.input(1);
    int rank = params.rank();
    int64_t axis = ctx.intOption("axis", 0);
    if (axis < 0) axis += rank;
    batch_dims_ = static_cast<int>(ctx.intOption("batch_dims", 0));
    if (batch_dims_ < 0) batch_dims_ += indices.rank();
    if (axis < 0 || axis >= rank || batch_dims_ < 0 || batch_dims_ > axis) ctx.invalid("axis or batch_dims out of range");
    axis_ = static_cast<int>(axis);
    std::vector<int32_t> shape(params.shape().begin(), params.shape().begin() + axis_);
    shape.insert(shape.end(), indices.shape().begin() + batch_dims_, indices.shape().end());
    shape.insert(shape.end(), params.shape().begin() + axis_ + 1, params.shape().end());
    ctx.output(0).resize(shape);
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& params = ctx.input(0);
    const RuntimeTensor& indices = ctx.input(1);
    std::vector<int64_t> idx = integerValues(ctx, indices);
    const size_t elem = dtypeSize(params.type());
    int64_t batch = 1, outer = 1, inner = 1;
    for (int d = 0; d < batch_dims_; ++d) batch *= params.dim(d);
    for (int d = batch_dims_; d < axis_; ++d) outer *= params.dim(d);
    for (int d = axis_ + 1; d < params.rank(); ++d) inner *= params.dim(d);
    const int64_t axis_size = params.dim(axis_);
    const int64_t per_batch = static_cast<int64_t>(idx.size()) / std::max<int64_t>(batch, 1);
    uint8_t* dst = ctx.output(0).mutableRaw();
    int64_t o = 0;
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t x = 0; x < outer; ++x)
        for (int64_t k = 0; k < per_batch; ++k) {
          int64_t i = idx[static_cast<size_t>(b * per_batch + k)];
          if (i < 0 || i >= axis_size) ctx.invalid("gather index " + std::to_string(i) + " out of range");
          const uint8_t* src = params.raw() + (((b * outer + x) * axis_size + i) * inner) * static_cast<int64_t>(elem);
          std::memcpy(dst + o * inner * static_cast<int64_t>(elem), src, static_cast<size_t>(inner) * elem);
          ++o;
        }
  }

 private:
  int axis_ = 0, batch_dims_ = 0;
};

class TileKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<int64_t> m = integerValues(ctx, constantInput(ctx, 1, "multiples"));
    if (static_cast<int>(m.size()) != in.rank()) ctx.invalid("multiples need one value per dimension");
    std::vector<int32_t> shape = in.shape();
    for (size_t d = 0; d < m.size(); ++d) {
      if (m[d] < 0) ctx.invalid("negative multiple");
      shape[d] *= static_cast<int32_t>(m[d]);
    }
    ctx.output(0).resize(shape);
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    const size_t elem = dtypeSize(in.type());
    auto strides = rowMajorStrides(in.shape());
    const auto& os = out.shape();
    std::vector<int32_t> idx(os.size(), 0);
    for (int64_t i = 0, n = out.elements(); i < n; ++i) {
      int64_t src = 0;
      for (size_t d = 0; d < os.size(); ++d) src += (idx[d] % in.shape()[d]) * strides[d];
      std::memcpy(out.mutableRaw() + i * static_cast<int64_t>(elem), in.raw() + src * static_cast<int64_t>(elem), elem);
      for (size_t d = os.size(); d-- > 0;) {
        if (++idx[d] < os[d]) break;
        idx[d] = 0;
      }
    }
  }
};

template <typename K>
std::unique_ptr<Kernel> make(const KernelContext& ctx) {
  if (ctx.in.size() < 2 || !ctx.in[0] || !ctx.in[1] || dtypeSize(ctx.in[0]->type()) == 0) return nullptr;
  return std::make_unique<K>();
}

}  // namespace

void registerSliceGatherKernels(KernelRegistry& r) {
  r.add("STRIDED_SLICE", make<StridedSliceKernel>);
  r.add("SLICE", make<SliceKernel>);
  r.add("GATHER", make<GatherKernel>);
  r.add("TILE", make<TileKernel>);
}

}  // namespace ql
