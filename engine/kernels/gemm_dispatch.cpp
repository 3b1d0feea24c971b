#include "kernels/gemm_dispatch.h"

#include <algorithm>
#include <cstdlib>

namespace ql {
namespace {

// Test overrides: -1 means "not overridden".
int g_fast_override = -1;
int g_cap_override = -1;

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

SimdLevel simdLevel() {
  SimdLevel cpu = cpuSimdLevel();
  if (g_cap_override < 0) return cpu;
  return static_cast<SimdLevel>(std::min(static_cast<int>(cpu), g_cap_override));
}

bool fastKernelsEnabled() {
  if (g_fast_override >= 0) return g_fast_override == 1;
  // QUANTLENS_PLAIN_KERNELS=1 runs the plain reference loops, to compare paths from outside (CLI tests).
  static const bool plain = [] {
    const char* v = std::getenv("QUANTLENS_PLAIN_KERNELS");
    return v && *v && *v != '0';
  }();
  return !plain;
}

ScopedKernelPath::ScopedKernelPath(bool fast, SimdLevel cap) : saved_fast_(g_fast_override), saved_cap_(g_cap_override) {
  g_fast_override = fast ? 1 : 0;
  g_cap_override = static_cast<int>(cap);
}

ScopedKernelPath::~ScopedKernelPath() {
  g_fast_override = saved_fast_;
  g_cap_override = saved_cap_;
}

}  // namespace ql
