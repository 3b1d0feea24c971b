// A model run by quantlens's interpreter as an EvaluatedModel: the task from its outputs (a
// TFLite_Detection_PostProcess op: detection; a [1,H,W] class map or [1,H,W,C] scores: segmentation; [1,C] or
// [1,1,1,C] scores: classification), one interpreter kept for every image.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analysis/evaluation/prediction.h"
#include "model/graph.h"
#include "runtime/tensor.h"

namespace ql {

// The bytes of the model's image input for an image file (decode, resize, normalize, quantize).
using InputMaker = std::function<std::vector<uint8_t>(const std::string& image_path, const RuntimeTensor& input)>;

// Every detection the model gives down to this score is evaluated (COCO's protocol).
constexpr float kEvaluationScoreFloor = 0.001f;

// Throws Unsupported when the model is none of the three kinds or has more than one input.
EvaluatedModel interpreterModel(std::shared_ptr<const Model> model, InputMaker make_input,
                                std::vector<std::string> labels);

// The task a model's outputs say it does; throws Unsupported naming the model otherwise.
ModelTask modelTask(const Model& model);

}  // namespace ql
