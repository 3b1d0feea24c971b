// On-the-fly quantization of float activations for hybrid (dynamic-range) kernels, as TFLite's
// tensor_utils do it: asymmetric int8 over [min(0, min x), max(0, max x)] with a nudged zero point, or
// symmetric int8 with scale max|x| / 127.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ql {

struct AsymmetricQuantization {
  float scale = 1.f;
  int32_t zero_point = 0;
};
AsymmetricQuantization quantizeAsymmetric(const float* x, size_t n, int8_t* q);

// Returns the scale (max|x| / 127; 1 when x is all zeros).
float quantizeSymmetric(const float* x, size_t n, int8_t* q);

}  // namespace ql
