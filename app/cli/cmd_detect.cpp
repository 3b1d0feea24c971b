// quantlens-cli detect MODEL IMAGE [--decoder FILE] [--resize stretch|letterbox] [--mean M|R,G,B --std S|R,G,B]
//   [--pad R,G,B] [--threshold T] [--iou T] [--nms hard|weighted] [--class-agnostic] [--max N] [--labels FILE]
//   [--json] [--draw OUT.png]
// Runs a detector on one image and prints its boxes in the original image's coordinates.
#include <iomanip>
#include <iostream>
#include <memory>

#include "analysis/detection/detector_profile_json.h"
#include "analysis/detection/detector_run.h"
#include "analysis/detection/draw_detections.h"
#include "analysis/labels.h"
#include "command.h"
#include "input_loading.h"
#include "run_options.h"
#include "model/reader.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql::cli {

namespace {

void printText(const std::vector<Detection>& dets, float threshold) {
  for (const Detection& d : dets) {
    std::cout << std::setw(3) << d.cls << "  " << std::setw(16) << std::left << detectionName(d) << std::right << "  score "
              << std::fixed << std::setprecision(3) << d.score << "  box (ymin xmin ymax xmax) " << d.ymin << " "
              << d.xmin << " " << d.ymax << " " << d.xmax << std::defaultfloat << "\n";
  }
  // Only detections go to stdout (one line each), so scripts can count lines.
  if (dets.empty()) std::cerr << "no detection at or above " << threshold << "\n";
}

}  // namespace

Command addDetectCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "detect",
      "Run a detector on an image and print its boxes. Heads: TFLite_Detection_PostProcess (SSD), raw SSD heads "
      "with MediaPipe anchors (BlazeFace), YOLO [1,4+C,N] (Ultralytics v8/v9/v11), [1,N,5+C] (v5, needs --decoder) "
      "and end-to-end [1,K,6]. Defaults come from the head's profile; flags override it.");
  struct Args {
    std::string model, image, labels, decoder, nms, draw;
    bool json = false, agnostic = false;
    float threshold = 0, iou = 0;
    int max = 0;
    Preprocess pre;
    size_t max_memory_mb = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("MODEL", a->model, "the .tflite detector")->required();
  cmd->add_option("IMAGE", a->image, "a .jpg/.png/.bmp image")->required();
  cmd->add_option("--decoder", a->decoder,
                  "a JSON detector profile (kind, mean, std, resize, pad, score_threshold, iou, nms, class_agnostic, "
                  "max_detections, anchors, box_scale); default: chosen from the model's outputs");
  auto* threshold = cmd->add_option("--threshold", a->threshold,
                                    "lowest score to report (default: the profile's: 0.3 for "
                                    "TFLite_Detection_PostProcess models, 0.25 for YOLO, 0.5 for MediaPipe SSD)");
  auto* iou = cmd->add_option("--iou", a->iou,
                              "NMS: a box is suppressed when its IoU with a better kept one is above this (default: "
                              "0.7 YOLO, 0.3 MediaPipe SSD; not for TFLite_Detection_PostProcess, whose own NMS ran)");
  auto* nms = cmd->add_option("--nms", a->nms,
                              "hard (keep the best, drop overlaps) or weighted (blend overlaps, MediaPipe) (default: "
                              "hard for YOLO, weighted for MediaPipe SSD; not for TFLite_Detection_PostProcess)")
                  ->check(CLI::IsMember({"hard", "weighted"}));
  auto* agnostic = cmd->add_flag("--class-agnostic", a->agnostic,
                                 "NMS across classes (default: boxes suppress only boxes of their own class)");
  auto* max = cmd->add_option("--max", a->max,
                              "report at most N boxes (default 100; not for TFLite_Detection_PostProcess, whose "
                              "max_detections option decides)")
                  ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--json", a->json,
                "print {\"image\", \"model\", \"detections\": [{\"box\": [ymin, xmin, ymax, xmax] normalized to the "
                "image, \"box_px\": the same in pixels, \"class\", \"label\", \"score\", \"keypoints\": [[x, y], ...] "
                "where the head has them}]}");
  cmd->add_option("--draw", a->draw, "also write the image with boxes, labels and scores (.png, .jpg or .bmp)");
  cmd->add_option("--labels", a->labels,
                  "labels: one per line (line i names class i) or a .pbtxt label map (id 1 is class 0); default: "
                  "the label file packed in the model, if any");
  addPreprocessOptions(*cmd, a->pre, PreprocessOptions{}, true);
  addMaxMemoryOption(*cmd, a->max_memory_mb);
  return {cmd, [a, threshold, iou, nms, agnostic, max]() {
            if (!a->draw.empty() && (sameFile(a->draw, a->image) || sameFile(a->draw, a->model)))
              badInput(a->draw, "is an input; choose another --draw path");
            Model model = readModel(a->model);
            DetectorProfile profile = a->decoder.empty() ? profileFor(model) : readDetectorProfile(a->decoder);
            profile.preprocess = preprocessOptions(a->pre, profile.preprocess);
            if (threshold->count()) profile.score_threshold = a->threshold;
            if (iou->count()) profile.iou = a->iou;
            if (nms->count()) profile.nms = a->nms == "weighted" ? NmsKind::Weighted : NmsKind::Hard;
            if (agnostic->count()) profile.class_agnostic = true;
            if (max->count()) profile.max_detections = a->max;
            if (profile.kind == HeadKind::DetectionPostProcess && (iou->count() || nms->count() || max->count() ||
                                                                   agnostic->count()))
              std::cerr << "note: --iou, --nms, --max and --class-agnostic do not apply to "
                           "TFLite_Detection_PostProcess, whose own NMS ran\n";
            const std::vector<std::string> labels = resolveLabels(model, a->labels, profileClassCount(profile, model));
            const Subgraph& sg = model.subgraphs[0];
            if (sg.inputs.size() != 1) unsupported(a->model, "detect takes models with one image input");
            const PreparedInput input = imageFileToInput(
                a->image, inputSpecOf(sg.tensors.at(static_cast<size_t>(sg.inputs[0]))), profile.preprocess);
            InterpreterOptions run_options;
            run_options.max_memory = maxMemoryBytes(a->max_memory_mb);
            printWarnings(model.load_warnings);
            std::vector<Detection> dets = runDetector(model, profile, input.bytes, input.transform, run_options);
            labelDetections(dets, labels);
            if (!a->draw.empty()) drawDetections(a->image, dets, a->draw);
            if (!a->json) {
              printText(dets, profile.score_threshold);
              return 0;
            }
            nlohmann::json j{{"image", a->image}, {"model", a->model}, {"detections", nlohmann::json::array()}};
            for (const Detection& d : dets)
              j["detections"].push_back(
                  detectionToJson(d, input.transform.original_width, input.transform.original_height));
            std::cout << j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
            return 0;
          }};
}

}  // namespace ql::cli
