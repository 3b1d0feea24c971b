#pragma once

namespace ql {

// The float sigmoid XNNPACK computes (its "rr2_p5_div" microkernels, the ones the WebAssembly SIMD and the
// plain x86 builds pick): exp(-|x|) from a degree-5 polynomial after a two-constant range reduction, then
// e / (1 + e), mirrored for x >= 0. It is not correctly rounded, so std::exp-based formulas differ from it in
// the last bit on about two elements in three; deployed LOGISTIC uses this to be bit-exact.
float xnnpackSigmoid(float x);

}  // namespace ql
