// TRANSPOSE: output dimension i is input dimension perm[i]; any rank, any fixed-size type.
#include <cstring>

#include "kernels/families.h"
#include "kernels/tensor_index.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

class TransposeKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    std::vector<int64_t> perm = integerValues(ctx, constantInput(ctx, 1, "permutation"));
    if (static_cast<int>(perm.size()) != in.rank()) ctx.invalid("permutation length differs from the input rank");
    std::vector<bool> seen(perm.size(), false);
    std::vector<int32_t> shape(perm.size());
    perm_.resize(perm.size());
    for (size_t i = 0; i < perm.size(); ++i) {
      int64_t p = perm[i] < 0 ? perm[i] + in.rank() : perm[i];
      if (p < 0 || p >= in.rank() || seen[static_cast<size_t>(p)]) ctx.invalid("not a permutation");
      seen[static_cast<size_t>(p)] = true;
      perm_[i] = static_cast<int>(p);
      shape[i] = in.dim(static_cast<int>(p));
    }
    ctx.output(0).resize(shape);
  }
  void eval(KernelContext& ctx) override {
    const RuntimeTensor& in = ctx.input(0);
    RuntimeTensor& out = ctx.output(0);
    const size_t elem = dtypeSize(in.type());
    auto in_strides = rowMajorStrides(in.shape());
    const auto& os = out.shape();
    std::vector<int64_t> step(os.size());
    for (size_t i = 0; i < os.size(); ++i) step[i] = in_strides[static_cast<size_t>(perm_[i])];
    std::vector<int32_t> idx(os.size(), 0);
    int64_t src = 0;
    uint8_t* dst = out.mutableRaw();
    for (int64_t i = 0, n = out.elements(); i < n; ++i) {
      std::memcpy(dst + i * static_cast<int64_t>(elem), in.raw() + src * static_cast<int64_t>(elem), elem);
      for (size_t d = os.size(); d-- > 0;) {
        src += step[d];
        if (++idx[d] < os[d]) break;
        src -= step[d] * os[d];
        idx[d] = 0;
      }
    }
  }

 private:
  std::vector<int> perm_;
};

}  // namespace

void registerTransposeKernels(KernelRegistry& r) {
  r.add("TRANSPOSE", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    if (ctx.in.size() < 2 || !ctx.in[0] || dtypeSize(ctx.in[0]->type()) == 0) return nullptr;
    return std::make_unique<TransposeKernel>();
  });
}

}  // namespace ql
