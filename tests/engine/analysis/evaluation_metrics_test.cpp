// evaluateModels with hand-made predictions (no model runs): top-1/top-5, mean IoU on label maps, and the
// agreement of each model with the first (detectors: only its detections of score >= 0.5 are ground truth).
#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/evaluation/evaluation.h"
#include "analysis/evaluation/evaluation_report.h"
#include "analysis/evaluation/segmentation_eval.h"
#include "evaluation_test_files.h"
#include "support/test_support.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {
namespace {

// A model whose prediction for each image is looked up by file name.
EvaluatedModel fakeModel(const std::string& name, ModelTask task, std::map<std::string, Prediction> answers,
                         std::vector<std::string> labels = {}) {
  EvaluatedModel m;
  m.name = name;
  m.task = task;
  m.labels = std::move(labels);
  m.class_count = static_cast<int>(m.labels.size());
  m.predict = [answers](const std::string& path) { return answers.at(fs::path(path).filename().string()); };
  return m;
}

double metric(const ModelResult& r, const std::string& name) {
  for (const auto& [k, v] : r.metrics)
    if (k == name) return v;
  return -2;  // absent
}

Detection box(float ymin, float xmin, float ymax, float xmax, int cls, float score) {
  Detection d;
  d.ymin = ymin, d.xmin = xmin, d.ymax = ymax, d.xmax = xmax, d.cls = cls, d.score = score;
  return d;
}

class EvaluationMetrics : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = test::makeTempDir("eval-metrics");
    for (const char* f : {"a.bmp", "b.bmp", "c.bmp"}) test::writeBmp(dir + "/" + f, 4, 4);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string dir;
  NoProgress progress;
};

TEST_F(EvaluationMetrics, TopOneAndTopFiveAgainstLabelsAndAgreement) {
  Dataset d;
  d.kind = AnnotationKind::ImageLabels;
  d.categories = {{0, "cat"}, {1, "dog"}};
  for (auto [f, label] : {std::pair<const char*, int>{"a.bmp", 0}, {"b.bmp", 1}, {"c.bmp", 1}})
    d.images.push_back({f, dir + "/" + f, 4, 4, {}, label, ""});
  const std::vector<std::string> labels{"background", "cat", "dog", "car"};
  auto top = [](std::vector<int> classes) {
    Prediction p;
    for (int c : classes) p.top5.emplace_back(c, 1.f / static_cast<float>(p.top5.size() + 1));
    return p;
  };
  // a: cat first (right); b: car, then dog (top-5 only); c: car, background (wrong).
  EvaluatedModel first = fakeModel("f", ModelTask::Classification,
                                   {{"a.bmp", top({1, 2})}, {"b.bmp", top({3, 2})}, {"c.bmp", top({3, 0})}}, labels);
  EvaluatedModel second = fakeModel("q", ModelTask::Classification,
                                    {{"a.bmp", top({1})}, {"b.bmp", top({2})}, {"c.bmp", top({0})}}, labels);
  EvaluationInputs in;
  in.dataset = &d;
  in.mappings = {classMappingFor(first, d, ""), classMappingFor(second, d, "")};
  EvaluationResult r = evaluateModels({first, second}, in, progress);
  EXPECT_NEAR(metric(r.models[0], "top1"), 1.0 / 3, 1e-12);
  EXPECT_NEAR(metric(r.models[0], "top5"), 2.0 / 3, 1e-12);
  EXPECT_NEAR(metric(r.models[1], "top1"), 2.0 / 3, 1e-12);
  EXPECT_NEAR(metric(r.models[1], "agreement"), 1.0 / 3, 1e-12);  // same first class on image a only
  EXPECT_EQ(metric(r.models[0], "agreement"), -2);
  ASSERT_EQ(r.models[0].per_class.size(), 2u);
  EXPECT_EQ(r.models[0].per_class[1].label, "dog");
  EXPECT_DOUBLE_EQ(r.models[0].per_class[1].value, 0);
  EXPECT_EQ(r.models[1].images[2].agreement, 0);
  nlohmann::json j = evaluationJson(r, {first, second});
  EXPECT_EQ(j["models"][0]["images"][0]["top5"][0]["label"], "cat");
  EXPECT_EQ(j["models"][0]["per_class"][0]["accuracy"], 1.0);
}

