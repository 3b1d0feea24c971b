#include "analysis/error_metrics.h"

#include <cmath>
#include <limits>

namespace ql {

ErrorStats errorStats(const float* quantized_real, const float* reference, size_t n) {
  ErrorStats s;
  s.num_elements = static_cast<int64_t>(n);
  if (n == 0) {
    s.stddev = s.mean_error = s.max_abs_error = s.mean_squared_error = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  // Two passes in double: the mean first, then the spread around it, so stddev does not cancel catastrophically.
  double sum = 0, sum_sq = 0, max_abs = 0;
  for (size_t i = 0; i < n; ++i) {
    double d = static_cast<double>(quantized_real[i]) - static_cast<double>(reference[i]);
    sum += d;
    sum_sq += d * d;
    max_abs = std::max(max_abs, std::fabs(d));
  }
  double mean = sum / static_cast<double>(n);
  double var = 0;
  for (size_t i = 0; i < n; ++i) {
    double d = static_cast<double>(quantized_real[i]) - static_cast<double>(reference[i]) - mean;
    var += d * d;
  }
  s.mean_error = mean;
  s.mean_squared_error = sum_sq / static_cast<double>(n);
  s.max_abs_error = max_abs;
  s.stddev = std::sqrt(var / static_cast<double>(n));
  return s;
}

ErrorStats ErrorStatsMean::mean() const {
  ErrorStats out;
  if (samples_.empty()) return out;
  out.num_elements = samples_.front().num_elements;
  auto nanmean = [&](double ErrorStats::*field) {
    double sum = 0;
    size_t n = 0;
    for (const ErrorStats& s : samples_)
      if (!std::isnan(s.*field)) sum += s.*field, ++n;
    return n ? sum / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
  };
  out.stddev = nanmean(&ErrorStats::stddev);
  out.mean_error = nanmean(&ErrorStats::mean_error);
  out.max_abs_error = nanmean(&ErrorStats::max_abs_error);
  out.mean_squared_error = nanmean(&ErrorStats::mean_squared_error);
  return out;
}

double rmseOverScale(double mean_squared_error, double scale) {
  if (!(scale > 0)) return std::numeric_limits<double>::quiet_NaN();
  return std::sqrt(mean_squared_error) / scale;
}

}  // namespace ql
