// Serializes a Model back to .tflite bytes: the flatbuffer, then any bytes that followed it in the source file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/graph.h"

namespace ql {

std::vector<uint8_t> serializeModel(const Model& model);
// Writes through a temporary file and a rename. Refuses (BadInput) to overwrite the file the model came from.
void writeModel(const Model& model, const std::string& path);

// Drops buffers no tensor or metadata entry refers to and renumbers the rest (buffer 0 stays the empty sentinel).
void dropUnusedBuffers(Model& model);

}  // namespace ql
