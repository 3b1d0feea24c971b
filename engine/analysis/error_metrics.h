// The per-layer error statistics of TFLite's QuantizationDebugger, on diff = (dequantized quantized value) -
// (float value), plus range and rmse/scale. Computed per input, then averaged over inputs the way the debugger
// does (nanmean), so max_abs_error is the mean of the per-input maxima.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ql {

struct ErrorStats {
  int64_t num_elements = 0;
  double stddev = 0;              // population standard deviation of diff (numpy's default)
  double mean_error = 0;          // mean of diff
  double max_abs_error = 0;       // max |diff|
  double mean_squared_error = 0;  // mean of diff^2
};

ErrorStats errorStats(const float* quantized_real, const float* reference, size_t n);

// Mean over inputs, skipping NaN values per field as numpy.nanmean does.
class ErrorStatsMean {
 public:
  void add(const ErrorStats& s) { samples_.push_back(s); }
  ErrorStats mean() const;
  size_t count() const { return samples_.size(); }

 private:
  std::vector<ErrorStats> samples_;
};

// rmse/scale: sqrt(mean_squared_error) / scale; 1/sqrt(12) = 0.289 for pure rounding error.
double rmseOverScale(double mean_squared_error, double scale);
constexpr double kIdealRmseOverScale = 0.28867513459481287;

}  // namespace ql
