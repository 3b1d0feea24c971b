#include "analysis/evaluation/voc_annotations.h"

#include <expat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "analysis/evaluation/class_mapping.h"
#include "analysis/evaluation/text_fields.h"
#include "analysis/labels.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {

namespace {

struct VocObject {
  std::string name;
  double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
  bool difficult = false, has_box = false;
};

struct VocFile {
  std::string filename;
  int width = 0, height = 0;
  std::vector<VocObject> objects;
};

// Collects the few elements VOC uses, by their path from <annotation>.
struct Collector {
  std::vector<std::string> path;
  std::string text;
  VocFile file;
  std::string error;

  std::string at() const {
    std::string s;
    for (const std::string& p : path) s += "/" + p;
    return s;
  }
};

double toNumber(Collector& c, const std::string& text, const std::string& where) {
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (text.find_first_not_of(" \t\r\n", used) == std::string::npos) return v;
  } catch (const std::exception&) {
  }
  if (c.error.empty()) c.error = where + " '" + text + "' is not a number";
  return 0;
}

void XMLCALL onStart(void* data, const XML_Char* name, const XML_Char**) {
  auto* c = static_cast<Collector*>(data);
  c->path.emplace_back(name);
  c->text.clear();
  if (c->at() == "/annotation/object") c->file.objects.emplace_back();
}

void XMLCALL onText(void* data, const XML_Char* s, int len) {
  static_cast<Collector*>(data)->text.append(s, static_cast<size_t>(len));
}

void XMLCALL onEnd(void* data, const XML_Char*) {
  auto* c = static_cast<Collector*>(data);
  const std::string p = c->at();
  const std::string t = trimmed(c->text);
  VocObject* o = c->file.objects.empty() ? nullptr : &c->file.objects.back();
  if (p == "/annotation/filename")
    c->file.filename = t;
  else if (p == "/annotation/size/width")
    c->file.width = static_cast<int>(toNumber(*c, t, p));
  else if (p == "/annotation/size/height")
    c->file.height = static_cast<int>(toNumber(*c, t, p));
  else if (o && p == "/annotation/object/name")
    o->name = t;
  else if (o && p == "/annotation/object/difficult")
    o->difficult = toNumber(*c, t, p) != 0;
  else if (o && p.rfind("/annotation/object/bndbox/", 0) == 0) {
    const std::string k = p.substr(std::string("/annotation/object/bndbox/").size());
    double* v = k == "xmin"   ? &o->xmin
                : k == "ymin" ? &o->ymin
                : k == "xmax" ? &o->xmax
                : k == "ymax" ? &o->ymax
                              : nullptr;
    if (v) *v = toNumber(*c, t, p), o->has_box = true;
  }
  c->path.pop_back();
  c->text.clear();
}

VocFile parseVoc(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) badInput(path, "cannot be opened");
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string xml = buf.str();
  std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr), XML_ParserFree);
  Collector c;
  XML_SetUserData(parser.get(), &c);
  XML_SetElementHandler(parser.get(), onStart, onEnd);
  XML_SetCharacterDataHandler(parser.get(), onText);
  if (XML_Parse(parser.get(), xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_ERROR)
    badInput(path + ":" + std::to_string(XML_GetCurrentLineNumber(parser.get())),
             std::string("is not valid XML: ") + XML_ErrorString(XML_GetErrorCode(parser.get())));
  if (!c.error.empty()) badInput(path, c.error);
  for (const VocObject& o : c.file.objects) {
    if (o.name.empty()) badInput(path, "an <object> has no <name>");
    if (!o.has_box || o.xmax < o.xmin || o.ymax < o.ymin)
      badInput(path, "object '" + o.name + "' has no valid <bndbox> (xmin <= xmax, ymin <= ymax)");
  }
  return c.file;
}

std::vector<std::string> filesWith(const std::string& dir, const std::string& ext) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (lowerExtension(e.path().string()) == ext) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The image a VOC file describes: its <filename>, else an image of the same stem.
std::string imageFor(const ImageLocator& images, const std::string& filename, const std::string& stem) {
  if (!filename.empty()) {
    std::string p = images.find(filename);
    if (!p.empty()) return p;
  }
  for (const std::string& p : images.all())
    if (fileStem(p) == stem) return p;
  return "";
}

Dataset readLabelMaps(const std::string& dir, const std::vector<std::string>& pngs, const ImageLocator& images,
                      const std::string& labels_file) {
  Dataset d;
  d.kind = AnnotationKind::Masks;
  d.source = dir;
  if (!labels_file.empty()) {
    const std::vector<std::string> names = loadLabels(labels_file);
    for (size_t i = 0; i < names.size(); ++i) d.categories.push_back({static_cast<int64_t>(i), names[i]});
  }
  for (const std::string& png : pngs) {
    const std::string stem = fileStem(png);
    const std::string image = imageFor(images, "", stem);
    if (image.empty()) {
      d.missing.push_back(stem);
      continue;
    }
    AnnotatedImage a;
    a.file = fs::path(image).filename().string();
    a.path = image;
    a.mask_path = png;
    d.images.push_back(std::move(a));
  }
  return d;
}

}  // namespace

Dataset readVocFolder(const std::string& dir, const ImageLocator& images, const std::string& labels_file) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) badInput(dir, "is not a folder of Pascal VOC annotations");
  const std::vector<std::string> xmls = filesWith(dir, ".xml");
  if (xmls.empty()) {
    const std::vector<std::string> pngs = filesWith(dir, ".png");
    if (pngs.empty()) badInput(dir, "holds no .xml annotation and no .png label map");
    return readLabelMaps(dir, pngs, images, labels_file);
  }
  std::vector<std::pair<std::string, VocFile>> files;
  for (const std::string& x : xmls) files.emplace_back(x, parseVoc(x));

  Dataset d;
  d.kind = AnnotationKind::Boxes;
  d.source = dir;
  std::vector<std::string> names;
  if (!labels_file.empty()) {
    names = loadLabels(labels_file);
  } else {
    std::set<std::string> found;
    for (const auto& f : files)
      for (const VocObject& o : f.second.objects) found.insert(o.name);
    names.assign(found.begin(), found.end());
  }
  std::map<std::string, int> index;
  for (size_t i = 0; i < names.size(); ++i) {
    d.categories.push_back({static_cast<int64_t>(i), names[i]});
    index.emplace(labelKey(names[i]), static_cast<int>(i));
  }
  for (const auto& [xml, f] : files) {
    AnnotatedImage a;
    a.file = f.filename.empty() ? fileStem(xml) : f.filename;
    a.path = imageFor(images, f.filename, fileStem(xml));
    if (a.path.empty()) {
      d.missing.push_back(a.file);
      continue;
    }
    a.width = f.width;
    a.height = f.height;
    for (const VocObject& o : f.objects) {
      auto it = index.find(labelKey(o.name));
      if (it == index.end()) badInput(xml, "object '" + o.name + "' is not in " + labels_file);
      GroundTruthBox g;
      g.box = {o.xmin - 1, o.ymin - 1, o.xmax - o.xmin + 1, o.ymax - o.ymin + 1};
      g.category = it->second;
      g.area = g.box.w * g.box.h;
      g.ignore = o.difficult;
      a.boxes.push_back(g);
    }
    d.images.push_back(std::move(a));
  }
  return d;
}

}  // namespace ql
