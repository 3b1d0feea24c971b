// The debugger's samples from files, as `quantlens-cli debug` and the app's layer error dock build them: each file
// (an image, or a raw .bin in the float model's input type and shape) is prepared for the float model's input,
// and the quantized model gets the same real values in its own input type, so both see one input.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analysis/quant_debugger.h"
#include "vision/preprocess.h"

namespace ql {

// Samples over `files`, each decoded only when the debugger reaches it and dropped after. The source keeps both
// models alive. Throws Unsupported naming the quantized model when either model has other than one input.
SampleSource fileSamples(std::shared_ptr<const Model> float_model, std::shared_ptr<const Model> quant_model,
                         std::vector<std::string> files, const PreprocessOptions& preprocess);

}  // namespace ql
