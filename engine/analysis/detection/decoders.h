// Boxes from a detector's outputs, by the head kind of its profile, in the coordinates of the original image
// (normalized to [0, 1], mapped back through the letterbox or stretch the input went through). Outputs are real
// values: quantized outputs are dequantized first (detectorOutputs does it).
#pragma once

#include <string>
#include <vector>

#include "analysis/detection/detector_profile.h"
#include "analysis/detections.h"
#include "vision/preprocess.h"

namespace ql {

struct OutputValues {
  std::string name;
  std::vector<int32_t> shape;
  std::vector<float> values;  // real values, row-major
};

// `outputs`: the model's outputs in order (for detection_postprocess: the op's four outputs). Detections come
// best first: YOLO and SSD heads after NMS (hard, class-aware unless the profile says class_agnostic, or
// weighted), at most max_detections; TFLite_Detection_PostProcess in its own order (its NMS ran; only the score
// threshold applies). Throws BadInput when the outputs do not have the shapes the kind reads.
std::vector<Detection> decodeDetections(const DetectorProfile& profile, const std::vector<OutputValues>& outputs,
                                        const LetterboxTransform& transform);

// After invoke(): the outputs decodeDetections reads, dequantized.
std::vector<OutputValues> detectorOutputs(const Interpreter& interp, const DetectorProfile& profile);

}  // namespace ql
