#include "analysis/detection/decoders.h"

#include <algorithm>
#include <cmath>

#include "analysis/detection/box_nms.h"
#include "analysis/detection/ssd_anchors.h"
#include "model/tensor_values.h"
#include "util/error.h"

namespace ql {

namespace {

[[noreturn]] void wrongShape(const OutputValues& o, const DetectorProfile& p, const std::string& expected) {
  badInput(o.name, std::string("output ") + shapeText(o.shape) + " does not fit the " + headKindName(p.kind) +
                       " decoder, which reads " + expected);
}

const OutputValues& rank3Output(const std::vector<OutputValues>& outputs, const DetectorProfile& p,
                                const std::string& expected) {
  if (outputs.empty()) badInput("", std::string("the ") + headKindName(p.kind) + " decoder needs an output " + expected);
  const OutputValues& o = outputs[0];
  if (o.shape.size() != 3 || o.shape[0] != 1 ||
      o.values.size() != static_cast<size_t>(o.shape[1]) * static_cast<size_t>(o.shape[2]))
    wrongShape(o, p, expected);
  return o;
}

// Boxes and scores before NMS, in input-normalized coordinates.
struct Candidates {
  std::vector<Box> boxes;
  std::vector<float> scores;
  std::vector<int> classes;
  std::vector<std::vector<float>> keypoints;  // per box: x0, y0, x1, y1, ...
  void add(const Box& b, float score, int cls) {
    boxes.push_back(b);
    scores.push_back(score);
    classes.push_back(cls);
  }
};

Box fromCenter(float cx, float cy, float w, float h) { return {cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2}; }

// The best class of a row of class scores (the first maximum).
std::pair<int, float> bestClass(const float* scores, int n, int stride) {
  int best = 0;
  for (int c = 1; c < n; ++c)
    if (scores[c * stride] > scores[best * stride]) best = c;
  return {best, n > 0 ? scores[best * stride] : 0.0f};
}

// [1, 4 + C, N] (Ultralytics' TFLite export), or [1, N, 4 + C] when a profile asks for v8 on that layout.
Candidates yoloV8(const DetectorProfile& p, const std::vector<OutputValues>& outputs) {
  const OutputValues& o = rank3Output(outputs, p, "[1, 4 + C, N]");
  const bool channels_first = o.shape[1] < o.shape[2];
  const int rows = channels_first ? o.shape[1] : o.shape[2], n = channels_first ? o.shape[2] : o.shape[1];
  if (rows < 5) wrongShape(o, p, "[1, 4 + C, N] with C >= 1");
  const int classes = rows - 4;
  // Element k of box i.
  auto at = [&](int i, int k) -> const float* {
    return &o.values[channels_first ? static_cast<size_t>(k) * n + i : static_cast<size_t>(i) * rows + k];
  };
  const int class_stride = channels_first ? n : 1;
  Candidates c;
  for (int i = 0; i < n; ++i) {
    auto [cls, score] = bestClass(at(i, 4), classes, class_stride);
    if (!(score >= p.score_threshold)) continue;
    c.add(fromCenter(*at(i, 0) / p.box_scale[0], *at(i, 1) / p.box_scale[1], *at(i, 2) / p.box_scale[2],
                     *at(i, 3) / p.box_scale[3]),
          score, cls);
  }
  return c;
}

// [1, N, 5 + C]: cx, cy, w, h, objectness, C class scores; score = objectness x class score.
Candidates yoloV5(const DetectorProfile& p, const std::vector<OutputValues>& outputs) {
  const OutputValues& o = rank3Output(outputs, p, "[1, N, 5 + C]");
  const int n = o.shape[1], rows = o.shape[2];
  if (rows < 6) wrongShape(o, p, "[1, N, 5 + C] with C >= 1");
  Candidates c;
  for (int i = 0; i < n; ++i) {
    const float* r = &o.values[static_cast<size_t>(i) * rows];
    auto [cls, class_score] = bestClass(r + 5, rows - 5, 1);
    const float score = r[4] * class_score;
    if (!(score >= p.score_threshold)) continue;
    c.add(fromCenter(r[0] / p.box_scale[0], r[1] / p.box_scale[1], r[2] / p.box_scale[2], r[3] / p.box_scale[3]),
          score, cls);
  }
  return c;
}

// [1, K, 6]: x1, y1, x2, y2, score, class, after the model's own NMS.
Candidates yoloEnd2End(const DetectorProfile& p, const std::vector<OutputValues>& outputs) {
  const OutputValues& o = rank3Output(outputs, p, "[1, K, 6]");
  if (o.shape[2] != 6) wrongShape(o, p, "[1, K, 6]");
  Candidates c;
  for (int i = 0; i < o.shape[1]; ++i) {
    const float* r = &o.values[static_cast<size_t>(i) * 6];
    if (!(r[4] >= p.score_threshold)) continue;
    c.add({r[1] / p.box_scale[1], r[0] / p.box_scale[0], r[3] / p.box_scale[1], r[2] / p.box_scale[0]}, r[4],
          static_cast<int>(std::lround(r[5])));
  }
  return c;
}

// Raw SSD head: regressors [1, N, 4 + 2K] and scores [1, N, C (+1 background)] against generated anchors.
Candidates ssdAnchorsHead(const DetectorProfile& p, const std::vector<OutputValues>& outputs) {
  const int box_values = 4 + 2 * p.num_keypoints;
  const std::string expected = "regressors [1, N, " + std::to_string(box_values) + "] and scores [1, N, C]";
  if (outputs.size() != 2) badInput("", std::string("the ssd_anchors decoder needs two outputs: ") + expected);
  for (const OutputValues& o : outputs)
    if (o.shape.size() != 3 || o.shape[0] != 1 ||
        o.values.size() != static_cast<size_t>(o.shape[1]) * static_cast<size_t>(o.shape[2]))
      wrongShape(o, p, expected);
  // The regressors are the output of 4 + 2K values per box; when both are (4 classes, no keypoints), the one
  // whose name says boxes, else the first.
  auto looks_like_boxes = [](const std::string& n) {
    return n.find("regress") != std::string::npos || n.find("box") != std::string::npos ||
           n.find("loc") != std::string::npos;
  };
  size_t bi = outputs[0].shape[2] == box_values ? 0 : 1;
  if (outputs[0].shape[2] == box_values && outputs[1].shape[2] == box_values && looks_like_boxes(outputs[1].name) &&
      !looks_like_boxes(outputs[0].name))
    bi = 1;
  const OutputValues& regs = outputs[bi];
  const OutputValues& scores = outputs[1 - bi];
  if (regs.shape[2] != box_values || scores.shape[1] != regs.shape[1]) wrongShape(regs, p, expected);
  const std::vector<Anchor> anchors = ssdAnchors(p.anchors);
  const int n = regs.shape[1];
  if (static_cast<int>(anchors.size()) != n)
    badInput(regs.name, "the head has " + std::to_string(n) + " boxes but the profile's anchors are " +
                            std::to_string(anchors.size()));
  const int first_class = p.background_class ? 1 : 0;
  const int classes = scores.shape[2] - first_class;
  if (classes < 1) wrongShape(scores, p, expected);
  const float sx = p.box_scale[0], sy = p.box_scale[1], sw = p.box_scale[2], sh = p.box_scale[3];
  Candidates c;
  for (int i = 0; i < n; ++i) {
    const float* s = &scores.values[static_cast<size_t>(i) * scores.shape[2] + first_class];
    auto [cls, raw] = bestClass(s, classes, 1);
    float score = raw;
    if (p.sigmoid_scores) {
      if (p.score_clipping > 0) score = std::min(std::max(score, -p.score_clipping), p.score_clipping);
      score = 1.0f / (1.0f + std::exp(-score));
    }
    if (!(score >= p.score_threshold)) continue;
    const float* r = &regs.values[static_cast<size_t>(i) * box_values];
    const Anchor& a = anchors[static_cast<size_t>(i)];
    const bool tf = p.box_coder == BoxCoder::TfObjectDetection;  // y, x, h, w with exponential sizes
    const float vx = tf ? r[1] : r[0], vy = tf ? r[0] : r[1], vw = tf ? r[3] : r[2], vh = tf ? r[2] : r[3];
    const float cx = vx / sx * a.w + a.x_center, cy = vy / sy * a.h + a.y_center;
    const float w = tf ? std::exp(vw / sw) * a.w : vw / sw * a.w, h = tf ? std::exp(vh / sh) * a.h : vh / sh * a.h;
    c.add(fromCenter(cx, cy, w, h), score, cls);
    std::vector<float> kp(static_cast<size_t>(2 * p.num_keypoints));
    for (int k = 0; k < p.num_keypoints; ++k) {
      kp[2 * k] = r[4 + 2 * k] / sx * a.w + a.x_center;
      kp[2 * k + 1] = r[4 + 2 * k + 1] / sy * a.h + a.y_center;
    }
    c.keypoints.push_back(std::move(kp));
  }
  return c;
}

Detection toOriginal(const Box& b, float score, int cls, const std::vector<float>& keypoints,
                     const LetterboxTransform& t) {
  Detection d;
  d.ymin = static_cast<float>(t.originalY(b.ymin));
  d.xmin = static_cast<float>(t.originalX(b.xmin));
  d.ymax = static_cast<float>(t.originalY(b.ymax));
  d.xmax = static_cast<float>(t.originalX(b.xmax));
  d.score = score;
  d.cls = cls;
  for (size_t k = 0; k + 1 < keypoints.size(); k += 2)
    d.keypoints.push_back({static_cast<float>(t.originalX(keypoints[k])), static_cast<float>(t.originalY(keypoints[k + 1]))});
  return d;
}

std::vector<Detection> suppress(const DetectorProfile& p, const Candidates& c, const LetterboxTransform& t) {
  NmsOptions o;
  o.score_threshold = p.score_threshold;
  o.iou_threshold = p.iou;
  o.max_detections = p.max_detections;
  if (!p.class_agnostic) o.classes = c.classes;
  auto keypoints_of = [&](int i) { return c.keypoints.empty() ? std::vector<float>{} : c.keypoints[static_cast<size_t>(i)]; };
  std::vector<Detection> out;
  if (p.nms == NmsKind::Hard) {
    for (int i : hardNms(c.boxes, c.scores, o))
      out.push_back(toOriginal(c.boxes[static_cast<size_t>(i)], c.scores[static_cast<size_t>(i)],
                               c.classes[static_cast<size_t>(i)], keypoints_of(i), t));
    return out;
  }
  // Weighted: corners and keypoints blended over each cluster; the best box's score and class.
  std::vector<std::vector<float>> values(c.boxes.size());
  for (size_t i = 0; i < c.boxes.size(); ++i) {
    const Box& b = c.boxes[i];
    values[i] = {b.ymin, b.xmin, b.ymax, b.xmax};
    const std::vector<float> kp = keypoints_of(static_cast<int>(i));
    values[i].insert(values[i].end(), kp.begin(), kp.end());
  }
  for (const std::vector<int>& cluster : weightedNmsClusters(c.boxes, c.scores, o)) {
    const std::vector<float> v = blendCluster(cluster, c.scores, values);
    const size_t best = static_cast<size_t>(cluster[0]);
    out.push_back(toOriginal({v[0], v[1], v[2], v[3]}, c.scores[best], c.classes[best],
                             std::vector<float>(v.begin() + 4, v.end()), t));
  }
  return out;
}

}  // namespace

std::vector<Detection> decodeDetections(const DetectorProfile& p, const std::vector<OutputValues>& outputs,
                                        const LetterboxTransform& t) {
  switch (p.kind) {
    case HeadKind::DetectionPostProcess: {
      if (outputs.size() != 4) badInput("", "TFLite_Detection_PostProcess has 4 outputs");
      std::vector<Detection> dets = detectionsFromValues(outputs[0].values, outputs[1].values, outputs[2].values,
                                                         outputs[3].values, p.score_threshold, {});
      for (Detection& d : dets) d = toOriginal({d.ymin, d.xmin, d.ymax, d.xmax}, d.score, d.cls, {}, t);
      return dets;
    }
    case HeadKind::SsdAnchors: return suppress(p, ssdAnchorsHead(p, outputs), t);
    case HeadKind::YoloV8: return suppress(p, yoloV8(p, outputs), t);
    case HeadKind::YoloV5: return suppress(p, yoloV5(p, outputs), t);
    case HeadKind::YoloEnd2End: {
      const Candidates c = yoloEnd2End(p, outputs);
      std::vector<Detection> out;
      for (size_t i = 0; i < c.boxes.size() && out.size() < static_cast<size_t>(std::max(p.max_detections, 0)); ++i)
        out.push_back(toOriginal(c.boxes[i], c.scores[i], c.classes[i], {}, t));
      return out;
    }
  }
  return {};
}

std::vector<OutputValues> detectorOutputs(const Interpreter& interp, const DetectorProfile& p) {
  std::vector<int32_t> tensors(interp.outputs().begin(), interp.outputs().end());
  if (p.kind == HeadKind::DetectionPostProcess) {
    const int op = detectionPostProcessOp(interp.model());
    if (op < 0) unsupported(interp.model().path, "the model has no TFLite_Detection_PostProcess op");
    tensors = interp.model().subgraphs[0].ops[static_cast<size_t>(op)].outputs;
    if (tensors.size() != 4 || std::any_of(tensors.begin(), tensors.end(), [](int32_t t) { return t < 0; }))
      badInput(interp.model().path, "TFLite_Detection_PostProcess must have 4 outputs");
  }
  std::vector<OutputValues> out;
  for (int32_t index : tensors) {
    const RuntimeTensor& t = interp.tensor(index);
    out.push_back({t.name(), t.shape(), realValues(t.type(), t.shape(), t.quant(), t.raw(), t.bytes())});
  }
  return out;
}

}  // namespace ql
