// The custom op TFLite_Detection_PostProcess that ends SSD detectors, as TFLite's kernel
// (tensorflow/lite/kernels/detection_postprocess.cc) computes it:
//   1. decode each box encoding (ty, tx, th, tw) against its anchor (yc, xc, h, w) into corners, in double:
//        yc' = ty / y_scale * h + yc      half_h = 0.5 * exp(th / h_scale) * h      (x likewise)
//   2. non-maximum suppression, either
//      fast (class-agnostic): each box keeps its best max_classes_per_detection classes and takes part in one NMS
//        with its best score; every kept box is written once per kept class, or
//      regular (per class): NMS within each class (at most detections_per_class boxes), then the best
//        max_detections over all classes.
// Inputs: box encodings [1,N,>=4], class predictions [1,N,num_classes(+1 background first)], anchors [N,4];
// quantized inputs are dequantized first as TFLite does: r = (float(q) - zero_point) * scale.
// Outputs (always float32): boxes [1,M,4] (ymin, xmin, ymax, xmax), classes [1,M], scores [1,M], count [1], with
// M = max_detections * max_classes_per_detection. Files usually leave their shapes empty, so prepare sizes them.
// Ties are broken toward the lower index (anchor, then class), as TFLite's stable sorts do; where TFLite uses
// std::partial_sort (classes of one box, merging the classes in regular NMS) its tie order is unspecified, and
// here it is the stable one.
// Beyond TFLite: int8 inputs (TFLite takes uint8 and float32 only) and quantized anchors with float encodings
// are dequantized with their own parameters; outputs past `count` are zero.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>

#include "analysis/detection/box_nms.h"
#include "kernels/families.h"
#include "runtime/kernel.h"

