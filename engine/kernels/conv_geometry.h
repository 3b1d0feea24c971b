// Shapes and window parameters of CONV_2D / DEPTHWISE_CONV_2D, read once from an op's options and tensors.
#pragma once

#include "kernels/quant_math.h"
#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {

struct ConvGeometry {
  int batches = 0, in_h = 0, in_w = 0, in_c = 0, out_h = 0, out_w = 0, out_c = 0, k_h = 0, k_w = 0;
  int stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1, pad_h = 0, pad_w = 0;
  Activation activation = Activation::None;
};

// The padding and fused activation options every window op has; Unsupported for values quantlens cannot run.
void readWindowOptions(const KernelContext& ctx, Padding* padding, Activation* activation);

// input [N,H,W,C]; filter [Cout,KH,KW,Cin] (conv) or [1,KH,KW,Cout] (depthwise, Cout a multiple of Cin).
// Throws (ctx.invalid) on shapes that do not fit together.
ConvGeometry convGeometry(const KernelContext& ctx, bool depthwise);

// XNNPACK's float depthwise kernels add a window's taps column by column (kx outer, ky inner) when one pass
// holds the whole window (up to 25 taps, 5x5), and row by row when it takes several passes (7x7, 8x8): the
// order the float depthwise kernels follow to be bit-exact (checked against the runtime up to 8x8).
inline bool depthwiseTapsByColumn(const ConvGeometry& g) { return g.k_h * g.k_w <= 25; }

// Offset of input pixel (n, y, x) in an NHWC input.
inline size_t pixelOffset(const ConvGeometry& g, int n, int y, int x) {
  return ((static_cast<size_t>(n) * g.in_h + y) * g.in_w + x) * static_cast<size_t>(g.in_c);
}

// The part of the window that some output pixel reads inside the input, as a geometry of its own (the kernel size
// and padding changed, k_y0 / k_x0 its first tap in the original window). Taps outside it only ever read padding
// and add nothing, but a window far larger than its input (a damaged file's 8x65544 depthwise filter over a
// 64-wide input) made each output pixel loop over all of them: 19 s for 10,000 pixels, found by the run fuzzer.
struct TrimmedWindow {
  ConvGeometry g;
  int k_y0 = 0, k_x0 = 0;
};
TrimmedWindow trimmedWindow(const ConvGeometry& g);

inline int64_t outputPixels(const ConvGeometry& g) { return static_cast<int64_t>(g.batches) * g.out_h * g.out_w; }

}  // namespace ql
