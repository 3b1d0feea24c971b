// A one-op model built in a test, run in the real runtime (../shared/oracle) and by quantlens, plain and fast
// kernels both: quantized outputs must be exact, float ones within `float_tolerance` of the output's magnitude.
#pragma once

#include <string>
#include <vector>

#include "support/op_model.h"

namespace ql::test {

void expectMatchesRuntime(OpModel& m, const std::vector<uint8_t>& input, const std::string& runner,
                          const std::string& what, double float_tolerance = 1e-5);

}  // namespace ql::test
