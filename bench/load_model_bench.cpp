// How long opening (map + verify + decode) the largest shared models takes. Not a CI gate.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "model/reader.h"
#include "model/writer.h"

namespace {

std::string sharedModel(const char* name) {
  const char* env = std::getenv("QUANTLENS_SHARED");
  return std::string(env && *env ? env : QL_DEFAULT_SHARED_DIR) + "/models/" + name;
}

void BM_ReadModel(benchmark::State& state, const char* name) {
  std::string path = sharedModel(name);
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("../shared/models is absent");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(ql::readModel(path));
}

void BM_ReadWriteModel(benchmark::State& state, const char* name) {
  std::string path = sharedModel(name);
  if (!std::filesystem::exists(path)) {
    state.SkipWithError("../shared/models is absent");
    return;
  }
  ql::Model m = ql::readModel(path);
  for (auto _ : state) benchmark::DoNotOptimize(ql::serializeModel(m));
}

BENCHMARK_CAPTURE(BM_ReadModel, coco_ssd, "coco_ssd_mobilenet_v1_1.0_quant.tflite")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ReadModel, yolov9t_f16, "yolov9t_320_float16.tflite")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ReadWriteModel, coco_ssd, "coco_ssd_mobilenet_v1_1.0_quant.tflite")->Unit(benchmark::kMillisecond);

}  // namespace
