// quantlens-cli inspect MODEL [--json]: what a model holds, as a summary or as the JSON contract.
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "command.h"
#include "analysis/model_summary.h"
#include "model/model_json.h"
#include "model/quantization_kind.h"
#include "model/reader.h"
#include "run_options.h"
#include "runtime/interpreter.h"

namespace ql::cli {
namespace {

std::string shapeText(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string tensorLine(const Tensor& t, int index) {
  std::ostringstream os;
  os << "  #" << index << " " << (t.name.empty() ? "(unnamed)" : t.name) << "  " << dtypeName(t.type) << " "
     << (t.shape_present ? shapeText(t.shape) : "[?]");
  if (t.quant.hasScale()) {
    if (t.quant.perChannel())
      os << "  per-channel x" << t.quant.scale.size() << " on axis " << t.quant.quantized_dimension;
    else
      os << "  scale " << t.quant.scale[0] << " zero point " << (t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0]);
  }
  return os.str();
}

void printSummary(const Model& m) {
  std::cout << m.path << "\n";
  if (!m.description.empty()) std::cout << "description: " << m.description << "\n";
  std::cout << "quantization: " << quantizationKindName(quantizationKind(m)) << "\n";
  for (size_t s = 0; s < m.subgraphs.size(); ++s) {
    const Subgraph& sg = m.subgraphs[s];
    std::cout << "subgraph " << s << (sg.name.empty() ? "" : " '" + sg.name + "'") << ": " << sg.ops.size()
              << " ops, " << sg.tensors.size() << " tensors\n";
    std::cout << " inputs:\n";
    for (int32_t i : sg.inputs) std::cout << tensorLine(sg.tensors[i], i) << "\n";
    std::cout << " outputs:\n";
    for (int32_t i : sg.outputs) std::cout << tensorLine(sg.tensors[i], i) << "\n";
    std::cout << " ops:\n";
    for (const OpTypeCount& c : opTypeCounts(m, static_cast<int>(s)))
      std::cout << "  " << std::setw(5) << c.count << "  " << c.type << "\n";
    std::vector<OpTypeCount> missing = unsupportedOpTypes(m, static_cast<int>(s));
    if (!missing.empty()) {
      int total = 0;
      for (const OpTypeCount& c : missing) total += c.count;
      std::cout << " not supported by quantlens's interpreter (" << total << " ops):";
      for (const OpTypeCount& c : missing)
        std::cout << " " << c.type << " x" << c.count << " (first: op " << c.first_op << ")";
      std::cout << "\n";
    }
  }
  for (const Signature& sig : m.signatures)
    std::cout << "signature '" << sig.key << "': " << sig.inputs.size() << " inputs, " << sig.outputs.size()
              << " outputs\n";
  for (const MetadataEntry& e : m.metadata)
    std::cout << "metadata '" << e.name << "': " << m.buffers[e.buffer].size << " bytes\n";
  if (m.trailing.size) std::cout << "trailing data after the flatbuffer: " << m.trailing.size << " bytes\n";
}

}  // namespace

Command addInspectCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("inspect", "Summarize a .tflite model, or print it as JSON");
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("MODEL", *path, "the .tflite file")->required();
  cmd->add_flag("--json", *json, "print the whole model as JSON (tensors, operators with options, signatures)");
  return {cmd, [path, json]() {
    Model m = readModel(*path);
    printWarnings(m.load_warnings);
    for (size_t s = 0; s < m.subgraphs.size(); ++s) printWarnings(preparationWarnings(m, static_cast<int>(s)));
    if (*json)
      // Names come from the file: bytes that are not UTF-8 are replaced rather than refused.
      std::cout << modelToJson(m).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    else
      printSummary(m);
    return 0;
  }};
}

}  // namespace ql::cli
