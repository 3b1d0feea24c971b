// How TFLite's converter turns ranges and float constants into int8 parameters and values
// (tools/optimize/quantization_utils.cc): activations asymmetric from a range that must contain 0 with the zero
// point nudged onto an integer, weights symmetric in [-127, 127] with scale max|w| / 127 (per channel or per
// tensor), biases int32 with scale input scale x weight scale and zero point 0.
#pragma once

#include <cstdint>
#include <vector>

namespace ql {

struct AffineParams {
  float scale = 1;
  int32_t zero_point = 0;
};

// Scale (max - min) / (qmax - qmin) of the range widened to contain 0; the zero point qmin - min / scale rounded
// (half away from zero) and clamped to [qmin, qmax]. A range of width 0 (a tensor of zeros) gets scale 1, as the
// MLIR quantizer gives it, since the runtime refuses a zero scale.
AffineParams asymmetricParams(float min, float max, int32_t qmin = -128, int32_t qmax = 127);

struct QuantizedWeights {
  std::vector<int8_t> values;
  std::vector<float> scales;  // one per channel, or one
  int axis = 0;               // quantized_dimension (0 when per tensor)
};

// Symmetric int8 in [-127, 127]: per channel along `axis`, or per tensor when axis < 0. `min_scales` (optional,
// one per channel or one) raises a scale where the bias would not fit in int32 otherwise. A channel of zeros gets
// scale 1.
QuantizedWeights quantizeWeightsSymmetric(const std::vector<float>& values, const std::vector<int32_t>& shape,
                                          int axis, const std::vector<float>& min_scales = {});

// The smallest weight scale per channel for which bias / (input_scale x weight scale) stays within the middle
// half of int32 (TFLite's AdjustWeightsForBiasScale); one value per bias element, or their maximum when
// `per_tensor`.
std::vector<float> weightScalesForBias(const std::vector<float>& bias, float input_scale, bool per_tensor);

// int32 values round(b / (input_scale x weight_scale[c])), clamped to +-INT32_MAX; returns the bias scales.
std::vector<int32_t> quantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales, std::vector<float>* bias_scales);

}  // namespace ql
