// The weight and bias operands of CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV and FULLY_CONNECTED: their checks
// and their values per output channel, read the same way by every one of these kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "model/dtype.h"
#include "runtime/kernel.h"

namespace ql {

// The per-output-channel weight zero points (0 for symmetric int8 weights).
std::vector<int32_t> weightZeroPoints(const RuntimeTensor& w, int channels);

// The scale of each output channel (one scale broadcast), checking the count; `channel_noun` names the channels
// in the error ("output channels", "units").
std::vector<float> weightScales(const KernelContext& ctx, const RuntimeTensor& w, int channels,
                                const char* channel_noun);

// The bias as TB per channel (0 without bias); int32 and int64 biases widen to TB.
template <typename TB>
std::vector<TB> biasValues(const RuntimeTensor* bias, int channels) {
  std::vector<TB> b(static_cast<size_t>(channels), TB(0));
  if (!bias) return b;
  for (size_t c = 0; c < b.size(); ++c) {
    if (bias->type() == DType::Float32) b[c] = static_cast<TB>(bias->data<float>()[c]);
    else if (bias->type() == DType::Int64) b[c] = static_cast<TB>(bias->data<int64_t>()[c]);
    else b[c] = static_cast<TB>(bias->data<int32_t>()[c]);
  }
  return b;
}

// The optional bias at `index` must have type `type` (kernels read it as such).
void requireBiasType(const KernelContext& ctx, size_t index, DType type);

// Quantized input, weights and output all carry a scale.
void requireScales(const KernelContext& ctx, const RuntimeTensor& in, const RuntimeTensor& w,
                   const RuntimeTensor& out);

// Weights (input 1) and the optional bias (input 2) are constants: packed once, not at every invocation.
bool weightsAndBiasConstant(const KernelContext& ctx);

}  // namespace ql
