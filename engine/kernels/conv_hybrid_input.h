// The on-the-fly input quantization of the hybrid kernels (hybrid_quantize.h), vectorized: the same scale, zero
// point and int8 values bit for bit (the parameters come from hybrid_quantize itself; the per-element rounding,
// half away from zero after the float multiply and add, is done eight lanes at a time).
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/gemm_dispatch.h"
#include "kernels/hybrid_quantize.h"

namespace ql {

AsymmetricQuantization quantizeAsymmetricFast(SimdLevel level, const float* x, size_t n, int8_t* q);
float quantizeSymmetricFast(SimdLevel level, const float* x, size_t n, int8_t* q);

}  // namespace ql
