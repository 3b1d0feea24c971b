#include "analysis/image_run_json.h"

#include <map>

#include "analysis/detection/detection_json.h"
#include "model/options_codec.h"

namespace ql {

nlohmann::json imageRunToJson(const ImageRunResult& r, const std::string& image, const std::string& model,
                              float threshold) {
  nlohmann::json j{{"image", image}, {"model", model}};
  if (r.task == ImageTask::Detection) {
    // Exactly what `detect --json` prints.
    j["detections"] = nlohmann::json::array();
    for (const Detection& d : detectionsAtOrAbove(r.detections, threshold))
      j["detections"].push_back(detectionToJson(d, r.transform.original_width, r.transform.original_height));
    return j;
  }
  j["task"] = imageTaskName(r.task);
  if (r.task == ImageTask::Classification) {
    j["top5"] = nlohmann::json::array();
    for (const auto& [cls, score] : r.top5) j["top5"].push_back({{"class", cls}, {"score", floatToJson(score)}});
  }
  if (r.task == ImageTask::Segmentation) {
    std::map<int32_t, int64_t> pixels;
    for (int32_t c : r.mask) ++pixels[c];
    nlohmann::json classes = nlohmann::json::array();
    for (const auto& [c, n] : pixels) classes.push_back({{"class", c}, {"pixels", n}});
    j["mask"] = {{"width", r.mask_width}, {"height", r.mask_height}, {"classes", std::move(classes)}};
  }
  j["outputs"] = nlohmann::json::array();
  for (const OutputStatistics& s : r.outputs)
    j["outputs"].push_back({{"name", s.name},
                            {"shape", s.shape},
                            {"min", floatToJson(s.min)},
                            {"max", floatToJson(s.max)},
                            {"mean", floatToJson(s.mean)},
                            {"std", floatToJson(s.stddev)}});
  return j;
}

nlohmann::json imageComparisonToJson(const ImageRunResult& first, const ImageRunResult& second,
                                     const std::string& image, float threshold) {
  const ImageComparison c = compareImageRuns(first, second, threshold);
  nlohmann::json j{{"input", image}};
  if (first.task == ImageTask::Detection && second.task == ImageTask::Detection) {
    DetectorComparisonRun run{detectionsAtOrAbove(first.detections, threshold),
                              detectionsAtOrAbove(second.detections, threshold), c.detections};
    j = detectorComparisonRunToJson(run, image);
  }
  if (c.first_top1 >= 0) {
    j["first_top1"] = c.first_top1;
    j["first_top1_rank_in_second"] = c.first_top1_rank_in_second;
  }
  if (!c.class_iou.empty()) {
    j["mask_disagreements"] = c.mask_disagreements;
    j["class_iou"] = nlohmann::json::array();
    for (const ClassIou& x : c.class_iou)
      j["class_iou"].push_back({{"class", x.cls},
                                {"iou", floatToJson(x.iou)},
                                {"first_pixels", x.first_pixels},
                                {"second_pixels", x.second_pixels}});
  }
  j["outputs"] = nlohmann::json::array();
  for (const OutputDifference& o : c.outputs)
    j["outputs"].push_back({{"name", o.name}, {"max_abs", floatToJson(o.max_abs)}, {"rmse", floatToJson(o.rmse)}});
  return j;
}

}  // namespace ql
