// The inner loops of quantized convolution and fully connected layers on zero-point-corrected int16 values.
// Compiled for AVX2 and for plain x86-64 and chosen at run time (the compiler turns them into multiply-add
// instructions), so one binary runs everywhere and is fast where the CPU allows. Integer sums are exact in any
// order: these give the same results as the plain loops they replace (set QUANTLENS_PLAIN_KERNELS=1 to run the
// plain loops; tests compare the two).
#pragma once

#include <cstdint>

namespace ql {

// sum of a[i] * b[i]
int32_t dotInt16(const int16_t* a, const int16_t* b, int n);
// out[j] += sum of x[i] * w_j[i] for four weight rows at once, so each x is loaded once for four outputs.
void dot4Int16(const int16_t* x, const int16_t* w0, const int16_t* w1, const int16_t* w2, const int16_t* w3, int n,
               int32_t* out);
// out[2 * j + p] = sum of x_p[i] * w_j[i] for two inputs and four weight rows (a 2x4 register block).
void dot2x4Int16(const int16_t* x0, const int16_t* x1, const int16_t* w0, const int16_t* w1, const int16_t* w2,
                 const int16_t* w3, int n, int32_t* out);
// acc[i] += a[i] * b[i]
void multiplyAccumulateInt16(int32_t* acc, const int16_t* a, const int16_t* b, int n);

// True when QUANTLENS_PLAIN_KERNELS is set: kernels run their plain reference loops.
bool usePlainKernels();

}  // namespace ql
