// A tensor's values as CSV for a spreadsheet or a script: the last dimension across, every index of the leading
// dimensions down, one row each; a scalar or a 1-D tensor is one row. Floats with 9 significant digits, so the
// text reads back to the same float32.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql {

std::string valuesCsv(const std::vector<int32_t>& shape, const std::vector<float>& values);

}  // namespace ql
