#pragma once

// Float functions computed as XNNPACK computes them, where that differs in the last bit from the textbook
// formula: the deployed float kernels use these to be bit-exact with the runtime.
namespace ql {

// The float sigmoid of XNNPACK's "rr2_p5_div" microkernels, which its WebAssembly SIMD build picks:
// exp(-|x|) from a degree-5 polynomial after a two-constant range reduction, then e / (1 + e), mirrored for
// x >= 0. It is not correctly rounded, so std::exp-based formulas differ from it in the last bit on about two
// elements in three; deployed LOGISTIC uses it to be bit-exact.
float xnnpackSigmoid(float x);

// HARD_SWISH as x * clamp(x / 6 + 1/2, 0, 1), with the division a multiplication by the float nearest 1/6.
float xnnpackHardSwish(float x);

}  // namespace ql
