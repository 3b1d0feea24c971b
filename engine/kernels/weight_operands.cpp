#include "kernels/weight_operands.h"

#include <string>

namespace ql {

std::vector<int32_t> weightZeroPoints(const RuntimeTensor& w, int channels) {
  std::vector<int32_t> zp(static_cast<size_t>(channels), 0);
  const auto& q = w.quant().zero_point;
  for (int c = 0; c < channels; ++c)
    zp[static_cast<size_t>(c)] = q.empty() ? 0 : static_cast<int32_t>(q.size() > 1 ? q[static_cast<size_t>(c)] : q[0]);
  return zp;
}

std::vector<float> weightScales(const KernelContext& ctx, const RuntimeTensor& w, int channels,
                                const char* channel_noun) {
  const auto& s = w.quant().scale;
  if (s.empty()) ctx.invalid("quantized weights without a scale");
  if (s.size() != 1 && static_cast<int>(s.size()) != channels)
    ctx.invalid("weights have " + std::to_string(s.size()) + " scales for " + std::to_string(channels) +
                " " + channel_noun);
  std::vector<float> out(static_cast<size_t>(channels));
  for (int c = 0; c < channels; ++c) out[static_cast<size_t>(c)] = s.size() > 1 ? s[static_cast<size_t>(c)] : s[0];
  return out;
}

void requireBiasType(const KernelContext& ctx, size_t index, DType type) {
  const RuntimeTensor* bias = ctx.optionalInput(index);
  if (bias && bias->type() != type)
    ctx.invalid(ctx.opName() + " needs a " + dtypeName(type) + " bias, not " + dtypeName(bias->type()));
}

void requireScales(const KernelContext& ctx, const RuntimeTensor& in, const RuntimeTensor& w,
                   const RuntimeTensor& out) {
  if (w.quant().scale.empty() || in.quant().scale.empty() || out.quant().scale.empty())
    ctx.invalid("quantized " + ctx.opName() + " without scales on its input, weights or output");
}

bool weightsAndBiasConstant(const KernelContext& ctx) {
  const RuntimeTensor* bias = ctx.optionalInput(2);
  return ctx.input(1).isConstant() && (!bias || bias->isConstant());
}

}  // namespace ql
