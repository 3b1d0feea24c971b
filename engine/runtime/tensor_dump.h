// Tensors in the golden format (../shared/README.md): DIR/t<index>.bin raw little-endian bytes plus
// DIR/manifest.json. `run` writes it; `--feed` and the tests read it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/observer.h"

namespace ql {

// Keeps a copy of every tensor it is shown (or only `wanted` ones), as the interpreter computed it.
class TensorRecorder : public TensorObserver {
 public:
  struct Record {
    std::vector<int32_t> shape;
    std::vector<uint8_t> bytes;
    int op_index = -1;
  };
  TensorRecorder() = default;
  explicit TensorRecorder(std::vector<int> wanted);
  void onTensor(int op_index, int tensor_index, const RuntimeTensor& tensor) override;
  const std::map<int, Record>& records() const { return records_; }
  void clear() { records_.clear(); }

 private:
  bool all_ = true;
  std::vector<bool> wanted_;
  std::map<int, Record> records_;
};

struct DumpInfo {
  std::string model_path, runtime, input_description;
  std::vector<std::vector<uint8_t>> inputs;  // written as in<i>.bin
  std::vector<int> model_outputs;
  bool all_tensors = false;
};

// Writes the records (and inputs) into `dir` (created if needed). Tensor metadata comes from the model.
void writeTensorDump(const std::string& dir, const Subgraph& sg, const TensorRecorder& rec, const DumpInfo& info);

// Feeds tensors from a dump directory: after an op produced a tensor the dump has, later ops read the dump's.
class DumpFeeder : public TensorFeeder {
 public:
  // Throws BadInput naming the directory when its manifest is missing or malformed.
  explicit DumpFeeder(const std::string& dir);
  bool feed(int tensor_index, RuntimeTensor& tensor) override;
  bool has(int tensor_index) const { return entries_.count(tensor_index) > 0; }
  const nlohmann::json& manifest() const { return manifest_; }
  // The dump's input files in order (absolute paths).
  std::vector<std::string> inputFiles() const;

 private:
  struct Entry {
    std::string file, dtype;
    std::vector<int32_t> shape;
  };
  std::string dir_;
  nlohmann::json manifest_;
  std::map<int, Entry> entries_;
};

std::vector<uint8_t> readFileBytes(const std::string& path);  // throws BadInput naming the file

}  // namespace ql
