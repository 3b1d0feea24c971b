// quantlens-cli debug --quant Q [--float F] (--input FILE ... | --images DIR) [--mode per-layer|whole-model]
//                     [--csv OUT] [--json OUT] [--mean M|R,G,B --std S|R,G,B]
// Per-layer quantization error, as TFLite's QuantizationDebugger computes it, from the files alone.
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <memory>

#include "analysis/debug_report.h"
#include "analysis/debug_samples.h"
#include "analysis/detection/detection_json.h"
#include "analysis/dequantized_twin.h"
#include "analysis/op_matching.h"
#include "analysis/quant_debugger.h"
#include "cli_progress.h"
#include "command.h"
#include "input_loading.h"
#include "run_options.h"
#include "model/reader.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql::cli {
namespace {

// Converter-made names join every fused op's name with ';': the first one says enough on one line.
std::string shortName(const std::string& name) {
  std::string first = name.substr(0, name.find(';'));
  if (first.size() > 70) first = first.substr(0, 67) + "...";
  return first;
}

void printSummary(const DebugReport& r, const std::string& quant_path) {
  std::cout << quant_path << ": " << debugModeName(r.mode) << " error against the "
            << (r.dequantized_twin ? "dequantized twin" : "float model") << ", " << r.inputs.size() << " input(s), "
            << r.layers.size() << " quantized op outputs\n";
  std::vector<const LayerRow*> worst;
  for (const LayerRow& row : r.layers) worst.push_back(&row);
  std::sort(worst.begin(), worst.end(), [](auto* a, auto* b) { return a->rmse_over_scale > b->rmse_over_scale; });
  std::cout << "worst layers by rmse/scale (ideal 0.289):\n";
  for (size_t i = 0; i < std::min<size_t>(10, worst.size()); ++i)
    std::cout << "  op " << std::setw(4) << worst[i]->op_index << "  " << std::setw(22) << std::left
              << worst[i]->op_name << std::right << "  rmse/scale " << std::fixed << std::setprecision(3)
              << worst[i]->rmse_over_scale << "  max abs " << std::setprecision(5) << worst[i]->stats.max_abs_error
              << std::defaultfloat << "  " << shortName(worst[i]->tensor_name) << "\n";
  for (const OutputComparison& o : r.outputs) {
    std::cout << "output '" << o.name << "': mse " << o.mean_squared_error << ", max abs " << o.max_abs_error;
    if (o.top1_agreement >= 0) std::cout << ", top-1 agreement " << o.top1_agreement * 100 << "%";
    std::cout << "\n";
  }
  if (!r.unmatched.empty()) std::cout << r.unmatched.size() << " quantized op(s) have no float counterpart\n";
  for (const AnalysisWarning& w : r.warnings) std::cout << "warning (" << w.kind << "): " << w.message << "\n";
}

}  // namespace

Command addDebugCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("debug", "Per-layer quantization error of a quantized model against its float twin");
  struct Args {
    std::string quant, flt, images, csv, json, mode = "per-layer";
    std::vector<std::string> inputs;
    Preprocess pre;
    size_t max_memory_mb = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--quant", a->quant, "the quantized .tflite")->required();
  cmd->add_option("--float", a->flt, "its float twin; without it, the quantized model's dequantized twin");
  auto* in = cmd->add_option("--input", a->inputs, "an image, or a raw .bin in the float model's input type and shape");
  auto* imgs = cmd->add_option("--images", a->images, "a directory of images (every .jpg/.png/.bmp in it)");
  in->excludes(imgs);
  cmd->add_option("--mode", a->mode, "per-layer (error each op adds) or whole-model (error accumulated)")
      ->check(CLI::IsMember({"per-layer", "whole-model"}));
  cmd->add_option("--csv", a->csv, "write the layer table as CSV (TFLite layer_statistics_dump columns first)");
  cmd->add_option("--json", a->json, "write the whole report as JSON");
  addPreprocessOptions(*cmd, a->pre, PreprocessOptions{}, false);
  addMaxMemoryOption(*cmd, a->max_memory_mb);
  return {cmd, [a]() {
            if (a->inputs.empty() && a->images.empty()) badInput("", "give --input FILE (one or more) or --images DIR");
            for (const std::string* out : {&a->csv, &a->json})
              if (!out->empty() && (sameFile(*out, a->quant) || (!a->flt.empty() && sameFile(*out, a->flt))))
                badInput(*out, "is an input model; choose another output path");
            auto q = std::make_shared<const Model>(readModel(a->quant));
            std::shared_ptr<const Model> fm;
            OpMatching matching;
            if (a->flt.empty()) {
              auto twin = std::make_shared<DequantizedTwin>(makeDequantizedTwin(*q));
              matching = twinMatching(*twin, *q);
              fm = std::shared_ptr<const Model>(twin, &twin->model);  // keeps the whole twin alive
            } else {
              fm = std::make_shared<const Model>(readModel(a->flt));
              matching = matchOps(*fm, *q);
            }
            const PreprocessOptions pre = preprocessOptions(a->pre, PreprocessOptions{});
            const std::vector<std::string> files = a->images.empty() ? a->inputs : listImages(a->images);
            const SampleSource samples = fileSamples(fm, q, files, pre);
            StderrProgress progress("debug");
            DebugReport report = runQuantDebugger(fm, q, matching,
                                                  a->mode == "whole-model" ? DebugMode::WholeModel : DebugMode::PerLayer,
                                                  samples, progress, maxMemoryBytes(a->max_memory_mb));
            if (!a->csv.empty()) writeFileAtomically(a->csv, debugReportCsv(report));
            if (!a->json.empty()) {
              nlohmann::json j = debugReportJson(report);
              // Detectors: what quantization changed in the boxes, per input.
              if (std::optional<DetectorProfile> profile = recognizedDetectorProfile(*q)) {
                j["detections"] = nlohmann::json::array();
                std::vector<DetectorComparisonRun> runs = compareDetectorsOnFiles(*fm, *q, *profile, files, pre);
                for (size_t i = 0; i < runs.size(); ++i)
                  j["detections"].push_back(detectorComparisonRunToJson(runs[i], files[i]));
              }
              writeFileAtomically(a->json, j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
            }
            printSummary(report, a->quant);
            return 0;
          }};
}

}  // namespace ql::cli
