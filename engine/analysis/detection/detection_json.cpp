#include "analysis/detection/detection_json.h"

#include "model/options_codec.h"

namespace ql {

namespace {

nlohmann::json pairs(const std::vector<MatchedDetection>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const MatchedDetection& m : v)
    a.push_back({{"first", m.first}, {"second", m.second}, {"iou", floatToJson(m.iou)},
                 {"score_shift", floatToJson(m.score_shift)}});
  return a;
}

}  // namespace

nlohmann::json detectionComparisonToJson(const DetectionComparison& c) {
  nlohmann::json changed = nlohmann::json::array();
  for (const ClassChange& x : c.class_changed)
    changed.push_back({{"first", x.first}, {"second", x.second}, {"iou", floatToJson(x.iou)}});
  return {{"matched", pairs(c.matched)}, {"moved", pairs(c.moved)},           {"missed", c.missed},
          {"extra", c.extra},            {"class_changed", std::move(changed)}};
}

nlohmann::json detectorComparisonRunToJson(const DetectorComparisonRun& run, const std::string& input) {
  nlohmann::json j = {{"input", input}, {"float", nlohmann::json::array()}, {"quantized", nlohmann::json::array()}};
  for (const Detection& d : run.first) j["float"].push_back(detectionToJson(d));
  for (const Detection& d : run.second) j["quantized"].push_back(detectionToJson(d));
  j.update(detectionComparisonToJson(run.comparison));
  return j;
}

}  // namespace ql
