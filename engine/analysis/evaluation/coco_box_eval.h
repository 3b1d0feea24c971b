// Detection AP as the COCO evaluation protocol (pycocotools' COCOeval, bbox) computes it: IoU thresholds
// .50:.05:.95, 101-point interpolated precision, detections matched greedily by descending score, crowd regions
// that absorb matches and never count as misses, at most 100 detections per image and category, and the
// small / medium / large split on the ground truth's area. Boxes are COCO's [x, y, width, height] in pixels.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace ql {

struct EvalBox {
  double x = 0, y = 0, w = 0, h = 0;
};

struct GroundTruthBox {
  EvalBox box;
  int category = 0;     // index into the evaluation's categories
  double area = 0;      // the annotation's area (COCO: the segment's), else the box area
  bool crowd = false;   // a crowd region: IoU over the detection's area, may absorb any number of detections
  bool ignore = false;  // neither a hit nor a miss (crowd regions, VOC "difficult" objects)
};

struct ScoredBox {
  EvalBox box;
  int category = 0;
  float score = 0;
};

// One image's ground truth and detections (every category mixed).
struct ImageBoxes {
  std::vector<GroundTruthBox> truth;
  std::vector<ScoredBox> detections;
};

constexpr size_t kIouThresholdCount = 10;  // .50, .55, ..., .95
constexpr size_t kRecallPointCount = 101;  // 0, .01, ..., 1
constexpr size_t kMaxDetectionsPerImage = 100;
// The thresholds exactly as numpy's linspace makes them, so that a recall or IoU landing on a threshold
// compares as in pycocotools.
const std::array<double, kIouThresholdCount>& iouThresholds();
const std::array<double, kRecallPointCount>& recallThresholds();

// COCO's box IoU; against a crowd region the union is the detection's own area.
double cocoBoxIou(const EvalBox& detection, const EvalBox& truth, bool truth_is_crowd);

enum class AreaRange { All = 0, Small = 1, Medium = 2, Large = 3 };  // small < 32^2 <= medium <= 96^2 < large

struct CategoryAp {
  int category = 0;
  size_t ground_truth = 0;                              // boxes that count (not ignored), over every image
  double ap = -1, ap50 = -1, ap75 = -1, recall = -1;    // -1: no ground truth, left out of the means
  std::array<double, kRecallPointCount> precision50{};  // interpolated precision at IoU .5 (the PR curve)
};

struct BoxMetrics {
  // Means over the categories that have ground truth; -1 when none has (in that area range).
  double map = -1, map50 = -1, map75 = -1, map_small = -1, map_medium = -1, map_large = -1, ar100 = -1;
  std::vector<CategoryAp> per_category;  // one per category, in category order
};

// Matches once, then answers for the whole set or for one image.
class BoxEvaluation {
 public:
  BoxEvaluation(const std::vector<ImageBoxes>& images, int num_categories);
  BoxMetrics metrics() const;
  // mAP@[.5:.95] of one image alone; -1 when it has no ground truth that counts.
  double imageMap(size_t image) const;

  // One (image, category, area range) as COCOeval.evaluateImg leaves it: the image's detections of the category
  // by descending score (at most 100) with, per IoU threshold, whether each was matched or is ignored.
  struct Matches {
    bool present = false;  // false when the image has neither ground truth nor detections of the category
    std::vector<float> scores;
    std::vector<std::array<bool, kIouThresholdCount>> matched, ignored;
    size_t counted_truth = 0;
  };

 private:
  struct Accumulated {
    std::array<std::array<double, kRecallPointCount>, kIouThresholdCount> precision{};
    std::array<double, kIouThresholdCount> recall{};
    bool valid = false;
  };
  Accumulated accumulate(int category, AreaRange area, size_t first_image, size_t image_count) const;
  const Matches& at(size_t image, int category, AreaRange area) const;

  size_t images_ = 0;
  int categories_ = 0;
  std::vector<Matches> matches_;  // [image][category][area]
};

}  // namespace ql
