// Which annotation category each model class stands for: by label name (case, spaces and underscores aside), or
// from a mapping file of `model_class,annotation_category` lines where each side is a name or a number (a model
// class index; an annotation category id). Model classes that map to nothing are left out of the evaluation.
#pragma once

#include <string>
#include <vector>

#include "analysis/evaluation/dataset.h"

namespace ql {

struct ClassMapping {
  std::vector<int> category_of_class;  // model class -> index into the dataset's categories, -1: none
  size_t mapped = 0;                   // model classes that map to a category
};

// A category without a name stands for the model class numbered as its id. A model label with commas also
// matches by any of its comma-separated synonyms.
ClassMapping mapClassesByName(const std::vector<std::string>& model_labels, const std::vector<Category>& categories);
// Throws BadInput naming the file and line of an entry that names no model class or no category.
ClassMapping readClassMap(const std::string& path, const std::vector<std::string>& model_labels, int model_classes,
                          const std::vector<Category>& categories);

// The key two label names are compared by: lower case, '_' as ' ', outer spaces trimmed.
std::string labelKey(const std::string& name);

}  // namespace ql
