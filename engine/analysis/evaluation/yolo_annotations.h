// YOLO label folders (Ultralytics / darknet): one `<image stem>.txt` per image, a line `class cx cy w h` per box,
// normalized to the image (a segmentation polygon `class x1 y1 x2 y2 ...` counts as its bounding box). Class names come
// from a `classes.txt` (one per line) or a `data.yaml` (`names:` as a list or as `index: name` lines) in the label
// folder or up to two folders above it, or from a names file given. An image without a label file has no objects
// (Ultralytics' background images).
#pragma once

#include <string>
#include <vector>

#include "analysis/evaluation/dataset.h"

namespace ql {

// Throws BadInput naming the file and line of the first malformed label, or when no class names are found.
Dataset readYoloLabels(const std::string& label_dir, const ImageLocator& images, const std::string& names_file = "");

// The `names` of a data.yaml (a [a, b] list, a {0: a, 1: b} map, `- a` lines or `0: a` lines).
std::vector<std::string> readYamlNames(const std::string& path);

}  // namespace ql
