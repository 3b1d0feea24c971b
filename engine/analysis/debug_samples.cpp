#include "analysis/debug_samples.h"

#include "util/error.h"

namespace ql {

namespace {

const Tensor& onlyInput(const Model& m, const std::string& named_in_errors) {
  const Subgraph& sg = m.subgraphs.at(0);
  if (sg.inputs.size() != 1)
    unsupported(named_in_errors, "the debugger takes models with one input; this one has " +
                                     std::to_string(sg.inputs.size()));
  return sg.tensors.at(static_cast<size_t>(sg.inputs[0]));
}

}  // namespace

SampleSource fileSamples(std::shared_ptr<const Model> float_model, std::shared_ptr<const Model> quant_model,
                         std::vector<std::string> files, const PreprocessOptions& preprocess) {
  // The quantized model's path names the pair: a dequantized twin has no file of its own.
  onlyInput(*float_model, quant_model->path);
  onlyInput(*quant_model, quant_model->path);
  auto shared_files = std::make_shared<const std::vector<std::string>>(std::move(files));
  return SampleSource{shared_files->size(), [float_model, quant_model, shared_files, preprocess](size_t i) {
                        const Tensor& ft = onlyInput(*float_model, quant_model->path);
                        const Tensor& qt = onlyInput(*quant_model, quant_model->path);
                        DebugSample s;
                        s.description = (*shared_files)[i];
                        s.float_inputs.push_back(loadModelInput(s.description, inputSpecOf(ft), preprocess).bytes);
                        s.quant_inputs.push_back(convertInput(ft, s.float_inputs[0], qt));
                        return s;
                      }};
}

}  // namespace ql
