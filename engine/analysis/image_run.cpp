#include "analysis/image_run.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>

#include "analysis/detection/decoders.h"
#include "analysis/detection/detector_run.h"
#include "analysis/evaluation/interpreter_predictor.h"
#include "analysis/labels.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql {

const char* imageTaskName(ImageTask t) {
  switch (t) {
    case ImageTask::Detection: return "detection";
    case ImageTask::Classification: return "classification";
    case ImageTask::Segmentation: return "segmentation";
    case ImageTask::Statistics: return "statistics";
  }
  return "?";
}

ImageRunSetup imageRunSetupFor(const Model& model) {
  ImageRunSetup s;
  if ((s.detector = recognizedDetectorProfile(model))) {
    s.task = ImageTask::Detection;
    s.preprocess = s.detector->preprocess;
    s.labels = resolveLabels(model, "", profileClassCount(*s.detector, model));
    return s;
  }
  try {
    const ModelTask t = modelTask(model);
    s.task = t == ModelTask::Classification ? ImageTask::Classification : ImageTask::Segmentation;
  } catch (const Error&) {
    return s;  // statistics: the outputs fit no task the app draws
  }
  const Subgraph& sg = model.subgraphs.at(0);
  const Tensor& out = sg.tensors.at(static_cast<size_t>(sg.outputs.at(0)));
  s.labels = resolveLabels(model, "", out.shape.empty() ? -1 : out.shape.back());
  return s;
}

std::vector<std::pair<int, float>> topFiveScores(const std::vector<float>& scores) {
  std::vector<int> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  const size_t k = std::min<size_t>(5, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<long>(k), order.end(), [&](int a, int b) {
    return scores[static_cast<size_t>(a)] > scores[static_cast<size_t>(b)] ||
           (scores[static_cast<size_t>(a)] == scores[static_cast<size_t>(b)] && a < b);
  });
  std::vector<std::pair<int, float>> out;
  for (size_t i = 0; i < k; ++i) out.emplace_back(order[i], scores[static_cast<size_t>(order[i])]);
  return out;
}

std::vector<int32_t> classMapOf(const std::vector<float>& v, const std::vector<int32_t>& shape, int* width,
                                int* height) {
  *height = shape.at(1);
  *width = shape.at(2);
  const size_t pixels = static_cast<size_t>(*height) * static_cast<size_t>(*width);
  std::vector<int32_t> mask(pixels);
  if (shape.size() == 3) {
    for (size_t i = 0; i < pixels; ++i) mask[i] = static_cast<int32_t>(v[i]);
    return mask;
  }
  const size_t c = static_cast<size_t>(shape.at(3));
  for (size_t i = 0; i < pixels; ++i) {
    const auto first = v.begin() + static_cast<long>(i * c);
    mask[i] = static_cast<int32_t>(std::max_element(first, first + static_cast<long>(c)) - first);
  }
  return mask;
}

namespace {

OutputStatistics statisticsOf(const RuntimeTensor& t) {
  OutputStatistics s;
  s.name = t.name();
  s.shape = t.shape();
  s.values = realValues(t.type(), t.shape(), t.quant(), t.raw(), t.bytes());
  if (s.values.empty()) return s;
  const auto [lo, hi] = std::minmax_element(s.values.begin(), s.values.end());
  s.min = *lo;
  s.max = *hi;
  double sum = 0, sq = 0;
  for (float v : s.values) sum += v;
  const double mean = sum / static_cast<double>(s.values.size());
  for (float v : s.values) sq += (v - mean) * (v - mean);
  s.mean = static_cast<float>(mean);
  s.stddev = static_cast<float>(std::sqrt(sq / static_cast<double>(s.values.size())));
  return s;
}

}  // namespace

