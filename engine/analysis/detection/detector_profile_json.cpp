#include "analysis/detection/detector_profile_json.h"

#include <fstream>
#include <sstream>

#include "util/error.h"

namespace ql {

namespace {

// Reads fields of one JSON object, naming the file and field in every error.
struct FieldReader {
  const nlohmann::json& j;
  const std::string& where;
  std::string prefix;

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    badInput(where, "detector profile field \"" + prefix + key + "\": " + what);
  }
  template <typename T>
  void number(const char* key, T& out) const {
    if (!j.contains(key)) return;
    if (!j[key].is_number()) fail(key, "expected a number");
    out = j[key].get<T>();
  }
  void flag(const char* key, bool& out) const {
    if (!j.contains(key)) return;
    if (!j[key].is_boolean()) fail(key, "expected true or false");
    out = j[key].get<bool>();
  }
  template <typename T>
  void list(const char* key, std::vector<T>& out) const {
    if (!j.contains(key)) return;
    if (!j[key].is_array()) fail(key, "expected an array of numbers");
    out.clear();
    for (const auto& v : j[key]) {
      if (!v.is_number()) fail(key, "expected an array of numbers");
      out.push_back(v.get<T>());
    }
  }
  std::string text(const char* key) const {
    if (!j.contains(key)) return {};
    if (!j[key].is_string()) fail(key, "expected a string");
    return j[key].get<std::string>();
  }
};

SsdAnchorOptions anchorsFromJson(const nlohmann::json& a, const std::string& where, SsdAnchorOptions o) {
  if (!a.is_object()) badInput(where, "detector profile field \"anchors\": expected an object");
  FieldReader r{a, where, "anchors."};
  r.number("num_layers", o.num_layers);
  r.number("min_scale", o.min_scale);
  r.number("max_scale", o.max_scale);
  r.number("input_size_width", o.input_size_width);
  r.number("input_size_height", o.input_size_height);
  r.number("anchor_offset_x", o.anchor_offset_x);
  r.number("anchor_offset_y", o.anchor_offset_y);
  r.list("strides", o.strides);
  r.list("aspect_ratios", o.aspect_ratios);
  r.flag("fixed_anchor_size", o.fixed_anchor_size);
  r.number("interpolated_scale_aspect_ratio", o.interpolated_scale_aspect_ratio);
  r.flag("reduce_boxes_in_lowest_layer", o.reduce_boxes_in_lowest_layer);
  r.list("feature_map_width", o.feature_map_width);
  r.list("feature_map_height", o.feature_map_height);
  return o;
}

}  // namespace

