#include "analysis/detections.h"

#include <algorithm>
#include <cmath>

#include "analysis/detection/box_nms.h"
#include "model/options_codec.h"
#include "model/tensor_values.h"
#include "util/error.h"

namespace ql {

namespace {

std::vector<float> realValuesOf(const RuntimeTensor& t) {
  return realValues(t.type(), t.shape(), t.quant(), t.raw(), t.bytes());
}

}  // namespace

int detectionPostProcessOp(const Model& model) {
  if (model.subgraphs.empty()) return -1;
  const Subgraph& sg = model.subgraphs[0];
  for (size_t i = sg.ops.size(); i-- > 0;)
    if (model.opName(sg.ops[i]) == "TFLite_Detection_PostProcess") return static_cast<int>(i);
  return -1;
}

int detectionClassCount(const Model& model) {
  const int op = detectionPostProcessOp(model);
  if (op < 0) return -1;
  const nlohmann::json& options = model.subgraphs[0].ops[static_cast<size_t>(op)].options;
  auto it = options.find("num_classes");
  return it != options.end() && it->is_number() ? it->get<int>() : -1;
}

std::vector<Detection> detectionsFromOutputs(const RuntimeTensor& boxes_t, const RuntimeTensor& classes_t,
                                             const RuntimeTensor& scores_t, const RuntimeTensor& count_t,
                                             float threshold, const std::vector<std::string>& labels) {
  return detectionsFromValues(realValuesOf(boxes_t), realValuesOf(classes_t), realValuesOf(scores_t),
                              realValuesOf(count_t), threshold, labels);
}

std::vector<Detection> detectionsFromValues(const std::vector<float>& boxes, const std::vector<float>& classes,
                                            const std::vector<float>& scores, const std::vector<float>& count,
                                            float threshold, const std::vector<std::string>& labels) {
  if (count.empty()) badInput("", "the detection count output is empty");
  if (!(count[0] >= 0) || count[0] > static_cast<float>(scores.size()) || scores.size() != classes.size() ||
      boxes.size() != 4 * scores.size())
    badInput("", "the detection outputs do not fit together (count " + std::to_string(count[0]) + ", " +
                     std::to_string(scores.size()) + " scores, " + std::to_string(classes.size()) + " classes, " +
                     std::to_string(boxes.size()) + " box values)");
  const size_t n = static_cast<size_t>(count[0]);
  std::vector<Detection> out;
  for (size_t i = 0; i < n; ++i) {
    if (!(scores[i] >= threshold)) continue;
    Detection d;
    d.ymin = boxes[4 * i], d.xmin = boxes[4 * i + 1], d.ymax = boxes[4 * i + 2], d.xmax = boxes[4 * i + 3];
    d.cls = static_cast<int>(std::lround(classes[i]));
    d.score = scores[i];
    out.push_back(std::move(d));
  }
  labelDetections(out, labels);
  return out;
}

void labelDetections(std::vector<Detection>& detections, const std::vector<std::string>& labels) {
  for (Detection& d : detections)
    if (d.cls >= 0 && static_cast<size_t>(d.cls) < labels.size()) d.label = labels[static_cast<size_t>(d.cls)];
}

std::vector<Detection> readDetections(const Interpreter& interp, float threshold,
                                      const std::vector<std::string>& labels) {
  const Model& model = interp.model();
  const int op = detectionPostProcessOp(model);
  if (op < 0) unsupported(model.path, "the model has no TFLite_Detection_PostProcess op");
  const Op& pp = model.subgraphs[0].ops[static_cast<size_t>(op)];
  if (pp.outputs.size() != 4 || std::any_of(pp.outputs.begin(), pp.outputs.end(), [](int32_t t) { return t < 0; }))
    badInput(model.path, "TFLite_Detection_PostProcess must have 4 outputs");
  auto out = [&](size_t k) -> const RuntimeTensor& { return interp.tensor(pp.outputs[k]); };
  try {
    return detectionsFromOutputs(out(0), out(1), out(2), out(3), threshold, labels);
  } catch (const Error& e) {
    badInput(model.path, e.what());
  }
}

float intersectionOverUnion(const Detection& a, const Detection& b) {
  return intersectionOverUnion(Box{a.ymin, a.xmin, a.ymax, a.xmax}, Box{b.ymin, b.xmin, b.ymax, b.xmax});
}

nlohmann::json detectionToJson(const Detection& d, int image_width, int image_height) {
  nlohmann::json j = {{"box", {floatToJson(d.ymin), floatToJson(d.xmin), floatToJson(d.ymax), floatToJson(d.xmax)}},
                      {"class", d.cls},
                      {"label", d.label},
                      {"score", floatToJson(d.score)}};
  if (image_width > 0 && image_height > 0) {
    const float w = static_cast<float>(image_width), h = static_cast<float>(image_height);
    j["box_px"] = {floatToJson(d.ymin * h), floatToJson(d.xmin * w), floatToJson(d.ymax * h), floatToJson(d.xmax * w)};
  }
  if (!d.keypoints.empty()) {
    j["keypoints"] = nlohmann::json::array();
    for (const auto& k : d.keypoints) j["keypoints"].push_back({floatToJson(k[0]), floatToJson(k[1])});
  }
  return j;
}

}  // namespace ql
