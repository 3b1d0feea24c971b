// TFLite_Detection_PostProcess: hand-checked small cases (decoding, fast and regular NMS, ties, thresholds,
// quantized inputs, refusals), the same four outputs as the real runtime (LiteRT) on random inputs for several
// option sets, and the golden outputs of the two SSD detectors when the op alone is fed their golden inputs.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "model/model_builder.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "model/writer.h"
#include "runtime/interpreter.h"
#include "support/op_isolation.h"
#include "support/op_model.h"
#include "support/random_data.h"
#include "support/test_support.h"
#include "util/error.h"

namespace ql::test {
namespace {

constexpr const char* kOp = "TFLite_Detection_PostProcess";

nlohmann::json postProcessOptions(bool regular, int max_detections, int classes_per_detection, int num_classes,
                                  float score_threshold, float iou_threshold, int detections_per_class = 100) {
  return {{"max_detections", max_detections},
          {"max_classes_per_detection", classes_per_detection},
          {"detections_per_class", detections_per_class},
          {"use_regular_nms", regular},
          {"nms_score_threshold", score_threshold},
          {"nms_iou_threshold", iou_threshold},
          {"num_classes", num_classes},
          {"y_scale", 10.0},
          {"x_scale", 10.0},
          {"h_scale", 5.0},
          {"w_scale", 5.0}};
}

struct Outputs {
  std::vector<int32_t> box_shape, class_shape, score_shape, count_shape;
  std::vector<float> boxes, classes, scores;
  float count = -1;
};

// One post-process op on float inputs with constant float anchors; outputs left without a shape, as in files.
Outputs runFloat(const std::vector<float>& encodings, const std::vector<float>& scores,
                 const std::vector<float>& anchors, int columns, const nlohmann::json& options) {
  const int boxes = static_cast<int>(anchors.size() / 4);
  OpModel m;
  int enc = m.input({DType::Float32, {1, boxes, 4}});
  int cls = m.input({DType::Float32, {1, boxes, columns}});
  int anc = m.constant({DType::Float32, {boxes, 4}}, anchors);
  int o0 = m.output({DType::Float32, {}}), o1 = m.output({DType::Float32, {}}), o2 = m.output({DType::Float32, {}}),
      o3 = m.output({DType::Float32, {}});
  m.op(kOp, {enc, cls, anc}, {o0, o1, o2, o3}, "", options);
  m.setInput(0, encodings);
  m.setInput(1, scores);
  m.invoke();
  Outputs o;
  o.box_shape = m.outputShape(0), o.class_shape = m.outputShape(1), o.score_shape = m.outputShape(2);
  o.count_shape = m.outputShape(3);
  o.boxes = m.output<float>(0), o.classes = m.output<float>(1), o.scores = m.output<float>(2);
  o.count = m.output<float>(3)[0];
  return o;
}

ErrorKind errorKindOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::Internal;
}

// Three anchors: 0 and 1 overlap (IoU ~0.905), 2 is far away. Scores per box: background, then 3 classes.
const std::vector<float> kAnchors = {0.5f, 0.5f, 0.2f, 0.2f, 0.51f, 0.5f, 0.2f, 0.2f, 0.2f, 0.2f, 0.1f, 0.1f};
const std::vector<float> kZeroEncodings(12, 0.0f);
const std::vector<float> kScores = {0.0f, 0.1f,  0.8f, 0.3f,   // box 0: best class 1 (0.8)
                                    0.0f, 0.85f, 0.2f, 0.1f,   // box 1: best class 0 (0.85), suppresses box 0
                                    0.0f, 0.2f,  0.1f, 0.6f};  // box 2: best class 2 (0.6)

void expectBox(const Outputs& o, int slot, float ymin, float xmin, float ymax, float xmax) {
  EXPECT_NEAR(o.boxes[4 * static_cast<size_t>(slot)], ymin, 1e-6f) << "slot " << slot;
  EXPECT_NEAR(o.boxes[4 * static_cast<size_t>(slot) + 1], xmin, 1e-6f) << "slot " << slot;
  EXPECT_NEAR(o.boxes[4 * static_cast<size_t>(slot) + 2], ymax, 1e-6f) << "slot " << slot;
  EXPECT_NEAR(o.boxes[4 * static_cast<size_t>(slot) + 3], xmax, 1e-6f) << "slot " << slot;
}

TEST(DetectionPostProcess, DecodesCenterSizeEncodingsAgainstTheAnchor) {
  // yc' = 1/10 * 0.2 + 0.5 = 0.52; xc' = -2/10 * 0.4 + 0.5 = 0.42; half_h = 0.5 * e^0 * 0.2 = 0.1;
  // half_w = 0.5 * e^(5 ln 2 / 5) * 0.4 = 0.4.
  Outputs o = runFloat({1.0f, -2.0f, 0.0f, 5.0f * std::log(2.0f)}, {0.0f, 0.9f}, {0.5f, 0.5f, 0.2f, 0.4f}, 2,
                       postProcessOptions(false, 3, 1, 1, 0.5f, 0.5f));
  EXPECT_EQ(o.count, 1.0f);
  EXPECT_EQ(o.box_shape, (std::vector<int32_t>{1, 3, 4}));
  EXPECT_EQ(o.class_shape, (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(o.score_shape, (std::vector<int32_t>{1, 3}));
  EXPECT_EQ(o.count_shape, (std::vector<int32_t>{1}));
  expectBox(o, 0, 0.42f, 0.02f, 0.62f, 0.82f);
  EXPECT_EQ(o.classes[0], 0.0f);
  EXPECT_FLOAT_EQ(o.scores[0], 0.9f);
  // Slots past the count are zero.
  for (size_t i = 4; i < o.boxes.size(); ++i) EXPECT_EQ(o.boxes[i], 0.0f);
  EXPECT_EQ(o.scores[1], 0.0f);
}

TEST(DetectionPostProcess, FastNmsSuppressesOverlapsAcrossClasses) {
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(false, 10, 1, 3, 0.3f, 0.5f));
  EXPECT_EQ(o.box_shape, (std::vector<int32_t>{1, 10, 4}));
  ASSERT_EQ(o.count, 2.0f);
  // Box 1 (0.85) wins over box 0 (0.8, other class, IoU 0.905 > 0.5): fast NMS does not look at the class.
  expectBox(o, 0, 0.41f, 0.4f, 0.61f, 0.6f);
  EXPECT_EQ(o.classes[0], 0.0f);
  EXPECT_FLOAT_EQ(o.scores[0], 0.85f);
  expectBox(o, 1, 0.15f, 0.15f, 0.25f, 0.25f);
  EXPECT_EQ(o.classes[1], 2.0f);
  EXPECT_FLOAT_EQ(o.scores[1], 0.6f);
}

TEST(DetectionPostProcess, FastNmsIouThresholdIsStrict) {
  // With the IoU threshold above the overlap, box 0 survives too.
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(false, 10, 1, 3, 0.3f, 0.95f));
  ASSERT_EQ(o.count, 3.0f);
  EXPECT_EQ(o.classes[0], 0.0f);
  EXPECT_EQ(o.classes[1], 1.0f);
  EXPECT_FLOAT_EQ(o.scores[1], 0.8f);
  EXPECT_EQ(o.classes[2], 2.0f);
}

TEST(DetectionPostProcess, FastNmsReportsSeveralClassesPerBox) {
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(false, 10, 2, 3, 0.3f, 0.5f));
  EXPECT_EQ(o.box_shape, (std::vector<int32_t>{1, 20, 4}));
  EXPECT_EQ(o.class_shape, (std::vector<int32_t>{1, 20}));
  ASSERT_EQ(o.count, 2.0f);
  // Box 1: class 0 (0.85) then class 1 (0.2); box 2: class 2 (0.6) then class 0 (0.2), below-threshold classes
  // included.
  EXPECT_EQ(std::vector<float>(o.classes.begin(), o.classes.begin() + 4), (std::vector<float>{0, 1, 2, 0}));
  EXPECT_FLOAT_EQ(o.scores[1], 0.2f);
  EXPECT_FLOAT_EQ(o.scores[3], 0.2f);
  expectBox(o, 1, 0.41f, 0.4f, 0.61f, 0.6f);
  expectBox(o, 3, 0.15f, 0.15f, 0.25f, 0.25f);
}

