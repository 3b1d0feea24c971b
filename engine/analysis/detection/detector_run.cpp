#include "analysis/detection/detector_run.h"

#include "analysis/detection/decoders.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql {

std::vector<Detection> runDetector(const Model& model, const DetectorProfile& profile,
                                   const std::vector<uint8_t>& input, const LetterboxTransform& transform,
                                   const InterpreterOptions& options) {
  Interpreter interp(model, options);
  if (interp.inputs().size() != 1) unsupported(model.path, "detectors take models with one image input");
  interp.setInput(0, input.data(), input.size());
  interp.invoke();
  return decodeInterpreterDetections(interp, profile, transform);
}

std::vector<Detection> decodeInterpreterDetections(const Interpreter& interp, const DetectorProfile& profile,
                                                   const LetterboxTransform& transform) {
  try {
    return decodeDetections(profile, detectorOutputs(interp, profile), transform);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::BadInput) throw;
    badInput(interp.model().path, e.what());
  }
}

std::optional<DetectorProfile> recognizedDetectorProfile(const Model& model) {
  try {
    return profileFor(model);
  } catch (const Error&) {
    return std::nullopt;
  }
}

DetectorComparisonRun compareDetectorRuns(const Model& first, const std::vector<uint8_t>& first_input,
                                          const Model& second, const std::vector<uint8_t>& second_input,
                                          const DetectorProfile& profile, const LetterboxTransform& transform,
                                          const ComparisonOptions& options) {
  DetectorComparisonRun r;
  r.first = runDetector(first, profile, first_input, transform);
  r.second = runDetector(second, profile, second_input, transform);
  r.comparison = compareDetections(r.first, r.second, options);
  return r;
}

std::vector<DetectorComparisonRun> compareDetectorsOnFiles(const Model& first, const Model& second,
                                                           const DetectorProfile& profile,
                                                           const std::vector<std::string>& files,
                                                           const PreprocessOptions& preprocess,
                                                           const ComparisonOptions& options) {
  const Subgraph& fs = first.subgraphs.at(0);
  const Subgraph& ss = second.subgraphs.at(0);
  if (fs.inputs.size() != 1 || ss.inputs.size() != 1)
    unsupported(second.path, "detectors take models with one image input");
  const Tensor& ft = fs.tensors.at(static_cast<size_t>(fs.inputs[0]));
  const Tensor& st = ss.tensors.at(static_cast<size_t>(ss.inputs[0]));
  std::vector<DetectorComparisonRun> runs;
  for (const std::string& file : files) {
    const PreparedInput in = loadModelInput(file, inputSpecOf(ft), preprocess);
    runs.push_back(compareDetectorRuns(first, in.bytes, second, convertInput(ft, in.bytes, st), profile,
                                       in.transform, options));
  }
  return runs;
}

}  // namespace ql
