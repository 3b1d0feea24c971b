// Detector profiles as JSON (`detect --decoder FILE`):
//   {"kind": "detection_postprocess" | "ssd_anchors" | "yolo_v8" | "yolo_v5" | "yolo_end2end",
//    "mean": [..], "std": [..], "resize": "stretch" | "letterbox", "pad": [r, g, b], "score_threshold": ..,
//    "iou": .., "nms": "hard" | "weighted", "class_agnostic": false, "max_detections": 100,
//    "anchors": {MediaPipe SsdAnchorsCalculator fields: num_layers, min_scale, max_scale, input_size_width,
//                input_size_height, anchor_offset_x, anchor_offset_y, strides, aspect_ratios, fixed_anchor_size,
//                interpolated_scale_aspect_ratio, reduce_boxes_in_lowest_layer, feature_map_width,
//                feature_map_height},
//    "box_scale": [x, y, w, h],
//    and for SSD heads "box_coder": "mediapipe" | "tf_object_detection", "num_keypoints", "sigmoid_scores",
//    "score_clipping", "background_class"}
// Only "kind" is required; every other field starts from the kind's defaults (defaultProfile).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/detection/detector_profile.h"

namespace ql {

// Throws BadInput naming `where` (the file) and the field for anything that does not fit.
DetectorProfile detectorProfileFromJson(const nlohmann::json& j, const std::string& where);
DetectorProfile readDetectorProfile(const std::string& path);
nlohmann::json detectorProfileToJson(const DetectorProfile& p);

}  // namespace ql
