// Opens a .tflite file: memory-maps it, verifies the flatbuffer, then checks what the verifier cannot (indices,
// shapes, buffer sizes, quantization axes) so that nothing downstream reads out of bounds.
#pragma once

#include <string>

#include "model/graph.h"

namespace ql {

// Throws ql::Error (BadInput) with "PATH: what is wrong" for anything that is not a valid model.
Model readModel(const std::string& path);
// The same for bytes in memory; `name` is used in messages.
Model readModelFromBytes(Bytes bytes, const std::string& name);

}  // namespace ql
