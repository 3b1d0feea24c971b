// Small helpers for kernels that move data by index: reading int32/int64 parameter tensors, row-major strides.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/kernel.h"

namespace ql {

// The values of an int32 or int64 tensor (shape parameters, axes, paddings).
inline std::vector<int64_t> integerValues(const KernelContext& ctx, const RuntimeTensor& t) {
  if (t.type() != DType::Int32 && t.type() != DType::Int64) ctx.invalid("parameter tensor must be int32 or int64");
  std::vector<int64_t> v(static_cast<size_t>(t.elements()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = t.type() == DType::Int64 ? t.data<int64_t>()[i] : t.data<int32_t>()[i];
  return v;
}

inline std::vector<int64_t> rowMajorStrides(const std::vector<int32_t>& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

// Parameters must be known in prepare: refuse (exit 3) ones computed at run time.
inline const RuntimeTensor& constantInput(const KernelContext& ctx, size_t i, const char* what) {
  const RuntimeTensor& t = ctx.input(i);
  if (!t.isConstant()) ctx.unsupported(std::string("a ") + what + " that is computed at run time");
  return t;
}

}  // namespace ql
