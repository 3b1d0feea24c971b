// The running statistics of one float tensor over a calibration set: its exact min and max over every value, and a
// histogram of 2048 equal bins (of a regular sample of at most 4096 values per image) that widens, merging
// neighbouring bins, whenever a new image goes beyond it, so percentile and MSE ranges come from a fixed amount of
// memory and work per tensor, never from every value of every image.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ql {

class TensorHistogram {
 public:
  static constexpr int kBins = 2048;

  explicit TensorHistogram(bool keep_histogram = true) : keep_histogram_(keep_histogram) {}

  // Adds the values of one image (non-finite values are ignored); `inner` is the innermost dimension (channels),
  // which the histogram's sampling stride avoids sharing a factor with.
  void add(const float* values, size_t count, size_t inner = 1);

  bool empty() const { return seen_ == 0; }
  float min() const { return min_; }
  float max() const { return max_; }
  uint64_t total() const { return total_; }  // values in the histogram
  uint64_t seen() const { return seen_; }    // values seen (min and max)
  bool hasHistogram() const { return keep_histogram_; }
  double binLow() const { return lo_; }  // where bin 0 starts
  double binWidth() const { return width_; }
  const std::vector<uint64_t>& counts() const { return counts_; }

 private:
  void widenTo(double lo, double hi);

  bool keep_histogram_;
  float min_ = 0, max_ = 0;
  uint64_t total_ = 0, seen_ = 0;
  double lo_ = 0, width_ = 0;
  std::vector<uint64_t> counts_;
};

}  // namespace ql
