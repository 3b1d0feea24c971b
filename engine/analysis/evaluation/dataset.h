// Annotated images as every annotation format reads into them: categories, and per image its boxes, its label
// or its label-map file. Images the annotations list but that are not on disk are kept aside, by name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/evaluation/coco_box_eval.h"
#include "vision/preprocess.h"  // isImageFile

namespace ql {

enum class AnnotationKind { Boxes, ImageLabels, Masks };

struct Category {
  int64_t id = 0;  // as the annotations number it (COCO category id, YOLO/VOC class index, mask value)
  std::string name;
};

struct AnnotatedImage {
  std::string file;                   // as the annotations name it
  std::string path;                   // on disk
  int width = 0, height = 0;          // 0 when the annotations do not say
  std::vector<GroundTruthBox> boxes;  // Boxes: pixels, category = index into Dataset::categories
  int label = -1;                     // ImageLabels: index into Dataset::categories
  std::string mask_path;              // Masks: a label-map PNG (pixel value = category id, 255 ignored)
};

struct Dataset {
  AnnotationKind kind = AnnotationKind::Boxes;
  std::string source;  // the annotation file or folder
  std::vector<Category> categories;
  std::vector<AnnotatedImage> images;  // on disk, in evaluation order
  std::vector<std::string> missing;    // listed in the annotations but not on disk: left out
};

// Where the images are: every image file in a folder, or files given one by one. Annotations name an image by
// file name (or a path relative to the folder); find() gives its path, or "" when it is not there.
class ImageLocator {
 public:
  static ImageLocator folder(const std::string& dir);  // throws BadInput when it is not a folder
  static ImageLocator files(std::vector<std::string> paths);
  std::string find(const std::string& name) const;
  const std::vector<std::string>& all() const { return paths_; }  // sorted by file name

 private:
  std::string dir_;
  std::vector<std::string> paths_;
};

std::string fileStem(const std::string& path);  // "a/b/c.jpg" -> "c"

}  // namespace ql
