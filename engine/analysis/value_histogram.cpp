#include "analysis/value_histogram.h"

#include <algorithm>
#include <cmath>

namespace ql {

ValueStats valueStats(const std::vector<float>& values) {
  ValueStats s;
  double sum = 0, sum_sq = 0;
  bool first = true;
  for (float f : values) {
    if (!std::isfinite(f)) {
      ++s.non_finite;
      continue;
    }
    double v = f;
    if (first) s.min = s.max = v;
    first = false;
    s.min = std::min(s.min, v);
    s.max = std::max(s.max, v);
    sum += v;
    if (v == 0) ++s.zeros;
    ++s.count;
  }
  if (s.count == 0) return s;
  s.mean = sum / static_cast<double>(s.count);
  // Second pass around the mean: one-pass sums of squares lose the spread of weights far from zero.
  for (float f : values)
    if (std::isfinite(f)) sum_sq += (f - s.mean) * (f - s.mean);
  s.stddev = std::sqrt(sum_sq / static_cast<double>(s.count));
  return s;
}

int64_t Histogram::total() const {
  int64_t n = 0;
  for (int64_t c : counts) n += c;
  return n;
}

Histogram histogramOf(const std::vector<float>& values, size_t bins, double lo, double hi) {
  Histogram h;
  if (bins == 0) bins = 1;
  if (!(hi > lo)) {
    lo -= 0.5;
    hi = lo + 1.0;
  }
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(bins, 0);
  const double scale = static_cast<double>(bins) / (hi - lo);
  for (float f : values) {
    if (!std::isfinite(f) || f < lo || f > hi) continue;
    size_t i = static_cast<size_t>((f - lo) * scale);
    ++h.counts[std::min(i, bins - 1)];
  }
  return h;
}

std::pair<Histogram, Histogram> histogramsOnCommonRange(const std::vector<float>& a, const std::vector<float>& b,
                                                        size_t bins) {
  ValueStats sa = valueStats(a), sb = valueStats(b);
  double lo = 0, hi = 0;
  if (sa.count && sb.count) {
    lo = std::min(sa.min, sb.min);
    hi = std::max(sa.max, sb.max);
  } else if (sa.count || sb.count) {
    const ValueStats& s = sa.count ? sa : sb;
    lo = s.min;
    hi = s.max;
  }
  return {histogramOf(a, bins, lo, hi), histogramOf(b, bins, lo, hi)};
}

}  // namespace ql
