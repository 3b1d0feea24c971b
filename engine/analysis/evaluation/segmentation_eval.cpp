#include "analysis/evaluation/segmentation_eval.h"

#include <algorithm>

namespace ql {

Confusion::Confusion(size_t classes) : n_(classes), m_(classes * (classes + 1), 0) {}

void Confusion::add(int truth, int predicted) {
  if (truth < 0 || static_cast<size_t>(truth) >= n_) return;
  const size_t p = predicted < 0 || static_cast<size_t>(predicted) >= n_ ? n_ : static_cast<size_t>(predicted);
  ++m_[static_cast<size_t>(truth) * (n_ + 1) + p];
}

void Confusion::add(const Confusion& o) {
  if (o.n_ > n_) {  // grow to the other's classes: re-lay the rows
    Confusion grown(o.n_);
    for (size_t t = 0; t < n_; ++t)
      for (size_t p = 0; p <= n_; ++p) grown.m_[t * (o.n_ + 1) + (p == n_ ? o.n_ : p)] = m_[t * (n_ + 1) + p];
    *this = std::move(grown);
  }
  for (size_t t = 0; t < o.n_; ++t)
    for (size_t p = 0; p <= o.n_; ++p) m_[t * (n_ + 1) + (p == o.n_ ? n_ : p)] += o.m_[t * (o.n_ + 1) + p];
}

uint64_t Confusion::truthPixels(size_t cls) const {
  uint64_t s = 0;
  for (size_t p = 0; p <= n_; ++p) s += m_[cls * (n_ + 1) + p];
  return s;
}

std::vector<double> Confusion::iou() const {
  std::vector<double> out(n_, -1);
  for (size_t k = 0; k < n_; ++k) {
    uint64_t predicted = 0;
    for (size_t t = 0; t < n_; ++t) predicted += m_[t * (n_ + 1) + k];
    const uint64_t hits = m_[k * (n_ + 1) + k];
    const uint64_t uni = truthPixels(k) + predicted - hits;
    if (uni > 0) out[k] = static_cast<double>(hits) / static_cast<double>(uni);
  }
  return out;
}

double Confusion::meanIou() const {
  double sum = 0;
  size_t n = 0;
  for (double v : iou())
    if (v >= 0) sum += v, ++n;
  return n ? sum / static_cast<double>(n) : -1;
}

std::vector<int32_t> resizeNearest(const std::vector<int32_t>& mask, int w, int h, int tw, int th) {
  if (w == tw && h == th) return mask;
  if (w <= 0 || h <= 0 || mask.size() < static_cast<size_t>(w) * static_cast<size_t>(h))
    return std::vector<int32_t>(static_cast<size_t>(tw) * static_cast<size_t>(th), -1);  // no prediction: none
  std::vector<int32_t> out(static_cast<size_t>(tw) * static_cast<size_t>(th));
  for (int y = 0; y < th; ++y) {
    const int sy = std::min(h - 1, static_cast<int>((y + 0.5) * h / th));
    for (int x = 0; x < tw; ++x) {
      const int sx = std::min(w - 1, static_cast<int>((x + 0.5) * w / tw));
      out[static_cast<size_t>(y) * static_cast<size_t>(tw) + static_cast<size_t>(x)] =
          mask[static_cast<size_t>(sy) * static_cast<size_t>(w) + static_cast<size_t>(sx)];
    }
  }
  return out;
}

}  // namespace ql
