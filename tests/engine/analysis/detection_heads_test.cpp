// The detection module on values made by hand: NMS (hard, class-aware and agnostic, weighted), MediaPipe's SSD
// anchors, the YOLO decoders with letterbox mapping, head recognition on writer-made models, the JSON profile,
// and the comparison of two detection lists.
#include <cmath>

#include "analysis/detection/box_nms.h"
#include "analysis/detection/comparison.h"
#include "analysis/detection/decoders.h"
#include "analysis/detection/detection_json.h"
#include "analysis/detection/detector_profile.h"
#include "analysis/detection/detector_profile_json.h"
#include "analysis/detection/ssd_anchors.h"
#include "model/model_builder.h"
#include "support/reshape_model.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

Detection det(int cls, float score, float ymin, float xmin, float ymax, float xmax) {
  Detection d;
  d.cls = cls, d.score = score, d.ymin = ymin, d.xmin = xmin, d.ymax = ymax, d.xmax = xmax;
  return d;
}

TEST(BoxNms, HardIsClassAwareUnlessAskedAndKeepsTheBestFirst) {
  std::vector<Box> boxes{{0, 0, 1, 1}, {0, 0.1f, 1, 1.1f}, {0, 0.05f, 1, 1.05f}, {2, 2, 3, 3}};
  std::vector<float> scores{0.6f, 0.9f, 0.6f, 0.1f};
  NmsOptions o;
  o.score_threshold = 0.2f;
  o.iou_threshold = 0.5f;
  o.classes = {0, 0, 1, 0};
  EXPECT_EQ(hardNms(boxes, scores, o), (std::vector<int>{1, 2}));  // box 0 suppressed by 1; 2 is another class
  o.classes.clear();
  EXPECT_EQ(hardNms(boxes, scores, o), (std::vector<int>{1}));
  o.score_threshold = 0;
  EXPECT_EQ(hardNms(boxes, scores, o), (std::vector<int>{1, 3}));
  o.max_detections = 1;
  EXPECT_EQ(hardNms(boxes, scores, o), (std::vector<int>{1}));
  // Equal scores: the lower index first.
  o.max_detections = 10;
  EXPECT_EQ(hardNms({{0, 0, 1, 1}, {5, 5, 6, 6}}, {0.5f, 0.5f}, o), (std::vector<int>{0, 1}));
  EXPECT_FLOAT_EQ(intersectionOverUnion(Box{0, 0, 1, 1}, Box{0, 0.5f, 1, 1.5f}), 1.0f / 3.0f);
  EXPECT_EQ(intersectionOverUnion(Box{0, 0, 0, 1}, Box{0, 0, 0, 1}), 0.0f);
}

TEST(BoxNms, WeightedBlendsEachClusterByScore) {
  std::vector<Box> boxes{{0, 0, 1, 1}, {0, 0.2f, 1, 1.2f}, {3, 3, 4, 4}};
  std::vector<float> scores{0.75f, 0.25f, 0.6f};
  NmsOptions o;
  o.iou_threshold = 0.3f;
  std::vector<std::vector<int>> clusters = weightedNmsClusters(boxes, scores, o);
  ASSERT_EQ(clusters, (std::vector<std::vector<int>>{{0, 1}, {2}}));
  std::vector<std::vector<float>> values{{0, 0, 1, 1}, {0, 0.2f, 1, 1.2f}, {3, 3, 4, 4}};
  std::vector<float> blended = blendCluster(clusters[0], scores, values);
  EXPECT_NEAR(blended[1], 0.05f, 1e-6);  // 0.75 * 0 + 0.25 * 0.2
  EXPECT_NEAR(blended[3], 1.05f, 1e-6);
}

