#include "kernels/conv_geometry.h"

#include "kernels/shape_util.h"

namespace ql {

void readWindowOptions(const KernelContext& ctx, Padding* padding, Activation* activation) {
  try {
    *padding = paddingFromName(ctx.enumOption("padding", "SAME"));
    *activation = activationFromName(ctx.enumOption("fused_activation_function", "NONE"));
  } catch (const std::invalid_argument& e) {
    ctx.unsupported(e.what());
  }
  if (*activation == Activation::Tanh || *activation == Activation::SignBit)
    ctx.unsupported("fused activation " + ctx.enumOption("fused_activation_function"));
}

ConvGeometry convGeometry(const KernelContext& ctx, bool depthwise) {
  const RuntimeTensor& in = ctx.input(0);
  const RuntimeTensor& w = ctx.input(1);
  if (in.rank() != 4 || w.rank() != 4) ctx.invalid("input and filter must be 4-D");
  ConvGeometry g;
  g.batches = in.dim(0), g.in_h = in.dim(1), g.in_w = in.dim(2), g.in_c = in.dim(3);
  g.k_h = w.dim(1), g.k_w = w.dim(2);
  if (depthwise) {
    g.out_c = w.dim(3);
    if (g.in_c <= 0 || g.out_c % g.in_c != 0)
      ctx.invalid("depthwise filter has " + std::to_string(g.out_c) + " channels for " + std::to_string(g.in_c) +
                  " input channels");
  } else {
    g.out_c = w.dim(0);
    if (w.dim(3) != g.in_c)
      ctx.invalid("filter depth " + std::to_string(w.dim(3)) + " differs from input depth " + std::to_string(g.in_c));
  }
  if (const RuntimeTensor* bias = ctx.optionalInput(2))
    if (bias->elements() != g.out_c) ctx.invalid("bias has " + std::to_string(bias->elements()) + " values");
  g.stride_h = static_cast<int>(ctx.intOption("stride_h", 1));
  g.stride_w = static_cast<int>(ctx.intOption("stride_w", 1));
  g.dil_h = static_cast<int>(ctx.intOption("dilation_h_factor", 1));
  g.dil_w = static_cast<int>(ctx.intOption("dilation_w_factor", 1));
  if (g.stride_h <= 0 || g.stride_w <= 0 || g.dil_h <= 0 || g.dil_w <= 0) ctx.invalid("strides and dilations must be positive");
  Padding p = Padding::Same;
  readWindowOptions(ctx, &p, &g.activation);
  g.out_h = windowOutputSize(p, g.in_h, g.k_h, g.stride_h, g.dil_h);
  g.out_w = windowOutputSize(p, g.in_w, g.k_w, g.stride_w, g.dil_w);
  g.pad_h = windowPaddingBefore(p, g.in_h, g.k_h, g.stride_h, g.dil_h, g.out_h);
  g.pad_w = windowPaddingBefore(p, g.in_w, g.k_w, g.stride_w, g.dil_w, g.out_w);
  return g;
}

}  // namespace ql
