#include "kernels/int16_dot.h"

#include <cstdlib>

namespace ql {

__attribute__((target_clones("avx2", "default"), optimize("O3"))) int32_t dotInt16(const int16_t* a,
                                                                                      const int16_t* b, int n) {
  int32_t acc = 0;
  for (int i = 0; i < n; ++i) acc += static_cast<int32_t>(a[i]) * b[i];
  return acc;
}

__attribute__((target_clones("avx2", "default"), optimize("O3"))) void dot4Int16(
    const int16_t* x, const int16_t* w0, const int16_t* w1, const int16_t* w2, const int16_t* w3, int n,
    int32_t* out) {
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (int i = 0; i < n; ++i) {
    const int32_t v = x[i];
    a0 += v * w0[i];
    a1 += v * w1[i];
    a2 += v * w2[i];
    a3 += v * w3[i];
  }
  out[0] += a0, out[1] += a1, out[2] += a2, out[3] += a3;
}

__attribute__((target_clones("avx2", "default"), optimize("O3"))) void dot2x4Int16(
    const int16_t* x0, const int16_t* x1, const int16_t* w0, const int16_t* w1, const int16_t* w2, const int16_t* w3,
    int n, int32_t* out) {
  int32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  for (int i = 0; i < n; ++i) {
    const int32_t u = x0[i], v = x1[i];
    a0 += u * w0[i], b0 += v * w0[i];
    a1 += u * w1[i], b1 += v * w1[i];
    a2 += u * w2[i], b2 += v * w2[i];
    a3 += u * w3[i], b3 += v * w3[i];
  }
  out[0] = a0, out[1] = b0, out[2] = a1, out[3] = b1, out[4] = a2, out[5] = b2, out[6] = a3, out[7] = b3;
}

__attribute__((target_clones("avx2", "default"), optimize("O3"))) void multiplyAccumulateInt16(int32_t* acc,
                                                                                                const int16_t* a,
                                                                                                const int16_t* b,
                                                                                                int n) {
  for (int i = 0; i < n; ++i) acc[i] += static_cast<int32_t>(a[i]) * b[i];
}

bool usePlainKernels() {
  static const bool plain = [] {
    const char* v = std::getenv("QUANTLENS_PLAIN_KERNELS");
    return v && *v && *v != '0';
  }();
  return plain;
}

}  // namespace ql
