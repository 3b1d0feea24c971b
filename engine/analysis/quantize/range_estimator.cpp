#include "analysis/quantize/range_estimator.h"

#include <algorithm>
#include <cmath>

#include "util/error.h"

namespace ql {

namespace {

// The value below which a fraction q of the values lie, interpolated inside its bin.
double quantile(const TensorHistogram& h, double q) {
  const auto& c = h.counts();
  const double target = q * static_cast<double>(h.total());
  double before = 0;
  for (size_t b = 0; b < c.size(); ++b) {
    double n = static_cast<double>(c[b]);
    if (n > 0 && before + n >= target) {
      double inside = std::min(1.0, std::max(0.0, (target - before) / n));
      return h.binLow() + h.binWidth() * (static_cast<double>(b) + inside);
    }
    before += n;
  }
  return h.max();
}

}  // namespace

const char* rangeEstimatorName(RangeEstimator e) {
  switch (e) {
    case RangeEstimator::MinMax: return "minmax";
    case RangeEstimator::Percentile: return "percentile";
    case RangeEstimator::Mse: return "mse";
  }
  return "?";
}

RangeEstimator rangeEstimatorFromName(const std::string& name) {
  for (RangeEstimator e : {RangeEstimator::MinMax, RangeEstimator::Percentile, RangeEstimator::Mse})
    if (name == rangeEstimatorName(e)) return e;
  badInput("", "unknown calibration '" + name + "': choose minmax, percentile or mse");
}

double quantizationMse(const TensorHistogram& h, double lo, double hi) {
  const auto& c = h.counts();
  const double step = (hi - lo) / 255.0;
  const double rounding = step * step / 12.0;
  double sum = 0;
  for (size_t b = 0; b < c.size(); ++b) {
    if (!c[b]) continue;
    double x = h.binLow() + h.binWidth() * (static_cast<double>(b) + 0.5);
    double e = x < lo ? (lo - x) * (lo - x) : x > hi ? (x - hi) * (x - hi) : rounding;
    sum += static_cast<double>(c[b]) * e;
  }
  return h.total() ? sum / static_cast<double>(h.total()) : 0.0;
}

ValueRange estimateRange(const TensorHistogram& h, RangeEstimator e, double percentile) {
  ValueRange r{h.min(), h.max()};
  if (h.empty() || e == RangeEstimator::MinMax || !h.hasHistogram() || h.counts().empty()) return r;
  if (e == RangeEstimator::Percentile) {
    double p = std::min(100.0, std::max(50.0, percentile)) / 100.0;
    r.min = static_cast<float>(std::max<double>(h.min(), quantile(h, 1.0 - p)));
    r.max = static_cast<float>(std::min<double>(h.max(), quantile(h, p)));
    if (h.min() >= 0) r.min = h.min();  // one-sided tensors (after RELU) keep their exact lower end
    if (h.max() <= 0) r.max = h.max();
    return r;
  }
  // Mse: shrink both ends of the (zero-containing) min/max range together, then each end on its own.
  const double lo0 = std::min(0.0, static_cast<double>(h.min())), hi0 = std::max(0.0, static_cast<double>(h.max()));
  if (!(hi0 - lo0 > 0)) return r;
  constexpr int kSteps = 128;
  double best_lo = lo0, best_hi = hi0, best = quantizationMse(h, lo0, hi0);
  auto consider = [&](double lo, double hi) {
    if (!(hi - lo > 0)) return;
    double err = quantizationMse(h, lo, hi);
    if (err < best) best = err, best_lo = lo, best_hi = hi;
  };
  for (int k = 1; k < kSteps; ++k) consider(lo0 * k / kSteps, hi0 * k / kSteps);
  const double joint_lo = best_lo;
  for (int k = 1; k <= kSteps; ++k) consider(joint_lo, hi0 * k / kSteps);
  const double hi_fixed = best_hi;
  for (int k = 1; k <= kSteps; ++k) consider(lo0 * k / kSteps, hi_fixed);
  r.min = static_cast<float>(best_lo);
  r.max = static_cast<float>(best_hi);
  return r;
}

}  // namespace ql
