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

// Label files written for a detector's training often name the background first ("???", "background") and so
// have one line more than the model has classes: then that first line is dropped so that labels[i] names class i.
std::vector<std::string> alignLabelsToClasses(std::vector<std::string> labels, int num_classes);

// The labels of a model with `num_classes` classes (-1 when unknown): the file at `labels_path` when given (text or
// .pbtxt), else the label file packed in the model (none: empty), aligned to the classes as above.
std::vector<std::string> resolveLabels(const Model& model, const std::string& labels_path, int num_classes);

// The files of a zip archive held in memory (stored or deflated entries); broken archives give none.
struct ZipEntry {
  std::string name;
  std::string data;
};
std::vector<ZipEntry> readZip(const uint8_t* data, size_t size);
// The files zipped into a model: after the flatbuffer, then in its metadata buffers, in that order.
std::vector<ZipEntry> zipEntriesOf(const Model& model);

}  // namespace ql
