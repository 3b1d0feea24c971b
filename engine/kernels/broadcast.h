// numpy-style broadcasting of an op's two inputs: the output shape and a walk over it that gives each input's
// flat offset, for every elementwise kernel with two operands (ADD ... MAXIMUM, PRELU).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

#include "kernels/shape_util.h"
#include "runtime/kernel.h"

namespace ql {

struct Broadcast {
  std::vector<int32_t> shape;
  std::vector<int64_t> a_strides, b_strides;
  bool same = false;  // both inputs have the output's shape

  // f(output offset, offset in input 0, offset in input 1) for every output element, in order.
  template <typename F>
  void forEach(F&& f) const {
    const int64_t n = flatSize(shape);
    if (same) {
      for (int64_t i = 0; i < n; ++i) f(i, i, i);
      return;
    }
    std::vector<int32_t> idx(shape.size(), 0);
    int64_t ao = 0, bo = 0;
    for (int64_t i = 0; i < n; ++i) {
      f(i, ao, bo);
      for (size_t d = shape.size(); d-- > 0;) {
        ao += a_strides[d], bo += b_strides[d];
        if (++idx[d] < shape[d]) break;
        ao -= a_strides[d] * shape[d], bo -= b_strides[d] * shape[d];
        idx[d] = 0;
      }
    }
  }
};

// The broadcast of inputs 0 and 1; ctx.invalid(`mismatch`) when their shapes do not broadcast.
inline Broadcast broadcastOf(const KernelContext& ctx, const char* mismatch = "input shapes do not broadcast") {
  Broadcast b;
  const auto& sa = ctx.input(0).shape();
  const auto& sb = ctx.input(1).shape();
  try {
    b.shape = broadcastShapes(sa, sb);
  } catch (const std::invalid_argument&) {
    ctx.invalid(mismatch);
  }
  b.a_strides = broadcastStrides(sa, b.shape);
  b.b_strides = broadcastStrides(sb, b.shape);
  b.same = sa == b.shape && sb == b.shape;
  return b;
}

}  // namespace ql
