// One model on one prepared image, as the app shows it: the boxes of a detector (every head the detection module
// decodes), the top-5 of a classifier, the class mask of a segmenter, or else its output tensors' statistics; and
// what changed between two such results (float vs quantized). No Qt: the app's run worker calls it per image.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/detection/comparison.h"
#include "analysis/detection/detector_profile.h"
#include "analysis/detections.h"
#include "vision/preprocess.h"

namespace ql {

enum class ImageTask { Detection, Classification, Segmentation, Statistics };
const char* imageTaskName(ImageTask t);  // "detection", "classification", "segmentation", "statistics"

// How a model runs on images: its task, its preprocessing, its detector profile (detectors only) and labels.
struct ImageRunSetup {
  ImageTask task = ImageTask::Statistics;
  PreprocessOptions preprocess;
  std::optional<DetectorProfile> detector;
  std::vector<std::string> labels;  // labels[i] names class i; may be empty
};

// The setup the model's outputs call for: a detector the detection module recognizes (its profile's
// preprocessing), a classifier ([1,C] or [1,1,1,C] scores), a segmenter ([1,H,W] classes or [1,H,W,C] scores),
// else statistics (default preprocessing: [-1, 1], stretched). Labels from the model's packed label file.
ImageRunSetup imageRunSetupFor(const Model& model);

// The boxes are decoded down to this score so that a score slider can filter them without a re-run.
constexpr float kImageRunScoreFloor = 0.05f;

struct OutputStatistics {
  std::string name;
  std::vector<int32_t> shape;
  std::vector<float> values;  // real values (dequantized), kept for the comparison
  float min = 0, max = 0, mean = 0, stddev = 0;
};

struct ImageRunResult {
  ImageTask task = ImageTask::Statistics;
  std::vector<Detection> detections;        // Detection: best first, score >= min(floor, profile threshold)
  std::vector<float> scores;                // Classification: every class's score
  std::vector<std::pair<int, float>> top5;  // Classification: (class, score), best first
  std::vector<int32_t> mask;                // Segmentation: class per input pixel, rows of mask_width
  int mask_width = 0, mask_height = 0;
  std::vector<OutputStatistics> outputs;    // every task: the model's outputs
  LetterboxTransform transform;             // the input's relation to the original image
};

// Runs `model` (one input) on `input` (its bytes for this model). Throws ql::Error from the interpreter or the
// decoders.
ImageRunResult runOnImage(const Model& model, const ImageRunSetup& setup, const PreparedInput& input);

// The detections with score >= threshold, in their order.
std::vector<Detection> detectionsAtOrAbove(const std::vector<Detection>& detections, float threshold);

struct ClassIou {
  int cls = 0;
  float iou = 0;
  int64_t first_pixels = 0, second_pixels = 0;
};

struct OutputDifference {
  std::string name;
  float max_abs = 0, rmse = 0;
};

// What changed from `first` (float) to `second` (quantized); the fields of the task both share.
struct ImageComparison {
  DetectionComparison detections;  // at `threshold`
  int first_top1 = -1;             // the first model's top-1 class
  int first_top1_rank_in_second = -1;  // 0-based rank of that class among the second's scores
  int64_t mask_disagreements = 0;  // pixels whose class differs (masks of one size)
  std::vector<uint8_t> disagreeing;  // per mask pixel: 1 where the classes differ
  std::vector<ClassIou> class_iou;  // every class either mask holds, ascending
  std::vector<OutputDifference> outputs;  // outputs of equal size, pairwise
};

ImageComparison compareImageRuns(const ImageRunResult& first, const ImageRunResult& second, float threshold,
                                 const ComparisonOptions& options = {});

// Shared with evaluation: the best five of `scores` (equal scores: the lower class first), and a class map from
// [1,H,W] classes or [1,H,W,C] scores (the highest wins, the first of equals).
std::vector<std::pair<int, float>> topFiveScores(const std::vector<float>& scores);
std::vector<int32_t> classMapOf(const std::vector<float>& values, const std::vector<int32_t>& shape, int* width,
                                int* height);

}  // namespace ql
