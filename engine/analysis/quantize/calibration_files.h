// A calibration set of files (images, or raw tensors of the model's input) for a model with one input: what
// `quantize` and the app's Quantize dialog calibrate on, each file prepared as `run` prepares it.
#pragma once

#include <string>
#include <vector>

#include "analysis/quantize/calibration.h"
#include "model/graph.h"
#include "vision/preprocess.h"

namespace ql {

// Files are read one at a time when calibration asks for them. Throws Unsupported naming the model when it has
// more than one input.
CalibrationSet calibrationSetFromFiles(const Model& float_model, std::vector<std::string> files,
                                       const PreprocessOptions& preprocess);

}  // namespace ql