namespace ql {
namespace {

constexpr int kCoordsPerBox = 4;

struct PostProcessParams {
  int max_detections = 0;
  int max_classes_per_detection = 0;  // fast NMS: classes reported per kept box
  int detections_per_class = 100;     // regular NMS: boxes kept per class
  int num_classes = 0;
  bool use_regular_nms = false;
  float score_threshold = 0;
  float iou_threshold = 0;
  float y_scale = 0, x_scale = 0, h_scale = 0, w_scale = 0;
  // From the input shapes.
  int num_boxes = 0;
  int encoding_length = kCoordsPerBox;  // box encodings may carry keypoints after the 4 box values
  int classes_with_background = 0;
  int label_offset = 0;  // 1 when class predictions start with a background column
  int output_slots() const { return max_detections * max_classes_per_detection; }
};

// Outputs of the op, as raw pointers into the four output tensors.
struct DetectionOutputs {
  float* boxes;
  float* classes;
  float* scores;
  float* count;
};

// ---------------------------------------------------------------------------------------------------------
// Dequantization: TFLite's Dequantizer computes (static_cast<float>(q) - zero_point) * scale in float.

bool isSupportedInputType(DType t) { return t == DType::Float32 || t == DType::UInt8 || t == DType::Int8; }

template <typename Q>
void dequantizeAll(const Q* q, size_t n, float zero_point, float scale, float* out) {
  for (size_t i = 0; i < n; ++i) out[i] = (static_cast<float>(q[i]) - zero_point) * scale;
}

std::vector<float> realValuesOf(const RuntimeTensor& t) {
  const size_t n = static_cast<size_t>(std::max<int64_t>(t.elements(), 0));
  std::vector<float> out(n);
  const float zero_point = static_cast<float>(t.zeroPoint()), scale = t.scale();
  switch (t.type()) {
    case DType::Float32:
      std::memcpy(out.data(), t.data<float>(), n * sizeof(float));
      break;
    case DType::UInt8:
      dequantizeAll(t.data<uint8_t>(), n, zero_point, scale, out.data());
      break;
    case DType::Int8:
      dequantizeAll(t.data<int8_t>(), n, zero_point, scale, out.data());
      break;
    default:
      break;  // the factory only accepts the three types above
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Box decoding (CenterSize encoding -> corners). TFLite computes in double and rounds each result to float.

std::vector<Box> decodeCenterSizeBoxes(const PostProcessParams& p, const std::vector<float>& encodings,
                                       const std::vector<float>& anchors) {
  std::vector<Box> boxes(static_cast<size_t>(p.num_boxes));
  for (size_t i = 0; i < boxes.size(); ++i) {
    const float* e = &encodings[i * static_cast<size_t>(p.encoding_length)];  // ty, tx, th, tw
    const float* a = &anchors[i * kCoordsPerBox];                             // yc, xc, h, w
    const float ycenter = static_cast<float>(double{e[0]} / double{p.y_scale} * double{a[2]} + double{a[0]});
    const float xcenter = static_cast<float>(double{e[1]} / double{p.x_scale} * double{a[3]} + double{a[1]});
    const float half_h = static_cast<float>(0.5 * std::exp(double{e[2]} / double{p.h_scale}) * double{a[2]});
    const float half_w = static_cast<float>(0.5 * std::exp(double{e[3]} / double{p.w_scale}) * double{a[3]});
    boxes[i] = {ycenter - half_h, xcenter - half_w, ycenter + half_h, xcenter + half_w};
  }
  return boxes;
}

// TFLite refuses boxes whose min corner lies past the max corner (negative anchor sizes); empty boxes are fine.
bool boxesAreOrdered(const std::vector<Box>& boxes) {
  for (const Box& b : boxes)
    if (b.ymin > b.ymax || b.xmin > b.xmax) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Sorting: indices by decreasing value, equal values in index order (what a stable sort gives).

std::vector<int> decreasingArgSort(const float* values, int n) {
  std::vector<int> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [values](int a, int b) { return values[a] > values[b]; });
  return order;
}

// The first `k` of decreasingArgSort. For k == 1 TFLite takes the first maximum (ArgMaxVector).
std::vector<int> decreasingPartialArgSort(const float* values, int n, int k) {
  if (k == 1) {
    int best = 0;
    for (int i = 1; i < n; ++i)
      if (values[i] > values[best]) best = i;
    return {best};
  }
  std::vector<int> order = decreasingArgSort(values, n);
  order.resize(static_cast<size_t>(k));
  return order;
}

// ---------------------------------------------------------------------------------------------------------
// Greedy NMS over one score per box (the NMS the detector decoders share): the boxes scoring >= score_threshold,
// best first; a box is dropped when its IoU with an already kept one is > iou_threshold. At most `limit` boxes, as
// box indices in keep order.
std::vector<int> nonMaxSuppressionSingleClass(const PostProcessParams& p, const std::vector<Box>& boxes,
                                              const std::vector<float>& scores, int limit) {
  NmsOptions options;
  options.score_threshold = p.score_threshold;
  options.iou_threshold = p.iou_threshold;
  options.max_detections = limit;
  return hardNms(boxes, scores, options);
}

// Score of box `box` for class `cls` (0-based, background skipped).
float classScore(const PostProcessParams& p, const std::vector<float>& scores, int box, int cls) {
  return scores[static_cast<size_t>(box) * static_cast<size_t>(p.classes_with_background) +
                static_cast<size_t>(p.label_offset + cls)];
}

void writeDetection(const DetectionOutputs& out, int slot, const Box& box, int cls, float score) {
  std::memcpy(out.boxes + static_cast<size_t>(slot) * kCoordsPerBox, &box, sizeof(Box));
  out.classes[slot] = static_cast<float>(cls);
  out.scores[slot] = score;
}

// Fast NMS: one NMS over each box's best class score; a kept box fills max_classes_per_detection slots with
// its best classes (fewer when there are fewer classes; the rest of its slots stay zero).
void fastNms(const PostProcessParams& p, const std::vector<Box>& boxes, const std::vector<float>& scores,
             const DetectionOutputs& out) {
  const int classes_per_box = std::min(p.max_classes_per_detection, p.num_classes);
  std::vector<float> best_score(static_cast<size_t>(p.num_boxes));
  std::vector<std::vector<int>> best_classes(static_cast<size_t>(p.num_boxes));
  for (int b = 0; b < p.num_boxes; ++b) {
    const float* row = &scores[static_cast<size_t>(b) * static_cast<size_t>(p.classes_with_background) +
                               static_cast<size_t>(p.label_offset)];
    std::vector<int> top = decreasingPartialArgSort(row, p.num_classes, classes_per_box);
    best_score[static_cast<size_t>(b)] = row[top[0]];
    best_classes[static_cast<size_t>(b)] = std::move(top);
  }
  const std::vector<int> selected = nonMaxSuppressionSingleClass(p, boxes, best_score, p.max_detections);
  int count = 0;
  for (int box : selected) {
    const std::vector<int>& classes = best_classes[static_cast<size_t>(box)];
    for (int c = 0; c < classes_per_box; ++c) {
      const int cls = classes[static_cast<size_t>(c)];
      writeDetection(out, p.max_classes_per_detection * count + c, boxes[static_cast<size_t>(box)], cls,
                     classScore(p, scores, box, cls));
    }
    ++count;
  }
  out.count[0] = static_cast<float>(count);
}

// Regular NMS: NMS within each class in turn; after each class the kept (box, class) candidates are merged with
// the best ones so far and cut to max_detections, as TFLite does.
void regularNms(const PostProcessParams& p, const std::vector<Box>& boxes, const std::vector<float>& scores,
                const DetectionOutputs& out) {
  struct Candidate {
    int box, cls;
    float score;
  };
  std::vector<Candidate> best;  // sorted by decreasing score
  std::vector<float> class_scores(static_cast<size_t>(p.num_boxes));
  for (int c = 0; c < p.num_classes; ++c) {
    for (int b = 0; b < p.num_boxes; ++b) class_scores[static_cast<size_t>(b)] = classScore(p, scores, b, c);
    for (int box : nonMaxSuppressionSingleClass(p, boxes, class_scores, p.detections_per_class))
      best.push_back({box, c, class_scores[static_cast<size_t>(box)]});
    // Earlier entries (earlier classes, then lower anchors) win ties.
    std::stable_sort(best.begin(), best.end(),
                     [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
    if (best.size() > static_cast<size_t>(p.max_detections)) best.resize(static_cast<size_t>(p.max_detections));
  }
  for (size_t i = 0; i < best.size(); ++i)
    writeDetection(out, static_cast<int>(i), boxes[static_cast<size_t>(best[i].box)], best[i].cls, best[i].score);
  out.count[0] = static_cast<float>(best.size());
}

// ---------------------------------------------------------------------------------------------------------

class DetectionPostProcessKernel : public Kernel {
 public:
  void prepare(KernelContext& ctx) override {
    if (ctx.inputCount() != 3 || !ctx.in[0] || !ctx.in[1] || !ctx.in[2])
      ctx.invalid("takes 3 inputs (box encodings, class predictions, anchors)");
    if (ctx.out.size() != 4) ctx.invalid("has 4 outputs (boxes, classes, scores, count)");
    readOptions(ctx);
    checkShapes(ctx);
    for (size_t i = 0; i < 4; ++i)
      if (ctx.output(i).type() != DType::Float32) ctx.unsupported("outputs other than float32");
    const int m = p_.output_slots();
    ctx.output(0).resize({1, m, kCoordsPerBox});
    ctx.output(1).resize({1, m});
    ctx.output(2).resize({1, m});
    ctx.output(3).resize({1});
    anchors_cached_ = ctx.input(2).isConstant();
    anchors_ = anchors_cached_ ? realValuesOf(ctx.input(2)) : std::vector<float>();
  }

  void eval(KernelContext& ctx) override {
    const std::vector<float> encodings = realValuesOf(ctx.input(0));
    const std::vector<float> scores = realValuesOf(ctx.input(1));
    std::vector<float> fresh_anchors;
    if (!anchors_cached_) fresh_anchors = realValuesOf(ctx.input(2));
    const std::vector<Box> boxes = decodeCenterSizeBoxes(p_, encodings, anchors_cached_ ? anchors_ : fresh_anchors);
    if (!boxesAreOrdered(boxes)) ctx.invalid("a decoded box has ymin > ymax or xmin > xmax (negative anchor size?)");

    DetectionOutputs out{ctx.output(0).mutableData<float>(), ctx.output(1).mutableData<float>(),
                         ctx.output(2).mutableData<float>(), ctx.output(3).mutableData<float>()};
    for (size_t i = 0; i < 3; ++i) std::memset(ctx.output(i).mutableRaw(), 0, ctx.output(i).bytes());
    if (p_.use_regular_nms)
      regularNms(p_, boxes, scores, out);
    else
      fastNms(p_, boxes, scores, out);
  }

 private:
  // Flexbuffer options; absent ones read as TFLite's flexbuffers do (0), except detections_per_class (100) and
  // use_regular_nms (false).
  void readOptions(const KernelContext& ctx) {
    p_.max_detections = static_cast<int>(ctx.intOption("max_detections", 0));
    p_.max_classes_per_detection = static_cast<int>(ctx.intOption("max_classes_per_detection", 0));
    p_.detections_per_class = static_cast<int>(ctx.intOption("detections_per_class", 100));
    p_.use_regular_nms = ctx.boolOption("use_regular_nms", false);
    p_.score_threshold = static_cast<float>(ctx.floatOption("nms_score_threshold", 0));
    p_.iou_threshold = static_cast<float>(ctx.floatOption("nms_iou_threshold", 0));
    p_.num_classes = static_cast<int>(ctx.intOption("num_classes", 0));
    p_.y_scale = static_cast<float>(ctx.floatOption("y_scale", 0));
    p_.x_scale = static_cast<float>(ctx.floatOption("x_scale", 0));
    p_.h_scale = static_cast<float>(ctx.floatOption("h_scale", 0));
    p_.w_scale = static_cast<float>(ctx.floatOption("w_scale", 0));
    if (p_.max_detections < 0) ctx.invalid("max_detections must not be negative");
    if (p_.max_classes_per_detection <= 0) ctx.invalid("max_classes_per_detection must be positive");
    if (static_cast<int64_t>(p_.max_detections) * p_.max_classes_per_detection > (1 << 24))
      ctx.invalid("max_detections * max_classes_per_detection is too large");
    if (p_.num_classes <= 0) ctx.invalid("num_classes must be positive");
    if (p_.use_regular_nms && p_.detections_per_class <= 0) ctx.invalid("detections_per_class must be positive");
    if (!(p_.iou_threshold > 0.0f && p_.iou_threshold <= 1.0f)) ctx.invalid("nms_iou_threshold must be in (0, 1]");
  }

  void checkShapes(const KernelContext& ctx) {
    const RuntimeTensor& enc = ctx.input(0);
    const RuntimeTensor& cls = ctx.input(1);
    const RuntimeTensor& anchors = ctx.input(2);
    if (enc.rank() != 3 || enc.dim(0) != 1 || enc.dim(2) < kCoordsPerBox)
      ctx.invalid("box encodings must be [1, boxes, >= 4]");
    p_.num_boxes = enc.dim(1);
    p_.encoding_length = enc.dim(2);
    if (cls.rank() != 3 || cls.dim(0) != 1 || cls.dim(1) != p_.num_boxes)
      ctx.invalid("class predictions must be [1, boxes, classes (+ background)]");
    p_.classes_with_background = cls.dim(2);
    p_.label_offset = p_.classes_with_background - p_.num_classes;
    if (p_.label_offset < 0 || p_.label_offset > 1)
      ctx.invalid("class predictions must have num_classes or num_classes + 1 (background) columns");
    if (anchors.rank() != 2 || anchors.dim(0) < p_.num_boxes || anchors.dim(1) != kCoordsPerBox)
      ctx.invalid("anchors must be [boxes, 4]");
    for (const RuntimeTensor* t : {&enc, &cls, &anchors})
      if (t->type() != DType::Float32 && t->quant().perChannel()) ctx.unsupported("per-channel quantized inputs");
  }

  PostProcessParams p_;
  std::vector<float> anchors_;  // dequantized once when constant
  bool anchors_cached_ = false;
};

}  // namespace

void registerDetectionPostProcessKernels(KernelRegistry& r) {
  r.add("TFLite_Detection_PostProcess", [](const KernelContext& ctx) -> std::unique_ptr<Kernel> {
    // Input counts and shapes are checked in prepare (a bad model is invalid, not unsupported).
    for (const RuntimeTensor* t : ctx.in)
      if (t && !isSupportedInputType(t->type())) return nullptr;
    return std::make_unique<DetectionPostProcessKernel>();
  });
}

}  // namespace ql
