#include "model/op_names.h"

#include <unordered_map>

#include "tflite_schema_generated.h"

namespace ql {

std::string builtinOpName(int32_t code) {
  if (code < 0 || code > maxBuiltinOpCode()) return {};
  return tflite::EnumNamesBuiltinOperator()[code];
}

int32_t builtinOpCode(const std::string& name) {
  static const std::unordered_map<std::string, int32_t> byName = [] {
    std::unordered_map<std::string, int32_t> m;
    for (int32_t c = 0; c <= maxBuiltinOpCode(); ++c) {
      const char* n = tflite::EnumNamesBuiltinOperator()[c];
      if (n && *n) m.emplace(n, c);
    }
    return m;
  }();
  auto it = byName.find(name);
  return it == byName.end() ? -1 : it->second;
}

int32_t maxBuiltinOpCode() { return static_cast<int32_t>(tflite::BuiltinOperator_MAX); }

}  // namespace ql
