// Which implementation the convolution family's kernels run: the plain reference loops, or the fast paths
// (packed matrix products with SIMD microkernels) at the best instruction set this CPU has. Fast paths are
// compiled with function-level target attributes and chosen at run time, so one x86-64 binary runs everywhere.
// Integer fast paths give bit-for-bit the plain loops' results (integer sums are exact in any order); float
// fast paths differ from the plain loops only by the order of additions.
#pragma once

namespace ql {

enum class SimdLevel {
  Generic = 0,     // portable C++ (what the compiler makes of it for baseline x86-64)
  Avx2 = 1,        // AVX2 + FMA: int16 multiply-add (vpmaddwd) and 8-wide float FMA
  Avx512Vnni = 2,  // AVX-512 F/BW/VL + VNNI: u8 x s8 dot products (vpdpbusd), 16-wide float FMA
};

const char* simdLevelName(SimdLevel level);

// The best level this CPU supports (decided once).
SimdLevel cpuSimdLevel();

// Which implementation the kernels run: the fast paths at no more than `cap`, or the plain loops. A choice of
// the process, like QUANTLENS_PLAIN_KERNELS=1 (plain loops) read at the first use.
// Aligned to its 8 bytes so that std::atomic<KernelPath> is lock-free: clang otherwise calls libatomic.
struct alignas(8) KernelPath {
  bool fast = true;
  SimdLevel cap = SimdLevel::Avx512Vnni;
};
KernelPath kernelPath();
void setKernelPath(KernelPath path);

// The level fast kernels use now: the CPU's, lowered by kernelPath().cap.
SimdLevel simdLevel();

// kernelPath().fast.
bool fastKernelsEnabled();

}  // namespace ql
