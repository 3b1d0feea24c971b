// The preprocessing flags every command that takes images shares, parsed into the engine's PreprocessOptions:
//   --mean M|R,G,B  --std S|R,G,B  --resize stretch|letterbox  --pad R,G,B
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "vision/preprocess.h"

namespace ql::cli {

struct Preprocess {
  std::string mean, std, resize, pad;  // as given; empty when the flag was not given
};

// Each flag's help ends with its default from `defaults`, or says the detector profile gives it.
void addPreprocessOptions(CLI::App& cmd, Preprocess& p, const PreprocessOptions& defaults, bool defaults_from_profile);

// `defaults` with the flags that were given put over it. Throws BadInput for values that do not parse.
PreprocessOptions preprocessOptions(const Preprocess& p, PreprocessOptions defaults);

}  // namespace ql::cli
