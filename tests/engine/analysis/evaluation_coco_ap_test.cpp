// The COCO box evaluation on hand-made cases whose AP is worked out here, point by point on the 101 recall
// thresholds: where the precision envelope is p up to recall r, those of the 101 points at or below r get p.
#include <gtest/gtest.h>

#include "analysis/evaluation/coco_box_eval.h"

namespace ql {
namespace {

GroundTruthBox truth(double x, double y, double w, double h, int cat = 0) {
  GroundTruthBox g;
  g.box = {x, y, w, h};
  g.category = cat;
  g.area = w * h;
  return g;
}

ScoredBox det(double x, double y, double w, double h, float score, int cat = 0) {
  return ScoredBox{{x, y, w, h}, cat, score};
}

// Points of the 101 recall thresholds 0, .01, ..., 1 that lie at or below recall r.
double pointsUpTo(double r) { return static_cast<double>(static_cast<int>(r * 100 + 1e-9) + 1); }

TEST(CocoBoxEval, ThresholdsAreNumpysLinspace) {
  EXPECT_EQ(iouThresholds()[0], 0.5);
  EXPECT_EQ(iouThresholds()[5], 0.75);
  EXPECT_EQ(iouThresholds()[9], 0.95);
  EXPECT_EQ(recallThresholds()[100], 1.0);
  EXPECT_EQ(recallThresholds()[33], 0.33);
}

TEST(CocoBoxEval, PerfectDetectionsScoreOne) {
  std::vector<ImageBoxes> images(1);
  images[0].truth = {truth(10, 10, 50, 50), truth(100, 100, 40, 60, 1)};
  images[0].detections = {det(10, 10, 50, 50, 0.9f), det(100, 100, 40, 60, 0.7f, 1)};
  BoxMetrics m = BoxEvaluation(images, 2).metrics();
  EXPECT_DOUBLE_EQ(m.map, 1);
  EXPECT_DOUBLE_EQ(m.map50, 1);
  EXPECT_DOUBLE_EQ(m.ar100, 1);
}

TEST(CocoBoxEval, TiesInScoreKeepTheDetectionOrderThenTheImageOrder) {
  // Image 0: a hit at 0.9. Image 1: a miss then a hit, both 0.8. Stable order: TP, FP, TP.
  // recall .5, .5, 1; precision 1, .5, 2/3 -> envelope 1, 2/3, 2/3: 51 points at 1, 50 at 2/3.
  std::vector<ImageBoxes> images(2);
  images[0].truth = {truth(0, 0, 10, 10)};
  images[0].detections = {det(0, 0, 10, 10, 0.9f)};
  images[1].truth = {truth(0, 0, 10, 10)};
  images[1].detections = {det(50, 50, 10, 10, 0.8f), det(0, 0, 10, 10, 0.8f)};
  const double expected = (51 * 1.0 + 50 * 2.0 / 3.0) / 101;
  EXPECT_NEAR(BoxEvaluation(images, 1).metrics().map, expected, 1e-12);
  // The hit listed first: TP, TP, FP gives 1.
  std::swap(images[1].detections[0], images[1].detections[1]);
  EXPECT_NEAR(BoxEvaluation(images, 1).metrics().map, 1, 1e-12);
  // A tie across images: image 0 holds a 0.8 miss, image 1 a 0.8 hit; image 0 comes first: FP then TP.
  std::vector<ImageBoxes> across(2);
  across[0].detections = {det(50, 50, 10, 10, 0.8f)};
  across[1].truth = {truth(0, 0, 10, 10)};
  across[1].detections = {det(0, 0, 10, 10, 0.8f)};
  EXPECT_NEAR(BoxEvaluation(across, 1).metrics().map, 0.5, 1e-12);  // precision 1/2 at recall 1, everywhere
}

TEST(CocoBoxEval, ACrowdRegionAbsorbsDetectionsAndIsNeverMissed) {
  std::vector<ImageBoxes> images(1);
  GroundTruthBox crowd = truth(100, 0, 200, 200);
  crowd.crowd = true;
  images[0].truth = {truth(0, 0, 20, 20), crowd};
  // Two boxes inside the crowd region ranked first: IoU against a crowd is the overlap over the detection's own
  // area (here 1, though their plain IoU is 0.0025), and a crowd takes any number of them: both ignored.
  images[0].detections = {det(110, 10, 10, 10, 0.95f), det(150, 50, 10, 10, 0.94f), det(0, 0, 20, 20, 0.9f)};
  BoxMetrics m = BoxEvaluation(images, 1).metrics();
  EXPECT_DOUBLE_EQ(m.map, 1);  // as FPs they would give 1/3; a counted crowd would cap recall at 1/2
  EXPECT_EQ(m.per_category[0].ground_truth, 1u);
  EXPECT_DOUBLE_EQ(cocoBoxIou({110, 10, 10, 10}, {100, 0, 200, 200}, true), 1);
  EXPECT_DOUBLE_EQ(cocoBoxIou({110, 10, 10, 10}, {100, 0, 200, 200}, false), 100.0 / 40000);
  // A detection half inside the crowd region (overlap 0.5 of its area) is absorbed at IoU .5 only: a false
  // positive at the nine other thresholds, ranked before the hit: AP there = 1/2.
  images[0].detections = {det(90, 10, 20, 10, 0.95f), det(0, 0, 20, 20, 0.9f)};
  EXPECT_NEAR(BoxEvaluation(images, 1).metrics().map, (1 + 9 * 0.5) / 10, 1e-12);
}

TEST(CocoBoxEval, AClassWithoutGroundTruthIsLeftOutOfTheMean) {
  std::vector<ImageBoxes> images(1);
  images[0].truth = {truth(0, 0, 10, 10, 0)};
  images[0].detections = {det(0, 0, 10, 10, 0.9f, 0), det(30, 30, 10, 10, 0.99f, 1), det(50, 50, 5, 5, 0.5f, 2)};
  BoxMetrics m = BoxEvaluation(images, 3).metrics();
  EXPECT_DOUBLE_EQ(m.map, 1);
  ASSERT_EQ(m.per_category.size(), 3u);
  EXPECT_EQ(m.per_category[1].ap, -1);
  EXPECT_EQ(m.per_category[2].ap, -1);
  EXPECT_EQ(m.per_category[1].ground_truth, 0u);
}

TEST(CocoBoxEval, AnImageWithoutDetectionsCountsItsBoxesAsMissed) {
  std::vector<ImageBoxes> images(2);
  images[0].truth = {truth(0, 0, 10, 10)};
  images[0].detections = {det(0, 0, 10, 10, 0.9f)};
  images[1].truth = {truth(0, 0, 10, 10)};
  BoxEvaluation e(images, 1);
  BoxMetrics m = e.metrics();
  EXPECT_NEAR(m.map, pointsUpTo(0.5) / 101, 1e-12);  // recall 1/2 at precision 1
  EXPECT_NEAR(m.ar100, 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(e.imageMap(0), 1);
  EXPECT_DOUBLE_EQ(e.imageMap(1), 0);
  // An image with neither ground truth nor detections changes nothing.
  images.emplace_back();
  EXPECT_NEAR(BoxEvaluation(images, 1).metrics().map, pointsUpTo(0.5) / 101, 1e-12);
  EXPECT_EQ(BoxEvaluation(images, 1).imageMap(2), -1);
}

TEST(CocoBoxEval, AnIouExactlyAtAThresholdMatchesAtIt) {
  std::vector<ImageBoxes> images(1);
  images[0].truth = {truth(0, 0, 10, 10)};
  images[0].detections = {det(0, 0, 10, 5, 0.9f)};  // IoU 50/100 = .5 exactly
  BoxMetrics m = BoxEvaluation(images, 1).metrics();
  EXPECT_DOUBLE_EQ(m.map50, 1);
  EXPECT_DOUBLE_EQ(m.map75, 0);
  EXPECT_NEAR(m.map, 0.1, 1e-12);                     // a hit at 1 of the 10 thresholds
  images[0].detections = {det(0, 0, 10, 7.5, 0.9f)};  // IoU .75 exactly: hits at .50 ... .75
  m = BoxEvaluation(images, 1).metrics();
  EXPECT_DOUBLE_EQ(m.map75, 1);
  EXPECT_NEAR(m.map, 0.6, 1e-12);
  images[0].detections = {det(0, 0, 10, 7.4999, 0.9f)};  // just below: .50 ... .70
  EXPECT_NEAR(BoxEvaluation(images, 1).metrics().map, 0.5, 1e-12);
}

TEST(CocoBoxEval, GreedyMatchingGivesEachDetectionTheBestFreeBox) {
  std::vector<ImageBoxes> images(1);
  images[0].truth = {truth(0, 0, 10, 10), truth(5, 0, 10, 10)};
  // The first detection overlaps A by 60/140 and B by 90/110: it takes B; the second then takes A exactly.
  images[0].detections = {det(4, 0, 10, 10, 0.9f), det(0, 0, 10, 10, 0.8f)};
  BoxMetrics m = BoxEvaluation(images, 1).metrics();
  EXPECT_DOUBLE_EQ(m.map50, 1);
  // At .85, .90 and .95 (above its IoU .818) the first detection misses: FP, TP with recall 0, 1/2 and
  // precision 0, 1/2 -> envelope 1/2 up to recall 1/2 (51 points at 1/2); hits at the 7 thresholds up to .80.
  const double high = pointsUpTo(0.5) * 0.5 / 101;
  EXPECT_NEAR(m.map, (7 * 1 + 3 * high) / 10, 1e-12);
}

TEST(CocoBoxEval, AtMost100DetectionsPerImageAndClassCount) {
  std::vector<ImageBoxes> images(1);
  images[0].truth = {truth(0, 0, 10, 10)};
  for (int i = 0; i < 100; ++i) images[0].detections.push_back(det(500 + i * 20, 500, 10, 10, 0.9f));
  images[0].detections.push_back(det(0, 0, 10, 10, 0.5f));  // the 101st by score: dropped
  EXPECT_DOUBLE_EQ(BoxEvaluation(images, 1).metrics().map, 0);
  images[0].detections.erase(images[0].detections.begin());  // now the 100th: precision 1/100 at recall 1
  EXPECT_NEAR(BoxEvaluation(images, 1).metrics().map, 0.01, 1e-12);
  // Detections of another class do not take places of this one.
  for (ScoredBox& d : images[0].detections)
    if (d.score > 0.6f) d.category = 1;
  images[0].detections.push_back(det(480, 480, 10, 10, 0.95f, 1));
  images[0].truth.push_back(truth(2000, 2000, 10, 10, 1));
  BoxMetrics m = BoxEvaluation(images, 2).metrics();
  EXPECT_DOUBLE_EQ(m.per_category[0].ap, 1);
  EXPECT_DOUBLE_EQ(m.per_category[1].ap, 0);
}

TEST(CocoBoxEval, SmallMediumLargeSplitOnTheTruthsArea) {
  std::vector<ImageBoxes> images(1);
  images[0].truth = {truth(0, 0, 10, 10), truth(100, 0, 50, 50), truth(200, 0, 200, 200)};  // 100, 2500, 40000
  images[0].detections = {det(0, 0, 10, 10, 0.9f), det(500, 500, 50, 50, 0.85f), det(200, 0, 200, 200, 0.8f)};
  BoxMetrics m = BoxEvaluation(images, 1).metrics();
  // Small: the hit on the small box counts; the medium-sized miss and the large hit are outside: ignored.
  EXPECT_DOUBLE_EQ(m.map_small, 1);
  // Medium: the small hit matched an ignored box (ignored), the medium-sized miss is a FP, the medium box missed.
  EXPECT_DOUBLE_EQ(m.map_medium, 0);
  EXPECT_DOUBLE_EQ(m.map_large, 1);
  // All: TP, FP, TP of 3 -> recall 1/3, 1/3, 2/3; envelope 1, 2/3, 2/3: 34 points at 1, 33 at 2/3.
  EXPECT_NEAR(m.map, (34 + 33 * 2.0 / 3.0) / 101, 1e-12);
  EXPECT_NEAR(m.ar100, 2.0 / 3.0, 1e-12);
  // The annotation's area decides, not the box: a 40x40 box annotated with area 900 is small.
  images[0].truth = {truth(0, 0, 40, 40)};
  images[0].truth[0].area = 900;
  images[0].detections = {det(0, 0, 40, 40, 0.9f)};
  m = BoxEvaluation(images, 1).metrics();
  EXPECT_DOUBLE_EQ(m.map_small, 1);
  EXPECT_EQ(m.map_medium, -1);  // no medium ground truth anywhere: left out, not 0
}

}  // namespace
}  // namespace ql
