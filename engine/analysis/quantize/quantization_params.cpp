#include "analysis/quantize/quantization_params.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/tensor_values.h"

namespace ql {

AffineParams asymmetricParams(float min, float max, int32_t qmin, int32_t qmax) {
  min = std::min(min, 0.f);
  max = std::max(max, 0.f);
  const float qmin_f = static_cast<float>(qmin), qmax_f = static_cast<float>(qmax);
  AffineParams p;
  if (!(max - min > 0)) {
    p.scale = 1.f;
    p.zero_point = qmin;
    return p;
  }
  p.scale = (max - min) / (qmax_f - qmin_f);
  const float zero_point_from_min = qmin_f - min / p.scale;
  if (zero_point_from_min < qmin_f) p.zero_point = qmin;
  else if (zero_point_from_min > qmax_f) p.zero_point = qmax;
  else p.zero_point = static_cast<int32_t>(std::round(zero_point_from_min));
  return p;
}

QuantizedWeights quantizeWeightsSymmetric(const std::vector<float>& values, const std::vector<int32_t>& shape,
                                          int axis, const std::vector<float>& min_scales) {
  QuantizedWeights out;
  ChannelIndexer ch(shape, axis);
  const size_t channels = axis < 0 ? 1 : static_cast<size_t>(ch.channels_);
  out.axis = axis < 0 ? 0 : axis;
  std::vector<float> half_range(channels, 0.f);
  for (size_t i = 0; i < values.size(); ++i) {
    size_t c = axis < 0 ? 0 : static_cast<size_t>(ch.channel(static_cast<int64_t>(i)));
    half_range[c] = std::max(half_range[c], std::fabs(values[i]));
  }
  out.scales.resize(channels);
  std::vector<float> inverse(channels);
  for (size_t c = 0; c < channels; ++c) {
    float scale = half_range[c] / 127.f;
    float floor_scale = min_scales.empty() ? 0.f : min_scales[std::min(c, min_scales.size() - 1)];
    if (floor_scale > scale) scale = floor_scale;
    if (!(scale > 0)) {
      out.scales[c] = 1.f;
      inverse[c] = 0.f;
      continue;
    }
    out.scales[c] = scale;
    // The converter multiplies by 127 / max|w| rather than dividing by the scale.
    inverse[c] = scale == half_range[c] / 127.f ? 127.f / half_range[c] : 1.f / scale;
  }
  out.values.resize(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    size_t c = axis < 0 ? 0 : static_cast<size_t>(ch.channel(static_cast<int64_t>(i)));
    float q = std::round(values[i] * inverse[c]);
    out.values[i] = static_cast<int8_t>(std::min(127.f, std::max(-127.f, q)));
  }
  return out;
}

std::vector<float> weightScalesForBias(const std::vector<float>& bias, float input_scale, bool per_tensor) {
  // |b| < 0.5 x input_scale x weight_scale x INT32_MAX keeps the bias in the middle half of int32.
  const double limit = 0.5 * static_cast<double>(std::numeric_limits<int32_t>::max()) * input_scale;
  std::vector<float> out(bias.size());
  for (size_t i = 0; i < bias.size(); ++i) out[i] = static_cast<float>(std::fabs(bias[i]) / limit);
  if (per_tensor && !out.empty()) return {*std::max_element(out.begin(), out.end())};
  return out;
}

std::vector<int32_t> quantizeBias(const std::vector<float>& bias, float input_scale,
                                  const std::vector<float>& weight_scales, std::vector<float>* bias_scales) {
  std::vector<int32_t> out(bias.size());
  bias_scales->assign(weight_scales.size(), 0.f);
  for (size_t c = 0; c < weight_scales.size(); ++c) (*bias_scales)[c] = input_scale * weight_scales[c];
  const double limit = std::numeric_limits<int32_t>::max();
  for (size_t i = 0; i < bias.size(); ++i) {
    float scale = (*bias_scales)[weight_scales.size() == 1 ? 0 : i];
    float inverse = scale == 0 ? 0.f : static_cast<float>(1.0 / scale);
    double q = std::round(bias[i] * inverse);
    out[i] = static_cast<int32_t>(std::min(limit, std::max(-limit, q)));
  }
  return out;
}

}  // namespace ql
