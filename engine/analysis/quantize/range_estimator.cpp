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

namespace {

// Prefix sums of count, count x and count x^2 over the bins (x the bin centre), so the error of any range costs
// O(1): what lies below lo costs sum c (lo - x)^2, above hi sum c (x - hi)^2, inside a rounding error step^2 / 12.
class MseTable {
 public:
  explicit MseTable(const TensorHistogram& h) : low_(h.binLow()), width_(h.binWidth()), total_(static_cast<double>(h.total())) {
    const auto& c = h.counts();
    n_ = c.size();
    c_.assign(n_ + 1, 0), s1_.assign(n_ + 1, 0), s2_.assign(n_ + 1, 0);
    for (size_t b = 0; b < n_; ++b) {
      double x = low_ + width_ * (static_cast<double>(b) + 0.5), k = static_cast<double>(c[b]);
      c_[b + 1] = c_[b] + k;
      s1_[b + 1] = s1_[b] + k * x;
      s2_[b + 1] = s2_[b] + k * x * x;
    }
  }

  double mse(double lo, double hi) const {
    if (total_ == 0) return 0;
    const size_t below = bin(std::ceil((lo - low_) / width_ - 0.5));        // centres < lo
    const size_t above = bin(std::floor((hi - low_) / width_ - 0.5) + 1);   // centres > hi start here
    const double step = (hi - lo) / 255.0;
    double err = lo * lo * c_[below] - 2 * lo * s1_[below] + s2_[below];
    const double ca = c_[n_] - c_[above], s1a = s1_[n_] - s1_[above], s2a = s2_[n_] - s2_[above];
    err += s2a - 2 * hi * s1a + hi * hi * ca;
    const double inside = std::max(0.0, c_[above] - c_[below]);
    err += inside * step * step / 12.0;
    return std::max(0.0, err) / total_;
  }

 private:
  size_t bin(double b) const { return static_cast<size_t>(std::min(static_cast<double>(n_), std::max(0.0, b))); }

  double low_, width_, total_;
  size_t n_ = 0;
  std::vector<double> c_, s1_, s2_;
};

}  // namespace

double quantizationMse(const TensorHistogram& h, double lo, double hi) { return MseTable(h).mse(lo, hi); }

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
  constexpr int kSteps = 512;
  const MseTable table(h);
  double best_lo = lo0, best_hi = hi0, best = table.mse(lo0, hi0);
  auto consider = [&](double lo, double hi) {
    if (!(hi - lo > 0)) return;
    double err = table.mse(lo, hi);
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
