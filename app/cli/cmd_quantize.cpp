// quantlens-cli quantize FLOAT.tflite (--input FILE ... | --images DIR) [--calibration minmax|percentile|mse]
//                        [--percentile P] [--per-tensor] [--io float|int8|uint8] [--keep-float OP,...]
//                        [--mean ... --std ...] -o OUT.tflite
// Full-integer post-training quantization of a float model, as TFLite's converter does it.
#include <iostream>
#include <memory>

#include "analysis/quantize/calibration_files.h"
#include "analysis/quantize/quantize_model.h"
#include "cli_progress.h"
#include "command.h"
#include "input_loading.h"
#include "model/reader.h"
#include "model/writer.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace ql::cli {

Command addQuantizeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("quantize", "Quantize a float model to full int8, calibrated on images or raw inputs");
  struct Args {
    std::string in, out, images, calibration = "minmax", io = "float";
    std::vector<std::string> inputs, keep;
    double percentile = 99.99;
    bool per_tensor = false;
    Preprocess pre;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("FLOAT_MODEL", a->in, "the float .tflite (float32 or float16 weights)")->required();
  auto* in = cmd->add_option("--input", a->inputs,
                             "a calibration input: an image, or a raw .bin in the model's input type and shape");
  auto* imgs = cmd->add_option("--images", a->images, "a directory of calibration images (every .jpg/.png/.bmp in it)");
  in->excludes(imgs);
  cmd->add_option("--calibration", a->calibration, "how activation ranges are estimated")
      ->check(CLI::IsMember({"minmax", "percentile", "mse"}))
      ->capture_default_str();
  cmd->add_option("--percentile", a->percentile, "the percentile of --calibration percentile")
      ->check(CLI::Range(50.0, 100.0))
      ->capture_default_str();
  cmd->add_flag("--per-tensor", a->per_tensor, "one scale per weight tensor instead of one per output channel");
  cmd->add_option("--io", a->io, "type of the model's inputs and outputs")
      ->check(CLI::IsMember({"float", "int8", "uint8"}))
      ->capture_default_str();
  cmd->add_option("--keep-float", a->keep, "ops (indices or output tensor names of the float model) left in float")
      ->delimiter(',');
  addPreprocessOptions(*cmd, a->pre, PreprocessOptions{}, false);
  cmd->add_option("-o,--output", a->out, "the int8 .tflite to write")->required();
  return {cmd, [a]() {
            if (a->inputs.empty() && a->images.empty()) badInput("", "give --input FILE (one or more) or --images DIR");
            if (a->in == a->out || sameFile(a->in, a->out))
              badInput(a->out, "is the input model; choose another output path");
            Model f = readModel(a->in);
            QuantizeOptions opt;
            opt.estimator = rangeEstimatorFromName(a->calibration);
            opt.percentile = a->percentile;
            opt.per_tensor = a->per_tensor;
            opt.io = ioTypeFromName(a->io);
            opt.keep_float = a->keep;
            checkQuantizable(f, opt);
            const PreprocessOptions pre = preprocessOptions(a->pre, PreprocessOptions{});
            const CalibrationSet set =
                calibrationSetFromFiles(f, a->images.empty() ? a->inputs : listImages(a->images), pre);
            StderrProgress progress("quantize");
            QuantizeResult r = quantizeModel(f, set, opt, progress);
            writeModel(r.model, a->out);
            std::cout << "wrote " << a->out << ": " << r.model.subgraphs[0].ops.size() << " ops, I/O " << a->io << "\n";
            for (const std::string& n : r.notes) std::cout << "  " << n << "\n";
            return 0;
          }};
}

}  // namespace ql::cli
