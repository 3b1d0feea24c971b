// COCO JSON ground truth (instances_*.json): images (id, file_name, width, height), annotations (image_id,
// category_id, bbox [x, y, w, h] in pixels, area, iscrowd) and categories (id, name). Images and categories in
// ascending id order, as pycocotools evaluates them.
#pragma once

#include <string>

#include "analysis/evaluation/dataset.h"

namespace ql {

// Throws BadInput naming the file and the first thing wrong with it.
Dataset readCocoAnnotations(const std::string& json_path, const ImageLocator& images);

}  // namespace ql
