// The range an activation is quantized over, from its calibration statistics: min/max (what TFLite's calibrator
// records), a percentile of the values (outliers clipped), or the range that minimizes the expected int8
// quantization error (clipping plus rounding) over the tensor's histogram.
#pragma once

#include <string>

#include "analysis/quantize/tensor_histogram.h"

namespace ql {

enum class RangeEstimator { MinMax, Percentile, Mse };
const char* rangeEstimatorName(RangeEstimator e);  // "minmax", "percentile", "mse"
RangeEstimator rangeEstimatorFromName(const std::string& name);  // BadInput for an unknown name

struct ValueRange {
  float min = 0, max = 0;
};

// `percentile` (in (50, 100]) is used by Percentile only: the range runs from the (100 - p)th to the pth percentile.
// Percentile and Mse need a histogram; without one they fall back to min/max.
ValueRange estimateRange(const TensorHistogram& h, RangeEstimator e, double percentile = 99.99);

// The expected squared error per value of quantizing the histogram's values to int8 over [lo, hi].
double quantizationMse(const TensorHistogram& h, double lo, double hi);

}  // namespace ql
