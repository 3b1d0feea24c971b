// runOnImage and compareImageRuns: the comparison values on hand-made results (ranks, masks, outputs, the score
// threshold), and on real models (../shared) the task each is run as and agreement with the detection module.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "analysis/detection/detector_run.h"
#include "analysis/image_run.h"
#include "model/reader.h"
#include "support/test_support.h"

namespace ql {
namespace {

Detection box(float y0, float x0, float y1, float x1, int cls, float score) {
  Detection d;
  d.ymin = y0, d.xmin = x0, d.ymax = y1, d.xmax = x1, d.cls = cls, d.score = score;
  return d;
}

TEST(ImageRunCompare, DetectionsAreComparedAtTheThreshold) {
  ImageRunResult a, b;
  a.task = b.task = ImageTask::Detection;
  a.detections = {box(0, 0, .5f, .5f, 1, .9f), box(.5f, .5f, 1, 1, 2, .2f)};
  b.detections = {box(0, 0, .5f, .45f, 1, .8f)};
  const ImageComparison high = compareImageRuns(a, b, .3f);
  EXPECT_EQ(high.detections.matched.size(), 1u);
  EXPECT_TRUE(high.detections.missed.empty());  // the 0.2 box is below the threshold
  const ImageComparison low = compareImageRuns(a, b, .1f);
  ASSERT_EQ(low.detections.missed.size(), 1u);
  EXPECT_EQ(low.detections.missed[0], 1);
  EXPECT_EQ(detectionsAtOrAbove(a.detections, .5f).size(), 1u);
}

TEST(ImageRunCompare, Top1RankCountsClassesScoredHigherInTheSecond) {
  ImageRunResult a, b;
  a.task = b.task = ImageTask::Classification;
  a.scores = {.1f, .7f, .2f, 0, 0, 0};
  b.scores = {.3f, .2f, .3f, .2f, 0, 0};
  a.top5 = topFiveScores(a.scores);
  b.top5 = topFiveScores(b.scores);
  EXPECT_EQ(a.top5.front().first, 1);
  EXPECT_EQ(b.top5.front().first, 0);  // equal scores: the lower class first
  const ImageComparison c = compareImageRuns(a, b, 0);
  EXPECT_EQ(c.first_top1, 1);
  EXPECT_EQ(c.first_top1_rank_in_second, 2);  // class 0 and 2 above it; class 3 ties but comes after
}

TEST(ImageRunCompare, MasksCountDisagreementsAndPerClassIou) {
  ImageRunResult a, b;
  a.task = b.task = ImageTask::Segmentation;
  a.mask = {0, 0, 1, 1};
  b.mask = {0, 1, 1, 2};
  a.mask_width = b.mask_width = 2;
  a.mask_height = b.mask_height = 2;
  const ImageComparison c = compareImageRuns(a, b, 0);
  EXPECT_EQ(c.mask_disagreements, 2);
  ASSERT_EQ(c.class_iou.size(), 3u);
  EXPECT_FLOAT_EQ(c.class_iou[0].iou, .5f);        // class 0: 1 shared of 2
  EXPECT_FLOAT_EQ(c.class_iou[1].iou, 1.f / 3.f);  // class 1: 1 shared of 3
  EXPECT_FLOAT_EQ(c.class_iou[2].iou, 0.f);
  EXPECT_EQ(c.class_iou[2].second_pixels, 1);
}

TEST(ImageRunCompare, ClassMapTakesTheHighestScorePerPixel) {
  int w = 0, h = 0;
  const std::vector<int32_t> m = classMapOf({0, 1, 5, 2, 3, 3}, {1, 1, 3, 2}, &w, &h);
  EXPECT_EQ(w, 3);
  EXPECT_EQ(h, 1);
  EXPECT_EQ(m, (std::vector<int32_t>{1, 0, 0}));
}

TEST(ImageRunCompare, OutputsOfOneSizeGiveMaxAndRmse) {
  ImageRunResult a, b;
  a.outputs.push_back({"o", {1, 2}, {0, 1}, 0, 0, 0, 0});
  b.outputs.push_back({"o", {1, 2}, {0, 4}, 0, 0, 0, 0});
  const ImageComparison c = compareImageRuns(a, b, 0);
  ASSERT_EQ(c.outputs.size(), 1u);
  EXPECT_FLOAT_EQ(c.outputs[0].max_abs, 3);
  EXPECT_NEAR(c.outputs[0].rmse, std::sqrt(4.5), 1e-6);
}

std::shared_ptr<const Model> shared(const std::string& name) {
  return std::make_shared<const Model>(readModel(test::sharedDir() + "/models/" + name + ".tflite"));
}

const Tensor& inputOf(const Model& m) { return m.subgraphs[0].tensors[static_cast<size_t>(m.subgraphs[0].inputs[0])]; }

TEST(ImageRunReal, YoloPairAgreesWithTheDetectionModule) {
  QL_REQUIRE_SHARED();
  test::checkLabelAllows("golden");
  auto f = shared("yolov9t_320_float16"), q = shared("yolov9t_320_full_integer_quant");
  const ImageRunSetup fs = imageRunSetupFor(*f), qs = imageRunSetupFor(*q);
  ASSERT_EQ(fs.task, ImageTask::Detection);
  ASSERT_EQ(qs.task, ImageTask::Detection);
  const std::string image = test::sharedDir() + "/images/kite_and_cold.jpg";
  const PreparedInput in = imageFileToInput(image, inputSpecOf(inputOf(*f)), fs.preprocess);
  PreparedInput qin = in;
  qin.bytes = convertInput(inputOf(*f), in.bytes, inputOf(*q));
  const ImageRunResult fr = runOnImage(*f, fs, in), qr = runOnImage(*q, qs, qin);
  const float t = fs.detector->score_threshold;
  const DetectorComparisonRun ref = compareDetectorRuns(*f, in.bytes, *q, qin.bytes, *fs.detector, in.transform);
  const std::vector<Detection> shown_f = detectionsAtOrAbove(fr.detections, t);
  ASSERT_EQ(shown_f.size(), ref.first.size());
  ASSERT_EQ(detectionsAtOrAbove(qr.detections, t).size(), ref.second.size());
  for (size_t i = 0; i < shown_f.size(); ++i) {
    EXPECT_EQ(shown_f[i].cls, ref.first[i].cls);
    EXPECT_FLOAT_EQ(shown_f[i].score, ref.first[i].score);
  }
  EXPECT_GT(fr.detections.size(), shown_f.size());  // the floor keeps lower scores for the slider
  const ImageComparison c = compareImageRuns(fr, qr, t);
  EXPECT_EQ(c.detections.matched.size(), ref.comparison.matched.size());
  EXPECT_EQ(c.detections.missed, ref.comparison.missed);
  EXPECT_EQ(c.detections.extra, ref.comparison.extra);
  EXPECT_EQ(c.detections.class_changed.size(), ref.comparison.class_changed.size());
}

TEST(ImageRunReal, ClassifierAndSegmenterTasks) {
  QL_REQUIRE_SHARED();
  test::checkLabelAllows("golden");
  auto mn = shared("mobilenet_v2_quantized_1x3x224x224");
  const ImageRunSetup ms = imageRunSetupFor(*mn);
  ASSERT_EQ(ms.task, ImageTask::Classification);
  const PreparedInput in =
      imageFileToInput(test::sharedDir() + "/images/cat.bmp", inputSpecOf(inputOf(*mn)), ms.preprocess);
  const ImageRunResult r = runOnImage(*mn, ms, in);
  ASSERT_EQ(r.top5.size(), 5u);
  EXPECT_GE(r.top5[0].second, r.top5[4].second);
  EXPECT_EQ(compareImageRuns(r, r, 0).first_top1_rank_in_second, 0);

  auto dl = shared("deeplabv3_mnv2_dm05_pascal_quant");
  const ImageRunSetup ds = imageRunSetupFor(*dl);
  ASSERT_EQ(ds.task, ImageTask::Segmentation);
  const PreparedInput din =
      imageFileToInput(test::sharedDir() + "/images/pets.jpg", inputSpecOf(inputOf(*dl)), ds.preprocess);
  const ImageRunResult dr = runOnImage(*dl, ds, din);
  EXPECT_EQ(dr.mask.size(), static_cast<size_t>(dr.mask_width) * static_cast<size_t>(dr.mask_height));
  EXPECT_GT(dr.mask_width, 1);
  EXPECT_EQ(compareImageRuns(dr, dr, 0).mask_disagreements, 0);
}

}  // namespace
}  // namespace ql
