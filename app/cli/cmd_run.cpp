// quantlens-cli run MODEL --input FILE ... --out DIR [--force] [--all-tensors] [--feed DIR] [--arithmetic ...]:
// runs a model with quantlens's own interpreter and writes its tensors in the golden format.
#include <iostream>
#include <memory>

#include "command.h"
#include "input_loading.h"
#include "run_options.h"
#include "model/reader.h"
#include "runtime/interpreter.h"
#include "runtime/tensor_dump.h"
#include "util/atomic_write.h"
#include "util/error.h"
#include "util/output_directory.h"

namespace ql::cli {

Command addRunCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("run", "Run a model with quantlens's interpreter and write its tensors");
  struct Args {
    std::string model, out, feed, arithmetic = "deployed";
    std::vector<std::string> inputs;
    bool all = false, force = false;
    Preprocess pre;
    size_t max_memory_mb = 0;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("MODEL", a->model, "the .tflite file")->required();
  cmd->add_option("--input", a->inputs,
                  "one per subgraph input, in order: a raw .bin tensor or an image (.jpg/.png/.bmp)");
  cmd->add_option("--out", a->out, "directory for t<index>.bin files and manifest.json")->required();
  cmd->add_flag("--all-tensors", a->all, "write every non-constant tensor, not only the outputs");
  cmd->add_flag("--force", a->force, "write into --out even when it holds files of something else");
  cmd->add_option("--feed", a->feed,
                  "a tensor dump directory: each op reads its inputs from it where it has them");
  cmd->add_option("--arithmetic", a->arithmetic, "deployed (TFLite CPU as shipped) or reference (fixed point)")
      ->check(CLI::IsMember({"deployed", "reference"}));
  addPreprocessOptions(*cmd, a->pre, PreprocessOptions{}, false);
  addMaxMemoryOption(*cmd, a->max_memory_mb);
  return {cmd, [a]() {
            auto model = std::make_shared<const Model>(readModel(a->model));
            checkOutputDirectory(a->out, a->force);
            InterpreterOptions opts;
            opts.arithmetic = a->arithmetic == "reference" ? Arithmetic::Reference : Arithmetic::Deployed;
            opts.max_memory = maxMemoryBytes(a->max_memory_mb);
            Interpreter interp(model, opts);
            printWarnings(interp.model().load_warnings);
            printWarnings(interp.warnings());
            std::unique_ptr<DumpFeeder> feeder;
            std::vector<std::string> input_files = a->inputs;
            if (!a->feed.empty()) {
              feeder = std::make_unique<DumpFeeder>(a->feed);
              interp.setFeeder(feeder.get());
            }
            if (input_files.size() != interp.inputs().size())
              badInput(a->model, "the model has " + std::to_string(interp.inputs().size()) + " inputs but " +
                                     std::to_string(input_files.size()) + " --input were given");
            DumpInfo info;
            info.model_path = a->model;
            info.runtime = std::string("quantlens ") + QUANTLENS_VERSION;
            info.all_tensors = a->all;
            info.model_outputs.assign(interp.outputs().begin(), interp.outputs().end());
            const PreprocessOptions pre = preprocessOptions(a->pre, PreprocessOptions{});
            const Subgraph& sg = model->subgraphs[0];
            for (size_t i = 0; i < input_files.size(); ++i) {
              std::vector<uint8_t> bytes =
                  loadModelInput(input_files[i], inputSpecOf(sg.tensors.at(static_cast<size_t>(sg.inputs[i]))), pre)
                      .bytes;
              interp.setInput(i, bytes.data(), bytes.size());
              info.input_description += (i ? ", " : "") + input_files[i];
              info.inputs.push_back(std::move(bytes));
            }
            std::unique_ptr<TensorRecorder> rec =
                a->all ? std::make_unique<TensorRecorder>()
                       : std::make_unique<TensorRecorder>(std::vector<int>(interp.outputs().begin(),
                                                                           interp.outputs().end()));
            interp.addObserver(rec.get());
            interp.invoke();
            // A model output no op produces (an input passed straight through) is written too.
            for (int32_t o : interp.outputs())
              if (!rec->records().count(o)) rec->onTensor(-1, o, interp.tensor(o));
            prepareOutputDirectory(a->out, a->force);
            writeTensorDump(a->out, interp.subgraph(), *rec, info);
            std::cerr << "wrote " << rec->records().size() << " tensors to " << a->out << "\n";
            return 0;
          }};
}

}  // namespace ql::cli