TEST(DetectionPostProcess, MoreClassesPerDetectionThanClassesLeavesEmptySlots) {
  // Stride max_classes_per_detection (5) per kept box, 3 classes filled, 2 slots empty.
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(false, 4, 5, 3, 0.3f, 0.5f));
  EXPECT_EQ(o.box_shape, (std::vector<int32_t>{1, 20, 4}));
  ASSERT_EQ(o.count, 2.0f);
  EXPECT_EQ(std::vector<float>(o.classes.begin(), o.classes.begin() + 8), (std::vector<float>{0, 1, 2, 0, 0, 2, 0, 1}));
  EXPECT_FLOAT_EQ(o.scores[2], 0.1f);
  EXPECT_EQ(o.scores[3], 0.0f);
  EXPECT_EQ(o.scores[4], 0.0f);
  EXPECT_FLOAT_EQ(o.scores[5], 0.6f);
  expectBox(o, 5, 0.15f, 0.15f, 0.25f, 0.25f);
}

TEST(DetectionPostProcess, RegularNmsSuppressesWithinEachClass) {
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(true, 10, 1, 3, 0.3f, 0.5f));
  // Class 0: box 1; class 1: box 0 (box 1 is below the threshold); class 2: box 2 and box 0 (0.3 >= 0.3 is kept;
  // they do not overlap). Overlapping boxes of different classes both stay.
  ASSERT_EQ(o.count, 4.0f);
  EXPECT_EQ(std::vector<float>(o.classes.begin(), o.classes.begin() + 4), (std::vector<float>{0, 1, 2, 2}));
  EXPECT_EQ(std::vector<float>(o.scores.begin(), o.scores.begin() + 4), (std::vector<float>{0.85f, 0.8f, 0.6f, 0.3f}));
  expectBox(o, 0, 0.41f, 0.4f, 0.61f, 0.6f);
  expectBox(o, 1, 0.4f, 0.4f, 0.6f, 0.6f);
  expectBox(o, 2, 0.15f, 0.15f, 0.25f, 0.25f);
  expectBox(o, 3, 0.4f, 0.4f, 0.6f, 0.6f);
}

