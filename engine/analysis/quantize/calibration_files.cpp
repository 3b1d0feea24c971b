#include "analysis/quantize/calibration_files.h"

#include "util/error.h"

namespace ql {

CalibrationSet calibrationSetFromFiles(const Model& float_model, std::vector<std::string> files,
                                       const PreprocessOptions& preprocess) {
  const Subgraph& sg = float_model.subgraphs.at(0);
  if (sg.inputs.size() != 1)
    unsupported(float_model.path,
                "quantize calibrates models with one input; this one has " + std::to_string(sg.inputs.size()));
  const InputSpec spec = inputSpecOf(sg.tensors.at(static_cast<size_t>(sg.inputs[0])));
  CalibrationSet set;
  set.count = files.size();
  set.load = [files = std::move(files), spec, preprocess](size_t i) {
    return CalibrationSample{files[i], {loadModelInput(files[i], spec, preprocess).bytes}};
  };
  return set;
}

}  // namespace ql
