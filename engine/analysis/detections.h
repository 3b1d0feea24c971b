// Detections as plain values: read from the four outputs of TFLite_Detection_PostProcess (dequantized when they
// are quantized), boxes normalized to [0, 1] as (ymin, xmin, ymax, xmax).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/interpreter.h"

namespace ql {

struct Detection {
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  int cls = 0;
  std::string label;
  float score = 0;
};

// The index of the model's TFLite_Detection_PostProcess op, or -1.
int detectionPostProcessOp(const Model& model);

// After invoke(): every detection at or above `threshold`, labelled from `labels` when it names the class.
std::vector<Detection> readDetections(const Interpreter& interp, float threshold,
                                      const std::vector<std::string>& labels);

float intersectionOverUnion(const Detection& a, const Detection& b);
nlohmann::json detectionToJson(const Detection& d);

}  // namespace ql
