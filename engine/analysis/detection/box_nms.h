// Box overlap and non-maximum suppression, the one implementation the TFLite_Detection_PostProcess kernel and the
// detector decoders share. Boxes are corners (ymin, xmin, ymax, xmax) in any one coordinate system: IoU does not
// change when an axis is scaled, so input-normalized and pixel boxes give the same suppression.
#pragma once

#include <vector>

namespace ql {

struct Box {
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
};

// Intersection over union, in float as TFLite's kernel computes it; 0 when either box has no area.
float intersectionOverUnion(const Box& a, const Box& b);

struct NmsOptions {
  float score_threshold = 0;  // candidates score >= this
  float iou_threshold = 0.5f;  // a box is suppressed by a kept one when their IoU is > this
  int max_detections = 100;
  // When not empty (one class per box), a box is suppressed only by kept boxes of its own class (class-aware
  // NMS, the same as NMS per class merged by score); empty is class-agnostic.
  std::vector<int> classes;
};

// Greedy hard NMS: box indices best first (equal scores in index order, as a stable sort gives), at most
// max_detections.
std::vector<int> hardNms(const std::vector<Box>& boxes, const std::vector<float>& scores, const NmsOptions& options);

// MediaPipe's weighted NMS: the best remaining box and every remaining box overlapping it by IoU > iou_threshold
// form one cluster, which leaves the pool; repeated while boxes remain, at most max_detections clusters. Each
// cluster lists its box indices, the best first; the caller blends them weighted by score (blendCluster).
std::vector<std::vector<int>> weightedNmsClusters(const std::vector<Box>& boxes, const std::vector<float>& scores,
                                                  const NmsOptions& options);

// The score-weighted mean of `values` (one row of `width` numbers per box) over a cluster's boxes.
std::vector<float> blendCluster(const std::vector<int>& cluster, const std::vector<float>& scores,
                                const std::vector<std::vector<float>>& values);

}  // namespace ql