TEST(SsdAnchors, BlazeFaceShortAndFullRange) {
  std::vector<Anchor> s = ssdAnchors(blazeFaceShortRangeAnchors());
  ASSERT_EQ(s.size(), 896u);
  // Stride 8: 16x16 cells of 2 anchors; then stride 16 (three layers merged): 8x8 cells of 6.
  EXPECT_FLOAT_EQ(s[0].x_center, 0.5f / 16);
  EXPECT_FLOAT_EQ(s[1].x_center, 0.5f / 16);
  EXPECT_FLOAT_EQ(s[2].x_center, 1.5f / 16);
  EXPECT_FLOAT_EQ(s[32].y_center, 1.5f / 16);
  EXPECT_FLOAT_EQ(s[512].x_center, 0.5f / 8);
  EXPECT_FLOAT_EQ(s[517].x_center, 0.5f / 8);
  EXPECT_FLOAT_EQ(s[518].x_center, 1.5f / 8);
  EXPECT_FLOAT_EQ(s[895].y_center, 7.5f / 8);
  EXPECT_EQ(s[0].w, 1.0f);
  std::vector<Anchor> f = ssdAnchors(blazeFaceFullRangeAnchors());
  ASSERT_EQ(f.size(), 2304u);
  EXPECT_FLOAT_EQ(f[1].x_center, 1.5f / 48);
  SsdAnchorOptions sized = blazeFaceShortRangeAnchors();
  sized.fixed_anchor_size = false;
  EXPECT_FLOAT_EQ(ssdAnchors(sized)[0].w, 0.1484375f);
  SsdAnchorOptions bad;
  bad.strides = {8};
  EXPECT_EQ(thrownError([&] { ssdAnchors(bad); }).kind(), ErrorKind::BadInput);
}

TEST(Decoders, YoloV8BoxesMapBackThroughTheLetterbox) {
  // Two classes, [1, 6, 8]: box 0 class 1 at 0.9, box 1 overlapping it (class 1, 0.8), box 2 at 0.1, five empty.
  OutputValues o{"head", {1, 6, 8}, std::vector<float>(48, 0.0f)};
  const float boxes[3][6] = {{0.5f, 0.5f, 0.25f, 0.25f, 0.1f, 0.9f},
                             {0.52f, 0.5f, 0.25f, 0.25f, 0.2f, 0.8f},
                             {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.05f}};
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 6; ++k) o.values[static_cast<size_t>(k) * 8 + i] = boxes[i][k];
  // 1280x720 letterboxed into 320x320: 320x180 of image from row 70.
  LetterboxTransform t;
  t.original_width = 1280, t.original_height = 720, t.input_width = t.input_height = 320;
  t.content_width = 320, t.content_height = 180, t.offset_y = 70;
  DetectorProfile p = defaultProfile(HeadKind::YoloV8);
  std::vector<Detection> d = decodeDetections(p, {o}, t);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].cls, 1);
  EXPECT_FLOAT_EQ(d[0].score, 0.9f);
  // Input box x 120..200, y 120..200 px -> original x 480..800, y (120-70)*4 = 200 .. 520 px.
  EXPECT_NEAR(d[0].xmin, 480.0 / 1280, 1e-6);
  EXPECT_NEAR(d[0].xmax, 800.0 / 1280, 1e-6);
  EXPECT_NEAR(d[0].ymin, 200.0 / 720, 1e-6);
  EXPECT_NEAR(d[0].ymax, 520.0 / 720, 1e-6);
  p.iou = 0.95f;  // the two overlap by IoU ~0.85: both stay
  EXPECT_EQ(decodeDetections(p, {o}, t).size(), 2u);
  p.score_threshold = 0.05f;
  EXPECT_EQ(decodeDetections(p, {o}, t).size(), 3u);
  // The same head laid out [1, N, 4 + C], as a profile may ask for.
  OutputValues rows{"rows", {1, 8, 6}, std::vector<float>(48, 0.0f)};
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 6; ++k) rows.values[static_cast<size_t>(i) * 6 + k] = boxes[i][k];
  EXPECT_EQ(decodeDetections(p, {rows}, t).size(), 3u);
  p.max_detections = 2;
  EXPECT_EQ(decodeDetections(p, {o}, t).size(), 2u);
  EXPECT_EQ(thrownError([&] { decodeDetections(p, {{"x", {1, 3, 3}, std::vector<float>(9)}}, t); }).kind(),
            ErrorKind::BadInput);
}

