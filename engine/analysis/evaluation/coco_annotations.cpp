#include "analysis/evaluation/coco_annotations.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "util/error.h"

namespace ql {

namespace {

using nlohmann::json;

const json& field(const std::string& path, const json& object, const char* name, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end()) badInput(path, where + " has no \"" + name + "\"");
  return *it;
}

double number(const std::string& path, const json& v, const std::string& what) {
  if (!v.is_number()) badInput(path, what + " is not a number");
  return v.get<double>();
}

}  // namespace

Dataset readCocoAnnotations(const std::string& path, const ImageLocator& images) {
  std::ifstream in(path);
  if (!in) badInput(path, "cannot be opened");
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    badInput(path, std::string("is not valid JSON: ") + e.what());
  }
  if (!j.is_object()) badInput(path, "is not a COCO annotation file (expected an object with \"images\")");
  Dataset d;
  d.kind = AnnotationKind::Boxes;
  d.source = path;

  std::map<int64_t, std::string> categories;
  for (const json& c : field(path, j, "categories", "the file")) {
    const int64_t id = static_cast<int64_t>(number(path, field(path, c, "id", "a category"), "a category id"));
    const json& name = field(path, c, "name", "category " + std::to_string(id));
    if (!name.is_string()) badInput(path, "category " + std::to_string(id) + " has a name that is not a string");
    categories[id] = name.get<std::string>();
  }
  std::map<int64_t, int> category_index;
  for (const auto& [id, name] : categories) {
    category_index[id] = static_cast<int>(d.categories.size());
    d.categories.push_back({id, name});
  }

  std::map<int64_t, AnnotatedImage> by_id;  // ascending id, as pycocotools orders images
  for (const json& im : field(path, j, "images", "the file")) {
    const int64_t id = static_cast<int64_t>(number(path, field(path, im, "id", "an image"), "an image id"));
    const std::string where = "image " + std::to_string(id);
    const json& name = field(path, im, "file_name", where);
    if (!name.is_string()) badInput(path, where + ": file_name is not a string");
    AnnotatedImage a;
    a.file = name.get<std::string>();
    if (im.contains("width")) a.width = static_cast<int>(number(path, im["width"], where + ": width"));
    if (im.contains("height")) a.height = static_cast<int>(number(path, im["height"], where + ": height"));
    if (!by_id.emplace(id, std::move(a)).second) badInput(path, where + " is listed twice");
  }

  for (const json& an : field(path, j, "annotations", "the file")) {
    const std::string where = "annotation " + (an.contains("id") ? an["id"].dump() : std::string("without id"));
    const int64_t image = static_cast<int64_t>(number(path, field(path, an, "image_id", where), where + ": image_id"));
    const int64_t cat =
        static_cast<int64_t>(number(path, field(path, an, "category_id", where), where + ": category_id"));
    auto im = by_id.find(image);
    if (im == by_id.end()) continue;  // an image left out of "images" is not evaluated (as in pycocotools)
    auto ci = category_index.find(cat);
    if (ci == category_index.end())
      badInput(path, where + " names category " + std::to_string(cat) + ", which is not listed");
    const json& bbox = field(path, an, "bbox", where);
    if (!bbox.is_array() || bbox.size() != 4) badInput(path, where + ": bbox is not [x, y, width, height]");
    GroundTruthBox g;
    g.box = {number(path, bbox[0], where + ": bbox"), number(path, bbox[1], where + ": bbox"),
             number(path, bbox[2], where + ": bbox"), number(path, bbox[3], where + ": bbox")};
    g.category = ci->second;
    g.area = an.contains("area") ? number(path, an["area"], where + ": area") : g.box.w * g.box.h;
    g.crowd = an.contains("iscrowd") && an["iscrowd"].is_number() && an["iscrowd"].get<double>() != 0;
    g.ignore = g.crowd;  // pycocotools sets "ignore" from iscrowd alone
    im->second.boxes.push_back(g);
  }

  for (auto& [id, a] : by_id) {
    a.path = images.find(a.file);
    if (a.path.empty())
      d.missing.push_back(a.file);
    else
      d.images.push_back(std::move(a));
  }
  return d;
}

}  // namespace ql
