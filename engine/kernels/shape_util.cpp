#include "kernels/shape_util.h"

#include <algorithm>
#include <stdexcept>

namespace ql {

Padding paddingFromName(const std::string& name) {
  if (name == "SAME") return Padding::Same;
  if (name == "VALID") return Padding::Valid;
  throw std::invalid_argument("unknown padding " + name);
}

int32_t windowOutputSize(Padding p, int32_t in, int32_t filter, int32_t stride, int32_t dilation) {
  int32_t effective = (filter - 1) * dilation + 1;
  if (stride <= 0) return 0;
  if (p == Padding::Same) return (in + stride - 1) / stride;
  return in < effective ? 0 : (in - effective + stride) / stride;
}

int32_t windowPaddingBefore(Padding p, int32_t in, int32_t filter, int32_t stride, int32_t dilation, int32_t out) {
  if (p == Padding::Valid) return 0;
  int32_t effective = (filter - 1) * dilation + 1;
  int32_t total = std::max(0, (out - 1) * stride + effective - in);
  return total / 2;
}

std::vector<int32_t> broadcastShapes(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  size_t rank = std::max(a.size(), b.size());
  std::vector<int32_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) throw std::invalid_argument("shapes do not broadcast");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::vector<int64_t> broadcastStrides(const std::vector<int32_t>& shape, const std::vector<int32_t>& out_shape) {
  size_t rank = out_shape.size();
  std::vector<int64_t> strides(rank, 0);
  int64_t stride = 1;
  for (size_t k = 0; k < shape.size(); ++k) {
    size_t i = shape.size() - 1 - k;
    size_t o = rank - 1 - k;
    strides[o] = shape[i] == 1 ? 0 : stride;
    stride *= shape[i];
  }
  return strides;
}

int normalizeAxis(int axis, int rank) {
  int a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= std::max(rank, 1)) throw std::invalid_argument("axis " + std::to_string(axis) + " out of range");
  return a;
}

int64_t flatSize(const std::vector<int32_t>& shape) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  return n;
}

}  // namespace ql
