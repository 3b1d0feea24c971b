// What evaluation needs from a model, behind one function "image -> prediction", so any decoder (the
// detector module's heads) and any way of running a model plug in.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/detections.h"

namespace ql {

enum class ModelTask { Detection, Classification, Segmentation };
const char* modelTaskName(ModelTask t);

struct Prediction {
  std::vector<Detection> detections;        // Detection: boxes normalized to the original image, every score kept
  std::vector<std::pair<int, float>> top5;  // Classification: (class, score), best first
  std::vector<int32_t> mask;                // Segmentation: class per pixel, rows of mask_width, over the image
  int mask_width = 0, mask_height = 0;
};

using Predictor = std::function<Prediction(const std::string& image_path)>;

struct EvaluatedModel {
  std::string name;  // the model file, as reports name it
  ModelTask task = ModelTask::Detection;
  std::vector<std::string> labels;  // labels[i] names class i; may be shorter than the class count, or empty
  int class_count = 0;
  Predictor predict;
};

}  // namespace ql
