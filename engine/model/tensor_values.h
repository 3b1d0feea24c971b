// Real values of tensor data: float32 as is, float16 widened, integer types dequantized with their (per-tensor
// or per-channel) scale and zero point — r = scale * (q - zero_point).
#pragma once

#include <cstdint>
#include <vector>

#include "model/graph.h"

namespace ql {

float halfToFloat(uint16_t h);
uint16_t floatToHalf(float f);

// `data` holds elementCount(shape) elements of `type`. Integer data without a scale is converted as is.
// Throws Unsupported for types without a real value (STRING, RESOURCE, ...).
std::vector<float> realValues(DType type, const std::vector<int32_t>& shape, const QuantParams& q,
                              const uint8_t* data, size_t bytes);

// The real values of a constant tensor (empty when it has no data).
std::vector<float> constantRealValues(const Model& model, const Tensor& t);

// The real values an integer tensor can hold in channel `channel` (0 for a per-tensor scale):
// scale * (qmin - zero_point) .. scale * (qmax - zero_point). False when it has no scale or is not an integer type.
bool representableRange(const Tensor& t, size_t channel, double* lo, double* hi);

// Index of the channel an element belongs to, for per-channel parameters along `axis` of `shape`.
struct ChannelIndexer {
  ChannelIndexer(const std::vector<int32_t>& shape, int axis);
  int64_t channel(int64_t flat_index) const { return (flat_index / inner_) % channels_; }
  int64_t inner_ = 1, channels_ = 1;
};

}  // namespace ql
