#include "analysis/detection/detector_profile.h"

#include "analysis/detections.h"
#include "analysis/labels.h"
#include "util/error.h"

namespace ql {

namespace {

constexpr int kBlazeFaceKeypoints = 6;

const std::vector<int32_t>& outputShape(const Model& model, size_t i) {
  const Subgraph& sg = model.subgraphs[0];
  return sg.tensors.at(static_cast<size_t>(sg.outputs.at(i))).shape;
}

bool isRank3Batch1(const std::vector<int32_t>& s) { return s.size() == 3 && s[0] == 1 && s[1] > 0 && s[2] > 0; }

// BlazeFace: regressors [1,N,16] and classificators [1,N,1] on a square 128 or 192 input.
std::optional<DetectorProfile> blazeFaceProfile(const Model& model) {
  const Subgraph& sg = model.subgraphs[0];
  if (sg.outputs.size() != 2 || sg.inputs.size() != 1) return std::nullopt;
  const std::vector<int32_t>& a = outputShape(model, 0);
  const std::vector<int32_t>& b = outputShape(model, 1);
  if (!isRank3Batch1(a) || !isRank3Batch1(b) || a[1] != b[1]) return std::nullopt;
  const bool boxes_first = a[2] == 4 + 2 * kBlazeFaceKeypoints && b[2] == 1;
  const bool boxes_second = b[2] == 4 + 2 * kBlazeFaceKeypoints && a[2] == 1;
  if (!boxes_first && !boxes_second) return std::nullopt;
  const std::vector<int32_t>& in = sg.tensors.at(static_cast<size_t>(sg.inputs[0])).shape;
  if (in.size() != 4 || in[1] != in[2]) return std::nullopt;
  DetectorProfile p = defaultProfile(HeadKind::SsdAnchors);
  if (in[1] == 128 && a[1] == 896) p.anchors = blazeFaceShortRangeAnchors();
  else if (in[1] == 192 && a[1] == 2304) p.anchors = blazeFaceFullRangeAnchors();
  else return std::nullopt;
  const float size = static_cast<float>(in[1]);
  p.box_scale = {size, size, size, size};
  return p;
}

// What the exporters' metadata says of a [1, N, 4|5 + C] head: YOLOv5's export.py zips a meta.txt holding
// "{'stride': 32, 'names': {...}}" into the model; Ultralytics' exporter (v8 and later, whose heads are all
// [1, 4 + C, N]-style, also when transposed) writes metadata.json or temp_meta.txt naming "Ultralytics".
std::optional<HeadKind> headKindFromMetadata(const Model& model) {
  for (const ZipEntry& z : zipEntriesOf(model)) {
    if ((z.name == "metadata.json" || z.name == "temp_meta.txt") && z.data.find("Ultralytics") != std::string::npos)
      return HeadKind::YoloV8;
    if (z.name == "meta.txt" && z.data.find("'stride'") != std::string::npos &&
        z.data.find("'names'") != std::string::npos)
      return HeadKind::YoloV5;
  }
  return std::nullopt;
}

}  // namespace

const char* headKindName(HeadKind k) {
  switch (k) {
    case HeadKind::DetectionPostProcess: return "detection_postprocess";
    case HeadKind::SsdAnchors: return "ssd_anchors";
    case HeadKind::YoloV8: return "yolo_v8";
    case HeadKind::YoloV5: return "yolo_v5";
    case HeadKind::YoloEnd2End: return "yolo_end2end";
  }
  return "?";
}

std::optional<HeadKind> headKindFromName(const std::string& name) {
  for (HeadKind k : {HeadKind::DetectionPostProcess, HeadKind::SsdAnchors, HeadKind::YoloV8, HeadKind::YoloV5,
                     HeadKind::YoloEnd2End})
    if (name == headKindName(k)) return k;
  return std::nullopt;
}

const char* nmsKindName(NmsKind k) { return k == NmsKind::Weighted ? "weighted" : "hard"; }
const char* boxCoderName(BoxCoder c) { return c == BoxCoder::TfObjectDetection ? "tf_object_detection" : "mediapipe"; }

DetectorProfile defaultProfile(HeadKind kind) {
  DetectorProfile p;
  p.kind = kind;
  switch (kind) {
    case HeadKind::DetectionPostProcess:
      // What `detect` always did: [-1, 1] input stretched to the model's size, reported from score 0.3.
      p.score_threshold = 0.3f;
      break;
    case HeadKind::SsdAnchors:
      // MediaPipe's face detection graph: [-1, 1] input letterboxed with black, scores >= 0.5, blended boxes.
      p.preprocess.resize = ResizeMode::Letterbox;
      p.preprocess.pad = {0, 0, 0};
      p.score_threshold = 0.5f;
      p.iou = 0.3f;
      p.nms = NmsKind::Weighted;
      p.num_keypoints = kBlazeFaceKeypoints;
      p.box_scale = {128, 128, 128, 128};
      break;
    case HeadKind::YoloV8:
    case HeadKind::YoloV5:
    case HeadKind::YoloEnd2End:
      // Ultralytics: [0, 1] input letterboxed with grey 114, conf 0.25, IoU 0.7.
      p.preprocess.norm = {{0.0f}, {255.0f}};
      p.preprocess.resize = ResizeMode::Letterbox;
      break;
  }
  return p;
}

DetectorProfile profileFor(const Model& model) {
  if (model.subgraphs.empty()) unsupported(model.path, "the model has no subgraph");
  if (detectionPostProcessOp(model) >= 0) return defaultProfile(HeadKind::DetectionPostProcess);
  if (std::optional<DetectorProfile> face = blazeFaceProfile(model)) return *face;
  const Subgraph& sg = model.subgraphs[0];
  const std::string none =
      "the model has no TFLite_Detection_PostProcess op and no output quantlens recognizes as a detector head "
      "(YOLO [1,4+C,N] or [1,K,6], BlazeFace regressors and classificators): give --decoder FILE with its profile";
  if (sg.outputs.size() != 1) unsupported(model.path, none);
  const std::vector<int32_t>& s = outputShape(model, 0);
  if (!isRank3Batch1(s)) unsupported(model.path, none);
  if (s[1] >= 5 && s[1] < s[2]) return defaultProfile(HeadKind::YoloV8);
  if (s[2] == 6) return defaultProfile(HeadKind::YoloEnd2End);
  if (std::optional<HeadKind> said = headKindFromMetadata(model)) return defaultProfile(*said);
  if (s[2] >= 6)
    unsupported(model.path, "the output " + shapeText(s) +
                                " may be YOLO v5 [1,N,5+C] or a YOLO v8 head laid out [1,N,4+C]; the shapes are alike "
                                "and the model's metadata does not say: give --decoder FILE with \"kind\": "
                                "\"yolo_v5\" or \"yolo_v8\"");
  unsupported(model.path, none);
}

int profileClassCount(const DetectorProfile& p, const Model& model) {
  if (p.kind == HeadKind::DetectionPostProcess) return detectionClassCount(model);
  if (model.subgraphs.empty() || model.subgraphs[0].outputs.empty()) return -1;
  const Subgraph& sg = model.subgraphs[0];
  if (p.kind == HeadKind::SsdAnchors) {
    // The score output is the one whose last dimension is not the regressors'.
    const int box_values = 4 + 2 * p.num_keypoints;
    for (size_t i = 0; i < sg.outputs.size(); ++i) {
      const std::vector<int32_t>& s = outputShape(model, i);
      if (isRank3Batch1(s) && s[2] != box_values) return s[2] - (p.background_class ? 1 : 0);
    }
    return -1;
  }
  const std::vector<int32_t>& s = outputShape(model, 0);
  if (!isRank3Batch1(s)) return -1;
  if (p.kind == HeadKind::YoloV8) return (s[1] < s[2] ? s[1] : s[2]) - 4;
  if (p.kind == HeadKind::YoloV5) return s[2] - 5;
  return -1;
}

}  // namespace ql
