// Reading annotations in any supported format into a Dataset, the format given or told from the path.
#pragma once

#include <string>

#include "analysis/evaluation/dataset.h"

namespace ql {

enum class AnnotationFormat { Auto, Coco, Yolo, Voc, Folders, Csv };

// "coco", "yolo", "voc", "folders", "csv" (or "" / "auto"); throws BadInput for another name.
AnnotationFormat annotationFormatFromName(const std::string& name);

// coco: a .json file; yolo: a folder of .txt label files; voc: a folder of .xml files (boxes) or of label-map
// .png files (segmentation); folders: a folder with a subfolder of images per class (then `path` may be the
// image folder itself); csv: `file,label` lines. `labels_file` names YOLO classes, or the classes of label maps
// and CSV labels given as numbers. Throws BadInput naming the path when the format cannot be told or read.
Dataset readAnnotations(AnnotationFormat format, const std::string& path, const ImageLocator& images,
                        const std::string& labels_file);

}  // namespace ql