TEST(DetectionPostProcess, RegularNmsKeepsTheBestMaxDetectionsOverAllClasses) {
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(true, 2, 1, 3, 0.3f, 0.5f));
  EXPECT_EQ(o.box_shape, (std::vector<int32_t>{1, 2, 4}));
  ASSERT_EQ(o.count, 2.0f);
  EXPECT_EQ(o.classes, (std::vector<float>{0, 1}));
  EXPECT_EQ(o.scores, (std::vector<float>{0.85f, 0.8f}));
}

TEST(DetectionPostProcess, RegularNmsLimitsDetectionsPerClass) {
  // Class 2 could keep two boxes; with detections_per_class 1 only its best (box 2).
  Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(true, 10, 1, 3, 0.3f, 0.5f, 1));
  ASSERT_EQ(o.count, 3.0f);
  EXPECT_EQ(std::vector<float>(o.classes.begin(), o.classes.begin() + 3), (std::vector<float>{0, 1, 2}));
}

TEST(DetectionPostProcess, TiesGoToTheLowerAnchorAndTheLowerClass) {
  // Two overlapping boxes with equal scores: the first anchor is kept. Within a box, equal class scores: the first
  // class.
  std::vector<float> anchors = {0.5f, 0.5f, 0.2f, 0.2f, 0.505f, 0.5f, 0.2f, 0.2f};
  std::vector<float> scores = {0.0f, 0.7f, 0.7f, 0.0f, 0.7f, 0.7f};
  for (bool regular : {false, true}) {
    SCOPED_TRACE(regular ? "regular" : "fast");
    Outputs o =
        runFloat(std::vector<float>(8, 0.0f), scores, anchors, 3, postProcessOptions(regular, 5, 1, 2, 0.5f, 0.5f));
    ASSERT_EQ(o.count, regular ? 2.0f : 1.0f);
    expectBox(o, 0, 0.4f, 0.4f, 0.6f, 0.6f);
    EXPECT_EQ(o.classes[0], 0.0f);
    if (regular) {  // the same box, for the other class
      expectBox(o, 1, 0.4f, 0.4f, 0.6f, 0.6f);
      EXPECT_EQ(o.classes[1], 1.0f);
    }
  }
}

TEST(DetectionPostProcess, ClassPredictionsWithoutBackgroundColumn) {
  std::vector<float> scores;
  for (size_t b = 0; b < 3; ++b) scores.insert(scores.end(), kScores.begin() + 4 * b + 1, kScores.begin() + 4 * b + 4);
  Outputs with = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(true, 10, 1, 3, 0.3f, 0.5f));
  Outputs without = runFloat(kZeroEncodings, scores, kAnchors, 3, postProcessOptions(true, 10, 1, 3, 0.3f, 0.5f));
  EXPECT_EQ(without.count, with.count);
  EXPECT_EQ(without.classes, with.classes);
  EXPECT_EQ(without.scores, with.scores);
  EXPECT_EQ(without.boxes, with.boxes);
}

TEST(DetectionPostProcess, NothingAboveTheScoreThreshold) {
  for (bool regular : {false, true}) {
    Outputs o = runFloat(kZeroEncodings, kScores, kAnchors, 4, postProcessOptions(regular, 10, 1, 3, 0.9f, 0.5f));
    EXPECT_EQ(o.count, 0.0f);
    EXPECT_TRUE(std::all_of(o.scores.begin(), o.scores.end(), [](float s) { return s == 0.0f; }));
  }
}

