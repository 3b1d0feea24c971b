#include "kernels/gemm_dispatch.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

namespace ql {
namespace {

SimdLevel detect() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("fma"))
    return SimdLevel::Avx512Vnni;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return SimdLevel::Avx2;
#endif
  return SimdLevel::Generic;
}

}  // namespace

const char* simdLevelName(SimdLevel level) {
  switch (level) {
    case SimdLevel::Generic: return "generic";
    case SimdLevel::Avx2: return "avx2";
    case SimdLevel::Avx512Vnni: return "avx512vnni";
  }
  return "?";
}

SimdLevel cpuSimdLevel() {
  static const SimdLevel level = detect();
  return level;
}

namespace {

// The process's kernel path; starts from QUANTLENS_PLAIN_KERNELS (to compare paths from outside: CLI tests).
std::atomic<KernelPath>& currentPath() {
  static std::atomic<KernelPath> path([] {
    const char* v = std::getenv("QUANTLENS_PLAIN_KERNELS");
    KernelPath p;
    p.fast = !(v && *v && *v != '0');
    return p;
  }());
  return path;
}

}  // namespace

KernelPath kernelPath() { return currentPath().load(); }

void setKernelPath(KernelPath path) { currentPath().store(path); }

SimdLevel simdLevel() {
  return static_cast<SimdLevel>(std::min(static_cast<int>(cpuSimdLevel()), static_cast<int>(kernelPath().cap)));
}

bool fastKernelsEnabled() { return kernelPath().fast; }

}  // namespace ql
