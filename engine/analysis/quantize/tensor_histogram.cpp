#include "analysis/quantize/tensor_histogram.h"

#include <algorithm>
#include <cmath>

namespace ql {

namespace {

// Min and max in eight independent lanes (the compiler vectorizes them); NaN never wins a comparison written this
// way, infinities do and are filtered by the caller.
void minMax(const float* v, size_t n, float* lo, float* hi) {
  float l[8], h[8];
  for (int k = 0; k < 8; ++k) l[k] = INFINITY, h[k] = -INFINITY;
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int k = 0; k < 8; ++k) {
      l[k] = v[i + k] < l[k] ? v[i + k] : l[k];
      h[k] = v[i + k] > h[k] ? v[i + k] : h[k];
    }
  for (; i < n; ++i) {
    l[0] = v[i] < l[0] ? v[i] : l[0];
    h[0] = v[i] > h[0] ? v[i] : h[0];
  }
  *lo = INFINITY, *hi = -INFINITY;
  for (int k = 0; k < 8; ++k) *lo = std::min(*lo, l[k]), *hi = std::max(*hi, h[k]);
}

}  // namespace

void TensorHistogram::add(const float* values, size_t count) {
  float lo, hi;
  minMax(values, count, &lo, &hi);
  size_t finite = count;
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    // Rare: infinities or NaN among the values. Count and bound the finite ones only.
    lo = INFINITY, hi = -INFINITY, finite = 0;
    for (size_t i = 0; i < count; ++i)
      if (std::isfinite(values[i])) lo = std::min(lo, values[i]), hi = std::max(hi, values[i]), ++finite;
  } else {
    for (size_t i = 0; i < count; ++i) finite -= values[i] != values[i];  // NaN
  }
  if (finite == 0) return;
  if (total_ == 0) {
    min_ = lo;
    max_ = hi;
  } else {
    min_ = std::min(min_, lo);
    max_ = std::max(max_, hi);
  }
  total_ += finite;
  if (!keep_histogram_) return;
  if (counts_.empty()) {
    counts_.assign(kBins, 0);
    lo_ = lo;
    // A first image of one value still needs bins of some width; later images widen them.
    width_ = std::max((static_cast<double>(hi) - lo) / kBins, 1e-9 * std::max(1.0, std::fabs(static_cast<double>(lo))));
  }
  widenTo(lo, hi);
  const float origin = static_cast<float>(lo_), inv = static_cast<float>(1.0 / width_);
  const float last = static_cast<float>(kBins - 1);
  uint64_t* c = counts_.data();
  for (size_t i = 0; i < count; ++i) {
    float v = values[i];
    if (!(std::fabs(v) <= 3.4e38f)) continue;  // NaN and infinities
    float b = (v - origin) * inv;
    b = b > 0.f ? b : 0.f;
    b = b < last ? b : last;
    ++c[static_cast<int>(b)];
  }
}

// Doubles the bin width (2^k times) and moves the start down by a whole number of old bins, so each old bin falls
// inside exactly one new bin and counts merge without loss.
void TensorHistogram::widenTo(double lo, double hi) {
  double top = lo_ + width_ * kBins;
  if (lo >= lo_ && hi <= top) return;
  const double a = std::min(lo, lo_), b = std::max(hi, top);
  for (int k = 1; k < 1100; ++k) {
    const double factor = std::ldexp(1.0, k);
    const double w = width_ * factor;
    if (b - a > w * kBins) continue;
    double shift = lo < lo_ ? std::ceil((lo_ - a) / width_) : 0.0;  // in old bins
    shift = std::ceil(shift / factor) * factor;
    const double new_lo = lo_ - shift * width_;
    if (new_lo + w * kBins < b) continue;
    std::vector<uint64_t> merged(kBins, 0);
    for (int i = 0; i < kBins; ++i) {
      double j = std::floor((shift + i) / factor);
      merged[static_cast<size_t>(std::min<double>(j, kBins - 1))] += counts_[static_cast<size_t>(i)];
    }
    counts_ = std::move(merged);
    lo_ = new_lo;
    width_ = w;
    return;
  }
}

}  // namespace ql
