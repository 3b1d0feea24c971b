// Evaluation of one or more models on the same images: against annotations (detectors: COCO mAP; classifiers:
// top-1/top-5; segmenters: mean IoU), and against the first model as ground truth ("agreement": for detectors
// AP@[.5:.95] against its detections of score >= 0.5, top-1 agreement, mask IoU), with per-image results so the
// images where quantization hurts most can be found.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "analysis/evaluation/class_mapping.h"
#include "analysis/evaluation/dataset.h"
#include "analysis/evaluation/prediction.h"
#include "util/progress.h"

namespace ql {

constexpr float kAgreementScore = 0.5f;  // the first model's detections that count as ground truth

struct ClassResult {
  int64_t cls = 0;  // the category id as the annotations give it (the model class for agreement)
  std::string label;
  double value = -1;              // AP@[.5:.95] / top-1 accuracy / IoU; -1 when it has no ground truth
  size_t count = 0;               // ground truth boxes, images or pixels
  std::vector<double> precision;  // detection: interpolated precision at IoU .5 on 101 recall points (PR curve)
};

struct ImageResult {
  std::string file;
  int width = 0, height = 0;
  Prediction prediction;  // detections labelled with the model's labels; masks are dropped once measured
  double score = -1;      // against the annotations: AP@[.5:.95], top-1 correct (1/0), mean IoU; -1: none
  double agreement = -1;  // against the first model (same measures); -1 for the first model itself
};

struct ModelResult {
  std::string model;
  ModelTask task = ModelTask::Detection;
  std::vector<std::pair<std::string, double>> metrics;  // "map", "map50", ..., "agreement": those that apply
  std::string per_class_metric;                         // "ap", "accuracy" or "iou"
  std::vector<ClassResult> per_class;
  std::vector<ImageResult> images;
  std::vector<std::string> notes;  // what a reader must know (classes left out by the mapping ...)
};

struct EvaluationResult {
  std::string annotations;           // empty without annotations
  std::vector<std::string> missing;  // listed in the annotations, absent on disk: left out
  std::vector<ModelResult> models;
};

struct EvaluationInputs {
  const Dataset* dataset = nullptr;    // null: agreement with the first model only
  std::vector<std::string> images;     // without a dataset: the images to run on
  std::vector<ClassMapping> mappings;  // with a dataset: one per model
};

// Runs every model on each image in turn (progress per model and image), then measures; segmenters are
// measured image by image so their masks need not be kept. Throws BadInput when a model's task does
// not fit the annotations (boxes need a detector ...), Cancelled when progress asks to stop.
EvaluationResult evaluateModels(const std::vector<EvaluatedModel>& models, const EvaluationInputs& inputs,
                                Progress& progress);

// The mapping a model gets: from a `--class-map` file when given, else by label name. Throws BadInput when no
// model class maps to any category (and says how to give one).
ClassMapping classMappingFor(const EvaluatedModel& model, const Dataset& dataset, const std::string& class_map_file);

// Label maps read without class names: their values are the classes of `model` (categories 0..C-1 without a
// name, which the mapping takes as the model's classes of those numbers). Other datasets are left as they are.
void numberUnnamedLabelMapClasses(Dataset& dataset, const EvaluatedModel& model);

}  // namespace ql
