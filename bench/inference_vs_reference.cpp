// Whole-model inference time of quantlens's interpreter next to the real TFLite runtime (../shared/oracle,
// `--bench 50`, 1 thread) in the same run, and the ratio quantlens / reference (lower is better; the target
// for the interpreter is <= 2.0). Not a CI gate: run it by hand, `build/release/bench/inference_vs_reference`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/reader.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace {

std::string sharedDir() {
  const char* env = std::getenv("QUANTLENS_SHARED");
  return env && *env ? env : QL_DEFAULT_SHARED_DIR;
}

std::vector<uint8_t> slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

double quantlensMedianMs(const std::string& model_path, const std::vector<std::string>& inputs, int runs) {
  ql::Interpreter interp(std::make_shared<const ql::Model>(ql::readModel(model_path)));
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto bytes = slurp(inputs[i]);
    interp.setInput(i, bytes.data(), bytes.size());
  }
  for (int i = 0; i < 3; ++i) interp.invoke();
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    interp.invoke();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

double referenceMedianMs(const std::string& runner, const std::string& model, const std::vector<std::string>& inputs,
                         int runs) {
  std::string out = (fs::temp_directory_path() / "quantlens-bench-ref").string();
  std::string cmd = "node '" + runner + "' '" + model + "' '" + out + "'";
  for (auto& i : inputs) cmd += " '" + i + "'";
  cmd += " --bench " + std::to_string(runs) + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return -1;
  char line[4096];
  double median = -1;
  while (fgets(line, sizeof line, p)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("median_ms")) median = j["median_ms"].get<double>();
  }
  pclose(p);
  fs::remove_all(out);
  return median;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? std::atoi(argv[1]) : 50;
  std::string shared = sharedDir();
  if (!fs::exists(shared + "/golden")) {
    std::cerr << "../shared is absent: nothing to measure\n";
    return 0;
  }
  struct Case {
    const char* name;
    const char* runner;
  };
  const Case cases[] = {{"mobilenet_v1_0.25_128_quant", "litert_run.mjs"},
                        {"mobilenet_v2_quantized_1x3x224x224", "litert_run.mjs"},
                        {"coco_ssd_mobilenet_v1_1.0_quant", "tfjs_tflite_run.cjs"}};
  std::printf("%-38s %12s %12s %8s\n", "model", "quantlens ms", "tflite ms", "ratio");
  for (const Case& c : cases) {
    std::string gdir = shared + "/golden/" + c.name;
    auto manifest = nlohmann::json::parse(std::ifstream(gdir + "/manifest.json"));
    std::string model = shared + "/" + manifest["model"].get<std::string>();
    std::vector<std::string> inputs;
    for (auto& i : manifest["inputs"]) inputs.push_back(gdir + "/" + i.get<std::string>());
    double ours = -1;
    try {
      ours = quantlensMedianMs(model, inputs, runs);
    } catch (const ql::Error& e) {
      std::printf("%-38s %s\n", c.name, e.what());
      continue;
    }
    double ref = referenceMedianMs(shared + "/oracle/" + c.runner, model, inputs, runs);
    std::printf("%-38s %12.2f %12.2f %8.2f\n", c.name, ours, ref, ref > 0 ? ours / ref : 0.0);
  }
  return 0;
}
