#include "model/dtype.h"

#include <cctype>

namespace ql {

namespace {
struct DTypeInfo {
  const char* name;
  size_t size;
};
constexpr DTypeInfo kInfo[kDTypeCount] = {
    {"FLOAT32", 4},   {"FLOAT16", 2},  {"INT32", 4},  {"UINT8", 1},   {"INT64", 8},     {"STRING", 0},
    {"BOOL", 1},      {"INT16", 2},    {"COMPLEX64", 8}, {"INT8", 1}, {"FLOAT64", 8},   {"COMPLEX128", 16},
    {"UINT64", 8},    {"RESOURCE", 0}, {"VARIANT", 0}, {"UINT32", 4}, {"UINT16", 2},    {"INT4", 0},
    {"BFLOAT16", 2},  {"INT2", 0},     {"UINT4", 0},    {"FLOAT8_E4M3FN", 1}, {"FLOAT8_E5M2", 1},
};
}  // namespace

bool isKnownDType(int value) { return value >= 0 && value < kDTypeCount; }

const char* dtypeName(DType t) {
  return isKnownDType(static_cast<int>(t)) ? kInfo[static_cast<int>(t)].name : "UNKNOWN";
}

std::string dtypeLowerName(DType t) {
  std::string s = dtypeName(t);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

size_t dtypeSize(DType t) { return isKnownDType(static_cast<int>(t)) ? kInfo[static_cast<int>(t)].size : 0; }

int64_t dtypeStorageBytes(DType t, int64_t elements) {
  if (elements < 0) return -1;
  if (t == DType::Int4 || t == DType::UInt4) return (elements + 1) / 2;  // two values per byte
  if (t == DType::Int2) return (elements + 3) / 4;                        // four values per byte
  size_t size = dtypeSize(t);
  if (size == 0) return -1;
  return elements * static_cast<int64_t>(size);
}

}  // namespace ql
