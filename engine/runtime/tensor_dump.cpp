#include "runtime/tensor_dump.h"

#include <filesystem>
#include <fstream>

#include "model/options_codec.h"
#include "util/atomic_write.h"
#include "util/error.h"

namespace fs = std::filesystem;

namespace ql {

TensorRecorder::TensorRecorder(std::vector<int> wanted) : all_(false) {
  for (int w : wanted) {
    if (w < 0) continue;
    if (static_cast<size_t>(w) >= wanted_.size()) wanted_.resize(static_cast<size_t>(w) + 1, false);
    wanted_[static_cast<size_t>(w)] = true;
  }
}

void TensorRecorder::onTensor(int op_index, int tensor_index, const RuntimeTensor& tensor) {
  if (!all_ && (static_cast<size_t>(tensor_index) >= wanted_.size() || !wanted_[static_cast<size_t>(tensor_index)]))
    return;
  Record& r = records_[tensor_index];
  r.shape = tensor.shape();
  r.bytes.assign(tensor.raw(), tensor.raw() + tensor.bytes());
  r.op_index = op_index;
}

std::vector<uint8_t> readFileBytes(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) badInput(path, "is a directory, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) badInput(path, "cannot open");
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

void writeTensorDump(const std::string& dir, const Subgraph& sg, const TensorRecorder& rec, const DumpInfo& info) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) badInput(dir, "cannot create directory: " + ec.message());
  nlohmann::json m;
  m["model"] = info.model_path;
  m["runtime"] = info.runtime;
  m["input_description"] = info.input_description;
  m["inputs"] = nlohmann::json::array();
  for (size_t i = 0; i < info.inputs.size(); ++i) {
    std::string name = "in" + std::to_string(i) + ".bin";
    writeFileAtomically(dir + "/" + name, {info.inputs[i].data()}, {info.inputs[i].size()});
    m["inputs"].push_back(name);
  }
  m["model_outputs"] = info.model_outputs;
  m["all_tensors"] = info.all_tensors;
  m["tensors"] = nlohmann::json::array();
  for (const auto& [index, r] : rec.records()) {
    const Tensor& t = sg.tensors.at(static_cast<size_t>(index));
    std::string file = "t" + std::to_string(index) + ".bin";
    writeFileAtomically(dir + "/" + file, {r.bytes.data()}, {r.bytes.size()});
    nlohmann::json scale = nlohmann::json::array();
    for (float s : t.quant.scale) scale.push_back(floatToJson(s));
    m["tensors"].push_back({{"tensor_index", index},
                            {"name", t.name},
                            {"dtype", dtypeLowerName(t.type)},
                            {"shape", r.shape},
                            {"scale", scale},
                            {"zero_point", t.quant.zero_point},
                            {"file", file}});
  }
  // Tensor names come from the file: bytes that are not UTF-8 are replaced rather than refused.
  writeFileAtomically(dir + "/manifest.json", m.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

DumpFeeder::DumpFeeder(const std::string& dir) : dir_(dir) {
  std::string path = dir + "/manifest.json";
  std::ifstream f(path);
  if (!f) badInput(path, "cannot open (is " + dir + " a tensor dump directory?)");
  manifest_ = nlohmann::json::parse(f, nullptr, false);
  if (!manifest_.is_object() || !manifest_.contains("tensors") || !manifest_["tensors"].is_array())
    badInput(path, "not a tensor manifest (no \"tensors\" array)");
  try {
    for (const auto& t : manifest_["tensors"]) {
      Entry e;
      e.file = dir + "/" + t.at("file").get<std::string>();
      e.dtype = t.at("dtype").get<std::string>();
      e.shape = t.at("shape").get<std::vector<int32_t>>();
      entries_[t.at("tensor_index").get<int>()] = std::move(e);
    }
  } catch (const nlohmann::json::exception& ex) {
    badInput(path, std::string("malformed tensor entry: ") + ex.what());
  }
}

bool DumpFeeder::feed(int tensor_index, RuntimeTensor& tensor) {
  auto it = entries_.find(tensor_index);
  if (it == entries_.end()) return false;
  const Entry& e = it->second;
  if (e.dtype != dtypeLowerName(tensor.type()))
    badInput(e.file, "holds " + e.dtype + " but tensor " + std::to_string(tensor_index) + " is " +
                         dtypeLowerName(tensor.type()));
  std::vector<uint8_t> bytes = readFileBytes(e.file);
  tensor.assign(e.shape, bytes.data(), bytes.size());
  return true;
}

std::vector<std::string> DumpFeeder::inputFiles() const {
  std::vector<std::string> out;
  if (manifest_.contains("inputs"))
    for (const auto& i : manifest_["inputs"]) out.push_back(dir_ + "/" + i.get<std::string>());
  return out;
}

}  // namespace ql
