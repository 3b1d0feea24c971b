// quantlens-cli evaluate --model M [--model M2 ...] (--images DIR | --input FILE ...) [--annotations PATH]
//                        [--format coco|yolo|voc|folders|csv] [--annotation-labels FILE] [--model-labels FILE]
//                        [--class-map FILE] [--mean ... --std ... --resize ... --pad ...] [--json OUT] [--csv OUT]
// What quantization cost, measured: mAP / top-k accuracy / mean IoU on annotated images, and the agreement of
// every model with the first one.
#include <filesystem>
#include <iostream>
#include <memory>

#include "analysis/evaluation/annotations.h"
#include "analysis/evaluation/evaluation.h"
#include "analysis/evaluation/evaluation_report.h"
#include "analysis/evaluation/interpreter_predictor.h"
#include "analysis/labels.h"
#include "cli_progress.h"
#include "command.h"
#include "input_loading.h"
#include "model/reader.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql::cli {

Command addEvaluateCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "evaluate", "mAP / accuracy / mean IoU of models on annotated images, and their agreement with the first model");
  struct Args {
    std::vector<std::string> models, inputs;
    std::string images, annotations, format, annotation_labels, model_labels, class_map, json, csv;
    Preprocess pre;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("--model", a->models,
                  "a .tflite model; repeat for more (float, quantized, selective): the first is the reference of "
                  "the agreement")
      ->required();
  auto* imgs = cmd->add_option("--images", a->images, "a folder of images (every .jpg/.png/.bmp in it)");
  auto* in = cmd->add_option("--input", a->inputs, "image files, one or more");
  in->excludes(imgs);
  cmd->add_option("--annotations", a->annotations,
                  "ground truth: a COCO .json, a YOLO label folder, a Pascal VOC folder (.xml boxes or .png label "
                  "maps), a folder of class folders, or a file,label .csv; without it only the agreement is measured");
  cmd->add_option("--format", a->format, "the annotations' format (default: told from the path)")
      ->check(CLI::IsMember({"coco", "yolo", "voc", "folders", "csv"}));
  cmd->add_option("--annotation-labels", a->annotation_labels,
                  "class names of the annotations, line i names class i (YOLO without classes.txt/data.yaml, VOC "
                  "label maps, numeric CSV labels)");
  cmd->add_option("--model-labels", a->model_labels,
                  "the models' labels (line i names class i, or a .pbtxt map); default: the labels packed in each "
                  "model");
  cmd->add_option("--class-map", a->class_map,
                  "model_class,annotation_category lines (names or numbers) instead of matching labels by name");
  cmd->add_option("--json", a->json, "write metrics, per-class results and per-image predictions as JSON");
  cmd->add_option("--csv", a->csv, "write model,metric,value rows");
  addPreprocessOptions(*cmd, a->pre, PreprocessOptions{}, true);
  cmd->footer(
      "Detectors: every head `detect` recognizes (TFLite_Detection_PostProcess, YOLO [1,4+C,N] and [1,K,6], "
      "BlazeFace), decoded and preprocessed as its profile says (the flags override), keeping every detection down "
      "to score 0.001 and at most 100 per image after NMS, as COCO's protocol asks; classifiers give [1,C] scores, segmenters [1,H,W] classes or [1,H,W,C] "
      "scores. Agreement: AP@[.5:.95] against the first model's detections of score >= 0.5, top-1 agreement, "
      "mask IoU.");
  return {cmd, [a]() {
            if (a->inputs.empty() && a->images.empty() && a->format != "folders")
              badInput("", "give --images DIR or --input FILE (one or more)");
            if (a->annotations.empty() && a->format != "folders" && a->models.size() < 2)
              badInput("",
                       "without --annotations, give two or more --model: the others are measured against the "
                       "first");
            for (const std::string* out : {&a->json, &a->csv})
              for (const std::string& m : a->models)
                if (!out->empty() && sameFile(*out, m)) badInput(*out, "is an input model; choose another output path");

            std::vector<EvaluatedModel> models;
            const std::vector<std::string> given_labels =
                a->model_labels.empty() ? std::vector<std::string>{} : loadLabels(a->model_labels);
            for (const std::string& path : a->models) {
              auto model = std::make_shared<const Model>(readModel(path));
              std::vector<std::string> labels = a->model_labels.empty() ? labelsFromModel(*model) : given_labels;
              models.push_back(interpreterModel(
                  model, [a](const PreprocessOptions& defaults) { return preprocessOptions(a->pre, defaults); },
                  std::move(labels)));
            }

            const ImageLocator images = !a->images.empty()   ? ImageLocator::folder(a->images)
                                        : !a->inputs.empty() ? ImageLocator::files(a->inputs)
                                                             : ImageLocator::files({});
            std::unique_ptr<Dataset> dataset;
            EvaluationInputs inputs;
            const std::string annotations =
                a->annotations.empty() && a->format == "folders" ? a->images : a->annotations;
            if (!annotations.empty()) {
              dataset = std::make_unique<Dataset>(
                  readAnnotations(annotationFormatFromName(a->format), annotations, images, a->annotation_labels));
              numberUnnamedLabelMapClasses(*dataset, models[0]);
              for (const std::string& m : dataset->missing)
                std::cerr << "evaluate: " << m << " is listed in " << annotations
                          << " but is not among the images: left out\n";
              inputs.dataset = dataset.get();
              for (const EvaluatedModel& m : models)
                inputs.mappings.push_back(classMappingFor(m, *dataset, a->class_map));
            } else {
              inputs.images = images.all();
            }

            StderrProgress progress("evaluate");
            EvaluationResult result = evaluateModels(models, inputs, progress);
            for (const ModelResult& m : result.models)
              for (const std::string& note : m.notes) std::cerr << "evaluate: " << m.model << ": " << note << "\n";
            if (!a->json.empty())
              writeFileAtomically(
                  a->json,
                  evaluationJson(result, models).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
            if (!a->csv.empty()) writeFileAtomically(a->csv, evaluationCsv(result));
            const size_t evaluated = result.models.empty() ? 0 : result.models[0].images.size();
            std::cout << "evaluated on " << evaluated << " image(s)"
                      << (result.annotations.empty() ? std::string(" (no annotations: agreement only)")
                                                     : " against " + result.annotations);
            if (!result.missing.empty()) std::cout << "; " << result.missing.size() << " listed image(s) missing";
            std::cout << "\n" << evaluationTable(result);
            return 0;
          }};
}

}  // namespace ql::cli