TEST_F(EvaluationMetrics, MeanIouOnLabelMapsWithIgnoredPixels) {
  // Truth 2x2: [0 1; 1 255]; the prediction 1x2 = [1 1] is resized to 2x2 (all 1).
  test::writePng(dir + "/a.png", 2, 2, {0, 1, 1, 255}, 3);
  Dataset d;
  d.kind = AnnotationKind::Masks;
  d.categories = {{0, "background"}, {1, "plane"}};
  d.images.push_back({"a.bmp", dir + "/a.bmp", 0, 0, {}, -1, dir + "/a.png"});
  Prediction p;
  p.mask = {1, 1};
  p.mask_width = 2;
  p.mask_height = 1;
  Prediction half;  // 1x2: [0 1] -> 2x2 [0 1; 0 1]
  half.mask = {0, 1};
  half.mask_width = 2;
  half.mask_height = 1;
  EvaluatedModel m = fakeModel("seg", ModelTask::Segmentation, {{"a.bmp", p}}, {"background", "plane"});
  EvaluatedModel h = fakeModel("seg2", ModelTask::Segmentation, {{"a.bmp", half}}, {"background", "plane"});
  EvaluationInputs in;
  in.dataset = &d;
  in.mappings = {classMappingFor(m, d, ""), classMappingFor(h, d, "")};
  EvaluationResult r = evaluateModels({m, h}, in, progress);
  // Model 1: background IoU 0/1 = 0, plane IoU 2/3 (the ignored pixel counts for neither): mean 1/3.
  EXPECT_NEAR(metric(r.models[0], "miou"), 1.0 / 3, 1e-12);
  // Model 2 predicts [0 1; 0 1]: background 1/2, plane 1/2 -> 1/2.
  EXPECT_NEAR(metric(r.models[1], "miou"), 0.5, 1e-12);
  // Against model 1's mask at its own 1x2 size ([1 1]): class 1 hits 1 of 2, class 0 only in model 2 -> 1/4.
  EXPECT_NEAR(metric(r.models[1], "agreement"), 0.25, 1e-12);
  EXPECT_NEAR(r.models[0].images[0].score, 1.0 / 3, 1e-12);

  // Label maps without class names: their values are the model's classes, matched by number.
  Dataset unnamed = d;
  unnamed.categories.clear();
  EvaluatedModel anonymous = fakeModel("seg", ModelTask::Segmentation, {{"a.bmp", p}});
  anonymous.class_count = 2;
  numberUnnamedLabelMapClasses(unnamed, anonymous);
  ASSERT_EQ(unnamed.categories.size(), 2u);
  in.dataset = &unnamed;
  in.mappings = {classMappingFor(anonymous, unnamed, "")};
  EXPECT_NEAR(metric(evaluateModels({anonymous}, in, progress).models[0], "miou"), 1.0 / 3, 1e-12);
}

TEST_F(EvaluationMetrics, DetectionAgreementTakesTheFirstModelsConfidentBoxesAsTruth) {
  Prediction ref;
  ref.detections = {box(0.1f, 0.1f, 0.5f, 0.5f, 2, 0.9f), box(0.6f, 0.6f, 0.9f, 0.9f, 1, 0.3f)};
  Prediction same;
  same.detections = {box(0.1f, 0.1f, 0.5f, 0.5f, 2, 0.6f)};
  Prediction shifted;  // the box moved: IoU 0.6 (hits at .50 .55 .60 of 10 thresholds)
  shifted.detections = {box(0.1f, 0.15f, 0.5f, 0.55f, 2, 0.6f)};
  Prediction empty;
  std::vector<EvaluatedModel> models{fakeModel("ref", ModelTask::Detection, {{"a.bmp", ref}}),
                                     fakeModel("same", ModelTask::Detection, {{"a.bmp", same}}),
                                     fakeModel("shifted", ModelTask::Detection, {{"a.bmp", shifted}}),
                                     fakeModel("none", ModelTask::Detection, {{"a.bmp", empty}})};
  EvaluationInputs in;
  in.images = {dir + "/a.bmp"};
  EvaluationResult r = evaluateModels(models, in, progress);
  EXPECT_DOUBLE_EQ(metric(r.models[1], "agreement"), 1);  // the 0.3 box is not truth: nothing missed
  // IoU of the shifted box: overlap 0.35 of width over union 0.45 -> 7/9 = .78: hits at .50 ... .75.
  EXPECT_NEAR(metric(r.models[2], "agreement"), 0.6, 1e-6);
  EXPECT_DOUBLE_EQ(metric(r.models[3], "agreement"), 0);
  EXPECT_DOUBLE_EQ(r.models[3].images[0].agreement, 0);
  EXPECT_EQ(r.models[0].images[0].width, 4);  // sizes from the file header without annotations
  const std::string table = evaluationTable(r);
  EXPECT_NE(table.find("least agreement of none with ref"), std::string::npos) << table;
  EXPECT_NE(evaluationCsv(r).find("none,agreement,0\n"), std::string::npos);
}

TEST_F(EvaluationMetrics, AModelOfTheWrongKindForTheAnnotationsIsRefused) {
  Dataset d;
  d.kind = AnnotationKind::Boxes;
  d.source = "gt.json";
  d.categories = {{1, "cat"}};
  d.images.push_back({"a.bmp", dir + "/a.bmp", 4, 4, {}, -1, ""});
  EvaluatedModel c = fakeModel("classifier.tflite", ModelTask::Classification, {}, {"cat"});
  EvaluationInputs in;
  in.dataset = &d;
  in.mappings = {classMappingFor(c, d, "")};
  try {
    evaluateModels({c}, in, progress);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("classifier.tflite is a classification model"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ql

namespace ql {
namespace {

TEST(Confusion, GrowsToTheClassesItIsGivenAndKeepsMissesAsMisses) {
  Confusion a(1);
  a.add(0, 7);  // class 7 does not exist in a 1-class matrix: a miss of class 0
  Confusion b(2);
  b.add(1, 1);
  b.add(0, 0);
  a.add(b);
  ASSERT_EQ(a.classes(), 2u);
  EXPECT_EQ(a.truthPixels(0), 2u);
  EXPECT_EQ(a.iou(), (std::vector<double>{0.5, 1.0}));
  EXPECT_DOUBLE_EQ(a.meanIou(), 0.75);
  EXPECT_EQ(Confusion(3).meanIou(), -1);
}

}  // namespace
}  // namespace ql
