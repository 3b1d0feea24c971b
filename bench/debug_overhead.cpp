// What a per-layer debug pass costs next to plain inference: 20 images through the quantized model and its float
// reference (the dequantized twin), with and without the debugger. Target: debug <= 3x (float + quantized).
// Not a CI gate: run it by hand, `build/release/bench/debug_overhead [MODEL IMAGE_DIR]`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/dequantized_twin.h"
#include "analysis/op_matching.h"
#include "analysis/quant_debugger.h"
#include "model/reader.h"
#include "model/tensor_values.h"
#include "runtime/interpreter.h"
#include "vision/preprocess.h"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  const char* env = std::getenv("QUANTLENS_SHARED");
  std::string shared = env && *env ? env : QL_DEFAULT_SHARED_DIR;
  std::string model_path = argc > 1 ? argv[1] : shared + "/models/mobilenet_v1_0.25_128_quant.tflite";
  std::string image_dir = argc > 2 ? argv[2] : shared + "/images";
  if (!fs::exists(model_path)) {
    std::fprintf(stderr, "%s is absent: nothing to measure\n", model_path.c_str());
    return 0;
  }
  std::vector<std::string> images;
  for (auto& e : fs::directory_iterator(image_dir)) {
    std::string ext = e.path().extension().string();
    if (ext == ".jpg" || ext == ".bmp" || ext == ".png") images.push_back(e.path().string());
  }
  std::sort(images.begin(), images.end());
  if (images.empty()) return 0;
  ql::Model q = ql::readModel(model_path);
  ql::DequantizedTwin twin = ql::makeDequantizedTwin(q);
  ql::OpMatching matching = ql::twinMatching(twin, q);
  const ql::Tensor& fin = twin.model.subgraphs[0].tensors[static_cast<size_t>(twin.model.subgraphs[0].inputs[0])];
  const ql::Tensor& qin = q.subgraphs[0].tensors[static_cast<size_t>(q.subgraphs[0].inputs[0])];
  std::vector<ql::DebugSample> samples;
  for (int i = 0; i < 20; ++i) {
    const std::string& img = images[static_cast<size_t>(i) % images.size()];
    ql::DebugSample s;
    s.description = img;
    s.float_inputs.push_back(ql::imageFileToInput(img, ql::inputSpecOf(fin), {}).bytes);
    s.quant_inputs.push_back(ql::imageFileToInput(img, ql::inputSpecOf(qin), {}).bytes);
    samples.push_back(std::move(s));
  }
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  {
    ql::Interpreter qi(std::make_shared<const ql::Model>(q)), fi(std::make_shared<const ql::Model>(twin.model));
    for (const auto& s : samples) {
      qi.setInput(0, s.quant_inputs[0].data(), s.quant_inputs[0].size());
      qi.invoke();
      fi.setInput(0, s.float_inputs[0].data(), s.float_inputs[0].size());
      fi.invoke();
    }
  }
  double inference = std::chrono::duration<double>(clock::now() - t0).count();
  auto t1 = clock::now();
  ql::NoProgress progress;
  ql::DebugReport r = ql::runQuantDebugger(std::make_shared<const ql::Model>(twin.model),
                                           std::make_shared<const ql::Model>(q), matching, ql::DebugMode::PerLayer,
                                           ql::samplesOf(samples), progress);
  double debug = std::chrono::duration<double>(clock::now() - t1).count();
  std::printf("%s, 20 images: inference (quantized + float) %.3f s, per-layer debug %.3f s, ratio %.2f (%zu rows)\n",
              fs::path(model_path).filename().c_str(), inference, debug, debug / inference, r.layers.size());
  return 0;
}