TEST(Decoders, YoloV5ScoresAreObjectnessTimesClassAndEnd2EndIsTakenAsIs) {
  // [1, 2, 7]: two classes.
  OutputValues v5{"v5", {1, 2, 7}, {0.5f, 0.5f, 0.2f, 0.2f, 0.5f, 0.9f, 0.1f,  //
                                    0.2f, 0.2f, 0.1f, 0.1f, 0.9f, 0.2f, 0.3f}};
  DetectorProfile p = defaultProfile(HeadKind::YoloV5);
  std::vector<Detection> d = decodeDetections(p, {v5}, LetterboxTransform::identity(10, 10));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_FLOAT_EQ(d[0].score, 0.45f);
  EXPECT_EQ(d[0].cls, 0);
  EXPECT_FLOAT_EQ(d[1].score, 0.9f * 0.3f);
  EXPECT_EQ(d[1].cls, 1);
  EXPECT_FLOAT_EQ(d[1].xmin, 0.15f);
  OutputValues e2e{"e2e", {1, 2, 6}, {0.1f, 0.2f, 0.3f, 0.4f, 0.8f, 2.0f, 0, 0, 1, 1, 0.1f, 0}};
  d = decodeDetections(defaultProfile(HeadKind::YoloEnd2End), {e2e}, LetterboxTransform::identity(10, 10));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].cls, 2);
  EXPECT_FLOAT_EQ(d[0].ymin, 0.2f);
  EXPECT_FLOAT_EQ(d[0].xmax, 0.3f);
}

TEST(Decoders, SsdHeadWithTheTfObjectDetectionBoxCoder) {
  // One anchor of size 0.2 at the centre; encodings (ty, tx, th, tw) with scales y 10, x 10, h 5, w 5.
  DetectorProfile p = defaultProfile(HeadKind::SsdAnchors);
  p.box_coder = BoxCoder::TfObjectDetection;
  p.box_scale = {10, 10, 5, 5};
  p.num_keypoints = 0;
  p.background_class = true;
  p.anchors = SsdAnchorOptions{};
  p.anchors.num_layers = 1;
  p.anchors.strides = {1};
  p.anchors.input_size_width = p.anchors.input_size_height = 1;
  p.anchors.min_scale = p.anchors.max_scale = 0.2f;
  p.anchors.fixed_anchor_size = false;
  p.anchors.interpolated_scale_aspect_ratio = 0;
  OutputValues boxes{"raw_outputs/box_encodings", {1, 1, 4}, {1.0f, 2.0f, 0.0f, 5.0f * std::log(2.0f)}};
  OutputValues scores{"raw_outputs/class_predictions", {1, 1, 2}, {5.0f, 2.0f}};  // background first
  std::vector<Detection> d = decodeDetections(p, {scores, boxes}, LetterboxTransform::identity(1, 1));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].cls, 0);
  EXPECT_NEAR(d[0].score, 1.0 / (1.0 + std::exp(-2.0)), 1e-6);
  EXPECT_NEAR(d[0].ymin, 0.42, 1e-5);  // centre y 0.5 + 1/10 * 0.2, height 0.2
  EXPECT_NEAR(d[0].xmin, 0.34, 1e-5);  // centre x 0.5 + 2/10 * 0.2, width exp(ln 2) * 0.2
  EXPECT_NEAR(d[0].ymax, 0.62, 1e-5);
  EXPECT_NEAR(d[0].xmax, 0.74, 1e-5);
  p.anchors.num_layers = 2;  // anchors that do not fit the head
  EXPECT_EQ(thrownError([&] { decodeDetections(p, {scores, boxes}, LetterboxTransform::identity(1, 1)); }).kind(),
            ErrorKind::BadInput);
}

TEST(DetectorProfile, RecognizesHeadsByShapeAndAsksForADecoderWhenItCannotTell) {
  EXPECT_EQ(profileFor(reshapeModel({1, 70, 70, 3}, {1, 7, 2100})).kind, HeadKind::YoloV8);
  EXPECT_EQ(profileClassCount(profileFor(reshapeModel({1, 70, 70, 3}, {1, 7, 2100})),
                              reshapeModel({1, 70, 70, 3}, {1, 7, 2100})),
            3);
  EXPECT_EQ(profileFor(reshapeModel({1, 30, 20, 3}, {1, 300, 6})).kind, HeadKind::YoloEnd2End);
  Error e = thrownError([] { profileFor(reshapeModel({1, 17, 5, 3}, {1, 3, 85})); });
  EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
  EXPECT_NE(std::string(e.what()).find("--decoder"), std::string::npos) << e.what();
  e = thrownError([] { profileFor(reshapeModel({1, 4, 4, 3}, {1, 48})); });
  EXPECT_EQ(e.kind(), ErrorKind::Unsupported);
  EXPECT_NE(std::string(e.what()).find("TFLite_Detection_PostProcess"), std::string::npos);
  DetectorProfile y = defaultProfile(HeadKind::YoloV8);
  EXPECT_EQ(y.preprocess.norm.mean, std::vector<float>{0.0f});
  EXPECT_EQ(y.preprocess.norm.std, std::vector<float>{255.0f});
  EXPECT_EQ(y.preprocess.resize, ResizeMode::Letterbox);
  EXPECT_EQ(y.preprocess.pad[0], 114);
  EXPECT_FLOAT_EQ(y.iou, 0.7f);
  EXPECT_FLOAT_EQ(y.score_threshold, 0.25f);
  DetectorProfile m = defaultProfile(HeadKind::SsdAnchors);
  EXPECT_EQ(m.nms, NmsKind::Weighted);
  EXPECT_EQ(m.preprocess.pad[0], 0);
  EXPECT_EQ(m.preprocess.norm.mean, std::vector<float>{127.5f});
}

