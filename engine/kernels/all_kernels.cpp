// The registry of every kernel: one line per op family file. Adding an op is adding its file and a line here.
#include "kernels/families.h"
#include "runtime/kernel.h"

namespace ql {

const KernelRegistry& kernelRegistry() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    for (auto registerFamily : kernelFamilies()) registerFamily(r);
    return r;
  }();
  return registry;
}

}  // namespace ql
