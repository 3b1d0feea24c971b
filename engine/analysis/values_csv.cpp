#include "analysis/values_csv.h"

#include <cstdio>

namespace ql {

std::string valuesCsv(const std::vector<int32_t>& shape, const std::vector<float>& values) {
  // Values that do not fill the shape (none known, or a mismatch) are written as one row rather than guessed.
  size_t columns = shape.empty() || shape.back() <= 0 ? values.size() : static_cast<size_t>(shape.back());
  if (columns == 0 || values.size() % columns != 0) columns = values.size();
  std::string out;
  out.reserve(values.size() * 12);
  char buf[32];
  for (size_t i = 0; i < values.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(values[i]));
    out += buf;
    out += (i + 1) % columns == 0 ? '\n' : ',';
  }
  return out;
}

}  // namespace ql
