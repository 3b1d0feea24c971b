// What calibrating costs next to running the float model: 100 images (the shared photos, cycled, decoded once
// beforehand) through the float model, then through calibrate() and the range estimation of every tensor, for
// each estimator. Target: calibration <= 1.5x the float runs. Prints one ratio per model and estimator.
// Best of three runs each, in processor time. Run by hand: `build/release/bench/quantize_calibration [MODEL ...]` (default: the face detector and YOLOv9-tiny).
#include <algorithm>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/quantize/calibration.h"
#include "analysis/quantize/quantize_model.h"
#include "analysis/quantize/range_estimator.h"
#include "model/reader.h"
#include "runtime/interpreter.h"
#include "vision/preprocess.h"

namespace fs = std::filesystem;

namespace {

// Processor time of this (single-threaded) process: the machine may be shared, wall time would measure the others.
double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::vector<std::string> photos(const std::string& shared) {
  std::vector<std::string> out;
  for (const std::string& dir : {shared + "/images", shared + "/images/coco"}) {
    if (!fs::is_directory(dir)) continue;
    for (auto& e : fs::directory_iterator(dir)) {
      std::string ext = e.path().extension().string();
      if (ext == ".jpg" || ext == ".bmp") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  const char* env = std::getenv("QUANTLENS_SHARED");
  std::string shared = env && *env ? env : QL_DEFAULT_SHARED_DIR;
  std::vector<std::string> models;
  for (int i = 1; i < argc; ++i) models.push_back(argv[i]);
  if (models.empty())
    models = {shared + "/models/face_detection_short_range.tflite", shared + "/models/yolov9t_320_float16.tflite"};
  std::vector<std::string> files = photos(shared);
  if (files.empty()) {
    std::fprintf(stderr, "no photos under %s/images: nothing to measure\n", shared.c_str());
    return 0;
  }
  constexpr size_t kImages = 100;
  for (const std::string& path : models) {
    if (!fs::exists(path)) {
      std::fprintf(stderr, "%s is absent: skipped\n", path.c_str());
      continue;
    }
    ql::Model model = ql::readModel(path);
    const ql::Subgraph& sg = model.subgraphs[0];
    const ql::Tensor& in = sg.tensors[static_cast<size_t>(sg.inputs[0])];
    // [-1, 1] for the face detector, [0, 1] otherwise: the values only need to be the model's kind of input.
    ql::PreprocessOptions options;
    if (path.find("yolo") != std::string::npos) options.norm = {{0.f}, {255.f}};
    std::vector<std::vector<uint8_t>> inputs;
    for (size_t i = 0; i < kImages; ++i)
      inputs.push_back(ql::imageFileToInput(files[i % files.size()], ql::inputSpecOf(in), options).bytes);
    ql::CalibrationSet set;
    set.count = kImages;
    set.load = [&](size_t i) { return ql::CalibrationSample{files[i % files.size()], {inputs[i]}}; };

    // Best of three of everything: other processes on a shared machine only ever add time.
    double plain = 1e30;
    for (int rep = 0; rep < 3; ++rep) {
      double start = cpuSeconds();
      ql::Interpreter interp(model);
      for (const auto& bytes : inputs) {
        interp.setInput(0, bytes.data(), bytes.size());
        interp.invoke();
      }
      plain = std::min(plain, cpuSeconds() - start);
    }
    std::printf("%s: float model on %zu images %.3f s of processor time\n", fs::path(path).filename().c_str(), kImages, plain);
    for (ql::RangeEstimator e : {ql::RangeEstimator::MinMax, ql::RangeEstimator::Percentile, ql::RangeEstimator::Mse}) {
      ql::NoProgress quiet;
      double t = 1e30;
      float checksum = 0;
      uint64_t values = 0;
      for (int rep = 0; rep < 3; ++rep) {
        double start = cpuSeconds();
        ql::CalibrationStats stats =
            ql::calibrate(model, set, e != ql::RangeEstimator::MinMax, quiet, ql::tensorsToCalibrate(model));
        checksum = 0, values = 0;
        for (const auto& h : stats.tensors)
          if (h) checksum += ql::estimateRange(*h, e).max, values += h->seen();
        t = std::min(t, cpuSeconds() - start);
      }
      std::printf("  calibration %-10s %.3f s  ratio %.2f (target <= 1.5)  [%.1f M values per image, checksum %g]\n",
                  ql::rangeEstimatorName(e), t, t / plain, static_cast<double>(values) / kImages / 1e6,
                  static_cast<double>(checksum));
    }
  }
  return 0;
}
