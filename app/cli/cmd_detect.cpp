// quantlens-cli detect MODEL IMAGE [--json] [--threshold 0.3] [--labels FILE]: runs an SSD-style detector that
// ends in TFLite_Detection_PostProcess on one image and prints its detections.
#include <iomanip>
#include <iostream>
#include <memory>

#include "analysis/detections.h"
#include "analysis/labels.h"
#include "command.h"
#include "input_loading.h"
#include "run_options.h"
#include "model/reader.h"
#include "runtime/interpreter.h"
#include "util/error.h"

namespace ql::cli {

Command addDetectCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("detect", "Run a detector ending in TFLite_Detection_PostProcess on an image");
  struct Args {
    std::string model, image, labels;
    bool json = false;
    float threshold = 0.3f;
    Preprocess pre;
    size_t max_memory_mb = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("MODEL", a->model, "the .tflite detector")->required();
  cmd->add_option("IMAGE", a->image, "a .jpg/.png/.bmp image")->required();
  cmd->add_flag("--json", a->json, "print {\"image\", \"model\", \"detections\": [...]}");
  cmd->add_option("--threshold", a->threshold, "lowest score to report")->capture_default_str();
  cmd->add_option("--labels", a->labels,
                  "labels: one per line (line i names class i) or a .pbtxt label map (id 1 is class 0); default: "
                  "the label file packed in the model, if any");
  addPreprocessOptions(*cmd, a->pre);
  addMaxMemoryOption(*cmd, a->max_memory_mb);
  return {cmd, [a]() {
            Model model = readModel(a->model);
            if (detectionPostProcessOp(model) < 0)
              unsupported(a->model,
                          "the model has no TFLite_Detection_PostProcess op: detect takes SSD-style detectors");
            // --labels wins over a label file packed in the model; a leading background line is dropped.
            std::vector<std::string> labels = a->labels.empty() ? labelsFromModel(model) : loadLabels(a->labels);
            labels = alignLabelsToClasses(std::move(labels), detectionClassCount(model));
            InterpreterOptions opts;
            opts.max_memory = maxMemoryBytes(a->max_memory_mb);
            Interpreter interp(std::make_shared<const Model>(std::move(model)), opts);
            printWarnings(interp.warnings());
            if (interp.inputs().size() != 1) unsupported(a->model, "detect takes models with one image input");
            std::vector<uint8_t> input = loadInput(a->image, interp.input(0), a->pre);
            interp.setInput(0, input.data(), input.size());
            interp.invoke();
            std::vector<Detection> dets = readDetections(interp, a->threshold, labels);
            if (a->json) {
              nlohmann::json j{{"image", a->image}, {"model", a->model}, {"detections", nlohmann::json::array()}};
              for (const Detection& d : dets) j["detections"].push_back(detectionToJson(d));
              std::cout << j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            } else {
              for (const Detection& d : dets)
                std::cout << std::setw(3) << d.cls << "  " << std::setw(16) << std::left
                          << (d.label.empty() ? "class " + std::to_string(d.cls) : d.label) << std::right << "  score "
                          << std::fixed << std::setprecision(3) << d.score << "  box (ymin xmin ymax xmax) " << d.ymin
                          << " " << d.xmin << " " << d.ymax << " " << d.xmax << std::defaultfloat << "\n";
              // Only detections go to stdout (one line each), so scripts can count lines.
              if (dets.empty()) std::cerr << "no detection at or above " << a->threshold << "\n";
            }
            return 0;
          }};
}

}  // namespace ql::cli
