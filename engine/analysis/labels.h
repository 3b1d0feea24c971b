// Class labels: from a text file (line i names class i), a .pbtxt label map (`item { id: 1 name: '...' }`, id 1
// is class 0; display_name wins over name), or a label file packed in the model (the zip TFLite metadata appends
// after the flatbuffer, or a metadata buffer holding such a zip).
#pragma once

#include <string>
#include <vector>

#include "model/graph.h"

namespace ql {

// Throws BadInput naming the file when it cannot be read or parsed.
std::vector<std::string> loadLabels(const std::string& path);
// Empty when the model carries no label file.
std::vector<std::string> labelsFromModel(const Model& model);

// The files of a zip archive held in memory (stored or deflated entries); broken archives give none.
struct ZipEntry {
  std::string name;
  std::string data;
};
std::vector<ZipEntry> readZip(const uint8_t* data, size_t size);

}  // namespace ql
