// A model run by quantlens's interpreter as an EvaluatedModel: the task from its outputs (a detector head the
// engine's detector module recognizes: detection; a [1,H,W] class map or [1,H,W,C] scores: segmentation; [1,C]
// or [1,1,1,C] scores: classification), one interpreter kept for every image. Detectors are decoded by their
// profile (detector_profile.h) as `detect` decodes them, with COCO's evaluation limits in place of its
// reporting threshold.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analysis/evaluation/prediction.h"
#include "model/graph.h"
#include "runtime/tensor.h"
#include "vision/preprocess.h"

namespace ql {

// The preprocessing a model's images get, given the model's own defaults (a detector's profile: Ultralytics'
// letterbox and [0, 1] for YOLO, MediaPipe's for BlazeFace; [-1, 1] stretched otherwise): the caller puts the
// flags the user gave over them.
using PreprocessChoice = std::function<PreprocessOptions(const PreprocessOptions& model_defaults)>;

// Every detection the model gives down to this score is evaluated (COCO's protocol), at most this many per image
// (COCO's maxDets).
constexpr float kEvaluationScoreFloor = 0.001f;
constexpr int kEvaluationMaxDetections = 100;

// Throws Unsupported when the model is none of the three kinds or has more than one input.
EvaluatedModel interpreterModel(std::shared_ptr<const Model> model, const PreprocessChoice& preprocess,
                                std::vector<std::string> labels);

// The task a model's outputs say it does; throws Unsupported naming the model otherwise.
ModelTask modelTask(const Model& model);

}  // namespace ql
