// Detection comparisons as JSON (the serialization edge: `debug --json`, the CLI):
//   {"matched": [{"first": i, "second": j, "iou": .., "score_shift": ..}], "moved": [same], "missed": [i..],
//    "extra": [j..], "class_changed": [{"first": i, "second": j, "iou": ..}]}
#pragma once

#include <nlohmann/json.hpp>

#include "analysis/detection/comparison.h"
#include "analysis/detection/detector_run.h"

namespace ql {

nlohmann::json detectionComparisonToJson(const DetectionComparison& c);

// One input of `debug --json`'s "detections": {"input": .., "float": [detections], "quantized": [detections],
// then the comparison's fields}; boxes as `detect --json` writes them.
nlohmann::json detectorComparisonRunToJson(const DetectorComparisonRun& run, const std::string& input);

}  // namespace ql
