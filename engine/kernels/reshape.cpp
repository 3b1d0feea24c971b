// RESHAPE, SQUEEZE, EXPAND_DIMS: the same bytes under another shape. The shape comes from the op's options or
// from a shape input; when that input is only known at run time the output is resized in eval.
#include <cstring>

#include "kernels/families.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

std::vector<int64_t> intValues(const RuntimeTensor& t) {
  std::vector<int64_t> v(static_cast<size_t>(t.elements()));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = t.type() == DType::Int64 ? t.data<int64_t>()[i] : t.data<int32_t>()[i];
  return v;
}

// Resolves one -1 from the element count; checks the count matches.
std::vector<int32_t> resolveShape(const KernelContext& ctx, std::vector<int64_t> dims, int64_t elements) {
  int64_t known = 1;
  int unknown = -1;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == -1) {
      if (unknown >= 0) ctx.invalid("new shape has more than one -1");
      unknown = static_cast<int>(i);
    } else if (dims[i] < 0) {
      ctx.invalid("new shape has a negative dimension");
    } else {
      known *= dims[i];
    }
  }
  if (unknown >= 0) dims[static_cast<size_t>(unknown)] = known == 0 ? 0 : elements / known;
  std::vector<int32_t> out(dims.begin(), dims.end());
  if (flatSize(out) != elements)
    ctx.invalid("cannot reshape " + std::to_string(elements) + " values into the requested shape");
  return out;
}

class ReshapeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor* shape = ctx.optionalInput(1);
    // The shape input wins when it is a 1-D tensor; old files give the shape as an option only.
    use_input_ = shape && shape->rank() == 1 && (shape->type() == DType::Int32 || shape->type() == DType::Int64);
    if (use_input_ && !shape->isConstant()) {
      dynamic_ = true;
      return;  // known at eval
    }
    ctx.output(0).resize(target(ctx));
  }
  void eval(KernelContext& ctx) override {
    if (dynamic_) ctx.output(0).resize(target(ctx));
    std::memcpy(ctx.output(0).mutableRaw(), ctx.input(0).raw(), ctx.input(0).bytes());
  }

 private:
  std::vector<int32_t> target(const KernelContext& ctx) const {
    int64_t n = ctx.input(0).elements();
    if (use_input_) return resolveShape(ctx, intValues(*ctx.optionalInput(1)), n);
    const auto& opt = ctx.options().find("new_shape");
    if (opt != ctx.options().end() && opt->is_array() && !(opt->empty() && ctx.output(0).rank() > 0))
      return resolveShape(ctx, opt->get<std::vector<int64_t>>(), n);
    return resolveShape(ctx, std::vector<int64_t>(ctx.output(0).shape().begin(), ctx.output(0).shape().end()), n);
  }
  bool use_input_ = false, dynamic_ = false;
};

class SqueezeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const auto& in = ctx.input(0).shape();
    std::vector<bool> drop(in.size(), false);
    auto dims = ctx.options().find("squeeze_dims");
    if (dims == ctx.options().end() || !dims->is_array() || dims->empty()) {
      for (size_t i = 0; i < in.size(); ++i) drop[i] = in[i] == 1;
    } else {
      for (auto& d : *dims) {
        int a = 0;
        try {
          a = normalizeAxis(d.get<int>(), static_cast<int>(in.size()));
        } catch (const std::invalid_argument& e) {
          ctx.invalid(e.what());
        }
        if (in[static_cast<size_t>(a)] != 1) ctx.invalid("squeezed dimension " + std::to_string(a) + " is not 1");
        drop[static_cast<size_t>(a)] = true;
      }
    }
    std::vector<int32_t> out;
    for (size_t i = 0; i < in.size(); ++i)
      if (!drop[i]) out.push_back(in[i]);
    ctx.output(0).resize(out);
  }
  void eval(KernelContext& ctx) override {
    std::memcpy(ctx.output(0).mutableRaw(), ctx.input(0).raw(), ctx.input(0).bytes());
  }
};

class ExpandDimsKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& axis_t = ctx.input(1);
    if (!axis_t.isConstant()) ctx.unsupported("a non-constant axis");
    if (axis_t.elements() != 1) ctx.invalid("axis must hold one value");
    int64_t axis = intValues(axis_t)[0];
    std::vector<int32_t> shape = ctx.input(0).shape();
    int rank = static_cast<int>(shape.size());
    if (axis < 0) axis += rank + 1;
    if (axis < 0 || axis > rank) ctx.invalid("axis out of range");
    shape.insert(shape.begin() + axis, 1);
    ctx.output(0).resize(shape);
  }
  void eval(KernelContext& ctx) override {
    std::memcpy(ctx.output(0).mutableRaw(), ctx.input(0).raw(), ctx.input(0).bytes());
  }
};

template <typename K>
std::unique_ptr<Kernel> make(const KernelContext& ctx) {
  if (ctx.in.empty() || !ctx.in[0] || ctx.out.empty() || !ctx.out[0]) return nullptr;
  if (ctx.in[0]->type() != ctx.out[0]->type() || dtypeSize(ctx.in[0]->type()) == 0) return nullptr;
  return std::make_unique<K>();
}

}  // namespace

void registerReshapeKernels(KernelRegistry& r) {
  r.add("RESHAPE", make<ReshapeKernel>);
  r.add("SQUEEZE", make<SqueezeKernel>);
  r.add("EXPAND_DIMS", make<ExpandDimsKernel>);
}

}  // namespace ql
