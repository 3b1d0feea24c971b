// Where quantization hurts most: the images of an evaluation ranked by how much worse a model does on them than the
// first model (the float one). With annotations, by how far the image's own score (AP, top-1 hit, mean IoU) falls
// below the first model's; then, and without annotations, by how little it agrees with the first model.
#pragma once

#include <cstddef>
#include <vector>

#include "analysis/evaluation/evaluation.h"

namespace ql {

struct ImageHarm {
  size_t image = 0;        // index into ModelResult::images
  double reference = -1;   // the first model's score on it (-1: none)
  double score = -1;       // the model's score on it (-1: none)
  double drop = 0;         // reference - score when both are known, else 0
  double agreement = -1;   // with the first model (-1: none)
};

// The images of `r.models[model]` (model >= 1), worst first; images with neither a score nor an agreement are
// left out. Empty for the first model itself or an index out of range.
std::vector<ImageHarm> imagesByHarm(const EvaluationResult& r, size_t model);

}  // namespace ql
