// Turning a user's --input (a raw tensor file or an image) into the bytes of a model input.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "runtime/tensor.h"

namespace ql::cli {

struct Preprocess {
  std::string mean = "127.5", std = "127.5";  // one value or R,G,B
};
void addPreprocessOptions(CLI::App& cmd, Preprocess& p);

// A .bin must have exactly the input's byte size; an image is decoded, resized and normalized for it.
// Every .jpg/.jpeg/.png/.bmp directly in `dir`, sorted; BadInput when it is not a directory or holds none.
std::vector<std::string> imagesIn(const std::string& dir);

std::vector<uint8_t> loadInput(const std::string& path, const RuntimeTensor& input, const Preprocess& p);

}  // namespace ql::cli