// A stored zip entry, enough for readZip (no data descriptor, no central directory needed).
Bytes zipWith(const std::string& name, const std::string& text) {
  std::vector<uint8_t> z(30, 0);
  auto put32 = [&](size_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k) z[at + k] = static_cast<uint8_t>(v >> (8 * k));
  };
  put32(0, 0x04034b50);
  put32(18, static_cast<uint32_t>(text.size()));
  put32(22, static_cast<uint32_t>(text.size()));
  z[26] = static_cast<uint8_t>(name.size());
  z.insert(z.end(), name.begin(), name.end());
  z.insert(z.end(), text.begin(), text.end());
  return Bytes::copyOf(z.data(), z.size());
}

TEST(DetectorProfile, ExporterMetadataTellsV5FromV8) {
  Model v5 = reshapeModel({1, 17, 5, 3}, {1, 3, 85});
  v5.trailing = zipWith("meta.txt", "{'stride': 32, 'names': {0: 'person'}}");
  EXPECT_EQ(profileFor(v5).kind, HeadKind::YoloV5);
  Model v8 = reshapeModel({1, 17, 5, 3}, {1, 3, 85});
  v8.trailing = zipWith("metadata.json", R"({"description": "Ultralytics YOLOv8n model", "task": "detect"})");
  EXPECT_EQ(profileFor(v8).kind, HeadKind::YoloV8);
  Model other = reshapeModel({1, 17, 5, 3}, {1, 3, 85});
  other.trailing = zipWith("labels.txt", "person\n");
  EXPECT_EQ(thrownError([&] { profileFor(other); }).kind(), ErrorKind::Unsupported);
}

TEST(DetectorProfile, JsonFieldsOverTheKindsDefaults) {
  nlohmann::json j = {{"kind", "yolo_v5"},       {"mean", {1, 2, 3}},     {"std", {4}},
                      {"resize", "stretch"},     {"pad", {1, 2, 3}},      {"score_threshold", 0.4},
                      {"iou", 0.5},              {"nms", "weighted"},     {"class_agnostic", true},
                      {"max_detections", 7},     {"box_scale", {320, 320, 320, 320}},
                      {"anchors", {{"num_layers", 1}, {"strides", {4}}}}};
  DetectorProfile p = detectorProfileFromJson(j, "p.json");
  EXPECT_EQ(p.kind, HeadKind::YoloV5);
  EXPECT_EQ(p.preprocess.norm.mean, (std::vector<float>{1, 2, 3}));
  EXPECT_EQ(p.preprocess.resize, ResizeMode::Stretch);
  EXPECT_EQ(p.preprocess.pad[2], 3);
  EXPECT_FLOAT_EQ(p.score_threshold, 0.4f);
  EXPECT_EQ(p.nms, NmsKind::Weighted);
  EXPECT_TRUE(p.class_agnostic);
  EXPECT_EQ(p.max_detections, 7);
  EXPECT_EQ(p.box_scale[0], 320.0f);
  EXPECT_EQ(p.anchors.strides, std::vector<int>{4});
  // Round trip.
  DetectorProfile back = detectorProfileFromJson(detectorProfileToJson(p), "again");
  EXPECT_EQ(detectorProfileToJson(back), detectorProfileToJson(p));
  // Only the kind is required.
  EXPECT_EQ(detectorProfileFromJson({{"kind", "yolo_v8"}}, "x").preprocess.norm.std, std::vector<float>{255.0f});
  Error e = thrownError([] { detectorProfileFromJson({{"kind", "yolo_v7"}}, "p.json"); });
  EXPECT_EQ(e.kind(), ErrorKind::BadInput);
  EXPECT_NE(std::string(e.what()).find("p.json"), std::string::npos);
  EXPECT_NE(std::string(e.what()).find("kind"), std::string::npos);
  e = thrownError([] { detectorProfileFromJson({{"kind", "yolo_v8"}, {"iou", "high"}}, "p.json"); });
  EXPECT_NE(std::string(e.what()).find("\"iou\""), std::string::npos) << e.what();
  EXPECT_EQ(thrownError([] { detectorProfileFromJson({{"kind", "yolo_v8"}, {"pad", {1, 2}}}, "p"); }).kind(),
            ErrorKind::BadInput);
}

