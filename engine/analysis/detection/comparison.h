// What changed between two detection lists (float vs quantized, or any two models on one image).
// Greedy, by descending score of the first list (equal scores in list order): each box is matched to the unmatched
// box of the same class in the second list with the highest IoU >= match_iou (equal IoUs: the earlier one).
// Boxes of the first list left unmatched then look for an unmatched box of another class at IoU >= match_iou
// (the highest): such a pair is a class change. What is left is missed (first list only) or extra (second only).
#pragma once

#include <vector>

#include "analysis/detections.h"

namespace ql {

struct MatchedDetection {
  int first = 0, second = 0;  // indices into the two lists
  float iou = 0;
  float score_shift = 0;  // second's score - first's
};

struct ClassChange {
  int first = 0, second = 0;
  float iou = 0;
};

struct DetectionComparison {
  std::vector<MatchedDetection> matched;  // in the first list's score order
  std::vector<MatchedDetection> moved;    // the matched pairs with IoU < moved_below
  std::vector<int> missed;                // first-list indices, ascending
  std::vector<int> extra;                 // second-list indices, ascending
  std::vector<ClassChange> class_changed;
};

struct ComparisonOptions {
  float match_iou = 0.5f;
  float moved_below = 0.8f;
};

DetectionComparison compareDetections(const std::vector<Detection>& first, const std::vector<Detection>& second,
                                      const ComparisonOptions& options = {});

}  // namespace ql
