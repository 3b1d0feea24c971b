// The app's image results as JSON (Images dock > Save results as JSON): one model's result on one image in the
// form `quantlens-cli detect --json` prints it ({"image", "model", "detections"}, detectors exactly that; other
// tasks {"image", "model", "task"} with "top5" or "mask", and every output's statistics), and the comparison of
// two models on one image in the form of `debug --json`'s "detections" entries ({"input", "float", "quantized",
// matched/moved/missed/extra/class_changed}) plus what the other tasks compare (top-1 rank, mask disagreement,
// output differences).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analysis/image_run.h"

namespace ql {

// Detections at or above `threshold`, boxes with pixel coordinates of the original image as `detect` writes them.
nlohmann::json imageRunToJson(const ImageRunResult& result, const std::string& image, const std::string& model,
                              float threshold);

// `first` is the reference (float), `second` the model compared with it, both at `threshold`.
nlohmann::json imageComparisonToJson(const ImageRunResult& first, const ImageRunResult& second,
                                     const std::string& image, float threshold);

}  // namespace ql
