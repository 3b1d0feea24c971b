// Classifier ground truth: a folder with a subfolder of images per class (the subfolder's name is the label),
// or a CSV of `file,label` lines (an optional header line; a label is a class name, or a class number: the
// line of `labels_file` when given, else the model's class of that number).
#pragma once

#include <string>

#include "analysis/evaluation/dataset.h"

namespace ql {

// Throws BadInput naming the folder when it has no class subfolder with images.
Dataset readClassFolders(const std::string& dir);
// Throws BadInput naming the file and line of a malformed entry.
Dataset readLabelCsv(const std::string& csv, const ImageLocator& images, const std::string& labels_file);

}  // namespace ql
