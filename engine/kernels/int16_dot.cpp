#include "kernels/int16_dot.h"

#include <cstdlib>

namespace ql {

__attribute__((target_clones("avx2", "default"), optimize("O3"))) int32_t dotInt16(const int16_t* a,
                                                                                      const int16_t* b, int n) {
  int32_t acc = 0;
  for (int i = 0; i < n; ++i) acc += static_cast<int32_t>(a[i]) * b[i];
  return acc;
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
