// Names of the format's BuiltinOperator values, so code outside engine/model names ops without the schema.
#pragma once

#include <cstdint>
#include <string>

namespace ql {

constexpr int32_t kCustomOpCode = 32;  // BuiltinOperator CUSTOM

// "CONV_2D" for 3; empty when the value is not one the schema knows.
std::string builtinOpName(int32_t code);
// The value of a name, or -1.
int32_t builtinOpCode(const std::string& name);
// The largest value the schema knows.
int32_t maxBuiltinOpCode();

}  // namespace ql
