#include "analysis/evaluation/interpreter_predictor.h"

#include <algorithm>
#include <optional>

#include "analysis/detection/detector_run.h"
#include "analysis/image_run.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql {

const char* modelTaskName(ModelTask t) {
  switch (t) {
    case ModelTask::Detection: return "detection";
    case ModelTask::Classification: return "classification";
    case ModelTask::Segmentation: return "segmentation";
  }
  return "?";
}

namespace {

const Tensor& firstOutput(const Model& model) {
  const Subgraph& sg = model.subgraphs.at(0);
  if (sg.outputs.empty()) unsupported(model.path, "the model has no output");
  return sg.tensors.at(static_cast<size_t>(sg.outputs[0]));
}

std::vector<float> realValuesOf(const RuntimeTensor& t) {
  return realValues(t.type(), t.shape(), t.quant(), t.raw(), t.bytes());
}

// [1,H,W] holds classes; [1,H,W,C] scores per class.
void classMap(const RuntimeTensor& t, Prediction& p) {
  p.mask = classMapOf(realValuesOf(t), t.shape(), &p.mask_width, &p.mask_height);
}

// A [1,H,W] map of class numbers: integers without quantization (a quantized detector head's integers are
// scores, not classes).
bool isClassMap(const Tensor& out) {
  const auto& s = out.shape;
  return s.size() == 3 && s[0] == 1 && s[1] > 1 && s[2] > 1 &&
         (out.type == DType::Int64 || out.type == DType::Int32 || out.type == DType::UInt8) && out.quant.scale.empty();
}

// The detector profile evaluation decodes with: the head's own, with COCO's limits for what is kept.
std::optional<DetectorProfile> evaluationProfile(const Model& model) {
  if (isClassMap(firstOutput(model))) return std::nullopt;
  std::optional<DetectorProfile> p = recognizedDetectorProfile(model);
  if (!p) return std::nullopt;
  p->score_threshold = kEvaluationScoreFloor;
  p->max_detections = kEvaluationMaxDetections;
  return p;
}

// Letterboxed images give boxes that reach into the padding, beyond the image: cut at its border as Ultralytics
// does before it evaluates. Stretched inputs keep the boxes as the model gives them (TFLite_Detection_PostProcess
// does not clip, nor does pycocotools).
void clipToImage(std::vector<Detection>& detections) {
  auto unit = [](float& v) { v = std::min(1.0f, std::max(0.0f, v)); };
  for (Detection& d : detections) {
    unit(d.ymin);
    unit(d.xmin);
    unit(d.ymax);
    unit(d.xmax);
  }
}

}  // namespace

ModelTask modelTask(const Model& model) {
  if (evaluationProfile(model)) return ModelTask::Detection;
  const Tensor& out = firstOutput(model);
  const auto& s = out.shape;
  if (isClassMap(out)) return ModelTask::Segmentation;
  if (s.size() == 4 && s[0] == 1 && s[1] > 1 && s[2] > 1 && s[3] > 1) return ModelTask::Segmentation;
  if ((s.size() == 2 && s[0] == 1 && s[1] > 1) || (s.size() == 4 && s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] > 1))
    return ModelTask::Classification;
  unsupported(model.path,
              "evaluate takes detectors (TFLite_Detection_PostProcess, YOLO [1,4+C,N] or [1,K,6], BlazeFace), "
              "classifiers ([1,C] scores) and segmenters ([1,H,W] classes or [1,H,W,C] scores)");
}

EvaluatedModel interpreterModel(std::shared_ptr<const Model> model, const PreprocessChoice& preprocess,
                                std::vector<std::string> labels) {
  EvaluatedModel m;
  m.name = model->path;
  m.task = modelTask(*model);
  const std::optional<DetectorProfile> profile = evaluationProfile(*model);
  const Tensor& out = firstOutput(*model);
  m.class_count = profile                                                      ? profileClassCount(*profile, *model)
                  : m.task == ModelTask::Segmentation && out.shape.size() == 4 ? out.shape[3]
                  : m.task == ModelTask::Classification                        ? out.shape.back()
                                                                               : 0;
  m.labels = alignLabelsToClasses(std::move(labels), m.class_count);
  auto interp = std::make_shared<Interpreter>(*model);
  if (interp->inputs().size() != 1) unsupported(model->path, "evaluate takes models with one image input");
  const PreprocessOptions pre = preprocess(profile ? profile->preprocess : PreprocessOptions{});
  const InputSpec spec = inputSpecOf(interp->subgraph().tensors.at(static_cast<size_t>(interp->inputs()[0])));
  const ModelTask task = m.task;
  // The interpreter refers to the model: the predictor keeps both alive.
  m.predict = [model, interp, pre, spec, profile, task](const std::string& image) {
    const PreparedInput input = loadModelInput(image, spec, pre);
    interp->setInput(0, input.bytes.data(), input.bytes.size());
    interp->invoke();
    Prediction p;
    switch (task) {
      case ModelTask::Detection:
        p.detections = decodeInterpreterDetections(*interp, *profile, input.transform);
        if (pre.resize == ResizeMode::Letterbox) clipToImage(p.detections);
        break;
      case ModelTask::Classification: p.top5 = topFiveScores(realValuesOf(interp->output(0))); break;
      case ModelTask::Segmentation: classMap(interp->output(0), p); break;
    }
    return p;
  };
  return m;
}

}  // namespace ql
