#include "support/tensor_compare.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

namespace ql::test {
namespace {

template <typename T>
std::vector<double> decode(const std::vector<uint8_t>& bytes) {
  std::vector<double> out(bytes.size() / sizeof(T));
  for (size_t i = 0; i < out.size(); ++i) {
    T v;
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
  return out;
}

std::vector<double> decodeAny(const std::string& dtype, const std::vector<uint8_t>& b) {
  if (dtype == "float32") return decode<float>(b);
  if (dtype == "int8") return decode<int8_t>(b);
  if (dtype == "uint8") return decode<uint8_t>(b);
  if (dtype == "int16") return decode<int16_t>(b);
  if (dtype == "int32") return decode<int32_t>(b);
  if (dtype == "int64") return decode<int64_t>(b);
  if (dtype == "bool") return decode<uint8_t>(b);
  if (dtype == "float64") return decode<double>(b);
  return decode<uint8_t>(b);
}

}  // namespace

TensorComparison compareTensors(const std::string& dtype, bool quantized, const std::vector<uint8_t>& expected,
                                const std::vector<uint8_t>& actual, double float_rel_tol, IntegerPolicy policy,
                                double float_min_fraction) {
  TensorComparison r;
  if (expected.size() != actual.size()) {
    r.detail = "size " + std::to_string(actual.size()) + " bytes, expected " + std::to_string(expected.size());
    return r;
  }
  std::vector<double> e = decodeAny(dtype, expected), a = decodeAny(dtype, actual);
  size_t exact = 0, worst = 0;
  double max_mag = 0;
  for (size_t i = 0; i < e.size(); ++i) {
    double d = std::fabs(e[i] - a[i]);
    if (e[i] == a[i] || (std::isnan(e[i]) && std::isnan(a[i]))) d = 0;  // equal infinities too
    if (d == 0) ++exact;
    if (d > r.max_abs_diff || std::isnan(d)) {
      r.max_abs_diff = std::isnan(d) ? INFINITY : d;
      worst = i;
    }
    max_mag = std::max(max_mag, std::fabs(e[i]));
  }
  r.exact_fraction = e.empty() ? 1.0 : static_cast<double>(exact) / static_cast<double>(e.size());
  std::ostringstream os;
  os << dtype << ": " << (r.exact_fraction * 100) << "% exact, max diff " << r.max_abs_diff << " at element "
     << worst;
  if (!e.empty()) os << " (expected " << e[worst] << ", got " << a[worst] << ")";
  if (dtype == "float32" || dtype == "float64") {
    const double tol = float_rel_tol * max_mag;
    size_t within = 0;
    for (size_t i = 0; i < e.size(); ++i) within += std::fabs(e[i] - a[i]) <= tol;
    double fraction = e.empty() ? 1.0 : static_cast<double>(within) / static_cast<double>(e.size());
    os << ", tolerance " << tol << ", " << fraction * 100 << "% within it";
    r.ok = fraction >= float_min_fraction;
  } else if (quantized) {
    r.ok = r.max_abs_diff <= 1 && r.exact_fraction >= 0.995;
  } else if (policy == IntegerPolicy::ArgMinMax) {
    r.ok = r.exact_fraction >= 0.999;
  } else {
    r.ok = r.exact_fraction == 1.0;
  }
  r.detail = os.str();
  return r;
}

}  // namespace ql::test
