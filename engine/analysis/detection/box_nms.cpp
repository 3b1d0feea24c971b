#include "analysis/detection/box_nms.h"

#include <algorithm>
#include <numeric>

namespace ql {

namespace {

// Indices of the candidates (score >= threshold), best first, equal scores in index order.
std::vector<int> rankedCandidates(const std::vector<float>& scores, float threshold) {
  std::vector<int> order;
  for (size_t i = 0; i < scores.size(); ++i)
    if (scores[i] >= threshold) order.push_back(static_cast<int>(i));
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)];
  });
  return order;
}

bool sameClass(const NmsOptions& o, int a, int b) {
  return o.classes.empty() || o.classes[static_cast<size_t>(a)] == o.classes[static_cast<size_t>(b)];
}

}  // namespace

float intersectionOverUnion(const Box& a, const Box& b) {
  const float area_a = (a.ymax - a.ymin) * (a.xmax - a.xmin);
  const float area_b = (b.ymax - b.ymin) * (b.xmax - b.xmin);
  if (area_a <= 0 || area_b <= 0) return 0.0f;
  const float inter_h = std::max(std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin), 0.0f);
  const float inter_w = std::max(std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin), 0.0f);
  const float inter = inter_h * inter_w;
  return inter / (area_a + area_b - inter);
}

std::vector<int> hardNms(const std::vector<Box>& boxes, const std::vector<float>& scores, const NmsOptions& o) {
  const std::vector<int> order = rankedCandidates(scores, o.score_threshold);
  const size_t limit = static_cast<size_t>(std::max(o.max_detections, 0));
  std::vector<char> active(order.size(), 1);
  std::vector<int> selected;
  for (size_t i = 0; i < order.size() && selected.size() < limit; ++i) {
    if (!active[i]) continue;
    const int kept = order[i];
    selected.push_back(kept);
    for (size_t j = i + 1; j < order.size(); ++j)
      if (active[j] && sameClass(o, kept, order[j]) &&
          intersectionOverUnion(boxes[static_cast<size_t>(kept)], boxes[static_cast<size_t>(order[j])]) >
              o.iou_threshold)
        active[j] = 0;
  }
  return selected;
}

std::vector<std::vector<int>> weightedNmsClusters(const std::vector<Box>& boxes, const std::vector<float>& scores,
                                                  const NmsOptions& o) {
  std::vector<int> remaining = rankedCandidates(scores, o.score_threshold);
  std::vector<std::vector<int>> clusters;
  while (!remaining.empty() && clusters.size() < static_cast<size_t>(std::max(o.max_detections, 0))) {
    const int best = remaining.front();
    std::vector<int> cluster, rest;
    for (int i : remaining)  // includes the best box itself (IoU 1)
      (i == best || (sameClass(o, best, i) && intersectionOverUnion(boxes[static_cast<size_t>(i)],
                                                                    boxes[static_cast<size_t>(best)]) > o.iou_threshold)
           ? cluster
           : rest)
          .push_back(i);
    clusters.push_back(std::move(cluster));
    remaining = std::move(rest);
  }
  return clusters;
}

std::vector<float> blendCluster(const std::vector<int>& cluster, const std::vector<float>& scores,
                                const std::vector<std::vector<float>>& values) {
  if (cluster.empty()) return {};
  std::vector<float> sum(values[static_cast<size_t>(cluster[0])].size(), 0.0f);
  float total = 0;
  for (int i : cluster) {
    const float w = scores[static_cast<size_t>(i)];
    total += w;
    const std::vector<float>& v = values[static_cast<size_t>(i)];
    for (size_t k = 0; k < sum.size() && k < v.size(); ++k) sum[k] += v[k] * w;
  }
  if (total > 0)
    for (float& s : sum) s /= total;
  return sum;
}

}  // namespace ql