ImageRunResult runOnImage(const Model& model, const ImageRunSetup& setup, const PreparedInput& input) {
  Interpreter interp(model);
  if (interp.inputs().size() != 1) unsupported(model.path, "the app runs models with one image input");
  interp.setInput(0, input.bytes.data(), input.bytes.size());
  interp.invoke();
  ImageRunResult r;
  r.task = setup.task;
  r.transform = input.transform;
  for (size_t i = 0; i < interp.outputs().size(); ++i) r.outputs.push_back(statisticsOf(interp.output(i)));
  switch (setup.task) {
    case ImageTask::Detection: {
      DetectorProfile p = setup.detector.value();
      p.score_threshold = std::min(p.score_threshold, kImageRunScoreFloor);
      try {
        r.detections = decodeDetections(p, detectorOutputs(interp, p), input.transform);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) throw;
        badInput(model.path, e.what());
      }
      labelDetections(r.detections, setup.labels);
      break;
    }
    case ImageTask::Classification:
      r.scores = r.outputs.at(0).values;
      r.top5 = topFiveScores(r.scores);
      break;
    case ImageTask::Segmentation:
      r.mask = classMapOf(r.outputs.at(0).values, r.outputs.at(0).shape, &r.mask_width, &r.mask_height);
      break;
    case ImageTask::Statistics: break;
  }
  return r;
}

std::vector<Detection> detectionsAtOrAbove(const std::vector<Detection>& detections, float threshold) {
  std::vector<Detection> out;
  for (const Detection& d : detections)
    if (d.score >= threshold) out.push_back(d);
  return out;
}

ImageComparison compareImageRuns(const ImageRunResult& first, const ImageRunResult& second, float threshold,
                                 const ComparisonOptions& options) {
  ImageComparison c;
  if (first.task == ImageTask::Detection && second.task == ImageTask::Detection)
    c.detections = compareDetections(detectionsAtOrAbove(first.detections, threshold),
                                     detectionsAtOrAbove(second.detections, threshold), options);
  if (!first.top5.empty() && second.scores.size() == first.scores.size()) {
    c.first_top1 = first.top5.front().first;
    const float s = second.scores[static_cast<size_t>(c.first_top1)];
    int rank = 0;
    // Ranked as topFiveScores orders: higher scores first, equal scores by class.
    for (size_t i = 0; i < second.scores.size(); ++i)
      if (second.scores[i] > s || (second.scores[i] == s && static_cast<int>(i) < c.first_top1)) ++rank;
    c.first_top1_rank_in_second = rank;
  }
  if (!first.mask.empty() && first.mask.size() == second.mask.size()) {
    std::map<int, std::array<int64_t, 3>> counts;  // class -> first, second, both
    c.disagreeing.assign(first.mask.size(), 0);
    for (size_t i = 0; i < first.mask.size(); ++i) {
      const int a = first.mask[i], b = second.mask[i];
      if (a != b) {
        ++c.mask_disagreements;
        c.disagreeing[i] = 1;
      }
      ++counts[a][0];
      ++counts[b][1];
      if (a == b) ++counts[a][2];
    }
    for (const auto& [cls, n] : counts) {
      const int64_t uni = n[0] + n[1] - n[2];
      c.class_iou.push_back({cls, uni ? static_cast<float>(n[2]) / static_cast<float>(uni) : 0.f, n[0], n[1]});
    }
  }
  for (size_t i = 0; i < std::min(first.outputs.size(), second.outputs.size()); ++i) {
    const auto& a = first.outputs[i].values;
    const auto& b = second.outputs[i].values;
    if (a.size() != b.size() || a.empty()) continue;
    OutputDifference d{second.outputs[i].name, 0, 0};
    double sq = 0;
    for (size_t k = 0; k < a.size(); ++k) {
      const float e = std::fabs(a[k] - b[k]);
      d.max_abs = std::max(d.max_abs, e);
      sq += static_cast<double>(e) * e;
    }
    d.rmse = static_cast<float>(std::sqrt(sq / static_cast<double>(a.size())));
    c.outputs.push_back(d);
  }
  return c;
}

}  // namespace ql
