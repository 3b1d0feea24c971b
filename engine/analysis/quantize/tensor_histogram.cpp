#include "analysis/quantize/tensor_histogram.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace ql {

namespace {

// Min and max of the values, NaN ignored (minps/maxps return their second operand when the first is NaN).
void minMax(const float* v, size_t n, float* lo, float* hi) {
  size_t i = 0;
  float l = INFINITY, h = -INFINITY;
#if defined(__SSE2__)
  __m128 l0 = _mm_set1_ps(INFINITY), l1 = l0, h0 = _mm_set1_ps(-INFINITY), h1 = h0;
  for (; i + 8 <= n; i += 8) {
    __m128 a = _mm_loadu_ps(v + i), b = _mm_loadu_ps(v + i + 4);
    l0 = _mm_min_ps(a, l0), l1 = _mm_min_ps(b, l1);
    h0 = _mm_max_ps(a, h0), h1 = _mm_max_ps(b, h1);
  }
  alignas(16) float ls[4], hs[4];
  _mm_store_ps(ls, _mm_min_ps(l0, l1));
  _mm_store_ps(hs, _mm_max_ps(h0, h1));
  for (int k = 0; k < 4; ++k) l = std::min(l, ls[k]), h = std::max(h, hs[k]);
#endif
  for (; i < n; ++i) {
    l = v[i] < l ? v[i] : l;
    h = v[i] > h ? v[i] : h;
  }
  *lo = l, *hi = h;
}

// At most this many values per image go into a tensor's histogram (min and max see them all): a regular sample,
// with a stride that shares no factor with the innermost dimension so that every channel is sampled. 100 images
// give 400000 samples per tensor, plenty for a 99.99th percentile, at a cost that does not grow with the
// tensor.
constexpr size_t kSamplesPerImage = 1 << 12;

size_t sampleStride(size_t count, size_t inner) {
  size_t s = std::max<size_t>(1, count / kSamplesPerImage);
  while (s > 1 && inner > 1 && std::gcd(s, inner) != 1) ++s;
  return s;
}

}  // namespace

void TensorHistogram::add(const float* values, size_t count, size_t inner) {
  float lo, hi;
  minMax(values, count, &lo, &hi);
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    // Rare: infinities among the values (or nothing but NaN). Bound the finite ones only.
    lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < count; ++i)
      if (std::isfinite(values[i])) lo = std::min(lo, values[i]), hi = std::max(hi, values[i]);
    if (lo > hi) return;
  }
  if (seen_ == 0) {
    min_ = lo;
    max_ = hi;
  } else {
    min_ = std::min(min_, lo);
    max_ = std::max(max_, hi);
  }
  seen_ += count;
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
  for (size_t i = 0, step = sampleStride(count, inner); i < count; i += step) {
    float v = values[i];
    if (!(std::fabs(v) <= 3.4e38f)) continue;  // NaN and infinities
    float b = (v - origin) * inv;
    b = b > 0.f ? b : 0.f;
    b = b < last ? b : last;
    ++c[static_cast<int>(b)];
    ++total_;
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
