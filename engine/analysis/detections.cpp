#include "analysis/detections.h"

#include <algorithm>

#include "model/options_codec.h"
#include "model/tensor_values.h"
#include "util/error.h"

namespace ql {

int detectionPostProcessOp(const Model& model) {
  const Subgraph& sg = model.subgraphs[0];
  for (size_t i = sg.ops.size(); i-- > 0;)
    if (model.opName(sg.ops[i]) == "TFLite_Detection_PostProcess") return static_cast<int>(i);
  return -1;
}

std::vector<Detection> readDetections(const Interpreter& interp, float threshold,
                                      const std::vector<std::string>& labels) {
  const Model& model = interp.model();
  int op = detectionPostProcessOp(model);
  if (op < 0) unsupported(model.path, "the model does not end in TFLite_Detection_PostProcess");
  const Op& pp = model.subgraphs[0].ops[static_cast<size_t>(op)];
  if (pp.outputs.size() < 4) badInput(model.path, "TFLite_Detection_PostProcess has fewer than 4 outputs");
  auto values = [&](int k) {
    const RuntimeTensor& t = interp.tensor(pp.outputs[static_cast<size_t>(k)]);
    return realValues(t.type(), t.shape(), t.quant(), t.raw(), t.bytes());
  };
  std::vector<float> boxes = values(0), classes = values(1), scores = values(2), count = values(3);
  size_t n = count.empty() ? 0 : static_cast<size_t>(std::max(0.0f, count[0]));
  n = std::min({n, scores.size(), classes.size(), boxes.size() / 4});
  std::vector<Detection> out;
  for (size_t i = 0; i < n; ++i) {
    if (scores[i] < threshold) continue;
    Detection d;
    d.ymin = boxes[4 * i], d.xmin = boxes[4 * i + 1], d.ymax = boxes[4 * i + 2], d.xmax = boxes[4 * i + 3];
    d.cls = static_cast<int>(classes[i]);
    d.score = scores[i];
    if (d.cls >= 0 && static_cast<size_t>(d.cls) < labels.size()) d.label = labels[static_cast<size_t>(d.cls)];
    out.push_back(d);
  }
  return out;
}

float intersectionOverUnion(const Detection& a, const Detection& b) {
  float area_a = std::max(0.f, a.ymax - a.ymin) * std::max(0.f, a.xmax - a.xmin);
  float area_b = std::max(0.f, b.ymax - b.ymin) * std::max(0.f, b.xmax - b.xmin);
  float h = std::max(0.f, std::min(a.ymax, b.ymax) - std::max(a.ymin, b.ymin));
  float w = std::max(0.f, std::min(a.xmax, b.xmax) - std::max(a.xmin, b.xmin));
  float inter = h * w;
  float uni = area_a + area_b - inter;
  return uni > 0 ? inter / uni : 0.f;
}

nlohmann::json detectionToJson(const Detection& d) {
  return {{"box", {floatToJson(d.ymin), floatToJson(d.xmin), floatToJson(d.ymax), floatToJson(d.xmax)}},
          {"class", d.cls},
          {"label", d.label},
          {"score", floatToJson(d.score)}};
}

}  // namespace ql
