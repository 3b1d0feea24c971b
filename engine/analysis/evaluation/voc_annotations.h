// Pascal VOC folders: Annotations/*.xml (boxes) or SegmentationClass/*.png (label maps, one per image stem).
// XML is read with expat rather than by hand: real exports carry XML declarations, comments, attributes
// (`<annotation verified="yes">`), entities in file names and other encodings, which expat handles and reports
// with a line number when broken.
#pragma once

#include <string>

#include "analysis/evaluation/dataset.h"

namespace ql {

// Boxes: `<object><name>` with `<bndbox>` xmin/ymin/xmax/ymax (VOC's 1-based inclusive pixels; the box is
// [xmin - 1, xmax] in COCO's continuous coordinates), `<difficult>1` ignored as VOC's devkit does, `<size>` the
// image size. Categories from `labels_file` (line i is class i) or, without it, every name found, sorted.
// Label maps: categories from `labels_file`, or none (the caller numbers them as the model's classes).
// Throws BadInput naming the file (and line) of the first broken annotation.
Dataset readVocFolder(const std::string& dir, const ImageLocator& images, const std::string& labels_file);

}  // namespace ql
