#include "analysis/weight_channels.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "analysis/error_metrics.h"
#include "model/tensor_values.h"

namespace ql {

WeightChannels weightChannels(const Tensor& t, const std::vector<float>& real, const std::vector<float>& reference) {
  WeightChannels out;
  const QuantParams& q = t.quant;
  if (!q.hasScale() || real.empty() || elementCount(t.shape) != static_cast<int64_t>(real.size())) return out;
  out.per_channel = q.perChannel();
  out.axis = out.per_channel ? q.quantized_dimension
             : t.shape.size() == 4 && t.shape[0] == 1 ? 3  // depthwise [1, h, w, c]: channels are last
                                                       : 0;
  out.has_reference = reference.size() == real.size();
  ChannelIndexer ch(t.shape, out.axis);
  const size_t channels = static_cast<size_t>(ch.channels_);
  if (out.per_channel && q.scale.size() < channels) return out;  // a file the reader let through; show nothing

  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.channels.resize(channels);
  std::vector<double> sum_sq(channels, 0);
  std::vector<int64_t> count(channels, 0);
  for (size_t c = 0; c < channels; ++c) {
    WeightChannel& w = out.channels[c];
    size_t p = out.per_channel ? c : 0;
    w.channel = static_cast<int64_t>(c);
    w.scale = q.scale[p];
    w.zero_point = p < q.zero_point.size() ? q.zero_point[p] : 0;
    w.min = std::numeric_limits<double>::infinity();
    w.max = -w.min;
    w.reference_min = out.has_reference ? w.min : nan;
    w.reference_max = out.has_reference ? w.max : nan;
    w.max_abs_error = out.has_reference ? 0 : nan;
  }
  for (size_t i = 0; i < real.size(); ++i) {
    WeightChannel& w = out.channels[static_cast<size_t>(ch.channel(static_cast<int64_t>(i)))];
    w.min = std::min(w.min, static_cast<double>(real[i]));
    w.max = std::max(w.max, static_cast<double>(real[i]));
    ++count[static_cast<size_t>(w.channel)];
    if (!out.has_reference) continue;
    double f = reference[i], d = static_cast<double>(real[i]) - f;
    w.reference_min = std::min(w.reference_min, f);
    w.reference_max = std::max(w.reference_max, f);
    sum_sq[static_cast<size_t>(w.channel)] += d * d;
    w.max_abs_error = std::max(w.max_abs_error, std::fabs(d));
  }
  for (size_t c = 0; c < channels; ++c) {
    WeightChannel& w = out.channels[c];
    double mse = count[c] ? sum_sq[c] / static_cast<double>(count[c]) : 0;
    w.levels = w.scale > 0 && w.max >= w.min ? std::llround((w.max - w.min) / w.scale) + 1 : 0;
    w.mean_squared_error = out.has_reference ? mse : nan;
    w.rmse_over_scale = out.has_reference ? rmseOverScale(mse, w.scale) : nan;
  }
  return out;
}

}  // namespace ql
