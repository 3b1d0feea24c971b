// Calibration: the float model runs through quantlens's interpreter on each calibration input, one at a time, and
// an observer folds every float activation it computes (and the model inputs) into that tensor's running
// statistics, as TFLite's calibrator logs each op's tensors.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "analysis/quantize/tensor_histogram.h"
#include "model/graph.h"
#include "util/progress.h"

namespace ql {

struct CalibrationSample {
  std::string description;                  // a file name, for progress and messages
  std::vector<std::vector<uint8_t>> inputs;  // raw bytes of each model input (its dtype and shape)
};

// Inputs are loaded one at a time, so a large calibration set never sits in memory.
struct CalibrationSet {
  size_t count = 0;
  std::function<CalibrationSample(size_t)> load;
};

struct CalibrationStats {
  // Per tensor of subgraph 0: its statistics, or null for tensors no run produced as float32 (constants,
  // integer tensors).
  std::vector<std::unique_ptr<TensorHistogram>> tensors;
  size_t samples = 0;

  const TensorHistogram* of(int tensor) const {
    return tensor >= 0 && static_cast<size_t>(tensor) < tensors.size() ? tensors[static_cast<size_t>(tensor)].get()
                                                                       : nullptr;
  }
};

// `histograms` false records min/max only (all the min/max estimator needs); `wanted` (per tensor, empty for all)
// limits the work to the tensors whose ranges will be used. Throws Cancelled when `progress` asks to stop,
// BadInput for an empty set or inputs of the wrong size.
CalibrationStats calibrate(const Model& float_model, const CalibrationSet& set, bool histograms, Progress& progress,
                           const std::vector<bool>& wanted = {});

}  // namespace ql
