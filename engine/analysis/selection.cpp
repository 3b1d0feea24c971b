#include "analysis/selection.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/quant_debugger.h"
#include "model/graph_index.h"
#include "model/op_names.h"
#include "util/error.h"

namespace ql {

namespace {

// Output tensor name -> the op producing it (the first in execution order when names repeat).
std::map<std::string, int> opByOutputName(const Model& m) {
  const Subgraph& sg = m.subgraphs[0];
  const GraphIndex graph = buildGraphIndex(sg);
  std::map<std::string, int> out;
  for (size_t t = 0; t < sg.tensors.size(); ++t) {
    const int op = graph.producer[t];
    if (op < 0) continue;
    auto [it, added] = out.emplace(sg.tensors[t].name, op);
    if (!added) it->second = std::min(it->second, op);
  }
  return out;
}

// Splits one CSV line, honouring quotes ("a,b" is one field; "" is a quote).
std::vector<std::string> csvFields(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

}  // namespace

Selection selectOps(const Model& model, const std::vector<std::string>& items) {
  Selection s;
  auto by_name = opByOutputName(model);
  int count = static_cast<int>(model.subgraphs[0].ops.size());
  for (const std::string& item : items) {
    auto it = by_name.find(item);
    if (it != by_name.end()) {
      s.ops.insert(it->second);
      continue;
    }
    size_t used = 0;
    int index = -1;
    try {
      index = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty())
      badInput(model.path, "'" + item + "' is neither an op index nor the name of an op's output tensor");
    if (index < 0 || index >= count)
      badInput(model.path, "op " + item + " does not exist (the model has " + std::to_string(count) + " ops)");
    s.ops.insert(index);
  }
  return s;
}

Selection selectOpTypes(const Model& model, const std::vector<std::string>& types) {
  Selection s;
  const Subgraph& sg = model.subgraphs[0];
  for (const std::string& type : types) {
    bool known = builtinOpCode(type) >= 0;
    size_t before = s.ops.size();
    for (size_t i = 0; i < sg.ops.size(); ++i)
      if (model.opName(sg.ops[i]) == type) s.ops.insert(static_cast<int>(i));
    if (!known && s.ops.size() == before)
      badInput(model.path, "'" + type + "' is not an op type (a BuiltinOperator name or a custom code in the model)");
  }
  return s;
}

Selection selectFromDebugCsv(const Model& model, const std::string& csv_path, double threshold) {
  std::ifstream f(csv_path);
  if (!f) badInput(csv_path, "cannot open");
  std::string line;
  if (!std::getline(f, line)) badInput(csv_path, "is empty");
  std::vector<std::string> header = csvFields(line);
  int idx_col = -1, rmse_col = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "tensor_idx") idx_col = static_cast<int>(i);
    if (header[i] == "rmse/scale") rmse_col = static_cast<int>(i);
  }
  if (idx_col < 0 || rmse_col < 0) badInput(csv_path, "has no tensor_idx and rmse/scale columns (is it a debug --csv?)");
  const Subgraph& sg = model.subgraphs[0];
  std::map<int, int> op_of_tensor;
  for (size_t i = 0; i < sg.ops.size(); ++i)
    for (int32_t t : sg.ops[i].outputs) op_of_tensor[t] = static_cast<int>(i);
  Selection s;
  int row = 1;
  while (std::getline(f, line)) {
    ++row;
    if (line.empty()) continue;
    std::vector<std::string> fields = csvFields(line);
    if (fields.size() <= static_cast<size_t>(std::max(idx_col, rmse_col)))
      badInput(csv_path, "row " + std::to_string(row) + " has too few columns");
    double rmse = std::strtod(fields[static_cast<size_t>(rmse_col)].c_str(), nullptr);
    int tensor = std::atoi(fields[static_cast<size_t>(idx_col)].c_str());
    auto it = op_of_tensor.find(tensor);
    if (it == op_of_tensor.end())
      badInput(csv_path, "row " + std::to_string(row) + ": tensor " + std::to_string(tensor) +
                             " is no op's output in " + model.path + " (a CSV of another model?)");
    if (rmse > threshold) s.ops.insert(it->second);
  }
  return s;
}

Selection selectFirst(const Model& model, int n) {
  int count = static_cast<int>(model.subgraphs[0].ops.size());
  if (n < 0) badInput(model.path, "--first takes a count of ops, not " + std::to_string(n));
  Selection s;
  for (int i = 0; i < std::min(n, count); ++i) s.ops.insert(i);
  return s;
}

Selection selectLast(const Model& model, int n) {
  int count = static_cast<int>(model.subgraphs[0].ops.size());
  if (n < 0) badInput(model.path, "--last takes a count of ops, not " + std::to_string(n));
  Selection s;
  for (int i = std::max(0, count - n); i < count; ++i) s.ops.insert(i);
  return s;
}

Selection selectAboveThreshold(const DebugReport& report, double threshold) {
  Selection s;
  for (const LayerRow& row : report.layers)
    if (row.scale > 0 && std::isfinite(row.rmse_over_scale) && row.rmse_over_scale > threshold) s.ops.insert(row.op_index);
  return s;
}

}  // namespace ql
