// Shape arithmetic shared by kernels: SAME/VALID padding, broadcasting, axis normalization.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ql {

enum class Padding { Same, Valid };
Padding paddingFromName(const std::string& name);  // "SAME" / "VALID"; throws std::invalid_argument

// Output size of a window op along one axis, as TFLite computes it.
int32_t windowOutputSize(Padding p, int32_t in, int32_t filter, int32_t stride, int32_t dilation = 1);
// Padding before the first element along one axis (TFLite's ComputePaddingWithOffset, offset dropped:
// the extra pixel of an odd total goes after the end).
int32_t windowPaddingBefore(Padding p, int32_t in, int32_t filter, int32_t stride, int32_t dilation,
                            int32_t out);

// numpy-style broadcast of two shapes; throws std::invalid_argument when they do not broadcast.
std::vector<int32_t> broadcastShapes(const std::vector<int32_t>& a, const std::vector<int32_t>& b);
// Strides (in elements) of `shape` seen as `out_shape` after broadcasting: 0 along broadcast axes.
std::vector<int64_t> broadcastStrides(const std::vector<int32_t>& shape, const std::vector<int32_t>& out_shape);

// Negative axes count from the end; throws std::invalid_argument when out of range.
int normalizeAxis(int axis, int rank);

int64_t flatSize(const std::vector<int32_t>& shape);

}  // namespace ql
