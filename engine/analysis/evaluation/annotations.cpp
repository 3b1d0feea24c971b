#include "analysis/evaluation/annotations.h"

#include <filesystem>

#include "analysis/evaluation/coco_annotations.h"
#include "analysis/evaluation/image_label_annotations.h"
#include "analysis/evaluation/text_fields.h"
#include "analysis/evaluation/voc_annotations.h"
#include "analysis/evaluation/yolo_annotations.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {

namespace {

// The format a path holds: by extension for files, by what a folder contains otherwise.
AnnotationFormat detect(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const std::string ext = lowerExtension(path);
    if (ext == ".json") return AnnotationFormat::Coco;
    if (ext == ".csv") return AnnotationFormat::Csv;
    badInput(path, "cannot tell the annotation format from the name; give --format coco|yolo|voc|folders|csv");
  }
  if (!fs::is_directory(path, ec)) badInput(path, "no such annotation file or folder");
  bool xml = false, png = false, txt = false, subdirs = false;
  for (const auto& e : fs::directory_iterator(path, ec)) {
    const std::string ext = lowerExtension(e.path().string());
    xml |= ext == ".xml";
    png |= ext == ".png";
    txt |= ext == ".txt" && e.path().filename() != "classes.txt";
    subdirs |= e.is_directory(ec);
  }
  if (xml || (png && !txt)) return AnnotationFormat::Voc;
  if (txt) return AnnotationFormat::Yolo;
  if (subdirs) return AnnotationFormat::Folders;
  badInput(path, "holds no .xml, .png or .txt annotations and no class folders; give --format");
}

}  // namespace

AnnotationFormat annotationFormatFromName(const std::string& name) {
  const std::string n = lowerCase(name);
  if (n.empty() || n == "auto") return AnnotationFormat::Auto;
  if (n == "coco") return AnnotationFormat::Coco;
  if (n == "yolo") return AnnotationFormat::Yolo;
  if (n == "voc") return AnnotationFormat::Voc;
  if (n == "folders") return AnnotationFormat::Folders;
  if (n == "csv") return AnnotationFormat::Csv;
  badInput("", "--format '" + name + "': expected coco, yolo, voc, folders or csv");
}

Dataset readAnnotations(AnnotationFormat format, const std::string& path, const ImageLocator& images,
                        const std::string& labels_file) {
  if (format == AnnotationFormat::Auto) format = detect(path);
  switch (format) {
    case AnnotationFormat::Coco: return readCocoAnnotations(path, images);
    case AnnotationFormat::Yolo: return readYoloLabels(path, images, labels_file);
    case AnnotationFormat::Voc: return readVocFolder(path, images, labels_file);
    case AnnotationFormat::Folders: return readClassFolders(path);
    case AnnotationFormat::Csv: return readLabelCsv(path, images, labels_file);
    case AnnotationFormat::Auto: break;
  }
  badInput(path, "unknown annotation format");
}

}  // namespace ql
