#include "analysis/detection/comparison.h"

#include <algorithm>
#include <numeric>

namespace ql {

namespace {

// The unmatched box of `second` with the highest IoU >= threshold whose class is (or is not) `cls`; -1 if none.
int bestPartner(const Detection& box, const std::vector<Detection>& second, const std::vector<char>& taken,
                float threshold, bool same_class, float* iou_out) {
  int best = -1;
  float best_iou = 0;
  for (size_t j = 0; j < second.size(); ++j) {
    if (taken[j] || (second[j].cls == box.cls) != same_class) continue;
    const float iou = intersectionOverUnion(box, second[j]);
    if (iou >= threshold && (best < 0 || iou > best_iou)) best = static_cast<int>(j), best_iou = iou;
  }
  *iou_out = best_iou;
  return best;
}

}  // namespace

DetectionComparison compareDetections(const std::vector<Detection>& first, const std::vector<Detection>& second,
                                      const ComparisonOptions& o) {
  std::vector<int> order(first.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return first[static_cast<size_t>(a)].score > first[static_cast<size_t>(b)].score;
  });
  DetectionComparison r;
  std::vector<char> first_done(first.size(), 0), second_taken(second.size(), 0);
  for (int i : order) {
    float iou = 0;
    const int j = bestPartner(first[static_cast<size_t>(i)], second, second_taken, o.match_iou, true, &iou);
    if (j < 0) continue;
    first_done[static_cast<size_t>(i)] = second_taken[static_cast<size_t>(j)] = 1;
    MatchedDetection m{i, j, iou, second[static_cast<size_t>(j)].score - first[static_cast<size_t>(i)].score};
    r.matched.push_back(m);
    if (iou < o.moved_below) r.moved.push_back(m);
  }
  for (int i : order) {
    if (first_done[static_cast<size_t>(i)]) continue;
    float iou = 0;
    const int j = bestPartner(first[static_cast<size_t>(i)], second, second_taken, o.match_iou, false, &iou);
    if (j < 0) continue;
    first_done[static_cast<size_t>(i)] = second_taken[static_cast<size_t>(j)] = 1;
    r.class_changed.push_back({i, j, iou});
  }
  for (size_t i = 0; i < first.size(); ++i)
    if (!first_done[i]) r.missed.push_back(static_cast<int>(i));
  for (size_t j = 0; j < second.size(); ++j)
    if (!second_taken[j]) r.extra.push_back(static_cast<int>(j));
  return r;
}

}  // namespace ql
