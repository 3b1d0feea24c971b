#include "kernels/conv_geometry.h"

#include <algorithm>

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

namespace {

// Taps [*first, *last] along one axis: the hull of those some output position reads inside [0, in). None reads
// it (every output all padding): tap 0 alone, which then reads padding everywhere too.
void readTaps(int in, int out, int stride, int pad, int dil, int k, int* first, int* last) {
  *first = k, *last = -1;
  for (int t = 0; t < k; ++t) {
    // Some o in [0, out) with 0 <= o * stride - pad + t * dil < in.
    const int64_t a = int64_t{pad} - int64_t{t} * dil;  // o * stride must lie in [a, a + in)
    const int64_t o = a <= 0 ? 0 : (a + stride - 1) / stride;
    if (o < out && o * stride < a + in) {
      *first = std::min(*first, t);
      *last = t;
    }
  }
  if (*last < 0) *first = *last = 0;
}

}  // namespace

TrimmedWindow trimmedWindow(const ConvGeometry& g) {
  TrimmedWindow t;
  t.g = g;
  int last_y = 0, last_x = 0;
  readTaps(g.in_h, g.out_h, std::max(g.stride_h, 1), g.pad_h, g.dil_h, g.k_h, &t.k_y0, &last_y);
  readTaps(g.in_w, g.out_w, std::max(g.stride_w, 1), g.pad_w, g.dil_w, g.k_w, &t.k_x0, &last_x);
  if (g.k_h > 0) t.g.k_h = last_y - t.k_y0 + 1, t.g.pad_h = g.pad_h - t.k_y0 * g.dil_h;
  if (g.k_w > 0) t.g.k_w = last_x - t.k_x0 + 1, t.g.pad_w = g.pad_w - t.k_x0 * g.dil_w;
  return t;
}

}  // namespace ql
