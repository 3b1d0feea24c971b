// TODO(kernels): not written yet; registers nothing, so its ops are reported unsupported.
#include "kernels/families.h"
#include "runtime/kernel.h"

namespace ql {

void registerPoolingKernels(KernelRegistry&) {}

}  // namespace ql
