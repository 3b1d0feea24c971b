// What it takes to turn a detector's outputs into boxes: the head's kind, its preprocessing, its thresholds and
// NMS, and for raw SSD heads the anchors and box coder. Chosen from the model's outputs (profileFor) or read
// from a JSON file (detector_profile_json.h); command-line flags override single fields.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "analysis/detection/ssd_anchors.h"
#include "model/graph.h"
#include "vision/preprocess.h"

namespace ql {

enum class HeadKind {
  DetectionPostProcess,  // the four outputs of TFLite_Detection_PostProcess (its own NMS ran)
  SsdAnchors,            // raw SSD head: box regressors [1,N,4(+2K)] and class scores [1,N,C] against anchors
  YoloV8,                // [1, 4 + C, N]: cx, cy, w, h normalized to the input, then C class scores
  YoloV5,                // [1, N, 5 + C]: cx, cy, w, h, objectness, C class scores (score = objectness x class)
  YoloEnd2End,           // [1, K, 6]: x1, y1, x2, y2, score, class (NMS already ran)
};
const char* headKindName(HeadKind k);  // "detection_postprocess", "ssd_anchors", "yolo_v8", "yolo_v5", "yolo_end2end"
std::optional<HeadKind> headKindFromName(const std::string& name);

enum class NmsKind { Hard, Weighted };
const char* nmsKindName(NmsKind k);  // "hard", "weighted"

// How raw SSD regressors encode a box against its anchor (scales are box_scale):
//  MediaPipe: x, y, w, h (then keypoints x, y), centre = value / scale * anchor size + anchor centre,
//             size = value / scale * anchor size;
//  TfObjectDetection (the TF Object Detection API's FasterRcnnBoxCoder): y, x, h, w,
//             size = exp(value / scale) * anchor size.
enum class BoxCoder { MediaPipe, TfObjectDetection };
const char* boxCoderName(BoxCoder c);  // "mediapipe", "tf_object_detection"

struct DetectorProfile {
  HeadKind kind = HeadKind::YoloV8;
  PreprocessOptions preprocess;
  float score_threshold = 0.25f;  // detections score >= this
  float iou = 0.7f;               // NMS suppression IoU (a box goes when IoU > this)
  NmsKind nms = NmsKind::Hard;
  bool class_agnostic = false;
  int max_detections = 100;
  // Divisors of the four box values in the order x, y, w, h: SSD regressors' scales (the input size for
  // MediaPipe, 10, 10, 5, 5 for the TF OD API); 1 for YOLO heads whose boxes are already normalized (the input
  // size when they are in pixels).
  std::array<float, 4> box_scale{1, 1, 1, 1};
  // SSD heads only.
  SsdAnchorOptions anchors;
  BoxCoder box_coder = BoxCoder::MediaPipe;
  int num_keypoints = 0;          // x, y pairs after the 4 box values
  bool sigmoid_scores = true;     // raw logits: clipped to +-score_clipping, then through a sigmoid
  float score_clipping = 100.0f;  // 0: no clipping
  bool background_class = false;  // the first score column is the background, not a class
};

// The defaults of a head kind: YOLO heads [0, 1] input (mean 0, std 255), letterbox grey 114, hard NMS IoU 0.7,
// score 0.25 (Ultralytics'); MediaPipe SSD heads [-1, 1] input, letterbox black, weighted NMS IoU 0.3, score 0.5,
// BlazeFace short-range anchors; TFLite_Detection_PostProcess: [-1, 1] stretched, score 0.3.
DetectorProfile defaultProfile(HeadKind kind);

// The profile of a model's head, chosen from its ops, outputs and input size: TFLite_Detection_PostProcess;
// BlazeFace short/full range (two outputs [1,896|2304,16] and [1,896|2304,1] on a 128|192 input); [1, 4+C, N]
// with N > 4+C is YOLO v8; [1, K, 6] is end-to-end; [1, N, 4|5+C] is v5 or v8 as the exporter's metadata says
// (YOLOv5's meta.txt, Ultralytics' metadata.json). Throws Unsupported naming --decoder for what it cannot tell,
// among them [1, N, 4+C] / [1, N, 5+C] without such metadata (the shapes are alike).
DetectorProfile profileFor(const Model& model);

// The number of classes the head reports (for labels), or -1 when the outputs do not say.
int profileClassCount(const DetectorProfile& profile, const Model& model);

}  // namespace ql
