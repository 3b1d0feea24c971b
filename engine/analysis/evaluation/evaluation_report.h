// An evaluation as JSON (everything needed to recompute the metrics: per class, per image with every detection),
// as CSV (one row per model and metric), and as a text table with one column per model.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/evaluation/evaluation.h"

namespace ql {

// {"annotations", "missing_images", "models": [{"model", "task", "metrics": {...}, "per_class": [{"class",
// "label", "ap"|"accuracy"|"iou", "count", "precision"}], "images": [{"image", "width", "height", "detections" |
// "top5" | "mask_iou", "ap" | "correct", "agreement"}], "notes"}]}. Metrics that cannot be computed are null.
nlohmann::json evaluationJson(const EvaluationResult& r, const std::vector<EvaluatedModel>& models);
// "model,metric,value" rows.
std::string evaluationCsv(const EvaluationResult& r);
// A row per metric, a column per model (its file name), then the images each later model agrees least on.
std::string evaluationTable(const EvaluationResult& r);

}  // namespace ql
