// Detections as plain values, read from the four outputs of TFLite_Detection_PostProcess (boxes [1,M,4],
// classes [1,M], scores [1,M], count [1]; dequantized when a model stores them quantized). Boxes are normalized to
// [0, 1] of the input image as (ymin, xmin, ymax, xmax); classes are 0-based without the background.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/labels.h"
#include "runtime/interpreter.h"

namespace ql {

struct Detection {
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  int cls = 0;
  std::string label;  // empty when no label names the class
  float score = 0;
  std::vector<std::array<float, 2>> keypoints;  // (x, y) normalized to the image, where the head has them
};

// The index of the model's (last) TFLite_Detection_PostProcess op in subgraph 0, or -1.
int detectionPostProcessOp(const Model& model);

// The op's num_classes option, or -1 when the model has no such op or option.
int detectionClassCount(const Model& model);

// The first `count` detections of the four output tensors whose score is >= threshold, in output order,
// labelled from `labels` (labels[i] names class i) where it names the class. Throws BadInput for tensors whose
// sizes do not fit together.
std::vector<Detection> detectionsFromOutputs(const RuntimeTensor& boxes, const RuntimeTensor& classes,
                                             const RuntimeTensor& scores, const RuntimeTensor& count, float threshold,
                                             const std::vector<std::string>& labels);

// The same from the four outputs' real values.
std::vector<Detection> detectionsFromValues(const std::vector<float>& boxes, const std::vector<float>& classes,
                                            const std::vector<float>& scores, const std::vector<float>& count,
                                            float threshold, const std::vector<std::string>& labels);

// After invoke(): the detections of the model's TFLite_Detection_PostProcess op (Unsupported when it has none).
std::vector<Detection> readDetections(const Interpreter& interp, float threshold,
                                      const std::vector<std::string>& labels);

// Labels detections from `labels` (labels[i] names class i) where it names their class.
void labelDetections(std::vector<Detection>& detections, const std::vector<std::string>& labels);

float intersectionOverUnion(const Detection& a, const Detection& b);
// {"box": [ymin, xmin, ymax, xmax], "class": c, "label": "...", "score": s}, plus "box_px" (the box in pixels)
// when the image size is given and "keypoints" [[x, y], ...] when the detection has them.
nlohmann::json detectionToJson(const Detection& d, int image_width = 0, int image_height = 0);

}  // namespace ql
