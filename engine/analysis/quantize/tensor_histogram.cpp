#include "analysis/quantize/tensor_histogram.h"

#include <algorithm>
#include <cmath>

namespace ql {

void TensorHistogram::add(const float* values, size_t count) {
  float lo = INFINITY, hi = -INFINITY;
  size_t finite = 0;
  for (size_t i = 0; i < count; ++i) {
    float v = values[i];
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    ++finite;
  }
  if (finite == 0) return;
  if (total_ == 0) {
    min_ = lo;
    max_ = hi;
  } else {
    min_ = std::min(min_, lo);
    max_ = std::max(max_, hi);
  }
  if (keep_histogram_) {
    if (counts_.empty()) {
      counts_.assign(kBins, 0);
      lo_ = lo;
      // A first image of one value still needs bins of some width; later images widen them.
      width_ = std::max((static_cast<double>(hi) - lo) / kBins, 1e-9 * std::max(1.0, std::fabs(static_cast<double>(lo))));
    }
    widenTo(lo, hi);
    const double inv = 1.0 / width_;
    uint64_t* c = counts_.data();
    for (size_t i = 0; i < count; ++i) {
      float v = values[i];
      if (!std::isfinite(v)) continue;
      long b = static_cast<long>((v - lo_) * inv);
      b = std::min<long>(std::max<long>(b, 0), kBins - 1);
      ++c[b];
    }
  }
  total_ += finite;
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