// Quantized inputs give exactly what the float op gives on their dequantized values r = (q - zp) * scale.
template <typename Q>
void checkQuantizedMatchesDequantizedFloat(DType type, int32_t score_zp, int32_t enc_zp, int32_t anchor_zp) {
  const float score_scale = 1.0f / 256, enc_scale = 0.05f, anchor_scale = 1.0f / 256;
  std::mt19937 rng(3);
  const int boxes = 40, columns = 5;
  std::uniform_int_distribution<int> q(std::numeric_limits<Q>::min(), std::numeric_limits<Q>::max());
  std::vector<Q> enc_q(boxes * 4), score_q(boxes * columns), anchor_q(boxes * 4);
  for (Q& v : enc_q) v = static_cast<Q>(q(rng));
  for (Q& v : score_q) v = static_cast<Q>(q(rng));
  for (size_t i = 0; i < anchor_q.size(); ++i)  // centers anywhere, sizes positive
    anchor_q[i] = static_cast<Q>(i % 4 < 2 ? q(rng) : std::max(q(rng), anchor_zp + 10));
  auto dequantize = [](const std::vector<Q>& v, float scale, int32_t zp) {
    std::vector<float> r;
    for (Q x : v) r.push_back((static_cast<float>(x) - static_cast<float>(zp)) * scale);
    return r;
  };
  for (bool regular : {false, true}) {
    SCOPED_TRACE(regular ? "regular" : "fast");
    nlohmann::json options = postProcessOptions(regular, 6, 1, columns - 1, 0.6f, 0.4f);
    OpModel m;
    int enc = m.input({type, {1, boxes, 4}, {enc_scale}, {enc_zp}});
    int cls = m.input({type, {1, boxes, columns}, {score_scale}, {score_zp}});
    int anc = m.constant({type, {boxes, 4}, {anchor_scale}, {anchor_zp}}, anchor_q);
    int o0 = m.output({DType::Float32, {}}), o1 = m.output({DType::Float32, {}}), o2 = m.output({DType::Float32, {}}),
        o3 = m.output({DType::Float32, {}});
    m.op(kOp, {enc, cls, anc}, {o0, o1, o2, o3}, "", options);
    m.setInput(0, enc_q);
    m.setInput(1, score_q);
    m.invoke();
    Outputs f = runFloat(dequantize(enc_q, enc_scale, enc_zp), dequantize(score_q, score_scale, score_zp),
                         dequantize(anchor_q, anchor_scale, anchor_zp), columns, options);
    EXPECT_GT(f.count, 0.0f);
    EXPECT_EQ(m.output<float>(3)[0], f.count);
    EXPECT_EQ(m.output<float>(0), f.boxes);
    EXPECT_EQ(m.output<float>(1), f.classes);
    EXPECT_EQ(m.output<float>(2), f.scores);
  }
}

TEST(DetectionPostProcess, UInt8InputsAreDequantized) {
  checkQuantizedMatchesDequantizedFloat<uint8_t>(DType::UInt8, 0, 128, 3);
}

TEST(DetectionPostProcess, Int8InputsAreDequantized) {
  checkQuantizedMatchesDequantizedFloat<int8_t>(DType::Int8, -128, 5, -128);
}

