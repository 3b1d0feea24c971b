// Running a detector on one prepared input and comparing two detectors' boxes: what `detect`, `debug` and the app
// call, so that none of them decodes on its own.
#pragma once

#include <optional>
#include <vector>

#include "analysis/detection/comparison.h"
#include "analysis/detection/detector_profile.h"
#include "analysis/detections.h"
#include "runtime/interpreter.h"
#include "vision/preprocess.h"

namespace ql {

// Runs `model` (one input) on `input` (its raw bytes) and decodes the outputs with `profile`; boxes are mapped to
// the original image through `transform`. `options` sets the interpreter's memory limit and cancel flag.
std::vector<Detection> runDetector(const Model& model, const DetectorProfile& profile,
                                   const std::vector<uint8_t>& input, const LetterboxTransform& transform,
                                   const InterpreterOptions& options = {});

// The same on an interpreter kept by the caller (evaluation runs one per model over many images): after
// invoke(), its outputs decoded with `profile`; outputs the profile cannot read are BadInput naming the model.
std::vector<Detection> decodeInterpreterDetections(const Interpreter& interp, const DetectorProfile& profile,
                                                   const LetterboxTransform& transform);

// The profile of a detector quantlens recognizes by itself, or nothing (classifiers, ambiguous heads).
std::optional<DetectorProfile> recognizedDetectorProfile(const Model& model);

struct DetectorComparisonRun {
  std::vector<Detection> first, second;
  DetectionComparison comparison;
};
// Both models on one sample (each fed its own bytes of the same image), decoded with one profile and compared.
DetectorComparisonRun compareDetectorRuns(const Model& first, const std::vector<uint8_t>& first_input,
                                          const Model& second, const std::vector<uint8_t>& second_input,
                                          const DetectorProfile& profile, const LetterboxTransform& transform,
                                          const ComparisonOptions& options = {});

// compareDetectorRuns on each file (an image, or a raw tensor of the first model's input): the first model gets it
// prepared with `preprocess`, the second the same real values in its own input type (convertInput).
std::vector<DetectorComparisonRun> compareDetectorsOnFiles(const Model& first, const Model& second,
                                                           const DetectorProfile& profile,
                                                           const std::vector<std::string>& files,
                                                           const PreprocessOptions& preprocess,
                                                           const ComparisonOptions& options = {});

}  // namespace ql