// Pinned by hand: a0/a4 tie at 0.9 and match b1/b0 exactly; a1 moved (IoU 0.739); a2 changed class (1 -> 2);
// a3 missed; b4 extra; a5 and a6 tie in score and in IoU with b5: a5, earlier in the list, takes it.
TEST(DetectionComparison, MatchedMovedMissedExtraAndClassChanged) {
  std::vector<Detection> a{det(0, 0.9f, 0, 0, 0.2f, 0.2f),         det(0, 0.8f, 0.5f, 0.5f, 0.7f, 0.7f),
                           det(1, 0.7f, 0.3f, 0, 0.5f, 0.2f),       det(0, 0.6f, 0.8f, 0.8f, 0.9f, 0.9f),
                           det(0, 0.9f, 0, 0.3f, 0.2f, 0.5f),       det(3, 0.5f, 0.6f, 0, 0.8f, 0.2f),
                           det(3, 0.5f, 0.6f, 0.02f, 0.8f, 0.22f)};
  std::vector<Detection> b{det(0, 0.85f, 0, 0.3f, 0.2f, 0.5f),      det(0, 0.88f, 0, 0, 0.2f, 0.2f),
                           det(0, 0.7f, 0.5f, 0.53f, 0.7f, 0.73f),  det(2, 0.6f, 0.3f, 0, 0.5f, 0.2f),
                           det(1, 0.5f, 0.1f, 0.6f, 0.2f, 0.7f),    det(3, 0.55f, 0.6f, 0.01f, 0.8f, 0.21f)};
  DetectionComparison c = compareDetections(a, b);
  ASSERT_EQ(c.matched.size(), 4u);
  EXPECT_EQ(c.matched[0].first, 0);
  EXPECT_EQ(c.matched[0].second, 1);
  EXPECT_FLOAT_EQ(c.matched[0].iou, 1.0f);
  EXPECT_NEAR(c.matched[0].score_shift, -0.02f, 1e-6);
  EXPECT_EQ(c.matched[1].first, 4);
  EXPECT_EQ(c.matched[1].second, 0);
  EXPECT_EQ(c.matched[2].first, 1);
  EXPECT_EQ(c.matched[2].second, 2);
  EXPECT_NEAR(c.matched[2].iou, 0.034 / 0.046, 1e-4);
  EXPECT_EQ(c.matched[3].first, 5);
  EXPECT_EQ(c.matched[3].second, 5);
  ASSERT_EQ(c.moved.size(), 1u);
  EXPECT_EQ(c.moved[0].first, 1);
  ASSERT_EQ(c.class_changed.size(), 1u);
  EXPECT_EQ(c.class_changed[0].first, 2);
  EXPECT_EQ(c.class_changed[0].second, 3);
  EXPECT_EQ(c.missed, (std::vector<int>{3, 6}));
  EXPECT_EQ(c.extra, (std::vector<int>{4}));
  // A stricter match IoU turns the moved pair into a miss and an extra.
  ComparisonOptions strict;
  strict.match_iou = 0.8f;
  DetectionComparison s = compareDetections(a, b, strict);
  EXPECT_EQ(s.matched.size(), 3u);
  EXPECT_EQ(s.missed, (std::vector<int>{1, 3, 6}));
  EXPECT_EQ(s.extra, (std::vector<int>{2, 4}));
  nlohmann::json j = detectionComparisonToJson(c);
  EXPECT_EQ(j["matched"].size(), 4u);
  EXPECT_EQ(j["moved"][0]["second"], 2);
  EXPECT_EQ(j["missed"], nlohmann::json({3, 6}));
  EXPECT_EQ(j["extra"], nlohmann::json({4}));
  EXPECT_EQ(j["class_changed"][0]["first"], 2);
  EXPECT_TRUE(j["matched"][0].contains("score_shift"));
}

}  // namespace
}  // namespace ql::test