TEST(DetectionPostProcess, BadOptionsAndShapesAreInvalid) {
  auto run = [](const nlohmann::json& options, int columns) {
    runFloat(kZeroEncodings, std::vector<float>(static_cast<size_t>(3 * columns), 0.5f), kAnchors, columns, options);
  };
  EXPECT_EQ(errorKindOf([&] { run(postProcessOptions(false, 10, 1, 3, 0.3f, 0.0f), 4); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { run(postProcessOptions(false, 10, 1, 3, 0.3f, 1.5f), 4); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { run(postProcessOptions(false, 10, 0, 3, 0.3f, 0.5f), 4); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { run(postProcessOptions(true, 10, 1, 3, 0.3f, 0.5f, 0), 4); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { run(postProcessOptions(false, 10, 1, 3, 0.3f, 0.5f), 5); }), ErrorKind::BadInput);
  EXPECT_EQ(errorKindOf([&] { run(postProcessOptions(false, 10, 1, 3, 0.3f, 0.5f), 2); }), ErrorKind::BadInput);
  nlohmann::json no_classes = postProcessOptions(false, 10, 1, 3, 0.3f, 0.5f);
  no_classes.erase("num_classes");
  EXPECT_EQ(errorKindOf([&] { run(no_classes, 4); }), ErrorKind::BadInput);
  // A negative anchor height decodes to ymin > ymax, which TFLite refuses.
  std::vector<float> anchors = kAnchors;
  anchors[2] = -0.2f;
  EXPECT_EQ(errorKindOf([&] {
              runFloat(kZeroEncodings, kScores, anchors, 4, postProcessOptions(false, 10, 1, 3, 0.3f, 0.5f));
            }),
            ErrorKind::BadInput);
}

TEST(DetectionPostProcess, UnsupportedInputTypesAreRefused) {
  OpModel m;
  int enc = m.input({DType::Int16, {1, 3, 4}});
  int cls = m.input({DType::Float32, {1, 3, 4}});
  int anc = m.constant({DType::Float32, {3, 4}}, kAnchors);
  int o0 = m.output({DType::Float32, {}}), o1 = m.output({DType::Float32, {}}), o2 = m.output({DType::Float32, {}}),
      o3 = m.output({DType::Float32, {}});
  m.op(kOp, {enc, cls, anc}, {o0, o1, o2, o3}, "", postProcessOptions(false, 10, 1, 3, 0.3f, 0.5f));
  EXPECT_EQ(errorKindOf([&] { m.invoke(); }), ErrorKind::Unsupported);
}

// ------------------------------------------------------------------------------------------------------------
// Against the real runtime.

// The anchors of the classic COCO SSD: its constant anchor tensor, raw (uint8) and dequantized.
struct ModelAnchors {
  Tensor tensor;
  std::vector<uint8_t> raw;
  std::vector<float> real;
};
bool cocoAnchors(ModelAnchors* out) {
  const std::string path = sharedDir() + "/models/coco_ssd_mobilenet_v1_1.0_quant.tflite";
  if (sharedDir().empty() || !std::filesystem::exists(path)) return false;
  Model m = readModel(path);
  const Subgraph& sg = m.subgraphs[0];
  for (const Op& op : sg.ops)
    if (m.opName(op) == kOp) {
      out->tensor = sg.tensors[static_cast<size_t>(op.inputs[2])];
      const Bytes& b = m.dataOf(out->tensor);
      out->raw.assign(b.data, b.data + b.size);
      out->real = constantRealValues(m, out->tensor);
      return true;
    }
  return false;
}

// SSD anchors as the TF Object Detection API's multiple-grid generator makes them for a 300x300 MobileNet SSD:
// 6 feature maps (19, 10, 5, 3, 2, 1), scales from 0.2 to 0.95, aspect ratios 1, 2, 1/2, 3, 1/3 plus an extra
// square of scale sqrt(s_k s_k+1); the first layer has 3 anchors (0.1 square, 2, 1/2). 1917 anchors (yc, xc, h, w).
std::vector<float> generatedSsdAnchors() {
  const int sizes[] = {19, 10, 5, 3, 2, 1};
  const int layers = 6;
  std::vector<float> anchors;
  for (int l = 0; l < layers; ++l) {
    const float scale = 0.2f + (0.95f - 0.2f) * static_cast<float>(l) / (layers - 1);
    const float next = l + 1 < layers ? 0.2f + (0.95f - 0.2f) * static_cast<float>(l + 1) / (layers - 1) : 1.0f;
    std::vector<std::pair<float, float>> shapes;  // (scale, aspect ratio)
    if (l == 0) {
      shapes = {{0.1f, 1.0f}, {scale, 2.0f}, {scale, 0.5f}};
    } else {
      for (float ar : {1.0f, 2.0f, 0.5f, 3.0f, 1.0f / 3.0f}) shapes.push_back({scale, ar});
      shapes.push_back({std::sqrt(scale * next), 1.0f});
    }
    for (int y = 0; y < sizes[l]; ++y)
      for (int x = 0; x < sizes[l]; ++x)
        for (auto [s, ar] : shapes) {
          anchors.push_back((static_cast<float>(y) + 0.5f) / static_cast<float>(sizes[l]));
          anchors.push_back((static_cast<float>(x) + 0.5f) / static_cast<float>(sizes[l]));
          anchors.push_back(s / std::sqrt(ar));
          anchors.push_back(s * std::sqrt(ar));
        }
  }
  return anchors;
}

// `n` distinct floats in [lo, hi), drawn with a fixed seed.
std::vector<float> distinctUniform(std::mt19937& rng, size_t n, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::set<float> seen;
  std::vector<float> out;
  while (out.size() < n) {
    float v = dist(rng);
    if (seen.insert(v).second) out.push_back(v);
  }
  return out;
}

std::vector<float> floatsOf(const std::vector<uint8_t>& b) {
  std::vector<float> v(b.size() / 4);
  std::memcpy(v.data(), b.data(), v.size() * 4);
  return v;
}

// A post-process-only model for LiteRT: static output shapes in the file (LiteRT sizes outputs from the file).
struct InputSpec {
  DType type = DType::Float32;
  QuantParams quant;
};
Model postProcessModel(int boxes, int columns, const InputSpec& enc_spec, const InputSpec& cls_spec,
                       const Tensor& anchors, const Bytes& anchor_data, const nlohmann::json& options) {
  Model m = emptyModel("post-process only");
  Subgraph& sg = m.subgraphs[0];
  Tensor enc_t{"box_encodings", enc_spec.type, {1, boxes, 4}};
  enc_t.quant = enc_spec.quant;
  Tensor cls_t{"class_predictions", cls_spec.type, {1, boxes, columns}};
  cls_t.quant = cls_spec.quant;
  int enc = addTensor(sg, enc_t);
  int cls = addTensor(sg, cls_t);
  Tensor anc = anchors;
  anc.name = "anchors";
  anc.buffer = addBuffer(m, anchor_data);
  int a = addTensor(sg, anc);
  const int slots = options["max_detections"].get<int>() * options["max_classes_per_detection"].get<int>();
  int o0 = addTensor(sg, {"boxes", DType::Float32, {1, slots, 4}});
  int o1 = addTensor(sg, {"classes", DType::Float32, {1, slots}});
  int o2 = addTensor(sg, {"scores", DType::Float32, {1, slots}});
  int o3 = addTensor(sg, {"count", DType::Float32, {1}});
  sg.inputs = {enc, cls};
  sg.outputs = {o0, o1, o2, o3};
  sg.ops.push_back(makeOp(m, kOp, {enc, cls, a}, {o0, o1, o2, o3}, "", options));
  return m;
}

struct OracleCase {
  std::string name;
  nlohmann::json options;
};

// Runs `m` in quantlens and in LiteRT on the same two input files and compares the detections they report
// (outputs past the count are unspecified in TFLite): all bit for bit, since both compute the same float and
// double expressions (boxes are decoded in double: decoding in float is 1 ulp off on some boxes, which this sees).
void expectSameAsOracle(const std::string& oracle, const std::string& dir, const std::string& name, const Model& m,
                        const std::vector<uint8_t>& enc, const std::vector<uint8_t>& cls, int classes_per_slot) {
  SCOPED_TRACE(name);
  const std::string path = dir + "/" + name + ".tflite";
  writeModel(m, path);
  writeBytes(dir + "/" + name + "_enc.bin", enc);
  writeBytes(dir + "/" + name + "_cls.bin", cls);
  std::vector<std::string> ref =
      runOracle(oracle + "/litert_run.mjs", path, {dir + "/" + name + "_enc.bin", dir + "/" + name + "_cls.bin"},
                dir + "/" + name);
  ASSERT_EQ(ref.size(), 4u);
  Model loaded = readModel(path);
  Interpreter interp(std::make_shared<const Model>(loaded));
  interp.setInput(0, enc.data(), enc.size());
  interp.setInput(1, cls.data(), cls.size());
  interp.invoke();
  const float ref_count = floatsOf(readBytes(ref[3])).at(0);
  ASSERT_EQ(interp.output(3).data<float>()[0], ref_count);
  EXPECT_GT(ref_count, 0.0f);
  const size_t slots = static_cast<size_t>(ref_count) * static_cast<size_t>(classes_per_slot);
  float max_box_diff = 0, max_score_diff = 0;
  int class_mismatches = 0;
  std::vector<float> ref_boxes = floatsOf(readBytes(ref[0])), ref_classes = floatsOf(readBytes(ref[1])),
                     ref_scores = floatsOf(readBytes(ref[2]));
  ASSERT_GE(ref_scores.size(), slots);
  ASSERT_EQ(interp.output(2).elements(), static_cast<int64_t>(ref_scores.size()));
  const float* boxes = interp.output(0).data<float>();
  const float* classes = interp.output(1).data<float>();
  const float* scores = interp.output(2).data<float>();
  for (size_t i = 0; i < slots; ++i) {
    class_mismatches += classes[i] != ref_classes[i];
    max_score_diff = std::max(max_score_diff, std::fabs(scores[i] - ref_scores[i]));
    for (size_t k = 0; k < 4; ++k)
      max_box_diff = std::max(max_box_diff, std::fabs(boxes[4 * i + k] - ref_boxes[4 * i + k]));
  }
  EXPECT_EQ(class_mismatches, 0);
  EXPECT_EQ(max_box_diff, 0.0f);
  EXPECT_EQ(max_score_diff, 0.0f);
  std::cout << name << ": " << ref_count << " detections, " << slots << " slots, max box diff " << max_box_diff
            << ", max score diff " << max_score_diff << "\n";
}

std::vector<OracleCase> oracleCases(int num_classes) {
  return {
      {"fast", postProcessOptions(false, 10, 1, num_classes, 0.3f, 0.6f)},
      {"fast_3_classes_per_box", postProcessOptions(false, 8, 3, num_classes, 0.5f, 0.5f)},
      {"fast_many_loose_iou", postProcessOptions(false, 100, 1, num_classes, 0.2f, 0.95f)},
      {"fast_few_strict_iou", postProcessOptions(false, 3, 2, num_classes, 0.9f, 0.1f)},
      {"regular", postProcessOptions(true, 10, 1, num_classes, 0.3f, 0.6f)},
      {"regular_strict", postProcessOptions(true, 25, 1, num_classes, 0.9f, 0.3f)},
      {"regular_per_class_limit", postProcessOptions(true, 40, 1, num_classes, 0.5f, 0.5f, 3)},
      {"regular_many", postProcessOptions(true, 100, 1, num_classes, 0.99f, 0.6f, 20)},
  };
}

void runFloatOracleCases(const std::string& oracle, const std::string& dir, const std::string& prefix,
                         const Tensor& anchor_tensor, const Bytes& anchor_data, int boxes, int num_classes,
                         bool background) {
  std::mt19937 rng(20240611);
  std::normal_distribution<float> normal(0.f, 1.f);
  std::vector<float> enc(static_cast<size_t>(boxes) * 4);
  for (float& v : enc) v = normal(rng);
  const int columns = num_classes + (background ? 1 : 0);
  std::vector<float> scores =
      distinctUniform(rng, static_cast<size_t>(boxes) * static_cast<size_t>(columns), 0.0f, 1.0f);
  for (const OracleCase& c : oracleCases(num_classes)) {
    Model m = postProcessModel(boxes, columns, {}, {}, anchor_tensor, anchor_data, c.options);
    const int per_slot =
        c.options["use_regular_nms"].get<bool>() ? 1 : c.options["max_classes_per_detection"].get<int>();
    expectSameAsOracle(oracle, dir, prefix + "_" + c.name, m, bytesOf(enc), bytesOf(scores), per_slot);
  }
}

TEST(DetectionPostProcess, MatchesTheRealRuntimeWithCocoAnchors) {
  QL_REQUIRE_SHARED();
  ModelAnchors coco;
  if (!cocoAnchors(&coco)) QL_SKIP_FOR_MISSING("coco_ssd_mobilenet_v1_1.0_quant.tflite is not in ../shared/models");
  QL_REQUIRE_ORACLE(oracle);
  ASSERT_EQ(coco.tensor.shape, (std::vector<int32_t>{1917, 4}));
  std::string dir = makeTempDir("postprocess_coco");
  // Float anchors (the dequantized tensor): TFLite needs float anchors with float encodings.
  Tensor float_anchors{"anchors", DType::Float32, {1917, 4}};
  runFloatOracleCases(oracle, dir, "coco", float_anchors,
                      Bytes::copyOf(coco.real.data(), coco.real.size() * sizeof(float)), 1917, 90, true);
  std::filesystem::remove_all(dir);
}

TEST(DetectionPostProcess, MatchesTheRealRuntimeWithGeneratedAnchors) {
  QL_REQUIRE_SHARED();
  QL_REQUIRE_ORACLE(oracle);
  std::vector<float> anchors = generatedSsdAnchors();
  ASSERT_EQ(anchors.size(), 1917u * 4);
  std::string dir = makeTempDir("postprocess_generated");
  Tensor t{"anchors", DType::Float32, {1917, 4}};
  // 20 classes without a background column.
  runFloatOracleCases(oracle, dir, "generated", t, Bytes::copyOf(anchors.data(), anchors.size() * sizeof(float)), 1917,
                      20, false);
  std::filesystem::remove_all(dir);
}

TEST(DetectionPostProcess, MatchesTheRealRuntimeOnUInt8Inputs) {
  // The deployed form: uint8 encodings and scores, the model's own uint8 anchors. Quantized scores tie often; fast
  // NMS breaks ties the same way in TFLite (stable sort, first maximum), so the outputs must agree exactly.
  QL_REQUIRE_SHARED();
  ModelAnchors coco;
  if (!cocoAnchors(&coco)) QL_SKIP_FOR_MISSING("coco_ssd_mobilenet_v1_1.0_quant.tflite is not in ../shared/models");
  QL_REQUIRE_ORACLE(oracle);
  std::string dir = makeTempDir("postprocess_uint8");
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> q(0, 255);
  const int boxes = 1917, columns = 91;
  std::vector<uint8_t> enc(boxes * 4), cls(static_cast<size_t>(boxes) * columns);
  for (uint8_t& v : enc) v = static_cast<uint8_t>(q(rng));
  for (uint8_t& v : cls) v = static_cast<uint8_t>(q(rng));
  InputSpec enc_spec{DType::UInt8, {}}, cls_spec{DType::UInt8, {}};
  enc_spec.quant.scale = {0.07902787625789642f};
  enc_spec.quant.zero_point = {191};
  cls_spec.quant.scale = {0.00390625f};
  cls_spec.quant.zero_point = {0};
  for (auto [name, options] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"uint8_fast", postProcessOptions(false, 10, 1, 90, 0.6f, 0.6f)},
           {"uint8_fast_many", postProcessOptions(false, 50, 1, 90, 0.3f, 0.45f)}}) {
    Model m = postProcessModel(boxes, columns, enc_spec, cls_spec, coco.tensor,
                               Bytes::copyOf(coco.raw.data(), coco.raw.size()), options);
    expectSameAsOracle(oracle, dir, name, m, enc, cls, 1);
  }
  std::filesystem::remove_all(dir);
}

// ------------------------------------------------------------------------------------------------------------
// The golden detectors: the op alone, fed the golden box encodings and scores, gives the golden detections.

class DetectionPostProcessGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DetectionPostProcessGolden, OpFedGoldenInputsGivesGoldenOutputs) {
  QL_REQUIRE_SHARED();
  Golden g = readGolden(GetParam());
  Model model = readModel(g.model_path);
  int op = -1;
  for (size_t i = 0; i < model.subgraphs[0].ops.size(); ++i)
    if (model.opName(model.subgraphs[0].ops[i]) == kOp) op = static_cast<int>(i);
  ASSERT_GE(op, 0);
  std::map<int, const GoldenTensor*> golden;
  for (const GoldenTensor& t : g.tensors) golden[t.index] = &t;
  IsolatedOp iso = isolateOp(model, op);
  Interpreter interp(std::make_shared<const Model>(iso.model));
  ASSERT_EQ(iso.source_inputs.size(), 2u);  // the anchors are constant
  for (size_t i = 0; i < iso.source_inputs.size(); ++i) {
    ASSERT_TRUE(golden.count(iso.source_inputs[i])) << "golden lacks tensor " << iso.source_inputs[i];
    std::vector<uint8_t> bytes = readBytes(golden[iso.source_inputs[i]]->file);
    interp.setInput(i, bytes.data(), bytes.size());
  }
  interp.invoke();
  auto goldenFloats = [&](size_t k) { return floatsOf(readBytes(golden.at(iso.source_outputs[k])->file)); };
  std::vector<float> boxes = goldenFloats(0), classes = goldenFloats(1), scores = goldenFloats(2),
                     count = goldenFloats(3);
  ASSERT_EQ(interp.output(3).data<float>()[0], count[0]);
  ASSERT_GT(count[0], 0.0f);
  const float* our_boxes = interp.output(0).data<float>();
  const float* our_classes = interp.output(1).data<float>();
  const float* our_scores = interp.output(2).data<float>();
  auto iou = [](const float* a, const float* b) {
    float h = std::max(0.f, std::min(a[2], b[2]) - std::max(a[0], b[0]));
    float w = std::max(0.f, std::min(a[3], b[3]) - std::max(a[1], b[1]));
    float inter = h * w, uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return uni > 0 ? inter / uni : 0.f;
  };
  int exact = 0;
  for (size_t i = 0; i < static_cast<size_t>(count[0]); ++i) {
    EXPECT_EQ(our_classes[i], classes[i]) << "detection " << i;
    EXPECT_NEAR(our_scores[i], scores[i], 0.01f) << "detection " << i;
    EXPECT_GE(iou(our_boxes + 4 * i, boxes.data() + 4 * i), 0.95f) << "detection " << i;
    exact += our_classes[i] == classes[i] && our_scores[i] == scores[i] &&
             std::equal(our_boxes + 4 * i, our_boxes + 4 * i + 4, boxes.data() + 4 * i);
  }
  std::cout << GetParam() << ": " << count[0] << " detections, " << exact << " bit-exact\n";
}

// The two detectors that have a golden reference (only those get a test).
std::vector<std::string> detectorsWithGolden() {
  std::vector<std::string> out;
  for (const std::string& name : goldenNamesForParams())
    if (name == "coco_ssd_mobilenet_v1_1.0_quant" || name == "pets_ssd_mobilenet_v1_quant" ||
        name == "no_shared_dir")
      out.push_back(name);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Detectors, DetectionPostProcessGolden, ::testing::ValuesIn(detectorsWithGolden()));

}  // namespace
}  // namespace ql::test
