// For tests that compare the plain loops with the fast paths: while alive, kernels run the plain loops
// (fast = false) or the fast paths at no more than `cap`; the previous path comes back after.
#pragma once

#include "kernels/gemm_dispatch.h"

namespace ql {

class ScopedKernelPath {
 public:
  explicit ScopedKernelPath(bool fast, SimdLevel cap = SimdLevel::Avx512Vnni) : saved_(kernelPath()) {
    setKernelPath(KernelPath{fast, cap});
  }
  ~ScopedKernelPath() { setKernelPath(saved_); }
  ScopedKernelPath(const ScopedKernelPath&) = delete;
  ScopedKernelPath& operator=(const ScopedKernelPath&) = delete;

 private:
  KernelPath saved_;
};

}  // namespace ql
