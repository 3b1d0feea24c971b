#include "analysis/evaluation/yolo_annotations.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/evaluation/text_fields.h"
#include "analysis/labels.h"
#include "util/error.h"
#include "vision/image_size.h"

namespace fs = std::filesystem;

namespace ql {

namespace {

std::string trim(const std::string& s) { return trimmed(s); }

std::string unquote(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && (s[0] == '\'' || s[0] == '"') && s.back() == s[0]) s = s.substr(1, s.size() - 2);
  return s;
}

std::vector<std::string> classNames(const std::string& label_dir, const std::string& names_file) {
  if (!names_file.empty())
    return lowerExtension(names_file) == ".yaml" || lowerExtension(names_file) == ".yml" ? readYamlNames(names_file)
                                                                                         : loadLabels(names_file);
  std::error_code ec;
  fs::path dir = fs::absolute(label_dir, ec);
  for (int up = 0; up < 3 && !dir.empty(); ++up, dir = dir.parent_path()) {
    if (fs::is_regular_file(dir / "classes.txt", ec)) return loadLabels((dir / "classes.txt").string());
    for (const char* yaml : {"data.yaml", "data.yml", "dataset.yaml"})
      if (fs::is_regular_file(dir / yaml, ec)) return readYamlNames((dir / yaml).string());
    if (dir == dir.parent_path()) break;
  }
  badInput(label_dir, "no classes.txt or data.yaml in or above the label folder; give --annotation-labels FILE");
}

}  // namespace

std::vector<std::string> readYamlNames(const std::string& path) {
  std::ifstream in(path);
  if (!in) badInput(path, "cannot be opened");
  std::string line;
  bool in_names = false;
  std::map<long, std::string> indexed;
  std::vector<std::string> listed;
  auto addIndexed = [&](const std::string& entry) {  // "0: person"
    const size_t colon = entry.find(':');
    try {
      if (colon == std::string::npos) throw std::invalid_argument(entry);
      indexed[std::stol(trim(entry.substr(0, colon)))] = unquote(entry.substr(colon + 1));
    } catch (const std::exception&) {
      badInput(path, "names: '" + trim(entry) + "' is not 'index: name'");
    }
  };
  while (std::getline(in, line)) {
    const std::string t = trim(line.substr(0, line.find(" #")));
    if (t.empty() || t[0] == '#') continue;
    const bool indented = line[0] == ' ' || line[0] == '\t';
    if (!indented) {
      in_names = t.rfind("names:", 0) == 0;
      if (!in_names) continue;
      std::string rest = trim(t.substr(6));
      if (rest.empty()) continue;
      const bool list = rest.front() == '[' && rest.back() == ']', map = rest.front() == '{' && rest.back() == '}';
      if (!list && !map) badInput(path, "names: expected a [list], a {map} or indented entries");
      std::stringstream items(rest.substr(1, rest.size() - 2));
      for (std::string item; std::getline(items, item, ',');)
        if (!trim(item).empty()) list ? listed.push_back(unquote(item)) : addIndexed(item);
      in_names = false;
      continue;
    }
    if (!in_names) continue;
    if (t[0] == '-')
      listed.push_back(unquote(t.substr(1)));
    else
      addIndexed(t);
  }
  for (const auto& [index, name] : indexed) {
    if (index != static_cast<long>(listed.size()))
      badInput(path, "names: index " + std::to_string(index) + " is out of order");
    listed.push_back(name);
  }
  if (listed.empty()) badInput(path, "has no class names (names:)");
  return listed;
}

Dataset readYoloLabels(const std::string& label_dir, const ImageLocator& images, const std::string& names_file) {
  std::error_code ec;
  if (!fs::is_directory(label_dir, ec)) badInput(label_dir, "is not a folder of YOLO label files");
  Dataset d;
  d.kind = AnnotationKind::Boxes;
  d.source = label_dir;
  const std::vector<std::string> names = classNames(label_dir, names_file);
  for (size_t i = 0; i < names.size(); ++i) d.categories.push_back({static_cast<int64_t>(i), names[i]});

  for (const std::string& path : images.all()) {
    AnnotatedImage a;
    a.file = fs::path(path).filename().string();
    a.path = path;
    const fs::path label = fs::path(label_dir) / (fileStem(path) + ".txt");
    std::ifstream in(label);
    if (in) {
      const ImageSize size = imageSize(path);
      a.width = size.width;
      a.height = size.height;
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        if (trim(line).empty()) continue;
        std::istringstream fields(line);
        double cls = -1;
        std::vector<double> v;
        fields >> cls;
        for (double x; fields >> x;) v.push_back(x);
        double cx = 0, cy = 0, w = -1, h = -1;
        if (v.size() == 4) {
          cx = v[0], cy = v[1], w = v[2], h = v[3];
        } else if (v.size() >= 6 && v.size() % 2 == 0) {
          // Ultralytics segmentation labels (`class x1 y1 x2 y2 ...`): the polygon's bounding box.
          double x0 = v[0], x1 = v[0], y0 = v[1], y1 = v[1];
          for (size_t k = 0; k < v.size(); k += 2)
            x0 = std::min(x0, v[k]), x1 = std::max(x1, v[k]), y0 = std::min(y0, v[k + 1]), y1 = std::max(y1, v[k + 1]);
          cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, w = x1 - x0, h = y1 - y0;
        }
        if (!fields.eof() || cls < 0 || cls != static_cast<long>(cls) || w < 0 || h < 0)
          badInput(label.string() + ":" + std::to_string(n),
                   "expected 'class cx cy w h' or a polygon 'class x1 y1 x2 y2 ...' (normalized)");
        if (cls >= static_cast<double>(names.size()))
          badInput(label.string() + ":" + std::to_string(n), "class " + std::to_string(static_cast<long>(cls)) +
                                                                 " has no name (" + std::to_string(names.size()) +
                                                                 " class names)");
        GroundTruthBox g;
        g.box = {(cx - w / 2) * a.width, (cy - h / 2) * a.height, w * a.width, h * a.height};
        g.category = static_cast<int>(cls);
        g.area = g.box.w * g.box.h;
        a.boxes.push_back(g);
      }
    }
    d.images.push_back(std::move(a));
  }
  // Label files whose image is not there: listed but missing.
  std::vector<std::string> stems;
  for (const std::string& path : images.all()) stems.push_back(fileStem(path));
  for (const auto& e : fs::directory_iterator(label_dir, ec)) {
    const fs::path p = e.path();
    if (p.extension() != ".txt" || p.filename() == "classes.txt") continue;
    if (std::find(stems.begin(), stems.end(), p.stem().string()) == stems.end())
      d.missing.push_back(p.filename().string());
  }
  std::sort(d.missing.begin(), d.missing.end());
  return d;
}

}  // namespace ql
