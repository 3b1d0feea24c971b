// Statistics and histograms of a tensor's real values, as plain numbers for any view (the inspector's weight
// histogram, its float-twin overlay) to draw without computing anything itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace ql {

struct ValueStats {
  int64_t count = 0;       // finite values
  int64_t non_finite = 0;  // NaN and infinities, left out of everything else
  int64_t zeros = 0;
  double min = 0, max = 0, mean = 0, stddev = 0;  // population standard deviation
};
ValueStats valueStats(const std::vector<float>& values);

// `counts[i]` holds the finite values in [lo + i*w, lo + (i+1)*w), the last bin closed at `hi`.
struct Histogram {
  double lo = 0, hi = 0;
  std::vector<int64_t> counts;

  double binWidth() const { return counts.empty() ? 0 : (hi - lo) / static_cast<double>(counts.size()); }
  double binCenter(size_t i) const { return lo + (static_cast<double>(i) + 0.5) * binWidth(); }
  int64_t total() const;
};

// Values outside [lo, hi] are left out; lo == hi widens to a unit-wide range around it.
Histogram histogramOf(const std::vector<float>& values, size_t bins, double lo, double hi);
// One range covering the finite values of both sets, so that the two histograms overlay bin for bin
// (weights of a quantized op and its float twin's). Either set may be empty.
std::pair<Histogram, Histogram> histogramsOnCommonRange(const std::vector<float>& a, const std::vector<float>& b,
                                                        size_t bins);

}  // namespace ql
