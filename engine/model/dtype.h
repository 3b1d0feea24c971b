// Element types, with the values of the format's TensorType enum so they convert by cast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ql {

enum class DType : int8_t {
  Float32 = 0, Float16 = 1, Int32 = 2, UInt8 = 3, Int64 = 4, String = 5, Bool = 6, Int16 = 7, Complex64 = 8,
  Int8 = 9, Float64 = 10, Complex128 = 11, UInt64 = 12, Resource = 13, Variant = 14, UInt32 = 15, UInt16 = 16,
  Int4 = 17, BFloat16 = 18, Int2 = 19, UInt4 = 20, Float8E4M3FN = 21, Float8E5M2 = 22,
};
constexpr int kDTypeCount = 23;

bool isKnownDType(int value);
// The schema's name ("FLOAT32", "INT8").
const char* dtypeName(DType t);
// Lower case, as golden manifests and the oracle write it ("float32", "int8").
std::string dtypeLowerName(DType t);
// Bytes per element; 0 for types without a fixed size (STRING, RESOURCE, VARIANT) and for packed INT4/UINT4/INT2.
size_t dtypeSize(DType t);
// Bytes a tensor of `elements` elements takes in a buffer, or -1 when the type has no fixed layout.
int64_t dtypeStorageBytes(DType t, int64_t elements);

}  // namespace ql
