#include "analysis/evaluation/interpreter_predictor.h"

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

}  // namespace

ModelTask modelTask(const Model& model) {
  if (detectionPostProcessOp(model) >= 0) return ModelTask::Detection;
  const Tensor& out = firstOutput(model);
  const auto& s = out.shape;
  if (s.size() == 3 && s[0] == 1 && s[1] > 1 && s[2] > 1 &&
      (out.type == DType::Int64 || out.type == DType::Int32 || out.type == DType::UInt8))
    return ModelTask::Segmentation;
  if (s.size() == 4 && s[0] == 1 && s[1] > 1 && s[2] > 1 && s[3] > 1) return ModelTask::Segmentation;
  if ((s.size() == 2 && s[0] == 1 && s[1] > 1) || (s.size() == 4 && s[0] == 1 && s[1] == 1 && s[2] == 1 && s[3] > 1))
    return ModelTask::Classification;
  unsupported(model.path,
              "evaluate takes detectors ending in TFLite_Detection_PostProcess, classifiers ([1,C] "
              "scores) and segmenters ([1,H,W] classes or [1,H,W,C] scores)");
}

EvaluatedModel interpreterModel(std::shared_ptr<const Model> model, InputMaker make_input,
                                std::vector<std::string> labels) {
  EvaluatedModel m;
  m.name = model->path;
  m.task = modelTask(*model);
  const Tensor& out = firstOutput(*model);
  m.class_count = m.task == ModelTask::Detection                               ? detectionClassCount(*model)
                  : m.task == ModelTask::Segmentation && out.shape.size() == 4 ? out.shape[3]
                  : m.task == ModelTask::Classification                        ? out.shape.back()
                                                                               : 0;
  m.labels = alignLabelsToClasses(std::move(labels), m.class_count);
  auto interp = std::make_shared<Interpreter>(*model);
  if (interp->inputs().size() != 1) unsupported(model->path, "evaluate takes models with one image input");
  const ModelTask task = m.task;
  // The interpreter refers to the model: the predictor keeps both alive.
  m.predict = [model, interp, make_input, task](const std::string& image) {
    std::vector<uint8_t> input = make_input(image, interp->input(0));
    interp->setInput(0, input.data(), input.size());
    interp->invoke();
    Prediction p;
    switch (task) {
      case ModelTask::Detection: p.detections = readDetections(*interp, kEvaluationScoreFloor, {}); break;
      case ModelTask::Classification: p.top5 = topFiveScores(realValuesOf(interp->output(0))); break;
      case ModelTask::Segmentation: classMap(interp->output(0), p); break;
    }
    return p;
  };
  return m;
}

}  // namespace ql