DetectorProfile detectorProfileFromJson(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) badInput(where, "a detector profile is a JSON object");
  FieldReader r{j, where, ""};
  const std::string kind_name = r.text("kind");
  const std::optional<HeadKind> kind = headKindFromName(kind_name);
  if (!kind)
    r.fail("kind", kind_name.empty() ? "missing (detection_postprocess, ssd_anchors, yolo_v8, yolo_v5 or yolo_end2end)"
                                     : "'" + kind_name + "' is not one of detection_postprocess, ssd_anchors, "
                                       "yolo_v8, yolo_v5, yolo_end2end");
  DetectorProfile p = defaultProfile(*kind);
  PreprocessOptions& pre = p.preprocess;
  r.list("mean", pre.norm.mean);
  r.list("std", pre.norm.std);
  if (pre.norm.mean.size() != 1 && pre.norm.mean.size() != 3) r.fail("mean", "give one value or three");
  if (pre.norm.std.size() != 1 && pre.norm.std.size() != 3) r.fail("std", "give one value or three");
  for (float s : pre.norm.std)
    if (s == 0) r.fail("std", "a divisor of 0");
  if (j.contains("resize")) {
    const std::string resize = r.text("resize");
    if (resize != "stretch" && resize != "letterbox") r.fail("resize", "expected \"stretch\" or \"letterbox\"");
    pre.resize = resize == "letterbox" ? ResizeMode::Letterbox : ResizeMode::Stretch;
  }
  if (j.contains("pad")) {
    std::vector<int> pad;
    r.list("pad", pad);
    if (pad.size() != 3) r.fail("pad", "expected [r, g, b]");
    for (size_t i = 0; i < 3; ++i) {
      if (pad[i] < 0 || pad[i] > 255) r.fail("pad", "colours are 0-255");
      pre.pad[i] = static_cast<uint8_t>(pad[i]);
    }
  }
  r.number("score_threshold", p.score_threshold);
  r.number("iou", p.iou);
  if (j.contains("nms")) {
    const std::string nms = r.text("nms");
    if (nms != "hard" && nms != "weighted") r.fail("nms", "expected \"hard\" or \"weighted\"");
    p.nms = nms == "weighted" ? NmsKind::Weighted : NmsKind::Hard;
  }
  r.flag("class_agnostic", p.class_agnostic);
  r.number("max_detections", p.max_detections);
  if (p.max_detections < 0) r.fail("max_detections", "must not be negative");
  if (j.contains("anchors")) {
    p.anchors = anchorsFromJson(j["anchors"], where, p.anchors);
    // MediaPipe divides regressors by the input size: follow the anchors' input unless box_scale is given.
    const float w = static_cast<float>(p.anchors.input_size_width), h = static_cast<float>(p.anchors.input_size_height);
    if (p.kind == HeadKind::SsdAnchors) p.box_scale = {w, h, w, h};
  }
  if (j.contains("box_scale")) {
    std::vector<float> scale;
    r.list("box_scale", scale);
    if (scale.size() != 4) r.fail("box_scale", "expected [x, y, w, h]");
    for (size_t i = 0; i < 4; ++i) {
      if (!(scale[i] != 0)) r.fail("box_scale", "a divisor of 0");
      p.box_scale[i] = scale[i];
    }
  }
  if (j.contains("box_coder")) {
    const std::string coder = r.text("box_coder");
    if (coder != "mediapipe" && coder != "tf_object_detection")
      r.fail("box_coder", "expected \"mediapipe\" or \"tf_object_detection\"");
    p.box_coder = coder == "mediapipe" ? BoxCoder::MediaPipe : BoxCoder::TfObjectDetection;
  }
  r.number("num_keypoints", p.num_keypoints);
  if (p.num_keypoints < 0) r.fail("num_keypoints", "must not be negative");
  r.flag("sigmoid_scores", p.sigmoid_scores);
  r.number("score_clipping", p.score_clipping);
  r.flag("background_class", p.background_class);
  return p;
}

DetectorProfile readDetectorProfile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) badInput(path, "cannot open the detector profile");
  std::stringstream ss;
  ss << f.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded()) badInput(path, "the detector profile is not valid JSON");
  return detectorProfileFromJson(j, path);
}

nlohmann::json detectorProfileToJson(const DetectorProfile& p) {
  const SsdAnchorOptions& a = p.anchors;
  return {{"kind", headKindName(p.kind)},
          {"mean", p.preprocess.norm.mean},
          {"std", p.preprocess.norm.std},
          {"resize", resizeModeName(p.preprocess.resize)},
          {"pad", {p.preprocess.pad[0], p.preprocess.pad[1], p.preprocess.pad[2]}},
          {"score_threshold", p.score_threshold},
          {"iou", p.iou},
          {"nms", nmsKindName(p.nms)},
          {"class_agnostic", p.class_agnostic},
          {"max_detections", p.max_detections},
          {"anchors",
           {{"num_layers", a.num_layers},
            {"min_scale", a.min_scale},
            {"max_scale", a.max_scale},
            {"input_size_width", a.input_size_width},
            {"input_size_height", a.input_size_height},
            {"anchor_offset_x", a.anchor_offset_x},
            {"anchor_offset_y", a.anchor_offset_y},
            {"strides", a.strides},
            {"aspect_ratios", a.aspect_ratios},
            {"fixed_anchor_size", a.fixed_anchor_size},
            {"interpolated_scale_aspect_ratio", a.interpolated_scale_aspect_ratio},
            {"reduce_boxes_in_lowest_layer", a.reduce_boxes_in_lowest_layer},
            {"feature_map_width", a.feature_map_width},
            {"feature_map_height", a.feature_map_height}}},
          {"box_scale", p.box_scale},
          {"box_coder", boxCoderName(p.box_coder)},
          {"num_keypoints", p.num_keypoints},
          {"sigmoid_scores", p.sigmoid_scores},
          {"score_clipping", p.score_clipping},
          {"background_class", p.background_class}};
}

}  // namespace ql
